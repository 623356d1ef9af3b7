//! Words in both languages of the diagnostics: a template with `{name}` holes and the values
//! that fill them, kept apart so a message is put into the reader's language only when it is
//! printed. Text from elsewhere (a parser's message, an IO error) is carried as it is.

use std::fmt;
use std::ops::Deref;

/// Which language diagnostics are printed in: the site's (`language:` in site.yaml) unless
/// `--lang` says otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    ZhCn,
    En,
}

impl Lang {
    /// `zh-CN`, `zh`, `en`, `en-US`… as the language they name; `None` for others.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let tag = tag.trim().to_ascii_lowercase();
        if tag == "en" || tag.starts_with("en-") {
            Some(Lang::En)
        } else if tag == "zh" || tag.starts_with("zh-") {
            Some(Lang::ZhCn)
        } else {
            None
        }
    }
}

/// A template in both languages. `{name}` is filled from the arguments; any other brace is
/// printed as written, so templates need no escapes.
#[derive(Debug, PartialEq, Eq)]
pub struct Words {
    pub en: &'static str,
    pub zh: &'static str,
}

impl Words {
    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::ZhCn => self.zh,
        }
    }
}

/// The value of one hole: text shown as is in both languages, or words of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Plain(String),
    Words(&'static Words),
    /// A phrase put together from words and arguments of its own ("an alias in a.md").
    Text(Text),
}

impl From<Text> for Arg {
    fn from(t: Text) -> Arg {
        Arg::Text(t)
    }
}

impl From<&'static Words> for Arg {
    fn from(w: &'static Words) -> Arg {
        Arg::Words(w)
    }
}

macro_rules! plain_args {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(v: $t) -> Arg {
                Arg::Plain(v.to_string())
            }
        }
    )*};
}
plain_args!(String, &str, &String, usize, u32, u64, i64, char);

/// Named arguments for a template: `args!(field = name, max = 100)`.
#[macro_export]
macro_rules! args {
    ($($name:ident = $value:expr),* $(,)?) => {
        vec![$((stringify!($name), $crate::diagnostic::Arg::from($value))),*]
    };
}

/// One or more templates with their arguments, printed one after the other.
///
/// Dereferences to the English text (also its `Display`), which is what logs and tests read;
/// what a person reads goes through [`Text::get`] in their language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text(Box<Inner>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Inner {
    parts: Vec<Part>,
    en: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Part {
    /// `None`: the single argument is the text itself.
    words: Option<&'static Words>,
    args: Vec<(&'static str, Arg)>,
}

impl Part {
    fn render(&self, lang: Lang, out: &mut String) {
        let Some(words) = self.words else {
            for (_, a) in &self.args {
                push_arg(a, lang, out);
            }
            return;
        };
        let mut rest = words.get(lang);
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let arg = after.find('}').and_then(|close| {
                let name = &after[..close];
                let (_, a) = self.args.iter().find(|(n, _)| *n == name)?;
                Some((a, close))
            });
            match arg {
                Some((a, close)) => {
                    push_arg(a, lang, out);
                    rest = &after[close + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
    }
}

fn push_arg(a: &Arg, lang: Lang, out: &mut String) {
    match a {
        Arg::Plain(s) => out.push_str(s),
        Arg::Words(w) => out.push_str(w.get(lang)),
        Arg::Text(t) => out.push_str(&t.get(lang)),
    }
}

impl Text {
    pub fn new(words: &'static Words, args: Vec<(&'static str, Arg)>) -> Text {
        Text::from_parts(vec![Part {
            words: Some(words),
            args,
        }])
    }

    /// Text that reads the same in every language (a parser's or the system's message).
    pub fn plain(text: impl Into<String>) -> Text {
        Text::from_parts(vec![Part {
            words: None,
            args: vec![("text", Arg::Plain(text.into()))],
        }])
    }

    fn from_parts(parts: Vec<Part>) -> Text {
        let mut en = String::new();
        for p in &parts {
            p.render(Lang::En, &mut en);
        }
        Text(Box::new(Inner { parts, en }))
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.0.en.clone();
        }
        let mut out = String::new();
        for p in &self.0.parts {
            p.render(lang, &mut out);
        }
        out
    }

    /// This text followed by `more`.
    pub fn then(self, more: Text) -> Text {
        let mut parts = self.0.parts;
        parts.extend(more.0.parts);
        Text::from_parts(parts)
    }

    /// The English text, as [`Deref`] gives it (for `assert_eq!(d.message.as_str(), …)`).
    pub fn as_str(&self) -> &str {
        &self.0.en
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0.en
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.en)
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text::plain(s)
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::plain(s)
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.0.en == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.0.en == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: Words = Words {
        en: "unknown field `{field}` in {place}; `{{` stays",
        zh: "{place}中有未知字段 `{field}`",
    };
    const WHERE: Words = Words {
        en: "the front matter",
        zh: "前言",
    };

    #[test]
    fn fills_holes_in_either_language_and_leaves_other_braces() {
        let t = Text::new(&W, crate::args!(field = "titel", place = &WHERE));
        assert_eq!(&*t, "unknown field `titel` in the front matter; `{{` stays");
        assert_eq!(t.get(Lang::ZhCn), "前言中有未知字段 `titel`");
        let more = t.then(Text::plain("!"));
        assert_eq!(more.get(Lang::ZhCn), "前言中有未知字段 `titel`!");
    }

    #[test]
    fn language_tags() {
        assert_eq!(Lang::from_tag("zh-CN"), Some(Lang::ZhCn));
        assert_eq!(Lang::from_tag("en"), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr"), None);
    }
}
