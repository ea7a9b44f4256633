//! The path of a long document estimated from anchors, before the banded search.
//!
//! The banded search looks only near a diagonal. Drawn from lengths alone, that diagonal strays
//! from the translation wherever the length ratio drifts (a stretch translated more wordily, a
//! corpus of documents with different ratios): hundreds of sentences at a million, which made
//! the band widen to 384 and the search take minutes and gigabytes; and the length cost, fitted
//! on the whole document's ratio, then prefers wrong merges in those stretches. So for long
//! documents: the sentence pairs sharing a number, Latin token or name near the length diagonal
//! are chained (the longest chain increasing on both sides, which a chance match off the path
//! cannot join without losing the many true ones), the chain gives the band's centre, and the
//! local ratio along it rescales the source lengths, so that the length model is right in every
//! stretch.

use super::anchors::{kind, Side, DICT};

/// How far from the length diagonal a matching target sentence is looked for.
const WINDOW: usize = 1024;
/// A key with more matches than this in the window says nothing about where the path is.
const MAX_HITS: usize = 4;
/// Source sentences either side over which the local length ratio is measured: wide enough
/// that one omission barely moves it, narrow enough to follow a change of ratio (on the
/// bench's inputs 16 and 32 were noisier, 128 and 256 blurred the changes; see
/// `docs/align.md`).
const SMOOTH: usize = 64;
/// Chain points either side whose offsets a point's is compared with.
const NEIGHBOURS: usize = 6;
/// How far (sentences) a point's offset may be from its neighbours' median.
const TOLERANCE: i64 = 4;
/// A chain shorter than this (or than a thousandth of the sentences) is not trusted.
const MIN_CHAIN: usize = 16;

/// The estimated path: a target position per source position, and the local length ratio.
pub(crate) struct Guide {
    /// `center[i]` for `i` in `0..=n`: the target node the path is estimated to pass at row
    /// `i`; non-decreasing, `center[n] = m`.
    pub center: Vec<usize>,
    /// Local target-per-source length ratio over the document's, per source sentence.
    pub factor: Vec<f64>,
}

impl Guide {
    /// The guide of two sides, or `None` when too few anchors chain up.
    pub fn from_anchors(src: &Side, tgt: &Side) -> Option<Guide> {
        let (n, m) = (src.len.len(), tgt.len.len());
        if n == 0 || m == 0 {
            return None;
        }
        let diag = length_diagonal(src, tgt);
        let mut index: std::collections::HashMap<u32, Vec<u32>> = Default::default();
        for j in 0..m {
            for &k in tgt.keys_of(j) {
                if kind(k) != DICT as usize {
                    index.entry(k).or_default().push(j as u32);
                }
            }
        }
        // Candidate points, by source ascending and target descending within a source
        // sentence, so that a chain strictly increasing in the target takes one per sentence.
        let mut points: Vec<(u32, u32)> = Vec::new();
        let mut row: Vec<u32> = Vec::new();
        for (i, &d) in diag.iter().enumerate().take(n) {
            let (lo, hi) = (d.saturating_sub(WINDOW) as u32, (d + WINDOW) as u32);
            row.clear();
            for &k in src.keys_of(i) {
                if kind(k) == DICT as usize {
                    continue;
                }
                let Some(v) = index.get(&k) else { continue };
                let (a, b) = (
                    v.partition_point(|&j| j < lo),
                    v.partition_point(|&j| j <= hi),
                );
                if b > a && b - a <= MAX_HITS {
                    row.extend_from_slice(&v[a..b]);
                }
            }
            row.sort_unstable_by(|a, b| b.cmp(a));
            row.dedup();
            points.extend(row.iter().map(|&j| (i as u32, j)));
        }
        let chain = consistent(&longest_chain(&points));
        if chain.len() < MIN_CHAIN.max(n / 1000) {
            return None;
        }
        let center = interpolate(&chain, src, tgt);
        let (ts, tt) = (src.prefix[n].max(1.0), tgt.prefix[m].max(1.0));
        let c = tt / ts;
        let factor = (0..n)
            .map(|i| {
                let (a, b) = (i.saturating_sub(SMOOTH), (i + SMOOTH + 1).min(n));
                let s = src.len_of(a, b);
                let t = tgt.len_of(center[a], center[b]);
                if s <= 0.0 || t <= 0.0 {
                    1.0
                } else {
                    (t / s / c).clamp(0.5, 2.0)
                }
            })
            .collect();
        Some(Guide { center, factor })
    }

    /// Rescales the source's lengths by the local ratio (the document's total stays about
    /// the same, so the length model's global ratio is still the mean).
    pub fn rescale(&self, src: &mut Side) {
        for (l, f) in src.len.iter_mut().zip(&self.factor) {
            *l *= f;
        }
        for i in 0..src.len.len() {
            src.prefix[i + 1] = src.prefix[i] + src.len[i];
        }
    }
}

/// Row `i`'s target node on the length-proportional diagonal: the target position whose
/// share of the target's characters is closest to the share of the source's before `i`.
pub(crate) fn length_diagonal(src: &Side, tgt: &Side) -> Vec<usize> {
    let (n, m) = (src.len.len(), tgt.len.len());
    let (ts, tt) = (src.prefix[n].max(1.0), tgt.prefix[m].max(1.0));
    let mut out = Vec::with_capacity(n + 1);
    let mut j = 0usize;
    for i in 0..=n {
        let want = src.prefix[i] / ts * tt;
        while j < m && (tgt.prefix[j + 1] - want).abs() <= (tgt.prefix[j] - want).abs() {
            j += 1;
        }
        out.push(if i == n { m } else { j });
    }
    out
}

