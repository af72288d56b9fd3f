//! Corpus-wide work on every core, streaming: each worker takes the next few documents, and
//! their results come back to the calling thread (through a short queue, so that only a few
//! documents' results are ever held at once), where progress is shown and figures are summed.
//! The calling thread is one of the workers: between its own documents it takes in the others'.

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
    done: impl FnMut(usize, R),
    cancel: &AtomicBool,
) {
    run(workers, Order::InTurn, items, work, done, cancel);
}

/// As [`for_each_parallel`], but each worker starts on its own stretch of the items (and helps
/// with the others' once it is done). For work that writes files beside the items: on a corpus
/// listed in folder order the workers then create their files in different folders, instead of
/// queueing on one folder's lock in the file system. Results come in no useful order.
pub fn for_each_parallel_apart<T: Sync, R: Send>(
    items: &[T],
    work: impl Fn(usize, &T) -> R + Sync,
    done: impl FnMut(usize, R),
    cancel: &AtomicBool,
) {
    run(worker_count(), Order::Apart, items, work, done, cancel);
}

#[derive(Clone, Copy)]
enum Order {
    /// The next items in turn, whichever worker asks.
    InTurn,
    /// One stretch per worker.
    Apart,
}

/// Stretches of the items, each handed out a few items at a time.
struct Stretches {
    /// Next item and end of each stretch.
    next: Vec<AtomicUsize>,
    ends: Vec<usize>,
    chunk: usize,
}

impl Stretches {
    fn new(len: usize, stretches: usize, chunk: usize) -> Self {
        let bound = |k: usize| len * k / stretches;
        Self {
            next: (0..stretches).map(|k| AtomicUsize::new(bound(k))).collect(),
            ends: (1..=stretches).map(bound).collect(),
            chunk,
        }
    }

    /// The next items for `worker`: from its own stretch, else from the next one with any left.
    fn claim(&self, worker: usize) -> Option<std::ops::Range<usize>> {
        let n = self.next.len();
        (0..n).find_map(|k| {
            let s = (worker + k) % n;
            let (next, end) = (self.next.get(s)?, *self.ends.get(s)?);
            let first = next.fetch_add(self.chunk, Ordering::Relaxed);
            (first < end).then(|| first..(first + self.chunk).min(end))
        })
    }
}

fn run<T: Sync, R: Send>(
    workers: usize,
    order: Order,
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
    let stretches = match order {
        Order::InTurn => Stretches::new(items.len(), 1, chunk),
        Order::Apart => Stretches::new(items.len(), workers, chunk),
    };
    let (tx, rx) = mpsc::sync_channel::<Vec<(usize, R)>>(workers * 2);
    std::thread::scope(|scope| {
        // The calling thread is worker 0: one thread per core in all, none of them only waiting
        // to hand results on (on a corpus of small files its wake-ups were a good part of the run).
        for worker in 1..workers {
            let tx = tx.clone();
            let (stretches, work) = (&stretches, &work);
            scope.spawn(move || loop {
                if cancel.load(Ordering::Relaxed) {
                    return;
                }
                let Some(range) = stretches.claim(worker) else {
                    return;
                };
                let results = range
                    .take_while(|_| !cancel.load(Ordering::Relaxed))
                    .filter_map(|i| Some((i, work(i, items.get(i)?))))
                    .collect();
                if tx.send(results).is_err() {
                    return;
                }
            });
        }
        drop(tx);
        // Between its own items the calling thread hands on what the others finished, so that
        // they do not wait on a full queue.
        while !cancel.load(Ordering::Relaxed) {
            for results in rx.try_iter() {
                results.into_iter().for_each(|(i, r)| done(i, r));
            }
            let Some(range) = stretches.claim(0) else {
                break;
            };
            for i in range {
                if cancel.load(Ordering::Relaxed) {
                    break;
                }
                if let Some(item) = items.get(i) {
                    done(i, work(i, item));
                }
            }
        }
        for results in rx {
            results.into_iter().for_each(|(i, r)| done(i, r));
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
        for workers in [2, 3, 7] {
            let mut seen = vec![0; items.len()];
            run(
                workers,
                Order::Apart,
                &items,
                |i, _| i,
                |i, r| {
                    assert_eq!(i, r);
                    seen[i] += 1;
                },
                &AtomicBool::new(false),
            );
            assert!(seen.iter().all(|&n| n == 1), "{workers} workers");
        }
        let cancel = AtomicBool::new(true);
        let mut n = 0;
        for_each_parallel(&items, |_, x| *x, |_, _| n += 1, &cancel);
        assert_eq!(n, 0);
    }
}
