//! Corpus-wide work on every core, streaming: each worker takes the next few documents, and
//! their results come back to the calling thread (through a short queue, so that only a few
//! documents' results are ever held at once), where progress is shown and figures are summed.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

/// How many workers corpus-wide work uses: one per core.
pub fn worker_count() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Runs `work` on every item (on all cores) and hands each result with its item's index to
/// `done` on the calling thread, in the order they finish. Once `cancel` is set, no new item is
/// started; the function returns when the items already started are done.
pub fn for_each_parallel<T: Sync, R: Send>(
    items: &[T],
    work: impl Fn(usize, &T) -> R + Sync,
    done: impl FnMut(usize, R),
    cancel: &AtomicBool,
) {
    for_each_parallel_on(worker_count(), items, work, done, cancel);
}

/// As [`for_each_parallel`], on `workers` threads (at least one).
pub fn for_each_parallel_on<T: Sync, R: Send>(
    workers: usize,
    items: &[T],
    work: impl Fn(usize, &T) -> R + Sync,
    mut done: impl FnMut(usize, R),
    cancel: &AtomicBool,
) {
    let workers = workers.min(items.len());
    if workers <= 1 {
        for (i, item) in items.iter().enumerate() {
            if cancel.load(Ordering::Relaxed) {
                return;
            }
            done(i, work(i, item));
        }
        return;
    }
    // Items are taken, and their results sent back, a few at a time: one message per item costs
    // a wake-up of the calling thread each, which on a corpus of small files is a good part of
    // the run.
    let chunk = (items.len() / (workers * 64)).clamp(1, 32);
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::sync_channel::<Vec<(usize, R)>>(workers * 2);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let tx = tx.clone();
            let (next, work) = (&next, &work);
            scope.spawn(move || loop {
                if cancel.load(Ordering::Relaxed) {
                    return;
                }
                let first = next.fetch_add(chunk, Ordering::Relaxed);
                let Some(taken) = items.get(first..(first + chunk).min(items.len())) else {
                    return;
                };
                if taken.is_empty() {
                    return;
                }
                let results = taken
                    .iter()
                    .enumerate()
                    .take_while(|_| !cancel.load(Ordering::Relaxed))
                    .map(|(k, item)| (first + k, work(first + k, item)))
                    .collect();
                if tx.send(results).is_err() {
                    return;
                }
            });
        }
        drop(tx);
        for results in rx {
            for (i, r) in results {
                done(i, r);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_once_and_cancel_stops_new_work() {
        let items: Vec<u64> = (0..1000).collect();
        let mut seen = vec![false; items.len()];
        let mut sum = 0;
        for_each_parallel(
            &items,
            |_, x| x * 2,
            |i, r| {
                assert!(!seen[i]);
                seen[i] = true;
                sum += r;
            },
            &AtomicBool::new(false),
        );
        assert!(seen.iter().all(|s| *s));
        assert_eq!(sum, 999 * 1000);
        let cancel = AtomicBool::new(true);
        let mut n = 0;
        for_each_parallel(&items, |_, x| *x, |_, _| n += 1, &cancel);
        assert_eq!(n, 0);
    }
}
