//! The dynamic-programming search: link costs, a banded Viterbi pass with a one-byte
//! backtrace per cell, and the local re-alignments that give each link its margin.
//!
//! A node `(i, j)` means "the first `i` source and `j` target sentences are linked". Row `i`
//! holds the columns `lo[i]..hi[i]` only (the band); costs live in a ring of four rows (a move
//! takes at most three source sentences), backtrace bytes in one flat vector, so memory is
//! `O(n * band)` bytes and time `O(n * band * moves)`. When the best path comes near the edge
//! of the band, the band is doubled and the search redone (hunalign and bleualign do the same);
//! short documents are searched whole.

use super::anchors::{shared_pair, Side, KINDS, PUNCT};
use super::cost::{LengthModel, MOVES};
use super::Weights;

/// Marks a cell no path reaches.
const NONE: u8 = u8::MAX;

/// Prices links between two sides.
pub(crate) struct Scorer<'a> {
    pub src: &'a Side,
    pub tgt: &'a Side,
    pub model: LengthModel,
    pub prior: [f32; 8],
    pub w: &'a Weights,
    /// Paragraph penalties apply (both sides have several paragraphs).
    pub paragraphs: bool,
    /// Sentences a correction says have no counterpart (1-0 / 0-1 only).
    pub src_forced: Option<&'a [bool]>,
    pub tgt_forced: Option<&'a [bool]>,
    /// Sentence pairs sharing an anchor unique in both documents, sorted (see
    /// [`super::anchors::unique_pairs`]).
    pub unique: Vec<(u32, u32)>,
}

