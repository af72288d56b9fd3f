//! A label for Arabic (or mixed, or emoji) text anywhere outside the document: egui's own text has
//! no bidi and puts Arabic words in the wrong order, so this shapes with cosmic-text and draws
//! from the shared glyph atlas. Layouts are cached, so it is cheap in long lists.

use egui::{Color32, Mesh, Pos2, Rect, Response, Sense, Ui, Vec2, Widget};

use super::canvas::text_engine;

/// A shaped, bidi-correct label. `ui.add(ShapedLabel::new("قال رئيس NASA"))`.
#[derive(Debug, Clone)]
pub struct ShapedLabel<'a> {
    text: &'a str,
    size: Option<f32>,
    color: Option<Color32>,
    max_width: Option<f32>,
    sense: Sense,
}

impl<'a> ShapedLabel<'a> {
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            size: None,
            color: None,
            max_width: None,
            sense: Sense::hover(),
        }
    }

    /// Text size in points (default: the body text style's size × 1.15, as Arabic reads small).
    pub fn size(mut self, points: f32) -> Self {
        self.size = Some(points);
        self
    }

    /// Text color (default: the theme's text color).
    pub fn color(mut self, color: Color32) -> Self {
        self.color = Some(color);
        self
    }

    /// Wrap at this width (default: one line).
    pub fn wrap_width(mut self, points: f32) -> Self {
        self.max_width = Some(points);
        self
    }

    /// Make it clickable (e.g. a list row).
    pub fn sense(mut self, sense: Sense) -> Self {
        self.sense = sense;
        self
    }
}

impl Widget for ShapedLabel<'_> {
    fn ui(self, ui: &mut Ui) -> Response {
        let size = self.size.unwrap_or_else(|| {
            ui.style()
                .text_styles
                .get(&egui::TextStyle::Body)
                .map_or(14.0, |f| f.size)
                * 1.15
        });
        let color = self.color.unwrap_or_else(|| ui.visuals().text_color());
        let engine_arc = text_engine(ui.ctx());
        let mut engine = engine_arc
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let engine = &mut *engine;
        let label = engine
            .labels
            .get(&mut engine.fonts, self.text, size, self.max_width)
            .clone();
        let desired = Vec2::new(label.width(), label.height());
        let (rect, response) = ui.allocate_exact_size(desired, self.sense);
        response.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::Label, ui.is_enabled(), self.text)
        });
        if ui.is_rect_visible(rect) {
            let texture = engine.atlas.texture(ui.ctx());
            let mut mesh = Mesh::with_texture(texture);
            let origin = Pos2::new(rect.min.x - label.x_min, rect.min.y);
            crate::text::render::add_glyphs(
                engine,
                &mut mesh,
                &label.layout.lines,
                origin,
                Rect::EVERYTHING,
                ui.ctx().pixels_per_point(),
                color,
            );
            ui.painter().add(egui::Shape::mesh(mesh));
        }
        response
    }
}
