//! Reading the YAML an editor writes (site.yaml, front matter) and turning its errors into
//! diagnostics that point into the user's file: positions are shifted by the line the YAML
//! starts on, an unknown key gets a "did you mean" hint built from the names serde says it
//! expected, a value of the wrong kind is explained without Rust's type names
//! ([`value_words`]), and input built to exhaust the parser (alias bombs, deep nesting) is
//! refused.
//! It also records, once, where each key is written ([`key_spans`]), for the checks made
//! after deserialising, when serde no longer knows positions.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::args;
use crate::diagnostic::{self, Code, Coded, Diagnostic, Text, Words, words};
use crate::span::{KeySpan, KeySpans, Position};

pub(crate) mod value_words;

/// How deep `[` and `{` may nest. The YAML parser takes time quadratic in this depth, so deeper
/// text is refused before it is parsed; the deserializer stops block nesting at the same depth.
pub(crate) const MAX_NESTING: usize = 128;

/// Parses `yaml`, which starts on line `yaml_first_line` of `file_text`.
pub(crate) fn from_str<T: DeserializeOwned>(
    yaml: &str,
    path: &Path,
    file_text: &str,
    yaml_first_line: usize,
) -> Result<T, Diagnostic> {
    if let Some((line, column)) = too_deep(yaml) {
        return Err(
            Diagnostic::new(Code::YamlFlowTooDeep, path, args!(max = MAX_NESTING)).at_in(
                file_text,
                line + yaml_first_line - 1,
                column,
            ),
        );
    }
    serde_yaml::from_str(yaml).map_err(|e| diagnostic(&e, path, file_text, yaml_first_line))
}

/// Like [`from_str`], but reports the mistakes of every top-level key, not only the first: serde
/// stops at the first, so the block of the key it failed in is blanked (line numbers kept) and
/// the text parsed again, once per key at most. A key in `required` is put back as its
/// stand-in (`title: x`) so that removing it does not cause an error of its own. Only problems
/// with keys and values are worked around; after a syntax error the rest of the text cannot be
/// trusted, so it ends the search.
pub(crate) fn from_str_all<T: DeserializeOwned>(
    yaml: &str,
    path: &Path,
    required: &[(&str, &str)],
) -> (Option<T>, Vec<Diagnostic>) {
    let mut lines: Vec<String> = yaml.lines().map(str::to_owned).collect();
    let mut problems = Vec::new();
    let mut blanked = Vec::new();
    loop {
        let current = lines.join("\n");
        let d = match from_str(&current, path, yaml, 1) {
            Ok(value) => return (Some(value), problems),
            Err(d) => d,
        };
        let recoverable = matches!(d.code, Code::UnknownField | Code::YamlValue)
            && !d.message.contains("missing field");
        let block = recoverable
            .then(|| top_level_block(&lines, d.line))
            .flatten();
        problems.push(d);
        let Some((key, start, end)) = block else {
            return (None, problems);
        };
        if blanked.contains(&key) || blanked.len() >= MAX_BLANKED {
            return (None, problems);
        }
        for line in &mut lines[start..end] {
            line.clear();
        }
        if let Some((_, stand_in)) = required.iter().find(|(k, _)| *k == key) {
            lines[start] = (*stand_in).to_owned();
        }
        blanked.push(key);
    }
}

/// How many top-level keys [`from_str_all`] sets aside before it stops: each costs a parse.
const MAX_BLANKED: usize = 32;

/// The top-level key whose block holds 1-based `line`, with the block's 0-based line range.
fn top_level_block(lines: &[String], line: usize) -> Option<(String, usize, usize)> {
    let is_key = |l: &String| !l.starts_with([' ', '\t', '#', '-']) && key_of(l).is_some();
    let start = (0..line.min(lines.len()))
        .rev()
        .find(|&i| is_key(&lines[i]))?;
    let end = (start + 1..lines.len())
        .find(|&i| is_key(&lines[i]))
        .unwrap_or(lines.len());
    let (key, _) = key_of(&lines[start])?;
    Some((key.to_owned(), start, end))
}

/// What a YAML text holds at its top.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TopLevel {
    Mapping,
    List,
    Text,
    Number,
    YesNo,
    Other,
}

