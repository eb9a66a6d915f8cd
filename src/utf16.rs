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

/// UTF-16 length of whole characters of UTF-8, counted on bytes, eight at a time: one unit per character,
/// that is per byte that is no continuation byte (`10xxxxxx`), and a second one for the four-byte characters
/// (lead byte `11110xxx`), which need a surrogate pair.
fn utf16_len(utf8: &[u8]) -> usize {
    const TOP_BITS: u64 = 0x8080_8080_8080_8080;
    let mut chunks = utf8.chunks_exact(8);
    let mut units = 0;
    for chunk in &mut chunks {
        let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        // Shifting left by k moves bit 7 - k of each byte to its top bit.
        let continuation = x & !(x << 1) & TOP_BITS;
        let four_byte_lead = x & (x << 1) & (x << 2) & (x << 3) & TOP_BITS;
        units += 8 - continuation.count_ones() as usize + four_byte_lead.count_ones() as usize;
    }
    units + chunks.remainder().iter().map(|&b| usize::from(b & 0xC0 != 0x80) + usize::from(b >= 0xF0)).sum::<usize>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_surrogate_pairs_as_two() {
        let text = "a😀é";
        assert_eq!(byte_to_utf16(text, &[0, 1, 5, 7, 1]), vec![0, 1, 3, 4, 1]);
    }

    proptest::proptest! {
        #[test]
        fn counts_what_the_standard_library_encodes(text in "[a-z é€😀\u{301}\u{10FFFF}]{0,40}") {
            proptest::prop_assert_eq!(utf16_len(text.as_bytes()), text.encode_utf16().count());
        }
    }
}
