//! Random numbers for what needs no secrecy, only difference: idempotency
//! keys and jitter for each call, names of temporary files. Drawn from
//! `fastrand`'s per-thread generator (wyrand, seeded per thread from std's
//! randomly keyed hasher), a few multiplications a draw.

/// 64 random bits.
pub fn u64() -> u64 {
    fastrand::u64(..)
}

/// 128 random bits.
pub fn u128() -> u128 {
    fastrand::u128(..)
}

/// A number in `[0, 1)`.
pub fn unit() -> f64 {
    fastrand::f64()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_differ_and_spread() {
        let draws: std::collections::HashSet<u128> = (0..10_000).map(|_| u128()).collect();
        assert_eq!(draws.len(), 10_000, "no repeats");
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
