//! The lot drawn among nominees no rule could separate at the winners'
//! line. The server picks a random seed; the order follows from the seed
//! alone (the nominees by number, shuffled by SplitMix64), so the seed in
//! the audit log lets anyone draw the same lot again.

use crate::nominee::NomineeNumber;

/// A lot's seed: 128 random bits, written as 32 hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LotSeed(pub u128);

impl LotSeed {
    pub fn hex(self) -> String {
        format!("{:032x}", self.0)
    }

    pub fn parse(hex: &str) -> Option<Self> {
        (hex.len() == 32)
            .then(|| u128::from_str_radix(hex, 16).ok())
            .flatten()
            .map(LotSeed)
    }
}

/// SplitMix64: small, well known, and the same in every language.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// The drawn order, first place first: the nominees sorted by number, then
/// a Fisher–Yates shuffle driven by the seed (its two halves XORed).
pub fn draw(seed: LotSeed, nominees: &[NomineeNumber]) -> Vec<NomineeNumber> {
    let mut order = nominees.to_vec();
    order.sort();
    order.dedup();
    let mut rng = SplitMix64((seed.0 >> 64) as u64 ^ seed.0 as u64);
    for i in (1..order.len()).rev() {
        let j = (rng.next() % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(k: u32) -> NomineeNumber {
        NomineeNumber::new(k).unwrap()
    }

    #[test]
    fn the_same_seed_draws_the_same_order_whatever_the_input_order() {
        let seed = LotSeed(0x0123_4567_89ab_cdef_fedc_ba98_7654_3210);
        let a = draw(seed, &[n(3), n(17), n(8)]);
        let b = draw(seed, &[n(8), n(3), n(17)]);
        assert_eq!(a, b);
        let mut sorted = a.clone();
        sorted.sort();
        assert_eq!(sorted, vec![n(3), n(8), n(17)], "every nominee once");
    }

    #[test]
    fn different_seeds_give_every_order_over_many_draws() {
        let mut seen = std::collections::HashSet::new();
        for s in 0..200u128 {
            seen.insert(draw(LotSeed(s * 0x1_0000_0001), &[n(1), n(2), n(3)]));
        }
        assert_eq!(seen.len(), 6, "all 3! orders appear");
    }

    #[test]
    fn the_seed_round_trips_through_hex() {
        let seed = LotSeed(0xabc);
        assert_eq!(seed.hex().len(), 32);
        assert_eq!(LotSeed::parse(&seed.hex()), Some(seed));
        assert_eq!(LotSeed::parse("xyz"), None);
        assert_eq!(LotSeed::parse(&"g".repeat(32)), None);
    }
}
