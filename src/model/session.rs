//! One open document in the workbench: the article, one annotator's annotations with undo, and
//! what is on disk — so that saving never clobbers a file that changed under us, and a sidecar that
//! cannot be read opens read-only instead of being replaced.

use std::path::{Path, PathBuf};

use super::anchor::AnchorIssue;
use super::decode::TextEncoding;
use super::document::{sha256_hex, Document, DocumentError};
use super::edit::Editor;
use super::layers::{load_layers, Layer};
use super::sidecar::{self, sidecar_path, SidecarError};

#[derive(Debug)]
pub struct DocumentSession {
    pub doc: Document,
    pub annotator: String,
    pub editor: Editor,
    /// Why the document cannot be edited (its sidecar cannot be read), if so.
    pub read_only: Option<String>,
    /// Spans that moved or could not be placed when the sidecar was read.
    pub load_issues: Vec<AnchorIssue>,
    /// The other sidecars of the article (colleagues, `model`, imported data, `gold`), read-only.
    pub layers: Vec<Layer>,
    /// Hash of the sidecar's bytes as last read or written (`None`: no file).
    disk_hash: Option<String>,
    /// Size and modification time of the file when last read or written, to skip re-reading an
    /// unchanged file.
    disk_meta: Option<(u64, std::time::SystemTime)>,
    saved_revision: u64,
}

/// A save prepared on the UI thread, to be written on another one.
#[derive(Debug, Clone)]
pub struct PendingSave {
    doc: Document,
    annotator: String,
    annotations: super::annotation::Annotations,
    expected_disk_hash: Option<String>,
    revision: u64,
}

/// What a [`PendingSave`] did.
#[derive(Debug)]
pub struct SaveDone {
    revision: u64,
    pub result: Result<String, SidecarError>,
}

impl PendingSave {
    /// Encodes and writes the sidecar (atomically, never over a file that changed on disk).
    pub fn run(self) -> SaveDone {
        SaveDone {
            revision: self.revision,
            result: sidecar::save(
                &self.doc,
                &self.annotator,
                &self.annotations,
                self.expected_disk_hash.as_deref(),
            ),
        }
    }

    /// The status and counts the saved file has, for the document list (no need to read it back).
    pub fn summary(&self) -> sidecar::SidecarSummary {
        sidecar::SidecarSummary::of(&self.annotations)
    }
}

/// What the file on disk looks like compared with what we last read or wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiskState {
    Unchanged,
    /// Someone else wrote it (or created it).
    Changed,
    /// It was there and is gone.
    Deleted,
}

impl DocumentSession {
    /// Opens an article with `annotator`'s sidecar. A sidecar that cannot be used (corrupt, newer,
    /// foreign, another text's) opens the article read-only, with the reason.
    pub fn open(
        path: &Path,
        annotator: &str,
        encoding: Option<TextEncoding>,
    ) -> Result<Self, DocumentError> {
        let doc = Document::load(path, encoding)?;
        Ok(Self::with_document(doc, annotator))
    }

    pub fn with_document(doc: Document, annotator: &str) -> Self {
        // The canvas lays out by paragraph: built here, where a document is opened (on the
        // loading thread), not on the first frame that shows it.
        doc.paragraphs();
        let (editor, read_only, load_issues, disk_hash) = match sidecar::load(&doc, annotator) {
            Ok(loaded) => (
                Editor::new(loaded.annotations),
                None,
                loaded.issues,
                loaded.disk_hash,
            ),
            Err(e) => {
                let hash = sidecar::read_bytes(&sidecar_path(doc.path(), annotator))
                    .ok()
                    .flatten()
                    .map(|b| sha256_hex(&b));
                (Editor::default(), Some(e.to_string()), Vec::new(), hash)
            }
        };
        Self {
            layers: load_layers(&doc, annotator),
            doc,
            annotator: annotator.to_owned(),
            editor,
            read_only,
            load_issues,
            disk_hash,
            disk_meta: None,
            saved_revision: 0,
        }
        .with_disk_meta()
    }

