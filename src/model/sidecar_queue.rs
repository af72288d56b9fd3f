//! Writing the sidecars of a corpus-wide run (merge, suggest) as they come from the workers,
//! a batch at a time: each worker writes its sidecar to a temporary file ([`stage`], with
//! [`crate::model::atomic_write::BatchWriter`]), and every [`SidecarQueue::new`] `chunk` files — or once the oldest has waited
//! [`SidecarQueue::MAX_WAIT`] — the batch is made durable with a few syncs instead of two per
//! file, and each sidecar is put in place only if the file on disk is still the one read (as
//! [`crate::model::sidecar::save`] does). So a run of 10,000 documents costs a few flushes, and a
//! run that stops half way keeps what it did up to a few seconds before.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::atomic_write::{folder_of, BatchWriter, CheckedWriteError};
use super::document::sha256_hex;
use super::sidecar::{read_bytes, PreparedSidecar, SidecarError};

/// A prepared sidecar written to its temporary file (on the worker that prepared it), to be
/// handed to [`SidecarQueue::push`].
#[derive(Debug)]
pub struct StagedSidecar {
    batch: BatchWriter,
    path: PathBuf,
    expected_disk_hash: Option<String>,
}

/// Writes a prepared sidecar to its temporary file (not yet durable, not yet in place). Runs on
/// any thread, so that the workers of a corpus-wide run write in parallel.
pub fn stage(p: PreparedSidecar) -> Result<StagedSidecar, SidecarError> {
    let mut batch = BatchWriter::new();
    batch
        .stage(&p.path, p.bytes.as_bytes())
        .map_err(|e| SidecarError::Write {
            path: p.path.clone(),
            message: e.to_string(),
        })?;
    Ok(StagedSidecar {
        batch,
        path: p.path,
        expected_disk_hash: p.expected_disk_hash,
    })
}

/// Staged sidecars waiting to be committed, each with what to do once it is in place.
#[derive(Debug)]
pub struct SidecarQueue<T> {
    batch: BatchWriter,
    /// In staging order: target, hash read, the caller's item.
    staged: Vec<(PathBuf, Option<String>, T)>,
    chunk: usize,
    oldest: Option<Instant>,
}

impl<T> SidecarQueue<T> {
    /// How long a staged sidecar waits at most (a slow source, such as a model command, still
    /// gets its work put in place every few seconds).
    pub const MAX_WAIT: Duration = Duration::from_secs(2);

    /// Commits every `chunk` sidecars.
    pub fn new(chunk: usize) -> Self {
        Self {
            batch: BatchWriter::new(),
            staged: Vec::new(),
            chunk: chunk.max(1),
            oldest: None,
        }
    }

    /// Queues a staged sidecar; returns the items whose sidecars were committed now, with the
    /// outcome of each.
    pub fn push(&mut self, s: StagedSidecar, item: T) -> Vec<(T, Result<(), SidecarError>)> {
        self.batch.append(s.batch);
        self.staged.push((s.path, s.expected_disk_hash, item));
        let oldest = *self.oldest.get_or_insert_with(Instant::now);
        if self.staged.len() >= self.chunk || oldest.elapsed() >= Self::MAX_WAIT {
            self.commit()
        } else {
            Vec::new()
        }
    }

    /// Commits what is staged.
    pub fn commit(&mut self) -> Vec<(T, Result<(), SidecarError>)> {
        self.oldest = None;
        let mut staged = std::mem::take(&mut self.staged);
        let mut batch = std::mem::take(&mut self.batch);
        // Both in folder order, by the same stable sort: they stay in step.
        batch.sort_by_folder();
        staged.sort_by(|a, b| folder_of(&a.0).cmp(folder_of(&b.0)));
        let mut next = 0;
        let outcomes = batch.commit(|target| {
            // Targets come back in staging order.
            let expected = staged.get(next).filter(|(p, _, _)| p == target);
            next += 1;
            match expected {
                Some((path, hash, _)) => still_as_read(path, hash.as_deref()),
                None => Err(SidecarError::Write {
                    path: target.to_path_buf(),
                    message: "internal error: batch out of order".into(),
                }),
            }
        });
        staged
            .into_iter()
            .zip(outcomes)
            .map(|((path, _, item), (_, outcome))| {
                let r = outcome.map_err(|e| match e {
                    CheckedWriteError::Refused(e) => e,
                    CheckedWriteError::Io(e) => SidecarError::Write {
                        path,
                        message: e.to_string(),
                    },
                });
                (item, r)
            })
            .collect()
    }
}

