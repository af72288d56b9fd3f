//! Where an exporter writes: the main output file (appended to as documents come) and whole files
//! beside or inside it. The driver's implementation writes atomically to disk
//! ([`crate::formats::driver`]); [`MemoryOutput`] keeps everything in memory for tests.

use std::io;
use std::path::{Path, PathBuf};

/// One output file of an export, relative to the output path (the main file's path is empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutFile {
    pub path: PathBuf,
    pub content: String,
}

/// The output of an export.
pub trait Output {
    /// Appends to the main output file (file formats).
    fn append(&mut self, bytes: &[u8]) -> io::Result<()>;
    /// A whole file: inside the output folder for folder formats (brat, WebAnno TSV); for file
    /// formats a path like `.labels.json` replaces the main file's extension.
    fn file(&mut self, rel: &Path, bytes: &[u8]) -> io::Result<()>;
}

/// An output kept in memory.
#[derive(Debug, Default)]
pub struct MemoryOutput {
    /// A folder format has no main file.
    folder: bool,
    main: Vec<u8>,
    files: Vec<OutFile>,
}

impl MemoryOutput {
    pub fn new(folder: bool) -> Self {
        Self {
            folder,
            ..Self::default()
        }
    }

    /// The main file (of a file format) first, then the other files in the order written.
    pub fn into_files(self) -> Vec<OutFile> {
        let mut out = Vec::with_capacity(self.files.len() + 1);
        if !self.folder {
            out.push(OutFile {
                path: PathBuf::new(),
                content: String::from_utf8_lossy(&self.main).into_owned(),
            });
        }
        out.extend(self.files);
        out
    }
}

impl Output for MemoryOutput {
    fn append(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.main.extend_from_slice(bytes);
        Ok(())
    }

    fn file(&mut self, rel: &Path, bytes: &[u8]) -> io::Result<()> {
        self.files.push(OutFile {
            path: rel.to_path_buf(),
            content: String::from_utf8_lossy(bytes).into_owned(),
        });
        Ok(())
    }
}
