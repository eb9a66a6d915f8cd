//! Eight bytes at a time: the scans over the whole normalized text (word starts, spaced letters) classify
//! ASCII bytes as lanes of a `u64` instead of branching on each byte, since spaces and punctuation come too
//! irregularly for the branch predictor. A class is reported as the top bit of each byte that belongs to it.

const ONES: u64 = 0x0101_0101_0101_0101;
const TOP_BITS: u64 = 0x8080_8080_8080_8080;
const BIT_5: u64 = 0x2020_2020_2020_2020;

/// The eight bytes at `at`, when there are eight and all are ASCII.
pub fn ascii_chunk(bytes: &[u8], at: usize) -> Option<u64> {
    let chunk = u64::from_le_bytes(bytes.get(at..at + 8)?.try_into().expect("eight bytes"));
    // A byte with its top bit set is not ASCII.
    (chunk & TOP_BITS == 0).then_some(chunk)
}

/// Adding `0x80 - lo` to a byte below `0x80` sets its top bit exactly when it is `lo` or more, and never
/// carries into the next byte.
fn at_least(chunk: u64, lo: u8) -> u64 {
    chunk + ONES * u64::from(0x80 - lo)
}

fn between(chunk: u64, lo: u8, hi: u8) -> u64 {
    at_least(chunk, lo) & !at_least(chunk, hi + 1) & TOP_BITS
}

pub fn alphabetic(chunk: u64) -> u64 {
    // Setting bit 5 folds capitals onto small letters, and nothing else onto them.
    between(chunk | BIT_5, b'a', b'z')
}

pub fn digits(chunk: u64) -> u64 {
    between(chunk, b'0', b'9')
}

pub fn alphanumeric(chunk: u64) -> u64 {
    digits(chunk) | alphabetic(chunk)
}

pub fn equal_to(chunk: u64, byte: u8) -> u64 {
    let diff = chunk ^ (ONES * u64::from(byte));
    // A byte below `0x80` plus `0x7F` reaches the top bit unless it is zero, without carrying.
    !(((diff & !TOP_BITS) + ONES * 0x7F) | diff) & TOP_BITS
}

/// The byte offsets, within the chunk, of the bytes whose top bit is set in `lanes`, in order.
pub fn offsets(mut lanes: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        let offset = (lanes != 0).then(|| lanes.trailing_zeros() as usize / 8)?;
        lanes &= lanes - 1;
        Some(offset)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_agree_with_the_standard_library_on_every_ascii_byte() {
        for b in 0..=0x7Fu8 {
            for lane in 0..8 {
                let chunk = u64::from_le_bytes(std::array::from_fn(|k| if k == lane { b } else { b'!' }));
                let top = 0x80u64 << (8 * lane);
                assert_eq!(alphabetic(chunk) & top != 0, b.is_ascii_alphabetic(), "{b:#x}");
                assert_eq!(alphanumeric(chunk) & top != 0, b.is_ascii_alphanumeric(), "{b:#x}");
                assert_eq!(digits(chunk) & top != 0, b.is_ascii_digit(), "{b:#x}");
                assert_eq!(equal_to(chunk, b'.') & top != 0, b == b'.', "{b:#x}");
                assert_eq!(equal_to(chunk, b'!') & !top, !top & TOP_BITS, "the other lanes: {b:#x}");
            }
        }
        assert_eq!(offsets(alphabetic(u64::from_le_bytes(*b"a b  cd!"))).collect::<Vec<_>>(), [0, 2, 5, 6]);
        assert_eq!(ascii_chunk("añadir12".as_bytes(), 0), None);
        assert_eq!(ascii_chunk(b"short", 0), None);
    }
}
