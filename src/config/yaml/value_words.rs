//! serde's messages about a value of the wrong kind ("invalid type: boolean `false`, expected
//! struct FeedConfig") in words an editor reads: Chinese for the Chinese message, and neither
//! language naming gongdu's Rust types. The key path in front ("feed: ") and the value as
//! written are kept; what is not recognised stays as serde wrote it.

/// What gongdu's own deserializers say they expect (their `expecting`), named here once so
/// that [`wanted_zh`] has the Chinese for each.
pub(crate) const EXPECTED_SEARCH_SWITCH: &str = "true, false or a table of search settings";
pub(crate) const EXPECTED_TEXT_OR_NUMBER: &str = "a string or a number";
pub(crate) const EXPECTED_TEXT_OR_LIST: &str = "a string or a list of strings";
/// `source:` in front matter says this through serde's `expecting` attribute, which takes
/// only a literal (`source::frontmatter::RawSource`).
const EXPECTED_SOURCE_FIELDS: &str = "fields such as `title:` and `publication:`";

/// The English message, with Rust's type names put in words.
pub(crate) fn english(message: &str) -> String {
    match split(message) {
        Some((prefix, Shape::Type { found, wanted })) if wanted.starts_with("struct ") => {
            format!(
                "{prefix}invalid type: {found}, expected settings written as `key: value` lines"
            )
        }
        _ => message.to_owned(),
    }
}

/// The Chinese message.
pub(crate) fn chinese(message: &str) -> String {
    let Some((prefix, shape)) = split(message) else {
        return message.to_owned();
    };
    match shape {
        Shape::Type { found, wanted } => {
            format!(
                "{prefix}这里要{}，写的却是{}",
                spaced(&wanted_zh(wanted)),
                spaced(&found_zh(found))
            )
        }
        Shape::Value { found, wanted } => {
            format!(
                "{prefix}{} 不合要求，这里要{}",
                found_zh(found),
                spaced(&wanted_zh(wanted))
            )
        }
        Shape::Length { found, wanted } => {
            format!(
                "{prefix}写了 {found} 项，这里要{}",
                spaced(&wanted_zh(wanted))
            )
        }
        Shape::Missing { field } => format!("{prefix}缺少必需的键 `{field}`"),
        Shape::Variant { found, allowed } => {
            let allowed: Vec<&str> = allowed.split('`').skip(1).step_by(2).collect();
            format!("{prefix}不认识 `{found}`，可写：`{}`", allowed.join("`、`"))
        }
    }
}

/// `text` after a Chinese word: a space between the two scripts, as the other messages have.
fn spaced(text: &str) -> String {
    if text.starts_with(|c: char| c.is_ascii()) {
        format!(" {text}")
    } else {
        text.to_owned()
    }
}

/// What serde says is wrong with a value.
#[derive(Debug, PartialEq)]
enum Shape<'m> {
    Type { found: &'m str, wanted: &'m str },
    Value { found: &'m str, wanted: &'m str },
    Length { found: &'m str, wanted: &'m str },
    Missing { field: &'m str },
    Variant { found: &'m str, allowed: &'m str },
}

/// The key path in front of serde's message ("taxonomies[0]: "), and the message's shape.
fn split(message: &str) -> Option<(&str, Shape<'_>)> {
    const STARTS: [&str; 5] = [
        "invalid type: ",
        "invalid value: ",
        "invalid length ",
        "missing field `",
        "unknown variant `",
    ];
    let (at, start) = STARTS
        .iter()
        .filter_map(|s| message.find(s).map(|at| (at, *s)))
        .min_by_key(|(at, _)| *at)?;
    let (prefix, rest) = (&message[..at], &message[at + start.len()..]);
    // The value as written may hold ", expected " itself; serde's wording of what it wants
    // does not, so the last one is the split.
    let found_wanted = || rest.rsplit_once(", expected ");
    let shape = match start {
        "invalid type: " => found_wanted().map(|(found, wanted)| Shape::Type { found, wanted }),
        "invalid value: " => found_wanted().map(|(found, wanted)| Shape::Value { found, wanted }),
        "invalid length " => found_wanted().map(|(found, wanted)| Shape::Length { found, wanted }),
        "missing field `" => rest.strip_suffix('`').map(|field| Shape::Missing { field }),
        _ => rest
            .split_once("`, expected ")
            .map(|(found, allowed)| Shape::Variant { found, allowed }),
    }?;
    Some((prefix, shape))
}

