//! The 48×48 PNG that Kiwix shows beside the book in its library. Rendering the site's
//! Chinese title would need a CJK font and a rasteriser, and fonts differ between machines
//! (so would the bytes); instead a 工 (the 工 of 工读) is drawn from three bars on a rounded
//! square whose colour comes from the title, so sites are told apart and output is stable.

/// Side of the illustration Kiwix requires, in pixels.
const SIDE: u32 = 48;

/// The PNG bytes for a site titled `title`.
pub(crate) fn render(title: &str) -> Vec<u8> {
    let background = colour(title);
    let mut rgba = Vec::with_capacity((SIDE * SIDE * 4) as usize);
    for y in 0..SIDE {
        for x in 0..SIDE {
            let pixel = if !inside_rounded_square(x, y) {
                [0, 0, 0, 0]
            } else if in_glyph(x, y) {
                [255, 255, 255, 255]
            } else {
                [background[0], background[1], background[2], 255]
            };
            rgba.extend_from_slice(&pixel);
        }
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, SIDE, SIDE);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder
        .write_header()
        .expect("writing a PNG header to memory cannot fail");
    writer
        .write_image_data(&rgba)
        .expect("the pixel buffer has exactly 48×48 RGBA pixels");
    writer
        .finish()
        .expect("finishing a PNG in memory cannot fail");
    out
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
        let decoder = png::Decoder::new(std::io::Cursor::new(&bytes));
        let reader = decoder.read_info().expect("a PNG");
        assert_eq!((reader.info().width, reader.info().height), (48, 48));
        assert_eq!(bytes, render("工读 · 职工理论学习知识库"));
    }
}
