//! Length limits on the front-matter fields that other pages repeat: a title is shown in
//! every listing, feed, backlink, related-article box and wikilink that names the page, so a
//! field of n characters repeated on m pages costs n × m bytes of output. Bounding each field
//! keeps the output within a constant times the input (docs/security.md lists the limits).

/// A field's length limit, in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limit {
    /// What the field is, in a diagnostic (`title`, `a tag`).
    pub what: &'static str,
    pub max: usize,
}

/// Titles of articles, sections and timeline events.
pub(crate) const TITLE: Limit = Limit {
    what: "a title",
    max: 200,
};
/// Summaries, glossary definitions and event details.
pub(crate) const SUMMARY: Limit = Limit {
    what: "a summary",
    max: 500,
};
pub(crate) const DEFINITION: Limit = Limit {
    what: "a definition",
    max: 500,
};
pub(crate) const DETAIL: Limit = Limit {
    what: "an event's detail",
    max: 500,
};
/// Names that become pages and path segments: authors, topics, tags, series, synonyms.
pub(crate) const NAME: Limit = Limit {
    what: "a name",
    max: 50,
};
pub(crate) const SLUG: Limit = Limit {
    what: "a slug",
    max: 100,
};
/// Aliases and related-term references: paths and titles.
pub(crate) const REFERENCE: Limit = Limit {
    what: "an alias or reference",
    max: 200,
};
pub(crate) const AFFILIATION: Limit = Limit {
    what: "an affiliation",
    max: 100,
};
pub(crate) const PINYIN: Limit = Limit {
    what: "a reading",
    max: 100,
};
/// Citation fields (shown on the article's own page and in its feed entry).
pub(crate) const CITATION: Limit = Limit {
    what: "a citation field",
    max: 300,
};
pub(crate) const URL: Limit = Limit {
    what: "a URL",
    max: 2000,
};
/// How many timeline events one article may declare: every topic of the article repeats
/// them on its own timeline page.
pub(crate) const MAX_EVENTS: usize = 200;

impl Limit {
    /// The message for `value` when it is over the limit; `key` names the field as written.
    pub(crate) fn exceeded(self, key: &str, value: &str) -> Option<String> {
        let chars = value.chars().count();
        (chars > self.max).then(|| {
            format!(
                "`{key}` is {chars} characters long; {} may be at most {} characters",
                self.what, self.max
            )
        })
    }
}

impl Limit {
    /// The coded problem for `value` when it is over the limit, naming the field by `key`.
    pub(crate) fn coded(self, key: &str, value: &str) -> Option<crate::diagnostic::Coded> {
        let chars = value.chars().count();
        (chars > self.max).then(|| {
            (
                crate::diagnostic::Code::TooLong,
                crate::args!(
                    key = key,
                    chars = chars,
                    what = self.words(),
                    max = self.max,
                    head = head(value)
                ),
            )
        })
    }

    /// The field's kind in both languages.
    fn words(self) -> &'static crate::diagnostic::Words {
        KINDS
            .iter()
            .find(|(what, _)| *what == self.what)
            .map_or(&KINDS[0].1, |(_, words)| words)
    }
}

/// Each limit's `what`, and its words in both languages for diagnostics.
static KINDS: [(&str, crate::diagnostic::Words); 11] = {
    use crate::diagnostic::Words;
    [
        (
            "a title",
            Words {
                en: "a title",
                zh: "标题",
            },
        ),
        (
            "a summary",
            Words {
                en: "a summary",
                zh: "摘要",
            },
        ),
        (
            "a definition",
            Words {
                en: "a definition",
                zh: "定义",
            },
        ),
        (
            "an event's detail",
            Words {
                en: "an event's detail",
                zh: "事件说明",
            },
        ),
        (
            "a name",
            Words {
                en: "a name",
                zh: "名称",
            },
        ),
        (
            "a slug",
            Words {
                en: "a slug",
                zh: "slug",
            },
        ),
        (
            "an alias or reference",
            Words {
                en: "an alias or reference",
                zh: "别名或引用",
            },
        ),
        (
            "an affiliation",
            Words {
                en: "an affiliation",
                zh: "单位",
            },
        ),
        (
            "a reading",
            Words {
                en: "a reading",
                zh: "读音",
            },
        ),
        (
            "a citation field",
            Words {
                en: "a citation field",
                zh: "出处字段",
            },
        ),
        (
            "a URL",
            Words {
                en: "a URL",
                zh: "网址",
            },
        ),
    ]
};

/// A short, printable head of a long value, for naming it in a diagnostic without repeating
/// it whole.
pub(crate) fn head(value: &str) -> String {
    let mut out: String = value.chars().take(20).filter(|c| !c.is_control()).collect();
    if value.chars().count() > 20 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_characters_not_bytes() {
        assert_eq!(NAME.exceeded("tags", &"工".repeat(50)), None);
        assert_eq!(
            NAME.exceeded("tags", &"工".repeat(51)).as_deref(),
            Some("`tags` is 51 characters long; a name may be at most 50 characters")
        );
        assert_eq!(head(&"a".repeat(30)), format!("{}…", "a".repeat(20)));
    }
}
