//! The scorer's memos: scores and grades remembered by exact fixed-point
//! points, for the records that share them.

use rust_decimal::Decimal;

/// Values already worked out, by points earned (with the bonus), possible
/// (as integers at the standard's points scale, which fix the decimals
/// exactly) and flags: a score (a decimal division) or a grade (the bands' conditions)
/// that depends on nothing else, when most units share a few keys. A small
/// table, each key in one slot by its hash, the last value kept: with 1,024
/// slots about 3 in 100 of the benchmark's records miss the grade memo,
/// with 256 about 45 (their keys collide).
pub(super) struct Memo<V> {
    slots: Vec<Option<(MemoKey, V)>>,
}

/// Points earned (with the bonus points, [`packed`]), points possible, flags.
pub(super) type MemoKey = (i128, i128, u64);

/// Points earned and bonus points (integers at the points scale) as one
/// key, exactly: the bonus in the upper 64 bits, the points earned in the
/// lower; `None` when either does not fit. Used only by standards with
/// bonus rules (without them, points earned alone are the key).
#[inline]
pub(super) fn packed(earned: i128, bonus: i128) -> Option<i128> {
    let fits = |n: i128, bits: u32| (0..1i128 << bits).contains(&n);
    (fits(earned, 64) && fits(bonus, 63)).then_some(bonus << 64 | earned)
}

/// A score and its rounded form ([`Totals::rounded`](crate::eval::ir::Totals::rounded)).
pub(super) type ScoreAndRounded = (Decimal, Decimal);

impl<V: Clone> Default for Memo<V> {
    fn default() -> Self {
        Memo {
            slots: vec![None; 1024],
        }
    }
}

impl<V: Copy> Memo<V> {
    /// The slot of `key`: the top 10 bits of a multiplicative hash.
    fn slot(key: MemoKey) -> usize {
        let (earned, possible, flags) = key;
        let hash = ((earned as u64 ^ (earned >> 64) as u64)
            ^ (possible as u64).rotate_left(29)
            ^ flags.rotate_left(47))
        .wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (hash >> 54) as usize
    }

    /// The value kept for `key`, if it is.
    #[inline]
    pub(super) fn find(&self, key: MemoKey) -> Option<V> {
        match &self.slots[Self::slot(key)] {
            Some((kept, value)) if *kept == key => Some(*value),
            _ => None,
        }
    }

    /// Keeps `value` for `key`, in place of what its slot held.
    #[inline]
    pub(super) fn keep(&mut self, key: MemoKey, value: V) {
        self.slots[Self::slot(key)] = Some((key, value));
    }
}
