//! Laid-out lines → textured egui mesh (the engine's drawing boundary).

use egui::{Color32, Mesh, Pos2, Rect, Vec2};

use super::layout::VisualLine;
use super::TextEngine;

/// Adds the glyphs of `lines` to `mesh` (whose texture must be the atlas texture), with the
/// lines' origin (the chunk's top-left) at `origin_in_ui`. The origin is snapped to the pixel grid
/// so glyph rasterizations are reused while scrolling.
pub fn add_glyphs(
    engine: &mut TextEngine,
    mesh: &mut Mesh,
    lines: &[VisualLine],
    origin_in_ui: Pos2,
    clip_in_ui: Rect,
    pixels_per_point: f32,
    color: Color32,
) {
    let ppp = pixels_per_point.max(0.1);
    let origin_px = (
        (origin_in_ui.x * ppp).round(),
        (origin_in_ui.y * ppp).round(),
    );
    for line in lines {
        let top_in_ui = origin_px.1 / ppp + line.top;
        if top_in_ui > clip_in_ui.max.y || top_in_ui + line.height < clip_in_ui.min.y {
            continue;
        }
        for g in &line.glyphs {
            let phys = g.physical((origin_px.0, origin_px.1 + line.baseline * ppp), ppp);
            let Some(a) = engine.atlas.glyph(&mut engine.fonts, phys.cache_key) else {
                continue;
            };
            let min = Pos2::new(
                (phys.x + a.left_px) as f32 / ppp,
                (phys.y - a.top_px) as f32 / ppp,
            );
            let rect = Rect::from_min_size(
                min,
                Vec2::new(a.width_px as f32 / ppp, a.height_px as f32 / ppp),
            );
            let tint = if a.is_color { Color32::WHITE } else { color };
            mesh.add_rect_with_uv(rect, a.uv, tint);
        }
    }
}
