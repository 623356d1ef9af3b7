//! The 48×48 PNG that Kiwix shows beside the book in its library: the site's logo scaled down
//! when there is one, else a mark drawn from the title. Rendering the Chinese title as text
//! would need a CJK font, and fonts differ between machines (so would the bytes); the drawn
//! mark is a 工 (the 工 of 工读) on a rounded square whose colour comes from the title, so
//! sites are told apart and the output is the same everywhere.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, RgbaImage, imageops::FilterType};

/// Side of the illustration Kiwix requires, in pixels.
const SIDE: u32 = 48;

/// The PNG bytes for a site titled `title`.
pub(crate) fn render(title: &str) -> Vec<u8> {
    let [r, g, b] = colour(title);
    let mark = RgbaImage::from_fn(SIDE, SIDE, |x, y| {
        image::Rgba(if !inside_rounded_square(x, y) {
            [0, 0, 0, 0]
        } else if in_glyph(x, y) {
            [255, 255, 255, 255]
        } else {
            [r, g, b, 255]
        })
    });
    encode(mark).expect("encoding a 48×48 image into memory cannot fail")
}

/// The logo (a PNG of any size) fitted into 48×48 without distortion, centred on a transparent
/// square. Decoding and resampling are the `image` crate's.
pub(crate) fn from_logo(png: &[u8]) -> Result<Vec<u8>, image::ImageError> {
    let logo = image::load_from_memory_with_format(png, ImageFormat::Png)?;
    let fitted = logo.resize(SIDE, SIDE, FilterType::Lanczos3).to_rgba8();
    let mut canvas = RgbaImage::new(SIDE, SIDE);
    let x = i64::from((SIDE - fitted.width()) / 2);
    let y = i64::from((SIDE - fitted.height()) / 2);
    image::imageops::overlay(&mut canvas, &fitted, x, y);
    encode(canvas)
}

fn encode(icon: RgbaImage) -> Result<Vec<u8>, image::ImageError> {
    let mut out = Vec::new();
    DynamicImage::ImageRgba8(icon).write_to(&mut Cursor::new(&mut out), ImageFormat::Png)?;
    Ok(out)
}

/// A dark, saturated colour (white stays readable on it) picked by the title's bytes.
fn colour(title: &str) -> [u8; 3] {
    const PALETTE: [[u8; 3]; 6] = [
        [0xB3, 0x26, 0x1E],
        [0x8E, 0x24, 0x4D],
        [0x1F, 0x5F, 0x8B],
        [0x2E, 0x6B, 0x3A],
        [0x7A, 0x4A, 0x12],
        [0x4B, 0x3A, 0x8F],
    ];
    let sum = title
        .bytes()
        .fold(0usize, |acc, b| acc.wrapping_mul(31).wrapping_add(b.into()));
    PALETTE[sum % PALETTE.len()]
}

fn inside_rounded_square(x: u32, y: u32) -> bool {
    const RADIUS: i64 = 9;
    let (x, y) = (i64::from(x), i64::from(y));
    let max = i64::from(SIDE) - 1;
    let cx = x.clamp(RADIUS, max - RADIUS);
    let cy = y.clamp(RADIUS, max - RADIUS);
    (x - cx).pow(2) + (y - cy).pow(2) <= RADIUS * RADIUS
}

/// 工: a top bar, a stem, and a wider bottom bar.
fn in_glyph(x: u32, y: u32) -> bool {
    let top = (12..=35).contains(&x) && (10..=14).contains(&y);
    let stem = (21..=26).contains(&x) && (10..=37).contains(&y);
    let bottom = (8..=39).contains(&x) && (33..=37).contains(&y);
    top || stem || bottom
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_illustration_is_a_48_pixel_png() {
        let bytes = render("工读 · 职工理论学习知识库");
        let icon = image::load_from_memory(&bytes).expect("a PNG");
        assert_eq!((icon.width(), icon.height()), (48, 48));
        assert_eq!(bytes, render("工读 · 职工理论学习知识库"));
    }

    #[test]
    fn a_logo_is_fitted_into_48_pixels_without_distortion() {
        // A 200×100 red logo: scaled to 48×24, centred, transparent above and below.
        let logo = RgbaImage::from_pixel(200, 100, image::Rgba([200, 0, 0, 255]));
        let mut png = Vec::new();
        DynamicImage::ImageRgba8(logo)
            .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
            .expect("encode");
        let icon = image::load_from_memory(&from_logo(&png).expect("fits"))
            .expect("a PNG")
            .to_rgba8();
        assert_eq!(icon.dimensions(), (48, 48));
        assert_eq!(icon.get_pixel(24, 24).0, [200, 0, 0, 255]);
        assert_eq!(icon.get_pixel(24, 2).0[3], 0, "transparent above");
        assert_eq!(icon.get_pixel(24, 45).0[3], 0, "transparent below");
        assert!(from_logo(b"not a png").is_err());
    }
}
