//! Site chrome: the lines a page wraps around an article (breadcrumbs, font-size and share
//! buttons, 来源/作者/浏览 lines, picture placeholders, "back to top", contact, QR-code and
//! copyright lines, ICP numbers). They are removed, but the facts they state (publication,
//! date, 版次, author, address of the original) are kept for the front matter.

use std::sync::LazyLock;

use regex::Regex;

/// What a page says about where its articles come from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Facts {
    pub publication: Option<String>,
    /// `YYYY-MM-DD`, only when the page states it.
    pub date: Option<String>,
    pub page: Option<u32>,
    pub url: Option<String>,
    pub authors: Vec<String>,
}

impl Facts {
    /// Fills what `self` lacks from `other` (a page header's facts under an article's own).
    pub(super) fn or(mut self, other: &Facts) -> Facts {
        self.publication = self.publication.or_else(|| other.publication.clone());
        self.date = self.date.or_else(|| other.date.clone());
        self.page = self.page.or(other.page);
        self.url = self.url.or_else(|| other.url.clone());
        if self.authors.is_empty() {
            self.authors.clone_from(&other.authors);
        }
        self
    }
}

/// A calendar date as pages write it: `2024-05-08`, `2024年5月8日`, `2024/05/08`.
const DAY: &str = r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})\s*日?";
static DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(DAY).expect("the date pattern is valid"));
/// `人民日报 2024年4月26日 第09版`, `《工人日报》（2024年04月26日 第 9 版）`.
static PAPER_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^《?([\p{Han}]{2,10})》?\s*[（(]?\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*第\s*(\d{1,3})\s*版")
        .expect("the header pattern is valid")
});
static LABELLED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(来源|作者|浏览|点击|阅读|发表时间|发布时间|时间|日期|编辑)\s*[：:]\s*([^\s：:]*)")
        .expect("the label pattern is valid")
});
/// A date, perhaps with a time, standing before a line's labels: `2024-03-05 10:00`,
/// `2024年03月05日08:21 |`.
static DATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^{DAY}\s*(?:\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?\s*[|｜丨]?\s*"
    ))
    .expect("the dated pattern is valid")
});
static URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:原文链接|原文地址|链接)\s*[：:]\s*(https?://\S+)$")
        .expect("the URL pattern is valid")
});

/// Lines that are chrome wherever they appear, by how they start.
const STARTS: &[&str] = &[
    "首页 >",
    "首页>",
    "首页 ＞",
    "首页 »",
    "当前位置",
    "您的位置",
    "您现在的位置",
    "网站首页",
    "分享到",
    "返回顶部",
    "回到顶部",
    "上一篇",
    "下一篇",
    "相关新闻",
    "相关阅读",
    "相关链接",
    "热点推荐",
    "责任编辑",
    "编辑：",
    "校对：",
    "审核：",
    "联系电话",
    "联系我们",
    "电话：",
    "邮箱：",
    "地址：",
    "主办单位",
    "承办单位",
    "技术支持",
    "备案号",
];
/// Words that make a short line chrome (a sentence of an article is longer or ends with 。).
const MARKS: &[&str] = &[
    "字号",
    "打印本页",
    "关闭窗口",
    "【打印】",
    "【关闭】",
    "扫一扫",
    "二维码",
    "微信公众号",
    "版权所有",
    "Copyright",
    "copyright",
    "©",
    "ICP备",
    "ICP证",
    "公网安备",
    "【大 中 小】",
];
const PLACEHOLDERS: &[&str] = &[
    "图片",
    "[图片]",
    "【图片】",
    "（图片）",
    "(图片)",
    "TOP",
    "Top",
];

/// Whether `line` is chrome; its facts are added to `facts` either way.
pub(super) fn is_chrome(line: &str, facts: &mut Facts) -> bool {
    let t = line.trim();
    if t.is_empty() {
        return false;
    }
    if let Some(c) = URL.captures(t) {
        facts.url = Some(c[1].to_owned());
        return true;
    }
    if let Some(c) = PAPER_HEADER.captures(t) {
        facts.publication = Some(c[1].to_owned());
        facts.date = date(t);
        facts.page = c[2].parse().ok();
        return true;
    }
    if labelled(t, facts) {
        return true;
    }
    // A sentence of the article may mention 二维码 or 版权; a line of chrome has no ， or 。.
    let short = t.chars().count() <= 80 && !t.contains(['，', '。']);
    PLACEHOLDERS.contains(&t)
        || STARTS.iter().any(|s| t.starts_with(s))
        || (short && MARKS.iter().any(|m| t.contains(m)))
        || (short && is_menu(t))
}

