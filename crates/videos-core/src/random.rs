//! Random numbers for what needs no secrecy, only difference: idempotency
//! keys and jitter seeds for each call, names of temporary files.
//!
//! Each thread seeds a wyrand generator once from std's randomly keyed
//! hasher (SipHash, its keys drawn from the operating system) over a
//! process-wide counter, so no two threads start alike; a draw is then a
//! few multiplications, which matters on a call's path. The transports call
//! these; the core's state machines take the numbers as inputs and stay
//! deterministic in tests.

use std::cell::Cell;
use std::hash::{BuildHasher, Hasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};

static SEEDS: AtomicU64 = AtomicU64::new(0);

thread_local! {
    static STATE: Cell<u64> = Cell::new(seed());
}

fn seed() -> u64 {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(SEEDS.fetch_add(1, Ordering::Relaxed));
    hasher.finish()
}

/// 64 random bits.
pub fn u64() -> u64 {
    STATE.with(|state| {
        // wyrand: a Weyl sequence mixed by one wide multiplication.
        let s = state.get().wrapping_add(0xa076_1d64_78bd_642f);
        state.set(s);
        let wide = u128::from(s) * u128::from(s ^ 0xe703_7ed1_a0b4_28db);
        (wide as u64) ^ (wide >> 64) as u64
    })
}

/// 128 random bits.
pub fn u128() -> u128 {
    u128::from(u64()) << 64 | u128::from(u64())
}

/// A number in `[0, 1)`.
pub fn unit() -> f64 {
    // The top 53 bits: every value a double holds exactly in [0, 1).
    (u64() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_differ_and_spread() {
        let draws: std::collections::HashSet<u128> = (0..10_000).map(|_| u128()).collect();
        assert_eq!(draws.len(), 10_000, "no repeats");
        // Every bit of u64() is set in about half the draws.
        let samples: Vec<u64> = (0..4_000).map(|_| u64()).collect();
        for bit in 0..64 {
            let ones = samples.iter().filter(|s| *s >> bit & 1 == 1).count();
            assert!((1_700..2_300).contains(&ones), "bit {bit} set in {ones} of 4000");
        }
        let units: Vec<f64> = (0..4_000).map(|_| unit()).collect();
        assert!(units.iter().all(|u| (0.0..1.0).contains(u)));
        let mean = units.iter().sum::<f64>() / units.len() as f64;
        assert!((0.45..0.55).contains(&mean), "mean {mean}");
    }

    #[test]
    fn threads_draw_different_numbers() {
        let a = std::thread::spawn(|| (0..100).map(|_| u64()).collect::<Vec<_>>()).join().unwrap();
        let b = std::thread::spawn(|| (0..100).map(|_| u64()).collect::<Vec<_>>()).join().unwrap();
        assert!(a.iter().all(|x| !b.contains(x)));
    }
}
