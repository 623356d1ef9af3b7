//! Reading the YAML an editor writes (site.yaml, front matter) and turning its errors into
//! diagnostics that point into the user's file: positions are shifted by the line the YAML
//! starts on, an unknown key gets a "did you mean" hint built from the names serde says it
//! expected, and input built to exhaust the parser (alias bombs, deep nesting) is refused.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostic::{self, Diagnostic};

/// How deep `[` and `{` may nest. The YAML parser takes time quadratic in this depth, so deeper
/// text is refused before it is parsed; the deserializer stops block nesting at the same depth.
pub const MAX_NESTING: usize = 128;

/// Parses `yaml`, which starts on line `yaml_first_line` of `file_text`.
pub fn from_str<T: DeserializeOwned>(
    yaml: &str,
    path: &Path,
    file_text: &str,
    yaml_first_line: usize,
) -> Result<T, Diagnostic> {
    if let Some((line, column)) = too_deep(yaml) {
        return Err(Diagnostic::error(
            path,
            format!("`[` and `{{` nest more than {MAX_NESTING} levels deep here"),
        )
        .at_in(file_text, line + yaml_first_line - 1, column));
    }
    serde_yaml::from_str(yaml).map_err(|e| diagnostic(&e, path, file_text, yaml_first_line))
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

/// `yaml_first_line` is the 1-based line of the file on which the YAML text begins.
pub fn diagnostic(
    err: &serde_yaml::Error,
    path: &Path,
    file_text: &str,
    yaml_first_line: usize,
) -> Diagnostic {
    let message = shift_positions(&err.to_string(), yaml_first_line);
    let (line, column) = err.location().map_or((yaml_first_line, 1), |l| {
        (l.line() + yaml_first_line - 1, l.column())
    });
    let mut d = Diagnostic::error(path, friendly(&message)).at_in(file_text, line, column);
    if let Some(hint) = unknown_field_hint(&message) {
        d = d.with_hint(hint);
    } else if let Some(hint) = limit_hint(&message) {
        d = d.with_hint(hint);
    }
    d
}

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

fn limit_hint(message: &str) -> Option<String> {
    message.ends_with("limit exceeded").then(|| {
        "gongdu refuses YAML built to exhaust a parser; write the values out plainly".to_owned()
    })
}

fn unknown_field_hint(message: &str) -> Option<String> {
    let (_, field, expected) = unknown_field(message)?;
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    Some(match diagnostic::suggest(field, &candidates) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!("known fields here: {}", candidates.join(", ")),
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
}
