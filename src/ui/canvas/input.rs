//! The first step of a frame: focus, and the keys, wheel and zoom gestures meant for the canvas.

use egui::{Event, Key, Modifiers, Vec2};

use super::{DocumentCanvas, Placement};

/// What the user asked of the canvas this frame, before it is applied.
pub(super) struct FrameInput {
    /// Zoom factor to apply (1: none; 0: reset to 1).
    pub zoom_delta: f32,
    /// Wheel scroll, points (positive: up the document).
    pub scroll_y: f32,
    /// Keys pressed while the canvas had focus, in order.
    pub keys: Vec<(Key, Modifiers)>,
    /// Alt is held: select at letter precision.
    pub alt: bool,
    pub focused: bool,
}

/// Takes focus on a click or drag, claims the arrows and Escape while focused, and reads the
/// input the canvas uses (consuming the zoom keys and the wheel so nothing else acts on them).
pub(super) fn read(ui: &mut egui::Ui, place: &Placement) -> FrameInput {
    let response = &place.response;
    if response.clicked() || response.drag_started() {
        response.request_focus();
    }
    let hovered = response.hovered() || response.contains_pointer();
    let focused = response.has_focus();
    if focused {
        // Arrows and Escape are ours while focused (egui would move focus with them).
        ui.memory_mut(|m| {
            m.set_focus_lock_filter(
                place.id,
                egui::EventFilter {
                    tab: false,
                    horizontal_arrows: true,
                    vertical_arrows: true,
                    escape: true,
                },
            );
        });
    }
    ui.input_mut(|i| {
        let mut zoom = if hovered { i.zoom_delta() } else { 1.0 };
        let mut keys = Vec::new();
        if focused || hovered {
            if i.consume_key(Modifiers::COMMAND, Key::Plus)
                || i.consume_key(Modifiers::COMMAND, Key::Equals)
            {
                zoom *= 1.1;
            }
            if i.consume_key(Modifiers::COMMAND, Key::Minus) {
                zoom /= 1.1;
            }
            if i.consume_key(Modifiers::COMMAND, Key::Num0) {
                zoom = 0.0; // reset
            }
        }
        if focused {
            for e in &i.events {
                if let Event::Key {
                    key,
                    pressed: true,
                    modifiers,
                    ..
                } = e
                {
                    keys.push((*key, *modifiers));
                }
            }
        }
        let scroll = if hovered && i.modifiers.is_none() {
            i.smooth_scroll_delta.y
        } else if hovered && i.modifiers.shift_only() {
            i.smooth_scroll_delta.y + i.smooth_scroll_delta.x
        } else {
            0.0
        };
        if scroll != 0.0 {
            i.smooth_scroll_delta = Vec2::ZERO; // ours: an enclosing scroll area must not scroll too
        }
        FrameInput {
            zoom_delta: zoom,
            scroll_y: scroll,
            keys,
            alt: i.modifiers.alt,
            focused,
        }
    })
}

impl DocumentCanvas {
    /// Applies a zoom gesture to the settings (0 resets the zoom).
    pub(super) fn apply_zoom(&mut self, zoom_delta: f32) {
        if zoom_delta == 0.0 {
            self.settings.zoom = 1.0;
        } else if (zoom_delta - 1.0).abs() > f32::EPSILON {
            self.settings.zoom = (self.settings.zoom * zoom_delta).clamp(0.3, 6.0);
        }
    }
}
