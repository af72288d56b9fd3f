//! Writing what the window shows to a PNG (`hashiya PATH --screenshot OUT.png`).

use std::path::Path;

use anyhow::Context as _;

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
