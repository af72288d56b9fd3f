//! Work the window must not wait for (reading a corpus, opening a document and re-anchoring its
//! spans, writing a sidecar with its fsyncs) runs on a thread of its own; the UI polls for the
//! result each frame and keeps drawing meanwhile.

use std::sync::mpsc::{channel, Receiver, TryRecvError};
use std::time::Instant;

/// A piece of work running on another thread.
pub struct Task<T> {
    rx: Receiver<T>,
    /// What it is doing, for the status bar ("opening sahel_summit.txt").
    pub what: String,
    pub started: Instant,
}

/// What polling a task found.
pub enum Poll<T> {
    Pending,
    Done(T),
    /// The thread ended without a result: a bug (the panic was printed on stderr).
    Crashed,
}

impl<T: Send + 'static> Task<T> {
    /// Starts `work` on a new thread; `ctx`, if given, is asked to repaint when it is done, so that
    /// the result is taken at once even when the window is idle.
    pub fn spawn(
        what: impl Into<String>,
        ctx: Option<&egui::Context>,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Self {
        let (tx, rx) = channel();
        let ctx = ctx.cloned();
        std::thread::spawn(move || {
            let _ = tx.send(work());
            if let Some(c) = ctx {
                c.request_repaint();
            }
        });
        Self {
            rx,
            what: what.into(),
            started: Instant::now(),
        }
    }

    /// A task whose result is already known (no thread).
    pub fn ready(what: impl Into<String>, value: T) -> Self {
        let (tx, rx) = channel();
        let _ = tx.send(value);
        Self {
            rx,
            what: what.into(),
            started: Instant::now(),
        }
    }

    pub fn poll(&self) -> Poll<T> {
        match self.rx.try_recv() {
            Ok(v) => Poll::Done(v),
            Err(TryRecvError::Empty) => Poll::Pending,
            Err(TryRecvError::Disconnected) => Poll::Crashed,
        }
    }
}
