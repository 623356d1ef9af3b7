//! A file's bytes → its text. UTF-8 is read as it is (a BOM dropped, `\r\n` made `\n`); the
//! other encodings Chinese editors save in (GB18030/GBK, UTF-16) are decoded with a warning
//! that names the encoding, and anything else is an error that says how to convert it. Text
//! is never guessed into mojibake: GB18030 is tried only when the bytes are not UTF-8, decode
//! as GB18030 without a single error, and read as Chinese.

use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE};

/// Text decoded from a file, with a warning when it was not UTF-8.
#[derive(Debug, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub warning: Option<Problem>,
}

/// What is wrong with a file's encoding, and where (1-based; 0 when it is the whole file).
#[derive(Debug, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    pub hint: String,
    pub line: usize,
    pub column: usize,
    /// The offending line, made readable, for the excerpt.
    pub excerpt: Option<String>,
}

impl Problem {
    fn whole_file(message: impl Into<String>, hint: impl Into<String>) -> Problem {
        Problem {
            message: message.into(),
            hint: hint.into(),
            line: 0,
            column: 0,
            excerpt: None,
        }
    }
}

const SAVE_AS_UTF8: &str = "save it as UTF-8 (in most editors: Save As → Encoding → UTF-8)";

pub fn decode(bytes: Vec<u8>) -> Result<Decoded, Problem> {
    if let Some((encoding, bom)) = Encoding::for_bom(&bytes)
        && encoding != encoding_rs::UTF_8
    {
        return decode_utf16(encoding, &bytes[bom..]);
    }
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    match String::from_utf8(bytes) {
        Ok(text) if text.contains('\0') => Err(Problem::whole_file(
            "the file contains NUL bytes: it is UTF-16 text without a byte-order mark, or not text at all",
            SAVE_AS_UTF8,
        )),
        Ok(text) => Ok(Decoded {
            text: normalize_newlines(text),
            warning: None,
        }),
        Err(e) => decode_not_utf8(e.into_bytes()),
    }
}

fn decode_utf16(encoding: &'static Encoding, bytes: &[u8]) -> Result<Decoded, Problem> {
    let endian = if encoding == UTF_16LE {
        "little-endian"
    } else {
        debug_assert_eq!(encoding, UTF_16BE);
        "big-endian"
    };
    match encoding.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => Ok(Decoded {
            text: normalize_newlines(text.into_owned()),
            warning: Some(Problem::whole_file(
                format!("the file is UTF-16 ({endian}) text, not UTF-8; gongdu read it as UTF-16"),
                format!("{SAVE_AS_UTF8} so that every tool reads it the same way"),
            )),
        }),
        None => Err(Problem::whole_file(
            format!("the file starts like UTF-16 ({endian}) text but is not valid UTF-16"),
            SAVE_AS_UTF8,
        )),
    }
}

