//! (in progress)

use std::path::Path;

use super::{
    ExportDoc, ExportOptions, Exporter, Format, FormatError, ImportOptions, Imported, OutFile,
    Report,
};
use crate::model::Schema;

pub struct ClassificationExporter;

impl ClassificationExporter {
    pub fn new(_format: Format, _opts: &ExportOptions) -> Self {
        Self
    }
}

impl Exporter for ClassificationExporter {
    fn add(&mut self, _doc: &ExportDoc, _report: &mut Report) {}
    fn finish(self: Box<Self>, _schema: &Schema, _report: &mut Report) -> Vec<OutFile> {
        Vec::new()
    }
}

pub fn import(
    _format: Format,
    _source: &Path,
    _opts: &ImportOptions,
    _report: &mut Report,
    _progress: &mut dyn FnMut(usize, usize),
) -> Result<Imported, FormatError> {
    Err(FormatError::Usage("not yet".into()))
}