impl Scorer<'_> {
    /// The anchor bonus of source sentence `a` with target sentence `b`.
    #[inline]
    pub fn pair_bonus(&self, a: usize, b: usize) -> f32 {
        let mut sh = [0u32; KINDS];
        shared_pair(self.src, a, self.tgt, b, &mut sh);
        if sh == [0; KINDS] {
            return 0.0;
        }
        let w = self.w;
        (w.number * sh[0] as f64
            + w.word * sh[1] as f64
            + if sh[2] > 0 {
                // Cosine of the two sentences' dictionary entries: common words shared by
                // long sentences weigh less than a rare pair in short ones.
                let (x, y) = (self.src.dicts[a] as f64, self.tgt.dicts[b] as f64);
                w.dict * sh[2] as f64 / (x * y).sqrt().max(1.0)
            } else {
                0.0
            }
            + w.name * sh[3] as f64
            + w.long_name * sh[4] as f64
            + 2.0 * w.number_miss * sh[0] as f64
            + w.unique * self.unique_count(a, b) as f64) as f32
    }

    /// How many anchors unique in both documents sentences `a` and `b` share.
    #[inline]
    fn unique_count(&self, a: usize, b: usize) -> usize {
        if self.unique.is_empty() {
            return 0;
        }
        let key = (a as u32, b as u32);
        let lo = self.unique.partition_point(|&p| p < key);
        self.unique[lo..].iter().take_while(|&&p| p == key).count()
    }

    /// Cost of the link of shape `MOVES[k]` starting at node `(i, j)`; infinite when
    /// forbidden. Pair bonuses are looked up by `pair` (a cache in the search).
    /// Returns infinity as soon as the cost is known to reach `bound` (the terms that can be
    /// negative come first, the length cost, the dearest, last).
    #[inline]
    pub fn cost_with(
        &self,
        i: usize,
        j: usize,
        k: usize,
        bound: f32,
        pair: impl Fn(usize, usize) -> f32,
    ) -> f32 {
        let (di, dj) = MOVES[k];
        if let Some(f) = self.src_forced {
            if f[i..i + di].iter().any(|&x| x) && !(di == 1 && dj == 0) {
                return f32::INFINITY;
            }
        }
        if let Some(f) = self.tgt_forced {
            if f[j..j + dj].iter().any(|&x| x) && !(di == 0 && dj == 1) {
                return f32::INFINITY;
            }
        }
        let w = self.w;
        let mut c = self.prior[k] as f64;
        let mut len_cost = 0.0;
        if di == 0 || dj == 0 {
            c += w.indel;
        } else {
            // Lexical support of each sentence of the link from the other side: a sentence
            // merged into a 2-1 (1-2, 3-1...) that shares nothing with the other side while it
            // has anchors to share is more likely a dropped one (its own 1-0 link).
            let (mut sup_s, mut sup_t) = ([0f32; 3], [0f32; 3]);
            for a in i..i + di {
                for b in j..j + dj {
                    let p = pair(a, b);
                    c -= p as f64;
                    sup_s[a - i] += p;
                    sup_t[b - j] += p;
                }
            }
            if di >= 2 {
                for (a, &s) in (i..i + di).zip(&sup_s) {
                    c += self.merge_cost(self.src, a, s, a + 1 < i + di);
                }
            }
            if dj >= 2 {
                for (b, &s) in (j..j + dj).zip(&sup_t) {
                    c += self.merge_cost(self.tgt, b, s, b + 1 < j + dj);
                }
            }
            // Sentence-count agreement beyond what the link shape explains.
            let si: i32 = (i..i + di).map(|a| self.src.inner[a] as i32).sum();
            let ti: i32 = (j..j + dj).map(|b| self.tgt.inner[b] as i32).sum();
            let shape = di as i32 - dj as i32;
            let count = (di as i32 + si) - (dj as i32 + ti);
            c += w.sentences * (count.abs() - shape.abs()) as f64;
            if c as f32 >= bound {
                return f32::INFINITY;
            }
            let mut ps = [0i32; PUNCT];
            for a in i..i + di {
                for (p, v) in ps.iter_mut().zip(self.src.punct[a]) {
                    *p += v as i32;
                }
            }
            for b in j..j + dj {
                for (p, v) in ps.iter_mut().zip(self.tgt.punct[b]) {
                    *p -= v as i32;
                }
            }
            for (p, wt) in ps.iter().zip(w.punct) {
                c += wt * p.unsigned_abs() as f64;
            }
            // Numbers without a partner (a matched pair gave back twice this in its bonus).
            let ns: u32 = (i..i + di).map(|a| self.src.nums[a] as u32).sum();
            let nt: u32 = (j..j + dj).map(|b| self.tgt.nums[b] as u32).sum();
            c += w.number_miss * (ns + nt) as f64;
            len_cost = 1.0;
        }
        if self.paragraphs {
            if di >= 2 && self.src.para[i] != self.src.para[i + di - 1] {
                c += w.para_cross;
            }
            if dj >= 2 && self.tgt.para[j] != self.tgt.para[j + dj - 1] {
                c += w.para_cross;
            }
            let (a, b) = (i + di, j + dj);
            let (sb, tb) = (self.src.boundary[a], self.tgt.boundary[b]);
            if sb != tb {
                // One sentence away from a boundary on the side that has none: a dropped
                // sentence at a paragraph's edge explains it, so it costs less.
                let near = |side: &Side, x: usize| {
                    (x > 0 && side.boundary[x - 1])
                        || (x + 1 < side.boundary.len() && side.boundary[x + 1])
                };
                let explained = if tb {
                    near(self.src, a)
                } else {
                    near(self.tgt, b)
                };
                c += if explained { w.para_near } else { w.para_edge };
            }
        }
        if len_cost > 0.0 {
            if c as f32 >= bound {
                return f32::INFINITY;
            }
            let l1 = self.src.len_of(i, i + di);
            let l2 = self.tgt.len_of(j, j + dj);
            c += self.model.cost(l1, l2);
        }
        c as f32
    }

    /// Extra cost of sentence `x` of `side` inside a merge: `unsupported` when it has
    /// anchors but shares none with the other side (`support` is its pair bonus sum), and
    /// `open_merge` when it ends without a full stop and is not the merge's last sentence (a
    /// headline joined to the first sentence).
    #[inline]
    fn merge_cost(&self, side: &Side, x: usize, support: f32, not_last: bool) -> f64 {
        let mut c = 0.0;
        if support <= 0.0 && side.key_start[x + 1] > side.key_start[x] {
            c += self.w.unsupported;
        }
        if not_last && side.open[x] {
            c += self.w.open_merge;
        }
        c
    }

    fn n(&self) -> usize {
        self.src.len.len()
    }

    fn m(&self) -> usize {
        self.tgt.len.len()
    }
}

