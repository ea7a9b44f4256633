//! The Gale-Church length model and the link-type priors.
//!
//! A link's length cost is `-ln P(|delta| >= observed)` under a normal model of
//! `delta = (c * l1 - l2) / sqrt(s2 * c * mean)`, where `l1`, `l2` are the non-space character
//! lengths of the two sides and `mean = (l1 + l2 / c) / 2` (Gale and Church 1993, as their
//! published code computes it). The ratio `c` is estimated per document pair from the total
//! lengths, so it adapts to the text at hand; the variance `s2` (per character, normalised by
//! `c`) is fitted once per language pair on the 1-1 links of the dev sets (see
//! [`variance_for`]).

use crate::lang::Lang;

/// The link shapes the search may use, as `(source count, target count)`.
pub(crate) const MOVES: [(usize, usize); 8] = [
    (1, 1),
    (1, 0),
    (0, 1),
    (2, 1),
    (1, 2),
    (2, 2),
    (3, 1),
    (1, 3),
];

/// `-ln` prior probability of each entry of [`MOVES`].
///
/// Rates measured on the Arabic-English and Arabic-French dev gold (NTREX and PUD, about 1300
/// links): 1-1 81%, 2-1 7%, 1-2 6%, 1-0 2.5%, 0-1 2%, 3-1 1%, 1-3 0.5%. 2-2 does not occur
/// there; it gets 0.1%, well under Gale and Church's 1.1%, because a 2-2 is usually two 1-1
/// links that length alone cannot tell apart (0.3% cost 0.01 strict F1 on every dev set).
pub(crate) fn move_prior_costs() -> [f32; 8] {
    let p: [f64; 8] = [0.81, 0.02, 0.02, 0.07, 0.06, 0.001, 0.01, 0.006];
    let mut out = [0.0; 8];
    for (o, p) in out.iter_mut().zip(p) {
        *o = -(p.ln()) as f32;
    }
    out
}

/// The per-character variance of the length model for a language pair (normalised by the
/// length ratio), fitted on the 1-1 links of the dev sets: Arabic-English 2.7, Arabic-French
/// 3.8; other pairs get 3.5, between those and Gale and Church's 6.8 for raw characters
/// (which counts spaces).
pub fn variance_for(src: Option<&Lang>, tgt: Option<&Lang>) -> f64 {
    let pair = |a: &str, b: &str| match (src, tgt) {
        (Some(s), Some(t)) => {
            (s.primary() == a && t.primary() == b) || (s.primary() == b && t.primary() == a)
        }
        _ => false,
    };
    if pair("ar", "en") {
        2.7
    } else if pair("ar", "fr") {
        3.8
    } else {
        3.5
    }
}

/// The length model of one document pair.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LengthModel {
    /// Expected target characters per source character.
    pub c: f64,
    /// Variance per character (times `c`).
    pub s2: f64,
}

impl LengthModel {
    /// Fits `c` from the two sides' total lengths; `s2` comes from the language pair.
    pub fn fit(total_src: f64, total_tgt: f64, s2: f64) -> LengthModel {
        let c = if total_src > 0.0 && total_tgt > 0.0 {
            (total_tgt / total_src).clamp(0.2, 5.0)
        } else {
            1.0
        };
        LengthModel { c, s2 }
    }

    /// `-ln` of the two-sided tail probability of the length difference of a link whose sides
    /// have `l1` and `l2` characters. Both sides are non-empty here.
    pub fn cost(&self, l1: f64, l2: f64) -> f64 {
        let mean = (l1 + l2 / self.c) / 2.0;
        if mean <= 0.0 {
            return 0.0;
        }
        let z = ((self.c * l1 - l2) / (self.s2 * self.c * mean).sqrt()).abs();
        tail_cost(z)
    }
}

/// Table steps per unit of `z`.
const STEPS: f64 = 64.0;
/// The table covers `z` in `[0, Z_MAX)`.
const Z_MAX: f64 = 16.0;

/// `-ln P(|Z| >= z)` for a standard normal `Z`: a table with linear interpolation (the search
/// asks for it hundreds of millions of times), exact beyond the table.
#[inline]
pub(crate) fn tail_cost(z: f64) -> f64 {
    static TABLE: std::sync::OnceLock<Vec<f64>> = std::sync::OnceLock::new();
    let t = TABLE.get_or_init(|| {
        (0..=(Z_MAX * STEPS) as usize + 1)
            .map(|k| -ln_erfc(k as f64 / STEPS / std::f64::consts::SQRT_2))
            .collect()
    });
    let x = z * STEPS;
    if x < Z_MAX * STEPS {
        let k = x as usize;
        let f = x - k as f64;
        t[k] + (t[k + 1] - t[k]) * f
    } else {
        -ln_erfc(z / std::f64::consts::SQRT_2)
    }
}

/// `ln erfc(x)` for `x >= 0`, without underflow for large `x` (Numerical Recipes' Chebyshev
/// fit, relative error under 1.2e-7).
pub(crate) fn ln_erfc(x: f64) -> f64 {
    let t = 1.0 / (1.0 + 0.5 * x);
    let poly = -x * x - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    t.ln() + poly
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ln_erfc_matches_known_values() {
        assert!((ln_erfc(0.0)).abs() < 1e-6);
        assert!((ln_erfc(1.0) - 0.157_299_207_f64.ln()).abs() < 1e-6);
        // Far in the tail: erfc(10) = 2.088e-45, ln = -102.88.
        assert!((ln_erfc(10.0) + 102.88).abs() < 0.01);
    }

    #[test]
    fn table_matches_the_formula() {
        for k in 0..2000 {
            let z = k as f64 * 0.0123;
            let exact = -ln_erfc(z / std::f64::consts::SQRT_2);
            assert!((tail_cost(z) - exact).abs() < 1e-3 * (1.0 + exact), "{z}");
        }
    }

    #[test]
    fn equal_lengths_cost_nothing_and_cost_grows_with_mismatch() {
        let m = LengthModel::fit(100.0, 110.0, 2.7);
        assert!(m.cost(50.0, 55.0) < 1e-6);
        assert!(m.cost(50.0, 80.0) > m.cost(50.0, 65.0));
    }

    #[test]
    fn pairs_are_symmetric() {
        let ar = Lang::parse("ar").unwrap();
        let en = Lang::parse("en").unwrap();
        assert_eq!(variance_for(Some(&en), Some(&ar)), 2.7);
        assert_eq!(variance_for(None, Some(&ar)), 3.5);
    }
}
