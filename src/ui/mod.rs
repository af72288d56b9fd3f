//! egui + eframe: the annotation workbench, the document canvas, the shaped label.

pub mod canvas;
pub mod screenshot;
pub mod shaped_label;
pub mod workbench;

pub use canvas::{
    CanvasResponse, CanvasSettings, DifferenceKind, DocumentCanvas, Highlight, HighlightStyle,
    Highlights,
};
pub use shaped_label::ShapedLabel;