/// The kind of value at the top of `yaml`; `None` when it does not parse (or nests too deep
/// to try). Parses the text again, so callers ask only after a failure.
pub(crate) fn top_level(yaml: &str) -> Option<TopLevel> {
    if too_deep(yaml).is_some() {
        return None;
    }
    Some(
        match serde_yaml::from_str::<serde_yaml::Value>(yaml).ok()? {
            serde_yaml::Value::Mapping(_) => TopLevel::Mapping,
            serde_yaml::Value::Sequence(_) => TopLevel::List,
            serde_yaml::Value::String(_) => TopLevel::Text,
            serde_yaml::Value::Number(_) => TopLevel::Number,
            serde_yaml::Value::Bool(_) => TopLevel::YesNo,
            serde_yaml::Value::Null | serde_yaml::Value::Tagged(_) => TopLevel::Other,
        },
    )
}

/// `yaml` as a plain YAML value, or `None` when it does not parse (or nests too deep to try).
pub(crate) fn value(yaml: &str) -> Option<serde_yaml::Value> {
    if too_deep(yaml).is_some() {
        return None;
    }
    serde_yaml::from_str(yaml).ok()
}

/// Where flow collections first nest deeper than [`MAX_NESTING`] (1-based, within `yaml`).
/// Brackets inside quotes count too: no real value has a hundred of them unclosed.
fn too_deep(yaml: &str) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    for (i, b) in yaml.bytes().enumerate() {
        match b {
            b'[' | b'{' => depth += 1,
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => continue,
        }
        if depth > MAX_NESTING {
            return Some(crate::span::line_col(yaml, i));
        }
    }
    None
}

/// Records where every block-style key of `yaml` is written, by its path (see [`KeySpans`]),
/// in one pass over its lines. `yaml_first_line` is the file line the YAML starts on, so the
/// positions are the file's. Flow collections, quoted keys and multi-line scalars are read
/// only as far as positions need: a key inside `{ }` is found through its enclosing key.
pub(crate) fn key_spans(yaml: &str, yaml_first_line: usize) -> KeySpans {
    let mut spans = KeySpans::default();
    // Open keys and list items, innermost last: (column, path, items seen so far).
    let mut open: Vec<Frame> = Vec::new();
    // Lines indented deeper than this belong to a block scalar (`|`, `>`) and hold no keys.
    let mut block_scalar_over: Option<usize> = None;
    for (i, line) in yaml.lines().enumerate() {
        let indent = line.chars().take_while(|&c| c == ' ').count();
        let rest = &line[indent..];
        if let Some(over) = block_scalar_over {
            if rest.is_empty() || indent > over {
                continue;
            }
            block_scalar_over = None;
        }
        if rest.is_empty() || rest.starts_with('#') {
            continue;
        }
        let line_no = i + yaml_first_line;
        let mut column = indent;
        let mut rest = rest;
        while let Some(after) = rest.strip_prefix("- ").or((rest == "-").then_some("")) {
            open_item(&mut open, column);
            let spaces = after.chars().take_while(|&c| c == ' ').count();
            column += 2 + spaces;
            rest = &after[spaces..];
        }
        let Some((key, value_at)) = key_of(rest) else {
            continue;
        };
        while open.last().is_some_and(|f| f.column >= column) {
            open.pop();
        }
        let path = match open.last() {
            Some(parent) => format!("{}.{key}", parent.path),
            None => key.to_owned(),
        };
        let value = &rest[value_at..];
        if value.starts_with(['|', '>']) {
            block_scalar_over = Some(column);
        }
        let key_column = column + 1;
        let value_column = key_column + rest[..value_at].chars().count();
        spans.insert(
            path.clone(),
            KeySpan {
                key: Position::new(line_no, key_column),
                value: Position::new(line_no, value_column),
            },
        );
        open.push(Frame {
            column,
            path,
            items: 0,
            is_item: false,
        });
    }
    spans
}

struct Frame {
    /// 0-based column of the key or of the item's `-`.
    column: usize,
    path: String,
    items: usize,
    is_item: bool,
}

