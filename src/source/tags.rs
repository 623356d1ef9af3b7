//! Names typed as one where a list was meant: `tags: 苏区、劳模运动`, `[工运历史，工会建设]` or
//! `tags: 苏区, 劳模运动` without brackets. YAML separates list items only with a half-width
//! comma inside brackets (or one `- ` line each), so each of these is a single tag. This pass
//! warns about them, or splits them on `、`, `，` and `,` when site.yaml sets
//! `split_tags: true`. It runs after parsing because only the site's settings decide.

use crate::args;
use crate::diagnostic::{Code, Diagnostic, Words};

use super::{DocMeta, Document};

/// The separators a Chinese keyboard types where YAML wants `, `, and the half-width comma
/// itself, which makes a list only inside brackets.
const SEPARATORS: [char; 3] = ['、', '，', ','];

/// Warns about (or, with `split`, splits) topics and tags that hold a Chinese list separator.
pub(crate) fn separate<'a>(
    docs: impl IntoIterator<Item = &'a mut Document>,
    split: bool,
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for doc in docs {
        let Document {
            meta,
            keys,
            text,
            shown,
            ..
        } = doc;
        let DocMeta::Page(meta) = meta else {
            continue;
        };
        if ![&meta.topics, &meta.tags]
            .iter()
            .any(|list| list.iter().any(|n| n.contains(SEPARATORS)))
        {
            continue;
        }
        // Shared only with an earlier round's copy, if at all: this clones at most that.
        let meta = std::sync::Arc::make_mut(meta);
        for (key, list) in [("topics", &mut meta.topics), ("tags", &mut meta.tags)] {
            let Some(joined) = list.iter().find(|n| n.contains(SEPARATORS)) else {
                continue;
            };
            let parts = parts(list);
            if split {
                *list = parts;
                continue;
            }
            let separator = joined
                .chars()
                .find(|c| SEPARATORS.contains(c))
                .expect("found above");
            let at = keys.value(key);
            let d = Diagnostic::new(
                Code::OneTagWithSeparators,
                shown.as_path(),
                args!(key = key, value = joined, separator = separator),
            )
            .at_in(text, at.line, at.column)
            .hint(&HINT, args!(key = key, list = parts.join(", ")));
            found.push(d);
        }
    }
    found
}

/// Every name of `list` split on the separators, trimmed, each kept once in order.
fn parts(list: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in list.iter().flat_map(|n| n.split(SEPARATORS)) {
        let part = part.trim();
        if !part.is_empty() && !out.iter().any(|o| o == part) {
            out.push(part.to_owned());
        }
    }
    out
}

static HINT: Words = Words {
    en: "for a list write `{key}: [{list}]` (half-width commas), or set `split_tags: true` in site.yaml",
    zh: "要写列表请用半角逗号：`{key}: [{list}]`；或在 site.yaml 中设置 `split_tags: true`",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_every_separator_and_keeps_each_name_once() {
        let list = [
            "苏区、劳模运动".to_owned(),
            "工运历史，苏区".to_owned(),
            "劳模运动, 工匠精神".to_owned(),
        ];
        assert_eq!(parts(&list), ["苏区", "劳模运动", "工运历史", "工匠精神"]);
    }
}