/// Is the sidecar on disk still the one that was read (`None`: there was none)? The file was
/// checked to be ours when it was read and prepared, so the same bytes are still ours. (No file
/// although there was one: someone deleted it; writing loses nothing.)
fn still_as_read(path: &std::path::Path, hash: Option<&str>) -> Result<(), SidecarError> {
    match read_bytes(path)? {
        Some(current) if Some(sha256_hex(&current).as_str()) != hash => {
            Err(SidecarError::ChangedOnDisk {
                path: path.to_path_buf(),
            })
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sidecar::{self, prepare};
    use crate::model::{Annotations, Document, Editor, Schema};

    /// A short article written at `path`, loaded.
    fn article(path: &std::path::Path) -> Document {
        std::fs::write(path, "زار موسكو").unwrap();
        Document::load(path, None).unwrap()
    }

    /// Annotations with one span (موسكو, GPE) on such an article.
    fn one_span(doc: &Document, schema: &Schema) -> Annotations {
        let mut ed = Editor::default();
        ed.add_span(doc, schema, 4..9, "GPE").unwrap();
        ed.annotations().clone()
    }

    #[test]
    fn sidecars_are_committed_in_chunks_and_never_over_a_changed_file() {
        let dir = tempfile::tempdir().unwrap();
        let schema = Schema::builtin();
        let mut queue: SidecarQueue<usize> = SidecarQueue::new(2);
        let docs: Vec<Document> = (0..3)
            .map(|i| article(&dir.path().join(format!("{i}.txt"))))
            .collect();
        let set = one_span(&docs[0], &schema);
        // 2.txt has a sidecar that someone rewrites after it was prepared.
        sidecar::save(&docs[2], "gold", &Annotations::new(), None).unwrap();
        let hash = sidecar::load(&docs[2], "gold").unwrap().disk_hash;
        let staged = |doc: &Document, hash: Option<&str>| {
            stage(prepare(doc, "gold", &set, hash).unwrap()).unwrap()
        };
        assert!(queue.push(staged(&docs[0], None), 0).is_empty());
        let first = queue.push(staged(&docs[1], None), 1);
        assert_eq!(first.len(), 2, "a chunk of two is committed");
        assert!(first.iter().all(|(_, r)| r.is_ok()));
        let p = staged(&docs[2], hash.as_deref());
        let theirs = sidecar::encode(&docs[2], "gold", &set).unwrap() + " ";
        std::fs::write(sidecar::sidecar_path(docs[2].path(), "gold"), &theirs).unwrap();
        assert!(queue.push(p, 2).is_empty());
        let last = queue.commit();
        assert!(matches!(
            last[0],
            (2, Err(SidecarError::ChangedOnDisk { .. }))
        ));
        assert_eq!(
            std::fs::read_to_string(sidecar::sidecar_path(docs[2].path(), "gold")).unwrap(),
            theirs
        );
        assert_eq!(
            sidecar::load(&docs[1], "gold")
                .unwrap()
                .annotations
                .spans()
                .len(),
            1
        );
    }

    #[test]
    fn sidecars_staged_from_two_folders_in_turn_each_get_their_own_outcome() {
        let dir = tempfile::tempdir().unwrap();
        let schema = Schema::builtin();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        // Staged a, b, a, b, a, b (as two workers apart would hand them in); the b folder's
        // second article has a sidecar that changes after it was read.
        let docs: Vec<Document> = (0..6)
            .map(|i| article(&[&a, &b][i % 2].join(format!("{i}.txt"))))
            .collect();
        let set = one_span(&docs[0], &schema);
        sidecar::save(&docs[3], "gold", &Annotations::new(), None).unwrap();
        let hash = sidecar::load(&docs[3], "gold").unwrap().disk_hash;
        let mut queue: SidecarQueue<usize> = SidecarQueue::new(100);
        for (i, doc) in docs.iter().enumerate() {
            let h = if i == 3 { hash.as_deref() } else { None };
            let staged = stage(prepare(doc, "gold", &set, h).unwrap()).unwrap();
            assert!(queue.push(staged, i).is_empty());
        }
        std::fs::write(sidecar::sidecar_path(docs[3].path(), "gold"), "theirs").unwrap();
        let mut outcomes = queue.commit();
        outcomes.sort_by_key(|(i, _)| *i);
        for (i, r) in &outcomes {
            if *i == 3 {
                assert!(
                    matches!(r, Err(SidecarError::ChangedOnDisk { .. })),
                    "{r:?}"
                );
            } else {
                assert!(r.is_ok(), "{i}: {r:?}");
                let spans = sidecar::load(&docs[*i], "gold").unwrap().annotations;
                assert_eq!(spans.spans().len(), 1, "{i}");
            }
        }
        assert_eq!(outcomes.len(), 6);
        assert_eq!(
            std::fs::read_to_string(sidecar::sidecar_path(docs[3].path(), "gold")).unwrap(),
            "theirs"
        );
    }
}
