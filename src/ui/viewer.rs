//! A minimal viewer: `hashiya PATH` opens the first article of PATH in the document canvas, with
//! the spans of its first sidecar. (The annotation workbench replaces this.)
//! `--screenshot OUT.png` writes the first frame with the document shown, then exits.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::{anyhow, Context as _};
use egui::{Color32, ViewportCommand};

use super::canvas::{DocumentCanvas, Highlight, Highlights};
use crate::model::{sidecar, Corpus, Document, ReviewState, Schema};

/// Light or dark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ViewerTheme {
    #[default]
    Light,
    Dark,
}

/// The first article of a file or folder, as the app opens it: its path and the corpus schema.
/// Cheap (lists files); reading the article is separate.
pub fn first_article(path: &Path) -> anyhow::Result<(PathBuf, Schema)> {
    let corpus = Corpus::open(path).map_err(|e| anyhow!("{e}"))?;
    let entry = corpus
        .entries
        .first()
        .ok_or_else(|| anyhow!("{}: no articles (.txt files) here", path.display()))?;
    Ok((entry.path.clone(), corpus.schema))
}

/// The first article of a file or folder, read.
pub fn open_first_article(path: &Path) -> anyhow::Result<(Document, Schema)> {
    let (article, schema) = first_article(path)?;
    let doc = Document::load(&article, None).map_err(|e| anyhow!("{e}"))?;
    Ok((doc, schema))
}

/// Highlights for the spans of the document's first sidecar (rejected spans left out).
pub fn sidecar_highlights(doc: &Document, schema: &Schema) -> Vec<Highlight> {
    let Some((annotator, _)) = sidecar::sidecars_of(doc.path()).into_iter().next() else {
        return Vec::new();
    };
    let Ok(loaded) = sidecar::load(doc, &annotator) else {
        return Vec::new();
    };
    loaded
        .annotations
        .spans()
        .iter()
        .filter(|s| s.review != ReviewState::Rejected)
        .map(|s| {
            let [r, g, b] = schema.color_of(&s.label);
            Highlight {
                pieces: s.pieces(),
                color: Color32::from_rgb(r, g, b),
                tag: s.label.clone(),
                suggested: s.review == ReviewState::Suggested,
                selected: false,
            }
        })
        .collect()
}

struct ViewerApp {
    doc: Document,
    highlights: Highlights,
    canvas: DocumentCanvas,
    screenshot: Option<PathBuf>,
    requested: bool,
    frames: u32,
    result: Arc<Mutex<Option<anyhow::Result<()>>>>,
    started: Instant,
    timing: bool,
}

impl eframe::App for ViewerApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.frames += 1;
        egui::CentralPanel::default()
            .frame(egui::Frame::NONE)
            .show(ui, |ui| {
                let r = self.canvas.show(ui, &self.doc, &self.highlights);
                if r.clicked_char.is_some() {
                    self.highlights.set_selected(r.clicked_highlight);
                }
            });
        if let Some(out) = self.screenshot.clone() {
            // The shot is of the first frame, which shows the document.
            if !self.requested {
                self.requested = true;
                let result = Arc::clone(&self.result);
                let ctx2 = ctx.clone();
                let (started, timing) = (self.started, self.timing);
                if timing {
                    eprintln!("timing: first frame built at {:?}", started.elapsed());
                }
                ctx.request_screenshot(move |image| {
                    let r = write_png(&out, &image);
                    if timing {
                        eprintln!("timing: PNG written at {:?}", started.elapsed());
                    }
                    if r.is_ok() {
                        // Nothing else to do or save in screenshot mode: skip the window teardown.
                        std::process::exit(0);
                    }
                    if let Ok(mut slot) = result.lock() {
                        *slot = Some(r);
                    }
                    ctx2.send_viewport_cmd(ViewportCommand::Close);
                    ctx2.request_repaint();
                });
            }
            ctx.request_repaint();
        }
    }
}

/// Writes an egui image as an RGBA PNG.
pub fn write_png(path: &Path, image: &egui::ColorImage) -> anyhow::Result<()> {
    let file = std::fs::File::create(path).with_context(|| format!("{}", path.display()))?;
    let [w, h] = image.size;
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), w as u32, h as u32);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder
        .write_header()
        .with_context(|| format!("{}", path.display()))?;
    let bytes: Vec<u8> = image
        .pixels
        .iter()
        .flat_map(|p| p.to_srgba_unmultiplied())
        .collect();
    writer
        .write_image_data(&bytes)
        .with_context(|| format!("{}", path.display()))?;
    writer
        .finish()
        .with_context(|| format!("{}", path.display()))?;
    Ok(())
}

/// Opens the window (or, with `screenshot`, renders one frame to that PNG and exits).
pub fn run_viewer(
    path: &Path,
    screenshot: Option<PathBuf>,
    theme: ViewerTheme,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let timing = std::env::var_os("HASHIYA_TIMING").is_some();
    // Read and index the article while the window and GL context are being created.
    let (article, schema) = first_article(path)?;
    let loader = std::thread::spawn(move || -> anyhow::Result<(Document, Highlights)> {
        let doc = Document::load(&article, None).map_err(|e| anyhow!("{e}"))?;
        let highlights = Highlights::new(sidecar_highlights(&doc, &schema));
        Ok((doc, highlights))
    });
    let title = format!("Hashiya — {}", path.display());
    let result = Arc::new(Mutex::new(None));
    let result_for_app = Arc::clone(&result);
    let shot = screenshot.clone();
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_inner_size([960.0, 720.0])
            .with_title(title),
        renderer: eframe::Renderer::Glow,
        persist_window: false,
        ..Default::default()
    };
    eframe::run_native(
        "hashiya",
        options,
        Box::new(move |cc| {
            if timing {
                eprintln!("timing: window ready at {:?}", started.elapsed());
            }
            cc.egui_ctx.options_mut(|o| o.zoom_with_keyboard = false);
            cc.egui_ctx.set_theme(match theme {
                ViewerTheme::Light => egui::Theme::Light,
                ViewerTheme::Dark => egui::Theme::Dark,
            });
            let (doc, highlights) = loader
                .join()
                .map_err(|_| anyhow!("reading the article failed"))??;
            if timing {
                eprintln!("timing: article loaded at {:?}", started.elapsed());
            }
            Ok(Box::new(ViewerApp {
                doc,
                highlights,
                canvas: DocumentCanvas::new(),
                screenshot: shot,
                requested: false,
                frames: 0,
                result: result_for_app,
                started,
                timing,
            }))
        }),
    )
    .map_err(|e| anyhow!("{e}"))?;
    if screenshot.is_some() {
        let r = result.lock().ok().and_then(|mut s| s.take());
        return r
            .unwrap_or_else(|| Err(anyhow!("the window closed before the screenshot was taken")));
    }
    Ok(())
}
