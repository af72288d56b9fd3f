//! Corpus-wide work on every core, streaming: each worker takes the next document, and results
//! come back to the calling thread one by one (through a short queue, so that only a few
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
    mut done: impl FnMut(usize, R),
    cancel: &AtomicBool,
) {
    let workers = worker_count().min(items.len());
    if workers <= 1 {
        for (i, item) in items.iter().enumerate() {
            if cancel.load(Ordering::Relaxed) {
                return;
            }
            done(i, work(i, item));
        }
        return;
    }
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::sync_channel::<(usize, R)>(workers * 4);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let tx = tx.clone();
            let (next, work) = (&next, &work);
            scope.spawn(move || loop {
                if cancel.load(Ordering::Relaxed) {
                    return;
                }
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else { return };
                if tx.send((i, work(i, item))).is_err() {
                    return;
                }
            });
        }
        drop(tx);
        for (i, r) in rx {
            done(i, r);
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