/// A `- ` at 0-based `column` opens the next item of the key that owns the list (the list
/// may sit at the key's own indentation: `key:` then `- a` below it).
fn open_item(open: &mut Vec<Frame>, column: usize) {
    while open
        .last()
        .is_some_and(|f| f.column > column || (f.column == column && f.is_item))
    {
        open.pop();
    }
    let path = match open.last_mut() {
        Some(owner) => {
            owner.items += 1;
            format!("{}.{}", owner.path, owner.items - 1)
        }
        None => String::new(),
    };
    open.push(Frame {
        column,
        path,
        items: 0,
        is_item: true,
    });
}

/// `key: value` → the key (unquoted) and the byte offset where the value starts (after the
/// colon and spaces). `None` for lines that are not a block mapping's key.
fn key_of(line: &str) -> Option<(&str, usize)> {
    if line.starts_with(['{', '[', '#', '&', '*', '!', '|', '>', '%', '@', '`']) {
        return None;
    }
    let colon = line
        .char_indices()
        .find(|&(i, c)| c == ':' && line[i + 1..].chars().next().is_none_or(|n| n == ' '))
        .map(|(i, _)| i)?;
    let key = line[..colon].trim_end();
    let key = key
        .strip_prefix('"')
        .and_then(|k| k.strip_suffix('"'))
        .or_else(|| key.strip_prefix('\'').and_then(|k| k.strip_suffix('\'')))
        .unwrap_or(key);
    if key.is_empty() || key.contains(" #") {
        return None;
    }
    let after = &line[colon + 1..];
    let spaces = after.len() - after.trim_start_matches(' ').len();
    Some((key, colon + 1 + spaces))
}

/// `yaml_first_line` is the 1-based line of the file on which the YAML text begins.
pub(crate) fn diagnostic(
    err: &serde_yaml::Error,
    path: &Path,
    file_text: &str,
    yaml_first_line: usize,
) -> Diagnostic {
    let message = shift_positions(&err.to_string(), yaml_first_line);
    let (line, column) = err.location().map_or((yaml_first_line, 1), |l| {
        (l.line() + yaml_first_line - 1, l.column())
    });
    let (code, args) = coded(&message);
    let d = Diagnostic::new(code, path, args).at_in(file_text, line, column);
    let hint = unknown_field_hint(&message)
        .or_else(|| limit_hint(&message))
        .or_else(|| slip_hint(file_text, line));
    match hint {
        Some(hint) => d.with_hint(hint),
        None => d,
    }
}

/// The code and arguments of a parser's or serde's message.
fn coded(message: &str) -> Coded {
    if let Some((prefix, field, _)) = unknown_field(message) {
        return (Code::UnknownField, args!(prefix = prefix, field = field));
    }
    match message {
        "repetition limit exceeded" => return (Code::YamlAliasBomb, args!()),
        "recursion limit exceeded" => return (Code::YamlTooDeep, args!(max = MAX_NESTING)),
        _ => {}
    }
    let about_a_value = [
        "invalid type",
        "invalid value",
        "invalid length",
        "missing field",
        "unknown variant",
    ];
    if about_a_value.iter().any(|m| message.contains(m)) {
        value_problem(message)
    } else {
        let detail_zh = PARSER_ZH
            .iter()
            .find(|(en, _)| message.starts_with(en))
            .map_or(message, |(_, zh)| zh);
        (
            Code::YamlSyntax,
            args!(detail = message, detail_zh = detail_zh),
        )
    }
}

/// GD0107 for serde's message about a value, in words an editor reads ([`value_words`]).
pub(crate) fn value_problem(message: &str) -> Coded {
    (
        Code::YamlValue,
        args!(
            detail = value_words::english(message),
            detail_zh = value_words::chinese(message)
        ),
    )
}

/// The slips of typing YAML on a Chinese keyboard, recognised on the line of the error or the
/// one before it (the parser often notices a line late): a value holding `: `, a Tab as
/// indentation, a full-width colon after a key.
fn slip_hint(file_text: &str, line: usize) -> Option<Text> {
    let lines: Vec<&str> = file_text.lines().collect();
    let here = line.checked_sub(1).and_then(|i| lines.get(i)).copied();
    let before = line.checked_sub(2).and_then(|i| lines.get(i)).copied();
    let candidates = [here, before];
    let candidates = candidates.iter().flatten();
    for text in candidates.clone() {
        let indent = &text[..text.len() - text.trim_start().len()];
        if indent.contains('\t') {
            return Some(Text::new(&TAB_HINT, args!()));
        }
    }
    for text in candidates.clone() {
        if let Some((key, value)) = text.trim_start().split_once(": ")
            && value.contains(": ")
            && !value.starts_with(['"', '\'', '[', '{'])
        {
            let value = value.trim().replace('"', "\\\"");
            return Some(Text::new(&QUOTE_HINT, args!(key = key, value = value)));
        }
    }
    candidates
        .clone()
        .any(|t| t.contains('：') && !t.contains(": "))
        .then(|| Text::new(&FULL_WIDTH_COLON_HINT, args!()))
}

