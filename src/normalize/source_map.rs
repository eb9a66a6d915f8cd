//! Where each byte of the normalized text came from, kept sparse. Most of any text is copied byte for byte
//! (ASCII, lowercased), so a run of copied bytes is one entry; only the places where the matching view and
//! the original part ways (an accent dropped, a character decomposed, whitespace collapsed) start a new one.
//! A per-byte map cost four bytes per byte of text and a third of the normalization time.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    /// First byte of the normalized text the run covers.
    at: u32,
    /// The original byte it came from.
    from: u32,
    /// Copied byte for byte (the next byte came from the next original byte), or every byte of the run
    /// came from the same original character (`ﬁ` → `fi`).
    copied: bool,
}

#[derive(Debug, Clone, Default)]
pub(super) struct SourceMap {
    runs: Vec<Run>,
    /// Bytes of normalized text covered.
    len: u32,
}

impl SourceMap {
    /// Records `n` bytes of normalized text copied one for one from the original bytes starting at `from`.
    pub(super) fn push_copied(&mut self, from: u32, n: u32) {
        if n == 0 {
            return;
        }
        let continues = self.runs.last().is_some_and(|r| r.copied && r.from + (self.len - r.at) == from);
        if !continues {
            self.runs.push(Run { at: self.len, from, copied: true });
        }
        self.len += n;
    }

    /// Records `n` bytes of normalized text that all came from the original character starting at `from`.
    pub(super) fn push_char(&mut self, from: u32, n: u32) {
        if n == 1 {
            // One byte from one byte is a copy, and may extend the run before it.
            return self.push_copied(from, 1);
        }
        let continues = self.runs.last().is_some_and(|r| !r.copied && r.from == from);
        if !continues {
            self.runs.push(Run { at: self.len, from, copied: false });
        }
        self.len += n;
    }

    /// Forgets the last byte.
    pub(super) fn pop(&mut self) {
        self.len -= 1;
        if self.runs.last().is_some_and(|r| r.at == self.len) {
            self.runs.pop();
        }
    }

    /// The original byte the normalized byte `at` came from. `run` is where the search for its run starts,
    /// and is left at that run: bytes asked for in order, as a rule's matches are, find theirs in a step or
    /// two instead of a search of every run.
    pub(super) fn get(&self, at: usize, run: &mut usize) -> usize {
        debug_assert!(at < self.len as usize);
        let holds = |k: usize| self.runs[k].at as usize <= at;
        if *run >= self.runs.len() || !holds(*run) {
            *run = 0;
        }
        let mut steps = 0;
        while *run + 1 < self.runs.len() && holds(*run + 1) {
            *run += 1;
            steps += 1;
            if steps == 4 {
                *run += self.runs[*run..].partition_point(|r| r.at as usize <= at) - 1;
                break;
            }
        }
        let r = self.runs[*run];
        if r.copied {
            (r.from as usize) + at - r.at as usize
        } else {
            r.from as usize
        }
    }

    /// The map without the bytes at `positions` (sorted). Rare (only texts with spaced-out letters), so it
    /// is done byte by byte.
    pub(super) fn without(&self, positions: &[usize]) -> SourceMap {
        let mut out = SourceMap::default();
        let mut drops = positions.iter().peekable();
        for at in 0..self.len as usize {
            if drops.next_if_eq(&&at).is_none() {
                out.push_char(self.get(at, &mut 0) as u32, 1);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dense(map: &SourceMap) -> Vec<usize> {
        let mut run = 0;
        let forward: Vec<usize> = (0..map.len as usize).map(|at| map.get(at, &mut run)).collect();
        let fresh: Vec<usize> = (0..map.len as usize).map(|at| map.get(at, &mut 0)).collect();
        let backward: Vec<usize> = (0..map.len as usize).rev().map(|at| map.get(at, &mut run)).collect();
        assert_eq!(forward, fresh);
        assert_eq!(backward.into_iter().rev().collect::<Vec<_>>(), fresh);
        fresh
    }

    #[test]
    fn copied_runs_join_and_characters_repeat() {
        let mut map = SourceMap::default();
        map.push_copied(0, 3); // "abc"
        map.push_char(3, 1); // "á" (2 bytes) → "a"
        map.push_copied(5, 2); // "de"
        map.push_char(7, 2); // "ñ" kept as 2 bytes
        map.push_char(9, 1); // "ﬁ" (3 bytes) → "f"…
        map.push_char(9, 1); // …"i"
        assert_eq!(dense(&map), [0, 1, 2, 3, 5, 6, 7, 7, 9, 9]);
        assert_eq!(map.runs.len(), 5);
        map.pop();
        map.pop();
        assert_eq!(dense(&map), [0, 1, 2, 3, 5, 6, 7, 7]);
        assert_eq!(dense(&map.without(&[1, 4])), [0, 2, 3, 6, 7, 7]);
    }
}