    /// The article for reading only (no annotator chosen yet): `why` says so to the user.
    pub fn viewer(doc: Document, why: &str) -> Self {
        doc.paragraphs();
        Self {
            layers: load_layers(&doc, ""),
            doc,
            annotator: String::new(),
            editor: Editor::default(),
            read_only: Some(why.to_owned()),
            load_issues: Vec::new(),
            disk_hash: None,
            disk_meta: None,
            saved_revision: 0,
        }
    }

    /// Reads the other layers again (after they changed on disk).
    pub fn reload_layers(&mut self) {
        self.layers = load_layers(&self.doc, &self.annotator);
    }

    pub fn layer(&self, annotator: &str) -> Option<&Layer> {
        self.layers.iter().find(|l| l.annotator == annotator)
    }

    /// Is this a [`DocumentSession::viewer`] (no annotator)?
    pub fn is_viewer(&self) -> bool {
        self.annotator.is_empty()
    }

    /// The hash of the sidecar's bytes on disk now (`None`: no file, or it cannot be read).
    pub fn current_disk_hash(&self) -> Option<String> {
        sidecar::read_bytes(&self.sidecar_path())
            .ok()
            .flatten()
            .map(|b| sha256_hex(&b))
    }

    fn with_disk_meta(mut self) -> Self {
        self.disk_meta = self.read_disk_meta();
        self
    }

    fn read_disk_meta(&self) -> Option<(u64, std::time::SystemTime)> {
        let m = std::fs::metadata(self.sidecar_path()).ok()?;
        Some((m.len(), m.modified().ok()?))
    }

    pub fn sidecar_path(&self) -> PathBuf {
        sidecar_path(self.doc.path(), &self.annotator)
    }

    /// Are there changes not yet written?
    pub fn is_dirty(&self) -> bool {
        self.read_only.is_none() && self.editor.revision() != self.saved_revision
    }

    /// Writes the sidecar if there are changes. Refuses (and writes nothing) if the file changed on
    /// disk since it was read: the caller asks the user.
    pub fn save(&mut self) -> Result<bool, SidecarError> {
        match self.begin_save() {
            None => Ok(false),
            Some(pending) => {
                let done = pending.run();
                self.finish_save(done).map(|()| true)
            }
        }
    }

    /// What a save of the current changes needs, to run on another thread ([`PendingSave::run`]);
    /// `None` when there is nothing to save. Edits made while it runs stay unsaved.
    pub fn begin_save(&self) -> Option<PendingSave> {
        self.is_dirty().then(|| PendingSave {
            doc: self.doc.clone(),
            annotator: self.annotator.clone(),
            annotations: self.editor.annotations().clone(),
            expected_disk_hash: self.disk_hash.clone(),
            revision: self.editor.revision(),
        })
    }

    /// Takes the outcome of a save begun with [`DocumentSession::begin_save`].
    pub fn finish_save(&mut self, done: SaveDone) -> Result<(), SidecarError> {
        let hash = done.result?;
        self.disk_hash = Some(hash);
        self.disk_meta = self.read_disk_meta();
        self.saved_revision = done.revision;
        Ok(())
    }

    /// Replaces the annotations with `set` (e.g. restored from a recovery file) as one undoable
    /// change; they are unsaved until the next save.
    pub fn restore(&mut self, set: super::annotation::Annotations) {
        self.editor.replace_all(set);
    }

    /// Compares the file on disk with what we last read or wrote.
    pub fn disk_state(&self) -> DiskState {
        if self.disk_meta.is_some() && self.read_disk_meta() == self.disk_meta {
            return DiskState::Unchanged;
        }
        match sidecar::read_bytes(&self.sidecar_path()) {
            Ok(Some(bytes)) => {
                if Some(sha256_hex(&bytes)) == self.disk_hash {
                    DiskState::Unchanged
                } else {
                    DiskState::Changed
                }
            }
            // Something that cannot be read (a FIFO, a huge file) took its place.
            Err(_) => DiskState::Changed,
            Ok(None) if self.disk_hash.is_some() => DiskState::Deleted,
            Ok(None) => DiskState::Unchanged,
        }
    }

    /// The file on disk is gone and we had nothing unsaved: the next save writes a new one.
    pub fn forget_disk_file(&mut self) {
        self.disk_hash = None;
        self.disk_meta = None;
    }

