//! Typography: half-width `,` `:` `;` `!` `?` `.` `(` `)` next to Chinese text become
//! full-width, straight quotes are paired as “ ” and ‘ ’, and `...` becomes `……`. Numbers
//! (`1,000`, `10:30`), URLs and Latin text keep their own punctuation.

use super::script::is_chinese;

/// The paragraph with Chinese punctuation, and how many marks changed.
pub(super) fn punctuate(text: &str) -> (String, usize) {
    if !text.chars().any(is_chinese) {
        return (text.to_owned(), 0);
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut changed = 0;
    let (mut double_open, mut single_open) = (false, false);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        // What is already written, so `’.` after a converted quote still reads as Chinese.
        let prev = out.chars().next_back();
        let next = chars.get(i + 1).copied();
        let dots = chars[i..].iter().take_while(|&&d| d == '.').count();
        if dots >= 3 || chars[i..].starts_with(&['。', '。', '。']) {
            let n = if dots >= 3 { dots } else { 3 };
            out.push_str("……");
            changed += 1;
            i += n;
            continue;
        }
        let near = prev.is_some_and(is_chinese) || next.is_some_and(is_chinese);
        let digits =
            prev.is_some_and(|p| p.is_ascii_digit()) && next.is_some_and(|n| n.is_ascii_digit());
        let wide = match c {
            ',' if near && !digits => Some('，'),
            ':' if near && !digits && next != Some('/') => Some('：'),
            ';' if near => Some('；'),
            '!' if near => Some('！'),
            '?' if prev.is_some_and(is_chinese) && !next.is_some_and(super::script::is_han) => {
                Some('？')
            }
            '.' if prev.is_some_and(is_chinese) && !digits => Some('。'),
            '(' => closing_paren(&chars, i)
                .filter(|&end| chars[i + 1..end].iter().any(|&c| is_chinese(c)))
                .map(|_| '（'),
            ')' => opening_paren(&chars, i)
                .filter(|&start| chars[start + 1..i].iter().any(|&c| is_chinese(c)))
                .map(|_| '）'),
            '"' => {
                double_open = !double_open;
                Some(if double_open { '“' } else { '”' })
            }
            '\'' if !(prev.is_some_and(|p| p.is_ascii_alphabetic())
                && next.is_some_and(|n| n.is_ascii_alphabetic())) =>
            {
                single_open = !single_open;
                Some(if single_open { '‘' } else { '’' })
            }
            _ => None,
        };
        match wide {
            Some(w) => {
                out.push(w);
                changed += 1;
            }
            None => out.push(c),
        }
        i += 1;
    }
    (out, changed)
}

fn closing_paren(chars: &[char], open: usize) -> Option<usize> {
    chars[open + 1..]
        .iter()
        .position(|&c| c == ')')
        .map(|n| open + 1 + n)
}

fn opening_paren(chars: &[char], close: usize) -> Option<usize> {
    chars[..close].iter().rposition(|&c| c == '(')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_text_gets_chinese_punctuation() {
        let (t, n) = punctuate(
            "面积不一定大,但要实用:有休息区;职工说:\"我们要的是'用得上'.\"值得深思!经费要公开...",
        );
        assert_eq!(
            t,
            "面积不一定大，但要实用：有休息区；职工说：“我们要的是‘用得上’。”值得深思！经费要公开……"
        );
        assert_eq!(n, 11);
    }

    #[test]
    fn numbers_latin_and_real_parentheses_keep_theirs() {
        let text = "参赛职工1,000人次，10:30开始，人工智能(AI)，见https://example.org/a.html";
        assert_eq!(punctuate(text).0, text);
        assert_eq!(
            punctuate("问需于职工(包括一线班组)").0,
            "问需于职工（包括一线班组）"
        );
    }
}