/// Columns searched in each row.
pub(crate) struct Band {
    pub lo: Vec<usize>,
    pub hi: Vec<usize>,
}

impl Band {
    /// Every cell.
    pub fn full(n: usize, m: usize) -> Band {
        Band {
            lo: vec![0; n + 1],
            hi: vec![m + 1; n + 1],
        }
    }

    /// `half` columns either side of the length-proportional diagonal: row `i`'s centre is
    /// the target position whose share of the target's characters is closest to the share
    /// of the source's characters before `i`. It follows the translation much more closely
    /// than the straight line from `(0, 0)` to `(n, m)` when sentence lengths vary, so the
    /// band can be narrow.
    pub fn around_lengths(src: &Side, tgt: &Side, half: usize) -> Band {
        Band::around(
            &super::guide::length_diagonal(src, tgt),
            tgt.len.len(),
            half,
        )
    }

    /// `half` columns either side of `center` (a target node per row, non-decreasing).
    pub fn around(center: &[usize], m: usize, half: usize) -> Band {
        let mut lo = Vec::with_capacity(center.len());
        let mut hi: Vec<usize> = Vec::with_capacity(center.len());
        for &c in center {
            let mut l = c.saturating_sub(half);
            let h = (c + half + 1).min(m + 1);
            if let Some(&ph) = hi.last() {
                // Keep consecutive rows overlapping, so that a path always exists.
                l = l.min(ph - 1);
            }
            lo.push(l);
            hi.push(h.max(hi.last().copied().unwrap_or(0)));
        }
        Band { lo, hi }
    }

    /// Cells searched.
    pub fn cells(&self) -> usize {
        self.lo.iter().zip(&self.hi).map(|(l, h)| h - l).sum()
    }

    /// True when `path` passes within `margin` columns of a band edge that is not the edge
    /// of the matrix.
    pub fn touched(&self, path: &[(usize, usize)], m: usize, margin: usize) -> bool {
        path.iter().any(|&(i, j)| {
            (self.lo[i] > 0 && j < self.lo[i] + margin)
                || (self.hi[i] < m + 1 && j + margin >= self.hi[i])
        })
    }
}

/// The best path from `(0, 0)` to `(n, m)` inside `band`, as its nodes in order.
pub(crate) fn viterbi(
    sc: &Scorer,
    band: &Band,
    progress: Option<&indicatif::ProgressBar>,
) -> Vec<(usize, usize)> {
    let (n, m) = (sc.n(), sc.m());
    let mut start = Vec::with_capacity(n + 2);
    let mut total = 0usize;
    for i in 0..=n {
        start.push(total);
        total += band.hi[i] - band.lo[i];
    }
    let mut back = vec![NONE; total];
    let mut ring: [Vec<f32>; 4] = Default::default();
    // Pair bonuses of source sentence `a` with targets `plo[a % 4]..`, computed once per pair
    // the band can use (a move reads up to 3 x 3 pairs, so each pair would otherwise be
    // intersected many times).
    let mut pairs: [Vec<f32>; 4] = Default::default();
    let mut plo = [0usize; 4];
    for i in 0..=n {
        let (lo, hi) = (band.lo[i], band.hi[i]);
        if i < n {
            // Source sentence i is used by rows i+1..=i+3, at targets from 3 before their
            // first column to their last.
            let rows = i + 1..=(i + 3).min(n);
            let first = rows
                .clone()
                .map(|r| band.lo[r])
                .min()
                .unwrap_or(0)
                .saturating_sub(3);
            let last = rows.map(|r| band.hi[r]).max().unwrap_or(0).min(m);
            let slot = &mut pairs[i % 4];
            slot.clear();
            slot.extend((first..last.max(first)).map(|b| sc.pair_bonus(i, b)));
            plo[i % 4] = first;
        }
        let mut row = std::mem::take(&mut ring[i % 4]);
        row.clear();
        row.resize(hi - lo, f32::INFINITY);
        let brow = &mut back[start[i]..start[i] + (hi - lo)];
        for j in lo..hi {
            if i == 0 && j == 0 {
                row[0] = 0.0;
                continue;
            }
            let mut best = f32::INFINITY;
            let mut arg = NONE;
            for (k, &(di, dj)) in MOVES.iter().enumerate() {
                if di > i || dj > j {
                    continue;
                }
                let (pi, pj) = (i - di, j - dj);
                let prev = if di == 0 {
                    if pj < lo {
                        continue;
                    }
                    row[pj - lo]
                } else {
                    if pj < band.lo[pi] || pj >= band.hi[pi] {
                        continue;
                    }
                    ring[pi % 4][pj - band.lo[pi]]
                };
                if prev == f32::INFINITY {
                    continue;
                }
                let c = prev
                    + sc.cost_with(pi, pj, k, best - prev, |a, b| {
                        let slot = &pairs[a % 4];
                        slot.get(b.wrapping_sub(plo[a % 4])).copied().unwrap_or(0.0)
                    });
                if c < best {
                    best = c;
                    arg = k as u8;
                }
            }
            row[j - lo] = best;
            brow[j - lo] = arg;
        }
        ring[i % 4] = row;
        if let Some(pb) = progress {
            if i % 4096 == 0 {
                pb.set_position(i as u64);
            }
        }
    }
    // Backtrace.
    let mut path = vec![(n, m)];
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let k = back[start[i] + j - band.lo[i]];
        assert!(k != NONE, "band leaves no path to ({i}, {j})");
        let (di, dj) = MOVES[k as usize];
        i -= di;
        j -= dj;
        path.push((i, j));
    }
    path.reverse();
    path
}