/// serde's description of the value found (`Unexpected`'s display).
fn found_zh(found: &str) -> String {
    const KINDS: [(&str, &str); 6] = [
        ("boolean ", "真假值 "),
        ("integer ", "数字 "),
        ("floating point ", "数字 "),
        ("string ", "文字 "),
        ("char ", "文字 "),
        ("unsigned integer ", "数字 "),
    ];
    for (en, zh) in KINDS {
        if let Some(value) = found.strip_prefix(en) {
            return format!("{zh}{value}");
        }
    }
    match found {
        "unit value" => "空值".to_owned(),
        "map" => "一组「键: 值」".to_owned(),
        "sequence" => "列表".to_owned(),
        other => other.to_owned(),
    }
}

/// serde's (or our `expecting`'s) description of the value wanted.
fn wanted_zh(wanted: &str) -> String {
    if wanted.starts_with("struct ") || wanted == "a map" {
        return "一组设置（下一行起缩进，每行一个「键: 值」）".to_owned();
    }
    let known = [
        ("a boolean", "true 或 false"),
        ("a string", "文字"),
        ("a sequence", "列表（每项一行，以 `- ` 开头）"),
        ("a character", "一个字符"),
        (EXPECTED_TEXT_OR_NUMBER, "文字或数字"),
        (EXPECTED_TEXT_OR_LIST, "文字或文字的列表"),
        (EXPECTED_SEARCH_SWITCH, "true、false 或一组搜索设置"),
        (
            EXPECTED_SOURCE_FIELDS,
            "`title:`、`publication:` 这样的几行",
        ),
    ];
    if let Some((_, zh)) = known.iter().find(|(en, _)| *en == wanted) {
        return (*zh).to_owned();
    }
    match wanted {
        "usize" | "u8" | "u16" | "u32" | "u64" => "不小于 0 的整数".to_owned(),
        "i8" | "i16" | "i32" | "i64" | "isize" => "整数".to_owned(),
        "f32" | "f64" => "数字".to_owned(),
        other => other.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What editors wrote while probing site.yaml, and what they now read.
    #[test]
    fn value_errors_read_without_rust_type_names() {
        let cases = [
            (
                "feed: invalid type: boolean `false`, expected struct FeedConfig",
                "feed: 这里要一组设置（下一行起缩进，每行一个「键: 值」），写的却是真假值 `false`",
                "feed: invalid type: boolean `false`, expected settings written as `key: value` lines",
            ),
            (
                "taxonomies[0]: invalid type: string \"tags\", expected struct TaxonomyConfig",
                "taxonomies[0]: 这里要一组设置（下一行起缩进，每行一个「键: 值」），写的却是文字 \"tags\"",
                "taxonomies[0]: invalid type: string \"tags\", expected settings written as `key: value` lines",
            ),
            (
                "split_tags: invalid type: string \"yes\", expected a boolean",
                "split_tags: 这里要 true 或 false，写的却是文字 \"yes\"",
                "split_tags: invalid type: string \"yes\", expected a boolean",
            ),
            (
                "language: unknown variant `zh`, expected `zh-CN` or `en`",
                "language: 不认识 `zh`，可写：`zh-CN`、`en`",
                "language: unknown variant `zh`, expected `zh-CN` or `en`",
            ),
            (
                "pagination.page_size: invalid value: integer `-1`, expected usize",
                "pagination.page_size: 数字 `-1` 不合要求，这里要不小于 0 的整数",
                "pagination.page_size: invalid value: integer `-1`, expected usize",
            ),
            (
                "menu[0]: missing field `url`",
                "menu[0]: 缺少必需的键 `url`",
                "menu[0]: missing field `url`",
            ),
            (
                "title: invalid type: string \"a, expected b\", expected a sequence",
                "title: 这里要列表（每项一行，以 `- ` 开头），写的却是文字 \"a, expected b\"",
                "title: invalid type: string \"a, expected b\", expected a sequence",
            ),
            (
                "something serde never says",
                "something serde never says",
                "something serde never says",
            ),
        ];
        for (serde, zh, en) in cases {
            assert_eq!(chinese(serde), zh, "{serde}");
            assert_eq!(english(serde), en, "{serde}");
        }
    }
}