/// The longest subsequence of `points` (sorted by source ascending, target descending within
/// a source) that increases strictly in the target (patience sorting, `O(p log p)`).
fn longest_chain(points: &[(u32, u32)]) -> Vec<(u32, u32)> {
    const NONE: u32 = u32::MAX;
    let mut tails: Vec<u32> = Vec::new();
    let mut prev = vec![NONE; points.len()];
    for (p, &(_, j)) in points.iter().enumerate() {
        let pos = tails.partition_point(|&t| points[t as usize].1 < j);
        if pos > 0 {
            prev[p] = tails[pos - 1];
        }
        if pos == tails.len() {
            tails.push(p as u32);
        } else {
            tails[pos] = p as u32;
        }
    }
    let mut out = Vec::with_capacity(tails.len());
    let mut at = tails.last().copied().unwrap_or(NONE);
    while at != NONE {
        out.push(points[at as usize]);
        at = prev[at as usize];
    }
    out.reverse();
    out
}

/// Chain points whose offset (target minus source position) stays within [`TOLERANCE`] of
/// the median offset of their [`NEIGHBOURS`] either side: a chance match that the chain could
/// still take (it keeps the order) sits off its neighbours' line, while the true path's
/// offset moves by one sentence per omission or merge.
fn consistent(chain: &[(u32, u32)]) -> Vec<(u32, u32)> {
    let off: Vec<i64> = chain.iter().map(|&(i, j)| j as i64 - i as i64).collect();
    let mut near: Vec<i64> = Vec::with_capacity(2 * NEIGHBOURS);
    chain
        .iter()
        .enumerate()
        .filter(|&(k, _)| {
            near.clear();
            let (a, b) = (
                k.saturating_sub(NEIGHBOURS),
                (k + NEIGHBOURS + 1).min(off.len()),
            );
            near.extend((a..b).filter(|&x| x != k).map(|x| off[x]));
            if near.is_empty() {
                return true;
            }
            near.sort_unstable();
            (off[k] - near[near.len() / 2]).abs() <= TOLERANCE
        })
        .map(|(_, &p)| p)
        .collect()
}

/// Target node per row `0..=n` between the chain's points (a point `(i, j)`: sentence `i` is
/// linked with `j`, so the path passes node `(i, j)`), from `(0, 0)` to `(n, m)`: inside each
/// stretch, proportional to the characters of both sides (the length diagonal of the stretch).
fn interpolate(chain: &[(u32, u32)], src: &Side, tgt: &Side) -> Vec<usize> {
    let (n, m) = (src.len.len(), tgt.len.len());
    let mut knots: Vec<(usize, usize)> = vec![(0, 0)];
    knots.extend(chain.iter().map(|&(i, j)| (i as usize, j as usize)));
    knots.push((n, m));
    let mut out = vec![0usize; n + 1];
    for w in knots.windows(2) {
        let ((i0, j0), (i1, j1)) = (w[0], w[1]);
        let (ls, lt) = (src.len_of(i0, i1), tgt.len_of(j0, j1));
        let mut j = j0;
        for (i, o) in out.iter_mut().enumerate().take(i1 + 1).skip(i0) {
            if ls <= 0.0 || lt <= 0.0 {
                *o = if i1 == i0 {
                    j1
                } else {
                    j0 + (j1 - j0) * (i - i0) / (i1 - i0)
                };
                continue;
            }
            let want = tgt.prefix[j0] + src.len_of(i0, i) / ls * lt;
            while j < j1 && (tgt.prefix[j + 1] - want).abs() <= (tgt.prefix[j] - want).abs() {
                j += 1;
            }
            *o = j;
        }
        out[i1] = j1;
    }
    for i in 1..=n {
        out[i] = out[i].max(out[i - 1]).min(m);
    }
    out[n] = m;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chain_skips_points_that_break_the_order() {
        // (source, target) sorted by source, target descending within a source.
        let pts = [(0, 0), (1, 900), (1, 1), (2, 2), (3, 3), (4, 500), (4, 4)];
        assert_eq!(
            longest_chain(&pts),
            vec![(0, 0), (1, 1), (2, 2), (3, 3), (4, 4)]
        );
    }

    fn side(lens: &[f64]) -> Side {
        let mut s = Side::default();
        s.prefix.push(0.0);
        for &l in lens {
            s.len.push(l);
            s.prefix.push(s.prefix.last().unwrap() + l);
        }
        s
    }

    #[test]
    fn a_point_off_its_neighbours_line_is_dropped() {
        let mut chain: Vec<(u32, u32)> = (0..20).map(|i| (i * 3, i * 3 + 27)).collect();
        chain[10] = (30, 35);
        let kept = consistent(&chain);
        assert_eq!(kept.len(), 19);
        assert!(!kept.contains(&(30, 35)));
    }

    #[test]
    fn interpolation_is_monotone_and_ends_at_the_corner() {
        let (src, tgt) = (side(&[10.0; 10]), side(&[10.0; 12]));
        let c = interpolate(&[(2, 4), (6, 7)], &src, &tgt);
        assert_eq!(c[0], 0);
        assert_eq!(c[2], 4);
        assert_eq!(c[6], 7);
        assert_eq!(c[10], 12);
        assert!(c.windows(2).all(|w| w[0] <= w[1]));
        // Inside a stretch, by characters: a long target sentence takes a longer share.
        let tgt = side(&[10.0, 10.0, 10.0, 10.0, 40.0, 10.0, 10.0, 10.0]);
        let c = interpolate(&[], &side(&[10.0; 10]), &tgt);
        assert_eq!(c[5], 4, "{c:?}");
    }
}