/// Bytes that are not UTF-8: GB18030 when they are clearly Chinese in it, an error otherwise.
fn decode_not_utf8(bytes: Vec<u8>) -> Result<Decoded, Problem> {
    let (mut valid_non_ascii, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        valid_non_ascii += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    // UTF-8 text with a few damaged bytes: decoding it as GB18030 would garble every
    // Chinese character in it, so point at the damage instead.
    if valid_non_ascii <= invalid
        && let Some(text) = GB18030.decode_without_bom_handling_and_without_replacement(&bytes)
        && looks_chinese(&text)
    {
        return Ok(Decoded {
            text: normalize_newlines(text.into_owned()),
            warning: Some(Problem::whole_file(
                "the file is GB18030/GBK text, not UTF-8; gongdu read it as GB18030",
                "convert it to UTF-8 so that every tool reads it the same way: \
                 iconv -f GB18030 -t UTF-8 old.md > new.md (or Save As → Encoding → UTF-8)",
            )),
        });
    }
    let valid_up_to = match std::str::from_utf8(&bytes) {
        Ok(_) => bytes.len(),
        Err(e) => e.valid_up_to(),
    };
    let before = std::str::from_utf8(&bytes[..valid_up_to]).expect("valid up to here");
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line_end = bytes[valid_up_to..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| valid_up_to + i);
    let excerpt = String::from_utf8_lossy(&bytes[line_start..line_end])
        .trim_end_matches('\r')
        .to_owned();
    Err(Problem {
        message: "the file is not UTF-8 text, and not GB18030/GBK Chinese text either".into(),
        hint:
            "find out how it was saved and convert it: iconv -f GB18030 -t UTF-8 old.md > new.md \
               for GBK, or Save As → Encoding → UTF-8 in an editor"
                .into(),
        line: before.matches('\n').count() + 1,
        column: before[line_start..].chars().count() + 1,
        excerpt: (excerpt.len() <= 400).then_some(excerpt),
    })
}

/// Whether decoded text reads as Chinese: it has Chinese characters, and nearly everything
/// that is not ASCII is Chinese characters or CJK punctuation (text in another encoding
/// decoded as GB18030 comes out as rare symbols, Latin accents and the like).
fn looks_chinese(text: &str) -> bool {
    let (mut han, mut other) = (0usize, 0usize);
    for c in text.chars().filter(|c| !c.is_ascii()) {
        match c as u32 {
            0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0x20000..=0x3134F => han += 1,
            // CJK punctuation, fullwidth forms, general punctuation (“”—…), № and the like.
            0x3000..=0x303F | 0xFF00..=0xFFEF | 0x2010..=0x206F | 0x00B7 | 0x2116 => {}
            _ => other += 1,
        }
    }
    han > 0 && other * 20 <= han
}

fn normalize_newlines(text: String) -> String {
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    };
    if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARTICLE: &str =
        "---\r\ntitle: 新质生产力\r\n---\r\n工人阶级是我国的领导阶级。“劳动光荣”——\r\n";

    fn decoded(bytes: &[u8]) -> (String, Option<String>) {
        let d = decode(bytes.to_vec()).expect("decodes");
        (d.text, d.warning.map(|w| w.message))
    }

    #[test]
    fn bom_and_crlf_read_like_plain_lf() {
        let plain = decoded(b"---\ntitle: x\n---\nbody\n");
        let windows = decoded(b"\xEF\xBB\xBF---\r\ntitle: x\r\n---\r\nbody\r\n");
        assert_eq!(plain, windows);
        assert_eq!(plain.1, None);
    }

    #[test]
    fn each_encoding_is_decoded_or_rejected_with_its_name() {
        let lf = ARTICLE.replace("\r\n", "\n");
        let (gbk, _, _) = GB18030.encode(ARTICLE);
        let utf16le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(ARTICLE.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let utf16be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(ARTICLE.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        let cases: [(&str, &[u8], Option<&str>); 3] = [
            (
                "GB18030",
                &gbk,
                Some("the file is GB18030/GBK text, not UTF-8; gongdu read it as GB18030"),
            ),
            (
                "UTF-16LE",
                &utf16le,
                Some(
                    "the file is UTF-16 (little-endian) text, not UTF-8; gongdu read it as UTF-16",
                ),
            ),
            (
                "UTF-16BE",
                &utf16be,
                Some("the file is UTF-16 (big-endian) text, not UTF-8; gongdu read it as UTF-16"),
            ),
        ];
        for (name, bytes, warning) in cases {
            let (text, got) = decoded(bytes);
            assert_eq!(text, lf, "{name}");
            assert_eq!(got.as_deref(), warning, "{name}");
        }
    }

    #[test]
    fn undecodable_bytes_are_errors_at_the_first_bad_byte() {
        let mut damaged_utf8 = ARTICLE.as_bytes().to_vec();
        let at = ARTICLE.find("我国").expect("text");
        damaged_utf8[at] = 0xFF;
        let latin1 = b"---\ntitle: caf\xE9 au lait\n---\n";
        let utf16_odd = [0xFF, 0xFE, 0x41];
        let cases: [(&str, &[u8], &str, usize, usize); 4] = [
            (
                "UTF-8 with a damaged byte",
                &damaged_utf8,
                "the file is not UTF-8 text, and not GB18030/GBK Chinese text either",
                4,
                6,
            ),
            (
                "Latin-1",
                latin1,
                "the file is not UTF-8 text, and not GB18030/GBK Chinese text either",
                2,
                11,
            ),
            (
                "truncated UTF-16",
                &utf16_odd,
                "the file starts like UTF-16 (little-endian) text but is not valid UTF-16",
                0,
                0,
            ),
            (
                "UTF-16 without a BOM",
                b"t\0i\0t\0l\0e\0",
                "the file contains NUL bytes: it is UTF-16 text without a byte-order mark, or not text at all",
                0,
                0,
            ),
        ];
        for (name, bytes, message, line, column) in cases {
            let p = decode(bytes.to_vec()).expect_err(name);
            assert_eq!(
                (p.message.as_str(), p.line, p.column),
                (message, line, column),
                "{name}"
            );
        }
    }
}
