//! Damage: mojibake, lost symbols, OCR look-alikes and truncation. A repair is made only when
//! it is proved: the suspicious run of a line, encoded back with the encoding that misread
//! it (windows-1252 or GB18030), must be valid UTF-8 that reads as Chinese. Anything else is
//! flagged at its line for the editor; nothing is guessed.

use encoding_rs::{Encoding, GB18030, WINDOWS_1252};

use super::script::is_han;

/// A proved repair of one line.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Mended {
    pub text: String,
    pub how: &'static str,
    pub from: String,
    pub to: String,
}

/// Repairs the first run of mojibake in `line` that can be proved, if any.
pub(super) fn mend(line: &str) -> Option<Mended> {
    let latin = runs(line, is_latin_misread)
        .into_iter()
        .map(|r| (r, WINDOWS_1252, "UTF-8 read as windows-1252"));
    let wide = runs(line, |c| !c.is_ascii() && c != '\u{3000}')
        .into_iter()
        .map(|r| (r, GB18030, "UTF-8 read as GB18030"));
    latin.chain(wide).find_map(|((start, end), encoding, how)| {
        let run = &line[start..end];
        let to = reread(run, encoding)?;
        Some(Mended {
            text: format!("{}{to}{}", &line[..start], &line[end..]),
            how,
            from: run.to_owned(),
            to,
        })
    })
}

/// Latin-1 letters and the windows-1252 symbols that UTF-8 Chinese turns into when misread.
fn is_latin_misread(c: char) -> bool {
    matches!(c as u32, 0x80..=0xFF) || "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ".contains(c)
}

/// Characters encoded first to rule a run out.
const PREFIX_CHARS: usize = 6;

/// `run` encoded back with `encoding`, decoded as UTF-8: the repair when it is exact and
/// Chinese (at least two characters, most of them Han).
fn reread(run: &str, encoding: &'static Encoding) -> Option<String> {
    if run.chars().count() < 3 {
        return None;
    }
    // Nearly every run is honest Chinese, whose bytes in the other encoding stop being UTF-8
    // within the first characters: reject on a prefix before encoding the whole run (the
    // GB18030 encoder was a third of an import's time).
    let head = run
        .char_indices()
        .nth(PREFIX_CHARS)
        .map_or(run, |(i, _)| &run[..i]);
    let (bytes, _, _) = encoding.encode(head);
    if std::str::from_utf8(&bytes).is_err_and(|e| e.error_len().is_some()) {
        return None;
    }
    let (bytes, _, unmappable) = encoding.encode(run);
    if unmappable {
        return None;
    }
    let text = std::str::from_utf8(&bytes).ok()?;
    let han = text.chars().filter(|&c| is_han(c)).count();
    (text != run && han >= 2 && han * 2 >= text.chars().count()).then(|| text.to_owned())
}

/// Byte ranges of the maximal runs of characters that satisfy `keep`.
fn runs(line: &str, keep: impl Fn(char) -> bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in line.char_indices() {
        match (keep(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, line.len()));
    }
    out
}

/// What is wrong with a line that cannot be repaired, for the editor.
pub(super) fn flags(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    if line.contains('\u{FFFD}') {
        out.push(
            "bytes that could not be decoded (shown as �): a symbol or character is lost"
                .to_owned(),
        );
    }
    if line.contains('□') {
        out.push("`□` stands for a character the source could not show".to_owned());
    }
    let chars: Vec<char> = line.chars().collect();
    for w in chars.windows(3) {
        if is_han(w[0]) && is_han(w[2]) && w[1] == '?' {
            out.push(format!(
                "`{}?{}`: a lost character shown as `?`",
                w[0], w[2]
            ));
        }
        if is_han(w[0]) && is_han(w[2]) && matches!(w[1], 'O' | 'o' | 'l' | 'I' | '0' | '1') {
            out.push(format!("`{}{}{}`: a Latin letter or digit between Chinese characters, maybe an OCR look-alike", w[0], w[1], w[2]));
        }
    }
    let latin = chars.iter().filter(|&&c| is_latin_misread(c)).count();
    if latin >= 4 && latin * 3 >= chars.len() {
        out.push(
            "looks like mojibake that could not be decoded back; compare with the source"
                .to_owned(),
        );
    }
    if line.trim_end().ends_with("...") {
        out.push("ends with `...`: the paragraph may be cut short".to_owned());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mojibake_is_repaired_when_the_bytes_prove_it() {
        let bytes = "工会组织开展活动，".as_bytes();
        let (latin, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
        let m = mend(&format!("　　{latin}")).expect("windows-1252");
        assert_eq!(m.text, "　　工会组织开展活动，");
        let (gbk, _) = GB18030.decode_without_bom_handling("劳动模范讲述成长故事".as_bytes());
        assert_eq!(mend(&gbk).expect("GB18030").to, "劳动模范讲述成长故事");
    }

    #[test]
    fn good_text_is_never_repaired() {
        for line in [
            "劳动模范讲述成长故事。",
            "café au lait",
            "职工书屋（2024年）",
        ] {
            assert_eq!(mend(line), None, "{line}");
        }
    }
}
