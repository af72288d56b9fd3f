//! Unsaved work written out when the app hits an internal error (a panic), so that nothing typed
//! is lost: `ARTICLE.ANNOTATOR.hashiya-recovery.json` beside the article, in the sidecar format. It
//! is not a sidecar (nothing reads it as one, a merge or an export never sees it); the next start
//! offers to restore it into the annotator's sidecar, or to discard it.

use std::path::{Path, PathBuf};

use super::annotation::Annotations;
use super::atomic_write::write_atomically;
use super::document::Document;
use super::sidecar::{self, SidecarError};

/// What every recovery file's name ends with.
pub const RECOVERY_SUFFIX: &str = ".hashiya-recovery.json";

/// The recovery file of `annotator`'s work on the article at `text_path`.
pub fn recovery_path(text_path: &Path, annotator: &str) -> PathBuf {
    let name = text_path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    text_path.with_file_name(format!("{name}.{annotator}{RECOVERY_SUFFIX}"))
}

pub fn is_recovery_name(file_name: &str) -> bool {
    file_name.ends_with(RECOVERY_SUFFIX)
}

/// Splits a recovery file's path into (article path, annotator).
pub fn parse_recovery_path(path: &Path) -> Option<(PathBuf, String)> {
    let name = path.file_name()?.to_string_lossy().into_owned();
    let stem = name.strip_suffix(RECOVERY_SUFFIX)?;
    let (article, annotator) = stem.rsplit_once('.')?;
    (sidecar::valid_annotator(annotator) && !article.is_empty())
        .then(|| (path.with_file_name(article), annotator.to_owned()))
}

/// Writes `set` as the recovery file of `annotator`'s work on `doc`.
pub fn write_recovery(
    doc: &Document,
    annotator: &str,
    set: &Annotations,
) -> Result<PathBuf, SidecarError> {
    let path = recovery_path(doc.path(), annotator);
    let bytes = sidecar::encode(doc, annotator, set)?;
    write_atomically(&path, bytes.as_bytes()).map_err(|e| SidecarError::Write {
        path: path.clone(),
        message: e.to_string(),
    })?;
    Ok(path)
}

/// Reads the recovery file of `annotator`'s work on `doc`, if there is one.
pub fn read_recovery(doc: &Document, annotator: &str) -> Result<Option<Annotations>, SidecarError> {
    let path = recovery_path(doc.path(), annotator);
    let Some(bytes) = sidecar::read_bytes(&path)? else {
        return Ok(None);
    };
    let loaded = sidecar::decode(doc, annotator, &path, &bytes)?;
    Ok(Some(loaded.annotations))
}

/// Removes the recovery file (after it was restored and saved, or discarded).
pub fn remove_recovery(text_path: &Path, annotator: &str) -> std::io::Result<()> {
    match std::fs::remove_file(recovery_path(text_path, annotator)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Editor, Schema};

    #[test]
    fn recovery_round_trip_and_names() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "زار الوزير القاهرة").unwrap();
        let doc = Document::load(&path, None).unwrap();
        let mut ed = Editor::default();
        ed.add_span(&doc, &Schema::builtin(), 11..18, "GPE")
            .unwrap();
        let rec = write_recovery(&doc, "layla", ed.annotations()).unwrap();
        assert!(rec.ends_with("a.txt.layla.hashiya-recovery.json"));
        assert!(!sidecar::is_sidecar_name(
            &rec.file_name().unwrap().to_string_lossy()
        ));
        assert_eq!(
            parse_recovery_path(&rec),
            Some((path.clone(), "layla".into()))
        );
        let back = read_recovery(&doc, "layla").unwrap().unwrap();
        assert_eq!(&back, ed.annotations());
        remove_recovery(&path, "layla").unwrap();
        assert!(read_recovery(&doc, "layla").unwrap().is_none());
        let c = crate::model::Corpus::open(dir.path()).unwrap();
        assert_eq!(c.entries.len(), 1);
        assert!(
            c.entries[0].sidecars.is_empty(),
            "a recovery file is not a sidecar"
        );
    }
}