/// The YAML parser's most common messages in Chinese; others are shown as the parser wrote
/// them. Matched by their start: the parser may add where the construct began.
const PARSER_ZH: [(&str, &str); 7] = [
    (
        "mapping values are not allowed in this context",
        "这里不能再出现“键: 值”（值里的“冒号加空格”会被当成又一个键）",
    ),
    (
        "did not find expected key",
        "这里应当是一个键（缩进是否对齐？）",
    ),
    ("could not find expected ':'", "没有找到键后面的冒号 `:`"),
    (
        "found character that cannot start any token",
        "这个字符不能出现在这里（常见于 Tab 缩进或全角符号）",
    ),
    (
        "found a tab character that violates indentation",
        "Tab 字符破坏了缩进",
    ),
    (
        "found unexpected end of stream",
        "内容意外结束（引号或括号没有闭合？）",
    ),
    (
        "did not find expected node content",
        "这里缺少内容（列表或键后面没有值？）",
    ),
];

static QUOTE_HINT: Words = Words {
    en: "the value holds `: `, which YAML reads as another key; put the value in quotes: `{key}: \"{value}\"`",
    zh: "值里含有“冒号加空格”，YAML 会把它当成又一个键；请给整个值加上引号：`{key}: \"{value}\"`",
};
static TAB_HINT: Words = Words {
    en: "this line is indented with a Tab; YAML indents with spaces only",
    zh: "这一行用 Tab 键缩进了；YAML 只能用空格缩进",
};
pub(crate) static FULL_WIDTH_COLON_HINT: Words = Words {
    en: "`：` is a full-width colon; after a key type the half-width `:` and a space (`title: 文章标题`)",
    zh: "“：”是全角冒号；键后面要用半角冒号 `:` 再加一个空格（`title: 文章标题`）",
};
static LIMIT_HINT: Words = Words {
    en: "gongdu refuses YAML built to exhaust a parser; write the values out plainly",
    zh: "gongdu 拒绝会耗尽解析器的 YAML；请把值直接写出来",
};

