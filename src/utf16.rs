//! Byte offsets of a Rust string to UTF-16 code-unit offsets (what the DOM uses), many at once in one pass.

/// Converts sorted-or-not byte offsets (each on a char boundary) to UTF-16 offsets, in the same order.
pub fn byte_to_utf16(text: &str, offsets: &[usize]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets[i]);
    let mut out = vec![0; offsets.len()];
    let bytes = text.as_bytes();
    let (mut byte, mut units) = (0usize, 0usize);
    for i in order {
        let target = offsets[i].min(bytes.len());
        if target > byte {
            units += utf16_len(&bytes[byte..target]);
            byte = target;
        }
        out[i] = units;
    }
    out
}

/// UTF-16 length of whole characters of UTF-8, counted on bytes (a loop the compiler vectorizes): one unit
/// per character, that is per byte that is no continuation byte, and a second one for the four-byte
/// characters, which need a surrogate pair.
fn utf16_len(utf8: &[u8]) -> usize {
    utf8.iter().map(|&b| usize::from(b & 0xC0 != 0x80) + usize::from(b >= 0xF0)).sum()
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