/// Best cost from node `a` to node `b` (searched whole, `b` after `a`), optionally without
/// the link of shape `MOVES[k]` starting at `(fi, fj)`.
pub(crate) fn local_best(
    sc: &Scorer,
    a: (usize, usize),
    b: (usize, usize),
    forbid: Option<(usize, usize, usize)>,
    buf: &mut Vec<f32>,
) -> f32 {
    let (h, w) = (b.0 - a.0 + 1, b.1 - a.1 + 1);
    buf.clear();
    buf.resize(h * w, f32::INFINITY);
    buf[0] = 0.0;
    for y in 0..h {
        for x in 0..w {
            if y == 0 && x == 0 {
                continue;
            }
            let mut best = f32::INFINITY;
            for (k, &(di, dj)) in MOVES.iter().enumerate() {
                if di > y || dj > x {
                    continue;
                }
                let (py, px) = (y - di, x - dj);
                let prev = buf[py * w + px];
                if prev == f32::INFINITY {
                    continue;
                }
                if forbid == Some((a.0 + py, a.1 + px, k)) {
                    continue;
                }
                let c = prev
                    + sc.cost_with(a.0 + py, a.1 + px, k, best - prev, |s, t| {
                        sc.pair_bonus(s, t)
                    });
                if c < best {
                    best = c;
                }
            }
            buf[y * w + x] = best;
        }
    }
    buf[h * w - 1]
}

/// For each link of `path` (between consecutive nodes), how much worse the best path between
/// its neighbours' far ends is when that link is forbidden: the cost margin of the decision.
pub(crate) fn margins(sc: &Scorer, path: &[(usize, usize)]) -> Vec<f32> {
    let mut buf = Vec::new();
    let links = path.len() - 1;
    (0..links)
        .map(|k| {
            let a = path[k.saturating_sub(1)];
            let b = path[(k + 2).min(links)];
            let (i, j) = path[k];
            let (i2, j2) = path[k + 1];
            let mv = MOVES
                .iter()
                .position(|&d| d == (i2 - i, j2 - j))
                .expect("path moves are MOVES");
            // The path between a and b is the best there (Viterbi), so its cost is the sum of
            // its links' costs; only the alternative needs a search.
            let best: f32 = path[k.saturating_sub(1)..=(k + 2).min(links)]
                .windows(2)
                .map(|w| {
                    let (di, dj) = (w[1].0 - w[0].0, w[1].1 - w[0].1);
                    let mv = MOVES.iter().position(|&d| d == (di, dj)).unwrap_or(0);
                    sc.cost_with(w[0].0, w[0].1, mv, f32::INFINITY, |s, t| {
                        sc.pair_bonus(s, t)
                    })
                })
                .sum();
            let alt = local_best(sc, a, b, Some((i, j, mv)), &mut buf);
            (alt - best).max(0.0)
        })
        .collect()
}
