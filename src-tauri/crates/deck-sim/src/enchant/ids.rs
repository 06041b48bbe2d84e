//! Record ids: short lowercase hex strings like Enchant's ("51e6e9"), unique across every
//! record kind, deterministic from the seed.

/// Hands out ids by scrambling a counter through a bijection, so ids look random but can
/// never collide: six hex digits for the first 2^24 ids, eight after that.
#[derive(Clone, Debug)]
pub struct IdGen {
    next: u64,
    salt: u32,
}

const MASK24: u32 = 0x00FF_FFFF;

impl IdGen {
    pub fn new(seed: u64) -> Self {
        let mut rng = super::prng::SplitMix64::new(seed ^ 0x1D5_1D5);
        Self {
            next: 0,
            salt: (rng.next_u64() as u32) & MASK24,
        }
    }

    pub fn next_id(&mut self) -> String {
        let n = self.next;
        self.next += 1;
        if n < 1 << 24 {
            format!("{:06x}", scramble24(n as u32, self.salt))
        } else {
            format!("{:08x}", scramble32(n as u32 ^ self.salt))
        }
    }
}

/// A bijection on 24-bit integers (xor, odd multiply and xorshift are each invertible).
fn scramble24(x: u32, salt: u32) -> u32 {
    let mut x = (x ^ salt) & MASK24;
    x = x.wrapping_mul(0x9E_3779) & MASK24;
    x ^= x >> 12;
    x = x.wrapping_mul(0x5B_D1E9) & MASK24;
    x ^= x >> 11;
    x
}

/// A bijection on 32-bit integers.
fn scramble32(x: u32) -> u32 {
    let mut x = x.wrapping_mul(0x9E37_79B9);
    x ^= x >> 16;
    x = x.wrapping_mul(0x85EB_CA6B);
    x ^= x >> 13;
    x
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_hex_of_six_digits() {
        let mut ids = IdGen::new(7);
        let mut seen = HashSet::new();
        for _ in 0..200_000 {
            let id = ids.next_id();
            assert_eq!(id.len(), 6);
            assert!(
                id.chars()
                    .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
            );
            assert!(seen.insert(id));
        }
    }

    #[test]
    fn scramble24_is_a_bijection() {
        let mut seen = vec![false; 1 << 24];
        for x in 0..(1u32 << 24) {
            let y = scramble24(x, 0xABCDEF) as usize;
            assert!(!seen[y]);
            seen[y] = true;
        }
    }
}