/// The parser's message names the error's own position (which the diagnostic shows) and
/// sometimes where the construct it was reading started, both counted within the YAML
/// text: drop the first and shift the others to lines of the file.
fn shift_positions(raw: &str, yaml_first_line: usize) -> String {
    const AT: &str = " at line ";
    let mut out = String::new();
    let mut rest = raw;
    let mut first = true;
    while let Some(i) = rest.find(AT) {
        out.push_str(&rest[..i]);
        let after = &rest[i + AT.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let line: Option<usize> = after[..digits].parse().ok();
        let column_part = after[digits..].strip_prefix(" column ");
        let (Some(line), Some(column_part)) = (line, column_part) else {
            out.push_str(AT);
            rest = after;
            continue;
        };
        let column_digits = column_part.bytes().take_while(u8::is_ascii_digit).count();
        if !first {
            let column = &column_part[..column_digits];
            out.push_str(&format!(
                " that starts at line {}, column {column}",
                line + yaml_first_line - 1
            ));
        }
        first = false;
        rest = &column_part[column_digits..];
    }
    out.push_str(rest);
    out
}

/// The message of an error met after parsing (reading a YAML value into a type), which
/// carries no position: shortened like a parser error's.
pub(crate) fn short_message(err: &serde_yaml::Error) -> String {
    friendly(&err.to_string())
}

/// serde's "unknown field `x`, expected one of …" is accurate but long; keep it short and
/// let the hint carry the suggestion. The parser's limits get plain words.
fn friendly(message: &str) -> String {
    if let Some((prefix, field, _)) = unknown_field(message) {
        return format!("{prefix}unknown field `{field}`");
    }
    match message {
        "repetition limit exceeded" => {
            "the YAML repeats aliases (`*name`) so often that it would expand beyond any real value"
                .to_owned()
        }
        "recursion limit exceeded" => format!("the YAML nests more than {MAX_NESTING} levels deep"),
        _ => message.to_owned(),
    }
}

fn limit_hint(message: &str) -> Option<Text> {
    message
        .ends_with("limit exceeded")
        .then(|| Text::new(&LIMIT_HINT, args!()))
}

fn unknown_field_hint(message: &str) -> Option<Text> {
    let (_, field, expected) = unknown_field(message)?;
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    Some(match diagnostic::suggest(field, &candidates) {
        Some(best) => Text::new(&words::DID_YOU_MEAN, args!(name = best)),
        None => Text::new(&words::KNOWN_FIELDS, args!(names = candidates.join(", "))),
    })
}

/// Splits "path: unknown field `x`, expected …" into (path prefix, x, expected list).
fn unknown_field(message: &str) -> Option<(&str, &str, &str)> {
    let start = message.find("unknown field `")?;
    let rest = &message[start + "unknown field `".len()..];
    let end = rest.find('`')?;
    Some((&message[..start], &rest[..end], &rest[end + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Fm {
        title: String,
        tags: Option<Vec<String>>,
    }

    #[test]
    fn unknown_field_points_into_the_file_and_suggests() {
        let file = "---\ntittle: 标题\n---\n";
        let err = serde_yaml::from_str::<Fm>("tittle: 标题\n").expect_err("typo");
        let d = diagnostic(&err, Path::new("a.md"), file, 2);
        assert_eq!((d.line, d.column), (2, 1));
        assert_eq!(d.message, "unknown field `tittle`");
        assert_eq!(d.hint.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn parser_limits_and_context_positions_read_as_the_file() {
        let file = "---\ntitle: \"unclosed\n---\n";
        let err = serde_yaml::from_str::<Fm>("title: \"unclosed\n").expect_err("quote");
        let d = diagnostic(&err, Path::new("a.md"), file, 2);
        assert_eq!(
            (d.line, d.column, d.message.as_str()),
            (
                3,
                1,
                "found unexpected end of stream, while scanning a quoted scalar that starts at line 2, column 8"
            )
        );
        let deep = format!("title: x\ntags: {}", "[".repeat(MAX_NESTING + 1));
        let d = from_str::<Fm>(&deep, Path::new("a.md"), "", 2).expect_err("deep");
        assert_eq!(
            (d.line, d.column, d.message.as_str()),
            (
                3,
                7 + MAX_NESTING,
                "`[` and `{` nest more than 128 levels deep here"
            )
        );
    }

    #[test]
    fn type_errors_keep_the_field_path() {
        let err = serde_yaml::from_str::<Fm>("title: x\ntags: 5\n").expect_err("bad type");
        let d = diagnostic(&err, Path::new("a.md"), "", 2);
        assert_eq!(d.line, 3);
        assert!(d.message.starts_with("tags: invalid type"), "{}", d.message);
    }

    #[test]
    fn key_spans_follow_nesting_and_list_items() {
        let yaml = "title: 新质生产力\npagination:\n  page_size: 0\nsource:\n  - title: 甲\n    date: 2024-13-01\n  -   title: 乙\n      date: x\nsummary: |\n  not: a key\nseries:\n- name: a\n  slug: '《》'\n\"tags\" : [a]\n";
        let spans = key_spans(yaml, 2);
        let at = |path: &str| {
            spans
                .get(path)
                .map(|s| (s.key.line, s.key.column, s.value.column))
        };
        assert_eq!(at("title"), Some((2, 1, 8)));
        assert_eq!(at("pagination.page_size"), Some((4, 3, 14)));
        assert_eq!(at("source.0.date"), Some((7, 5, 11)));
        assert_eq!(at("source.1.title"), Some((8, 7, 14)));
        assert_eq!(at("source.1.date"), Some((9, 7, 13)));
        assert_eq!(at("summary"), Some((10, 1, 10)));
        assert_eq!(at("summary.not"), None);
        assert_eq!(at("series.0.slug"), Some((14, 3, 9)));
        assert_eq!(at("tags"), Some((15, 1, 10)));
        assert_eq!(at("page_size"), None);
    }
}