/// `来源：工人日报 作者：刘洋 浏览：1523次 发表时间：2024-05-08`: a line of two or more
/// labels, or one starting with 来源, perhaps after the date (`2024-03-05 10:00  来源：工人日报`,
/// as news sites print it under the headline). A date the line states without a label is its
/// publication date too (`来源：工人日报  2024年3月5日`).
fn labelled(t: &str, facts: &mut Facts) -> bool {
    let rest = DATED.find(t).map_or(t, |m| &t[m.end()..]);
    let labels: Vec<_> = LABELLED.captures_iter(rest).collect();
    if !(labels.len() >= 2 || rest.starts_with("来源") && labels.len() == 1) {
        return false;
    }
    let mut dated = false;
    for c in &labels {
        let value = c[2].trim();
        match &c[1] {
            "来源" if !value.is_empty() => facts.publication = Some(value.to_owned()),
            "作者" if !value.is_empty() => facts.authors = vec![value.to_owned()],
            "发表时间" | "发布时间" | "时间" | "日期" => {
                let stated = date(&rest[c.get(2).map_or(0, |m| m.start())..]);
                dated |= stated.is_some();
                facts.date = stated.or(facts.date.take());
            }
            _ => {}
        }
    }
    if !dated {
        facts.date = date(t).or(facts.date.take());
    }
    true
}

/// `网站首页 | 工会动态 | 维权服务 | 职工教育`: three or more short items between bars.
fn is_menu(t: &str) -> bool {
    let items: Vec<&str> = t.split(['|', '｜']).map(str::trim).collect();
    items.len() >= 3 && items.iter().all(|i| i.chars().count() <= 8)
}

/// The first calendar date in `text` as `YYYY-MM-DD`.
pub(super) fn date(text: &str) -> Option<String> {
    let c = DATE.captures(text)?;
    let (y, m, d): (u32, u32, u32) = (c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
    chrono::NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)?;
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chrome_lines_are_removed_and_their_facts_kept() {
        let mut f = Facts::default();
        assert!(is_chrome(
            "来源：工人日报 作者：刘洋 浏览：1523次 发表时间：2024-05-08 09:30",
            &mut f
        ));
        assert!(is_chrome(
            "工人日报 2024年4月26日 第09版 理论周刊",
            &mut Facts::default()
        ));
        assert_eq!(f.publication.as_deref(), Some("工人日报"));
        assert_eq!(f.date.as_deref(), Some("2024-05-08"));
        assert_eq!(f.authors, ["刘洋"]);
        for line in [
            "首页 > 新闻中心 > 工会动态",
            "【字号：大 中 小】【打印本页】",
            "图片",
            "京ICP备00000000号-1",
        ] {
            assert!(is_chrome(line, &mut Facts::default()), "{line}");
        }
    }

    /// News sites print the date first under the headline; such a line was kept as the
    /// article's subtitle, and its publication and date were lost.
    #[test]
    fn a_source_line_that_starts_with_its_date_is_chrome() {
        for (line, publication) in [
            ("2024年3月5日  来源：工人日报", "工人日报"),
            ("2024-03-05 10:00  来源：工人日报", "工人日报"),
            (
                "2024年03月05日08:21 | 来源：人民网－人民日报",
                "人民网－人民日报",
            ),
            ("来源：工人日报  2024年3月5日", "工人日报"),
        ] {
            let mut f = Facts::default();
            assert!(is_chrome(line, &mut f), "{line}");
            assert_eq!(f.publication.as_deref(), Some(publication), "{line}");
            assert_eq!(f.date.as_deref(), Some("2024-03-05"), "{line}");
        }
        let mut f = Facts::default();
        assert!(is_chrome(
            "2024-03-05 作者：刘洋 发表时间：2024-05-08",
            &mut f
        ));
        assert_eq!(
            f.date.as_deref(),
            Some("2024-05-08"),
            "a labelled date wins"
        );
        assert!(!is_chrome(
            "2024年3月5日，全国总工会来源于基层的提案……",
            &mut Facts::default()
        ));
    }

    #[test]
    fn sentences_mentioning_the_same_words_stay() {
        let line = "　　劳动者扫描二维码、填写简单信息，就能在几分钟内完成入会手续。";
        assert!(!is_chrome(line, &mut Facts::default()));
        assert!(!is_chrome("以赛促学 以赛促训", &mut Facts::default()));
    }
}
