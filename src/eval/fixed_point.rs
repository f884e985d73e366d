//! Points as fixed-point integers: a decimal as a whole count of
//! `10^-scale`. `compile` lays a program's points out at one scale
//! (`Program::points_scale`, `Rule::base_fixed`, `Program::points_fit`) and
//! the engine sums the points a record earns at that scale; both take the
//! conversion from here, a leaf, so that neither imports the other for it.

use rust_decimal::Decimal;

/// `value` as an integer count of `10^-scale`, if it has no finer digits
/// and fits (any decimal's scale is at most 28, and `10^28` times its
/// mantissa may not fit an `i128`).
#[inline]
pub fn fixed(value: Decimal, scale: u32) -> Option<i128> {
    /// `10^n` for every scale a decimal can have.
    const POWERS: [i128; 29] = {
        let mut powers = [1i128; 29];
        let mut n = 1;
        while n < 29 {
            powers[n] = powers[n - 1] * 10;
            n += 1;
        }
        powers
    };
    let own = value.scale();
    let power = POWERS.get(scale.checked_sub(own)? as usize)?;
    value.mantissa().checked_mul(*power)
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::fixed;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]

        /// The fixed-point path at its edges: a value it accepts (scale up
        /// to 28, mantissas up to 2^96) is the value exactly, and sums of
        /// such values are the decimal sums; a value it refuses has finer
        /// digits than the scale, or does not fit.
        #[test]
        fn fixed_points_are_the_decimals(
            values in proptest::collection::vec(
                (proptest::num::i128::ANY, 0u32..29, proptest::bool::ANY),
                1..6,
            ),
            scale in 0u32..29,
        ) {
            let mut sum = Some(0i128);
            let mut decimal_sum = Some(Decimal::ZERO);
            for (mantissa, own, small) in values {
                // Near the limits half the time, small the rest.
                let mantissa = if small { mantissa % 1000 } else { mantissa % (1i128 << 96) };
                let value = Decimal::try_from_i128_with_scale(mantissa.abs(), own)
                    .unwrap_or(Decimal::MAX);
                match fixed(value, scale) {
                    Some(n) => {
                        if let Ok(back) = Decimal::try_from_i128_with_scale(n, scale) {
                            proptest::prop_assert_eq!(back, value);
                        }
                        sum = sum.and_then(|s| s.checked_add(n));
                    }
                    None => {
                        let finer = value.scale() > scale;
                        let overflows = scale
                            .checked_sub(value.scale())
                            .and_then(|e| 10i128.checked_pow(e))
                            .and_then(|p| value.mantissa().checked_mul(p))
                            .is_none();
                        proptest::prop_assert!(finer || overflows, "{} at scale {}", value, scale);
                        sum = None;
                    }
                }
                decimal_sum = decimal_sum.and_then(|s| s.checked_add(value));
            }
            if let (Some(sum), Some(decimal_sum)) = (sum, decimal_sum)
                && let Ok(sum) = Decimal::try_from_i128_with_scale(sum, scale)
            {
                proptest::prop_assert_eq!(sum, decimal_sum);
            }
        }
    }
}
