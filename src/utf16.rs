//! Byte offsets of a Rust string to UTF-16 code-unit offsets (what the DOM uses), many at once in one pass.

/// Converts sorted-or-not byte offsets (each on a char boundary) to UTF-16 offsets, in the same order.
pub fn byte_to_utf16(text: &str, offsets: &[usize]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets[i]);
    let mut out = vec![0; offsets.len()];
    let (mut byte, mut units) = (0usize, 0usize);
    let mut chars = text.char_indices().peekable();
    for i in order {
        let target = offsets[i];
        while byte < target {
            match chars.next() {
                Some((_, c)) => {
                    byte += c.len_utf8();
                    units += c.len_utf16();
                }
                None => break,
            }
        }
        out[i] = units;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_surrogate_pairs_as_two() {
        let text = "a😀é";
        assert_eq!(byte_to_utf16(text, &[0, 1, 5, 7, 1]), vec![0, 1, 3, 4, 1]);
    }
}