    /// Drops our changes and takes what is on disk.
    pub fn reload_from_disk(&mut self) {
        let doc = self.doc.clone();
        *self = Self::with_document(doc, &self.annotator.clone());
    }

    /// Keeps our version: writes it over the file on disk, which must still be a readable sidecar
    /// of this article (anything else is never overwritten).
    pub fn overwrite_disk(&mut self) -> Result<(), SidecarError> {
        self.take_over_disk()?;
        self.save().map(|_| ())
    }

    /// Makes the next save write over the file on disk as it is now (it must still be a readable
    /// sidecar of this article): "keep mine" in a conflict.
    pub fn take_over_disk(&mut self) -> Result<(), SidecarError> {
        let path = self.sidecar_path();
        let current = sidecar::read_bytes(&path)?;
        if let Some(bytes) = &current {
            sidecar::check_ours(&self.doc, &self.annotator, &path, bytes)?;
        }
        self.disk_hash = current.map(|b| sha256_hex(&b));
        self.disk_meta = self.read_disk_meta();
        self.saved_revision = u64::MAX; // force a write
        Ok(())
    }

    /// Writes our version under another annotator name (`NAME-conflict`, `NAME-conflict2`, ...)
    /// beside the article, leaving the changed file alone. Returns the new file.
    pub fn save_copy(&self) -> Result<PathBuf, SidecarError> {
        // Annotator names are at most 64 chars; leave room for the suffix.
        let base: String = self.annotator.chars().take(50).collect();
        for n in 1..100 {
            let name = if n == 1 {
                format!("{base}-conflict")
            } else {
                format!("{base}-conflict{n}")
            };
            let path = sidecar_path(self.doc.path(), &name);
            if !path.exists() {
                sidecar::save(&self.doc, &name, self.editor.annotations(), None)?;
                return Ok(path);
            }
        }
        Err(SidecarError::Write {
            path: self.sidecar_path(),
            message: "too many conflict copies already".into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Schema;

    #[test]
    fn save_only_when_dirty_and_never_over_a_changed_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "زار الوزير القاهرة").unwrap();
        let mut s = DocumentSession::open(&path, "layla", None).unwrap();
        assert!(!s.save().unwrap(), "nothing to save");
        assert!(!s.sidecar_path().exists());
        let schema = Schema::builtin();
        s.editor
            .add_span(&s.doc.clone(), &schema, 11..18, "GPE")
            .unwrap();
        assert!(s.is_dirty());
        assert!(s.save().unwrap());
        assert!(!s.is_dirty());
        assert_eq!(s.disk_state(), DiskState::Unchanged);

        // Another program rewrites the sidecar.
        let theirs = std::fs::read_to_string(s.sidecar_path())
            .unwrap()
            .replace("\"new\"", "\"finished\"");
        std::fs::write(s.sidecar_path(), &theirs).unwrap();
        assert_eq!(s.disk_state(), DiskState::Changed);
        s.editor
            .add_span(&s.doc.clone(), &schema, 4..10, "PER")
            .unwrap();
        assert!(matches!(s.save(), Err(SidecarError::ChangedOnDisk { .. })));
        assert_eq!(std::fs::read_to_string(s.sidecar_path()).unwrap(), theirs);
        // The user keeps a copy of theirs... no: saves a copy of ours, then takes theirs.
        let copy = s.save_copy().unwrap();
        assert!(copy
            .to_string_lossy()
            .ends_with("a.txt.layla-conflict.hashiya.json"));
        s.reload_from_disk();
        assert_eq!(s.editor.annotations().spans().len(), 1);
        assert_eq!(
            s.editor.annotations().status,
            crate::model::DocStatus::Finished
        );
    }

    #[test]
    fn an_unreadable_sidecar_opens_read_only_and_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "زار الوزير القاهرة").unwrap();
        std::fs::write(sidecar_path(&path, "layla"), "{ not json").unwrap();
        let mut s = DocumentSession::open(&path, "layla", None).unwrap();
        assert!(s.read_only.as_deref().unwrap().contains("corrupt sidecar"));
        assert!(!s.is_dirty());
        assert!(s.overwrite_disk().is_err());
        assert_eq!(
            std::fs::read_to_string(sidecar_path(&path, "layla")).unwrap(),
            "{ not json"
        );
    }
}
