//! egui + eframe: the document canvas, the shaped label, the viewer window.

pub mod canvas;
pub mod shaped_label;
pub mod viewer;

pub use canvas::{CanvasResponse, CanvasSettings, DocumentCanvas, Highlight, Highlights};
pub use shaped_label::ShapedLabel;
