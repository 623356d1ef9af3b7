//! The words around a spam token that tell what it displaced: titles that follow a person's
//! name, byline labels that precede one, common surnames, and sentence boundaries. Pure
//! lookups over a line of text; `tokens` and `restore` decide with them.

/// Titles and forms of address written right after a person's name, longest first so that
/// 总书记 is not read as 书记.
pub(crate) const TITLES: &[&str] = &[
    "副委员长",
    "委员长",
    "总书记",
    "副主席",
    "副总理",
    "主席",
    "总理",
    "同志",
    "书记",
    "部长",
    "省长",
    "市长",
    "院士",
    "教授",
    "先生",
    "女士",
];

/// Labels that open a byline, longest first.
pub(crate) const BYLINE_LABELS: &[&str] = &[
    "本报记者",
    "责任编辑",
    "特约记者",
    "通讯员",
    "作者",
    "记者",
    "编辑",
    "责编",
    "撰稿",
    "摄影",
    "文/",
    "图/",
    "文：",
];

/// Common single-character surnames: a name found before a title must start with one, so
/// that the characters before it (学习习近平) are not taken for part of it.
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董\
袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯\
龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤习温胡栗汪蔡丁尤牛葛邢乔庞樊兰殷施陈";

/// Characters that are a preposition or conjunction far more often than a surname: 对于李强
/// is 对于 + 李强, not 于李强.
const FUNCTION_CHARS: &str = "于向和与同对把被由给为及的是在从将以";

pub(crate) fn is_surname(c: char) -> bool {
    SURNAMES.contains(c)
}

/// The title `after` starts with, if any.
pub(crate) fn title_at(after: &str) -> Option<&'static str> {
    TITLES.iter().copied().find(|t| after.starts_with(t))
}

/// Whether `before` (the line up to a token) ends with a byline label standing at the start
/// of the line or after a space or punctuation, with only spaces or a colon after it.
pub(crate) fn ends_with_byline_label(before: &str) -> bool {
    let spaced = before.trim_end_matches([' ', '\u{3000}']);
    let trimmed = spaced.trim_end_matches(['：', ':']);
    BYLINE_LABELS.iter().any(|label| {
        // `文/` and `文：` carry their own separator; the other labels may be followed by one.
        let head = if label.ends_with(['/', '：']) {
            spaced.strip_suffix(label)
        } else {
            trimmed.strip_suffix(label)
        };
        head.is_some_and(|h| h.chars().next_back().is_none_or(is_boundary))
    })
}

/// Whether `line` is a byline: it opens with a label and is short.
pub(crate) fn is_byline(line: &str) -> bool {
    let line = line.trim_start();
    line.chars().count() <= 60 && BYLINE_LABELS.iter().any(|l| line.starts_with(l))
}

/// Punctuation, spaces and symbols: what separates words in Chinese text.
pub(crate) fn is_boundary(c: char) -> bool {
    c.is_whitespace() || c.is_ascii_punctuation() || is_cjk_punct(c)
}

fn is_cjk_punct(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0x2010..=0x2027)
        || "｜丨·【】《》〈〉（）".contains(c)
}

/// The person's name written right before a title, read from `before` (the line up to the
/// title): three characters when the first is a surname and not a function word, else two
/// when the first of those is a surname.
pub(crate) fn name_before(before: &str) -> Option<String> {
    let tail: Vec<char> = before.chars().rev().take(3).collect();
    let han = |c: &char| crate::cjk::is_cjk(*c);
    if tail.len() == 3 && tail.iter().all(han) {
        let first = tail[2];
        if is_surname(first) && !FUNCTION_CHARS.contains(first) {
            return Some(tail.iter().rev().collect());
        }
    }
    if tail.len() >= 2 && tail[..2].iter().all(han) && is_surname(tail[1]) {
        return Some([tail[1], tail[0]].iter().collect());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_before_titles_start_with_a_surname() {
        assert_eq!(name_before("深入学习习近平").as_deref(), Some("习近平"));
        assert_eq!(name_before("会见李强").as_deref(), Some("李强"));
        assert_eq!(name_before("对于李强").as_deref(), Some("李强"));
        assert_eq!(name_before("全体").as_deref(), None);
    }

    #[test]
    fn byline_labels_are_found_before_a_token() {
        assert!(ends_with_byline_label("作者："));
        assert!(ends_with_byline_label("本报记者 "));
        assert!(ends_with_byline_label("来源：工人日报 记者 "));
        assert!(ends_with_byline_label("文/"));
        // A word that merely ends in 编辑 is not a label.
        assert!(!ends_with_byline_label("视频剪辑和编辑"));
        assert!(!ends_with_byline_label("学习"));
    }

    #[test]
    fn titles_prefer_the_longest() {
        assert_eq!(title_at("总书记强调"), Some("总书记"));
        assert_eq!(title_at("书记说"), Some("书记"));
        assert_eq!(title_at("总体"), None);
    }
}
