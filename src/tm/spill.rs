//! External sorting for `merge`: items keyed by `(u64, u64)` are held in memory up to a
//! budget, then sorted and written to anonymous temporary files ("runs"); reading them back
//! merges the runs in key order. Memory is the budget plus one item per run, whatever the
//! input size, as `sort -S` does.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Seek, Write};

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::Error;

/// A key: items come back in increasing key order (ties in the order they were pushed).
pub(crate) type Key = (u64, u64);

/// A run of items, in key order.
type Run<T> = Box<dyn Iterator<Item = Result<(Key, u64, T), Error>>>;

/// Runs on disk at most: past this many, they are merged into one (so the open files stay
/// few, whatever the input size; each item is then written about log64(runs) more times).
const MAX_RUNS: usize = 64;

/// Collects items, spilling sorted runs to disk past `budget` bytes.
pub(crate) struct Sorter<T> {
    items: Vec<(Key, u64, T)>,
    bytes: usize,
    budget: usize,
    pushed: u64,
    runs: Vec<File>,
}

fn spill_err(e: impl Into<std::io::Error>) -> Error {
    Error::io("<merge temporary file>", e.into())
}

impl<T: Serialize + DeserializeOwned + 'static> Sorter<T> {
    /// Holds at most about `budget` bytes of items (as estimated by the caller) in memory.
    pub(crate) fn new(budget: usize) -> Self {
        Sorter {
            items: Vec::new(),
            bytes: 0,
            budget,
            pushed: 0,
            runs: Vec::new(),
        }
    }

    /// Adds an item whose size in memory is about `bytes`.
    pub(crate) fn push(&mut self, key: Key, item: T, bytes: usize) -> Result<(), Error> {
        self.items.push((key, self.pushed, item));
        self.pushed += 1;
        self.bytes += bytes;
        if self.bytes > self.budget {
            self.spill()?;
        }
        Ok(())
    }

    /// How many runs went to disk so far.
    #[cfg(test)]
    pub(crate) fn runs(&self) -> usize {
        self.runs.len()
    }

    fn spill(&mut self) -> Result<(), Error> {
        self.items.sort_unstable_by_key(|(k, n, _)| (*k, *n));
        let run = write_run(self.items.drain(..).map(Ok))?;
        self.runs.push(run);
        self.bytes = 0;
        if self.runs.len() >= MAX_RUNS {
            let mut all: Sorted<T> = merge_runs(std::mem::take(&mut self.runs), Vec::new())?;
            let run = write_run(std::iter::from_fn(|| all.next_raw().transpose()))?;
            self.runs.push(run);
        }
        Ok(())
    }

    /// Every item, in key order. Once some went to disk, the rest go too, so the memory is
    /// free for what reads them.
    pub(crate) fn into_sorted(mut self) -> Result<Sorted<T>, Error> {
        if !self.runs.is_empty() && !self.items.is_empty() {
            self.spill()?;
        }
        self.items.sort_unstable_by_key(|(k, n, _)| (*k, *n));
        merge_runs(std::mem::take(&mut self.runs), self.items)
    }
}

/// Writes items (in order) to a new anonymous temporary file, ready to be read back.
fn write_run<T: Serialize>(
    items: impl Iterator<Item = Result<(Key, u64, T), Error>>,
) -> Result<File, Error> {
    let mut w = BufWriter::new(tempfile::tempfile().map_err(spill_err)?);
    for item in items {
        serde_json::to_writer(&mut w, &item?).map_err(spill_err)?;
        w.write_all(b"\n").map_err(spill_err)?;
    }
    let mut f = w.into_inner().map_err(|e| spill_err(e.into_error()))?;
    f.rewind().map_err(spill_err)?;
    Ok(f)
}

/// A k-way merge of runs on disk and sorted items in memory.
fn merge_runs<T: DeserializeOwned + 'static>(
    files: Vec<File>,
    items: Vec<(Key, u64, T)>,
) -> Result<Sorted<T>, Error> {
    let mut runs: Vec<Run<T>> = Vec::new();
    for f in files {
        let lines = BufReader::with_capacity(1 << 16, f).lines();
        runs.push(Box::new(lines.map(|l| {
            let l = l.map_err(spill_err)?;
            serde_json::from_str(&l).map_err(spill_err)
        })));
    }
    runs.push(Box::new(items.into_iter().map(Ok)));
    let mut s = Sorted {
        heads: runs.iter().map(|_| None).collect(),
        runs,
        heap: BinaryHeap::new(),
    };
    for i in 0..s.runs.len() {
        s.advance(i)?;
    }
    Ok(s)
}

/// The items of a [`Sorter`], in key order (a k-way merge of its runs).
pub(crate) struct Sorted<T> {
    runs: Vec<Run<T>>,
    heads: Vec<Option<T>>,
    heap: BinaryHeap<Reverse<(Key, u64, usize)>>,
}

impl<T> Sorted<T> {
    /// The next item with its key and push number (to write it to a run again).
    fn next_raw(&mut self) -> Result<Option<(Key, u64, T)>, Error> {
        let Some(Reverse((k, n, i))) = self.heap.pop() else {
            return Ok(None);
        };
        let item = self.heads[i].take().expect("a head per heap entry");
        self.advance(i)?;
        Ok(Some((k, n, item)))
    }

    fn advance(&mut self, i: usize) -> Result<(), Error> {
        if let Some(next) = self.runs[i].next() {
            let (k, n, item) = next?;
            self.heads[i] = Some(item);
            self.heap.push(Reverse((k, n, i)));
        }
        Ok(())
    }

    /// The next item and its key, `None` after the last.
    pub(crate) fn next_item(&mut self) -> Result<Option<(Key, T)>, Error> {
        Ok(self.next_raw()?.map(|(k, _, item)| (k, item)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sorted output whatever the budget (so whatever the number of runs), stable on ties.
    #[test]
    fn sorts_across_runs_stably() {
        for budget in [0, 7, 100, usize::MAX] {
            let mut s = Sorter::new(budget);
            let mut want = Vec::new();
            for i in 0..300u64 {
                let key = ((i * 7919) % 13, i % 3);
                s.push(key, format!("item {i}"), 10).unwrap();
                want.push((key, i));
            }
            want.sort(); // by key, then push order
            if budget == 0 {
                // One run per item, merged into one whenever MAX_RUNS are on disk.
                assert_eq!(s.runs(), 300 % (MAX_RUNS - 1));
            }
            let mut got = Vec::new();
            let mut sorted = s.into_sorted().unwrap();
            while let Some((k, item)) = sorted.next_item().unwrap() {
                got.push((k, item));
            }
            let want: Vec<(Key, String)> = want
                .into_iter()
                .map(|(k, i)| (k, format!("item {i}")))
                .collect();
            assert_eq!(got, want, "budget {budget}");
        }
    }
}
