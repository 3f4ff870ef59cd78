//! Text as a careless typist gives it, for the tests that hold a parser and
//! the regular expression the API's schema states for it to one meaning.

/// A seeded generator (xorshift64*), so a failure repeats.
pub(crate) struct Typist(u64);

impl Typist {
    pub(crate) fn new(seed: u64) -> Self {
        Typist(seed | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// One of `valid` with a few pieces inserted and characters removed or
    /// replaced, or (one time in four) a few pieces alone.
    pub(crate) fn vary(&mut self, valid: &[&str], pieces: &[&str]) -> String {
        let mut chars: Vec<char> = Vec::new();
        if self.below(4) == 0 {
            for _ in 0..self.below(8) {
                chars.extend(pieces[self.below(pieces.len())].chars());
            }
            return chars.into_iter().collect();
        }
        chars.extend(valid[self.below(valid.len())].chars());
        for _ in 0..self.below(4) {
            let at = self.below(chars.len() + 1);
            let piece = pieces[self.below(pieces.len())];
            match self.below(3) {
                0 => {
                    chars.splice(at..at, piece.chars());
                }
                1 if at < chars.len() => {
                    chars.remove(at);
                }
                _ if at < chars.len() => {
                    chars.splice(at..=at, piece.chars());
                }
                _ => {}
            }
        }
        chars.into_iter().collect()
    }
}
