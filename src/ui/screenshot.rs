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

/// The part of a screenshot under `rect` (in points; `pixels_per_point` pixels each), clamped to
/// the image; `None` when nothing of it is inside.
pub fn crop(
    image: &egui::ColorImage,
    rect: egui::Rect,
    pixels_per_point: f32,
) -> Option<egui::ColorImage> {
    let [w, h] = image.size;
    let px = |v: f32, max: usize| ((v * pixels_per_point).max(0.0) as usize).min(max);
    let (x0, x1) = (px(rect.min.x, w), px(rect.max.x, w));
    let (y0, y1) = (px(rect.min.y, h), px(rect.max.y, h));
    if x1 <= x0 || y1 <= y0 {
        return None;
    }
    let mut pixels = Vec::with_capacity((x1 - x0) * (y1 - y0));
    for row in y0..y1 {
        pixels.extend_from_slice(image.pixels.get(row * w + x0..row * w + x1)?);
    }
    Some(egui::ColorImage::new([x1 - x0, y1 - y0], pixels))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crop_is_clamped_to_the_image() {
        let mut image = egui::ColorImage::new([4, 3], vec![egui::Color32::BLACK; 12]);
        image.pixels[4 + 1] = egui::Color32::RED; // (1, 1)
        let c = crop(
            &image,
            egui::Rect::from_min_max([1.0, 1.0].into(), [10.0, 10.0].into()),
            1.0,
        )
        .unwrap();
        assert_eq!(c.size, [3, 2]);
        assert_eq!(c.pixels[0], egui::Color32::RED);
        let outside = egui::Rect::from_min_max([5.0, 5.0].into(), [9.0, 9.0].into());
        assert!(crop(&image, outside, 1.0).is_none());
        let half = crop(
            &image,
            egui::Rect::from_min_max([0.0, 0.0].into(), [1.0, 1.0].into()),
            2.0,
        )
        .unwrap();
        assert_eq!(half.size, [2, 2]);
    }
}
