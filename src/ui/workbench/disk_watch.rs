//! Wakes the window when the open sidecar changes on disk (another program, a git pull), so that
//! an idle window draws nothing: a thread looks at the file's metadata every
//! [`super::DISK_CHECK_EVERY`] and asks for a frame only when it changed; the frame then compares
//! the file itself (`conflict.rs`).

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// What a file's metadata says, enough to notice a change.
type Signature = Option<(u64, Option<SystemTime>)>;

fn signature(path: &std::path::Path) -> Signature {
    std::fs::symlink_metadata(path)
        .ok()
        .map(|m| (m.len(), m.modified().ok()))
}

/// The watching thread's handle; dropping it stops the thread.
pub struct DiskWatch {
    path: Arc<Mutex<Option<PathBuf>>>,
    changed: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
}

impl DiskWatch {
    /// Starts watching (nothing until [`DiskWatch::watch`] names a file); `wake` is called on a
    /// change.
    pub fn start(every: Duration, wake: impl Fn() + Send + 'static) -> Self {
        let path: Arc<Mutex<Option<PathBuf>>> = Arc::new(Mutex::new(None));
        let changed = Arc::new(AtomicBool::new(false));
        let stop = Arc::new(AtomicBool::new(false));
        let (p, c, s) = (Arc::clone(&path), Arc::clone(&changed), Arc::clone(&stop));
        let spawned = std::thread::Builder::new()
            .name("hashiya-disk-watch".into())
            .spawn(move || {
                let mut last: Option<(PathBuf, Signature)> = None;
                while !s.load(Ordering::Relaxed) {
                    std::thread::sleep(every);
                    let Some(watched) = p.lock().ok().and_then(|g| g.clone()) else {
                        last = None;
                        continue;
                    };
                    let now = signature(&watched);
                    match &last {
                        Some((lp, sig)) if *lp == watched && *sig != now => {
                            c.store(true, Ordering::Relaxed);
                            wake();
                        }
                        _ => {}
                    }
                    last = Some((watched, now));
                }
            });
        if spawned.is_err() {
            // No thread: the window then looks at the file on every frame it draws anyway.
            stop.store(true, Ordering::Relaxed);
        }
        Self {
            path,
            changed,
            stop,
        }
    }

    /// Watches `path` from now on (`None`: nothing).
    pub fn watch(&self, path: Option<PathBuf>) {
        if let Ok(mut g) = self.path.lock() {
            if *g != path {
                *g = path;
            }
        }
    }

    /// Did the file change since the last call?
    pub fn take_changed(&self) -> bool {
        self.changed.swap(false, Ordering::Relaxed)
    }
}

impl Drop for DiskWatch {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_on_disk_wakes_the_window_once() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.txt.layla.hashiya.json");
        std::fs::write(&file, "one").unwrap();
        let woken = Arc::new(AtomicBool::new(false));
        let w = Arc::clone(&woken);
        let watch = DiskWatch::start(Duration::from_millis(20), move || {
            w.store(true, Ordering::Relaxed)
        });
        watch.watch(Some(file.clone()));
        std::thread::sleep(Duration::from_millis(120));
        assert!(!watch.take_changed(), "nothing changed yet");
        assert!(!woken.load(Ordering::Relaxed));
        std::fs::write(&file, "two, longer").unwrap();
        let mut seen = false;
        for _ in 0..100 {
            std::thread::sleep(Duration::from_millis(20));
            if watch.take_changed() {
                seen = true;
                break;
            }
        }
        assert!(seen, "the change was noticed");
        assert!(woken.load(Ordering::Relaxed));
        std::fs::remove_file(&file).unwrap();
        let mut gone = false;
        for _ in 0..100 {
            std::thread::sleep(Duration::from_millis(20));
            if watch.take_changed() {
                gone = true;
                break;
            }
        }
        assert!(gone, "a deletion is a change too");
    }
}
