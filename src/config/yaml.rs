//! Turns YAML errors into diagnostics that point into the user's file: positions are shifted
//! by the line the YAML starts on, and an unknown key gets a "did you mean" hint built from
//! the names serde says it expected.

use std::path::Path;

use crate::diagnostic::{self, Diagnostic};

/// `yaml_first_line` is the 1-based line of the file on which the YAML text begins.
pub fn diagnostic(
    err: &serde_yaml::Error,
    path: &Path,
    file_text: &str,
    yaml_first_line: usize,
) -> Diagnostic {
    let raw = err.to_string();
    let message = raw
        .rfind(" at line ")
        .map_or(raw.as_str(), |i| &raw[..i])
        .to_owned();
    let (line, column) = err.location().map_or((yaml_first_line, 1), |l| {
        (l.line() + yaml_first_line - 1, l.column())
    });
    let mut d = Diagnostic::error(path, friendly(&message)).at_in(file_text, line, column);
    if let Some(hint) = unknown_field_hint(&message) {
        d = d.with_hint(hint);
    }
    d
}

/// serde's "unknown field `x`, expected one of …" is accurate but long; keep it short and
/// let the hint carry the suggestion.
fn friendly(message: &str) -> String {
    match unknown_field(message) {
        Some((prefix, field, _)) => format!("{prefix}unknown field `{field}`"),
        None => message.to_owned(),
    }
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
    fn type_errors_keep_the_field_path() {
        let err = serde_yaml::from_str::<Fm>("title: x\ntags: 5\n").expect_err("bad type");
        let d = diagnostic(&err, Path::new("a.md"), "", 2);
        assert_eq!(d.line, 3);
        assert!(d.message.starts_with("tags: invalid type"), "{}", d.message);
    }
}
