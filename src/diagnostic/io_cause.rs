//! Why the system refused to read or follow a file, for the messages that report it (GD0201,
//! GD0305–GD0307, GD0703, GD0704, and the mirror package commands' errors): the system's own
//! words in English, and for a Chinese reader the common causes in Chinese with the system's
//! words after them, so that nothing it said is lost.

use std::io::ErrorKind;

use crate::args;

use super::Args;

/// `error` and `error_zh` for a message about `e`.
pub(crate) fn io_cause(e: &std::io::Error) -> Args {
    args!(error = e.to_string(), error_zh = io_zh(e))
}

/// Why `e` happened, for a Chinese reader: the common causes in Chinese with the system's
/// words after them, the others in the system's words.
pub(crate) fn io_zh(e: &std::io::Error) -> String {
    let said = e.to_string();
    let zh = match e.kind() {
        ErrorKind::NotFound => Some("没有这个文件或文件夹"),
        ErrorKind::PermissionDenied => Some("没有读取权限"),
        ErrorKind::IsADirectory => Some("这是文件夹，不是文件"),
        ErrorKind::NotADirectory => Some("路径中的某一段不是文件夹"),
        ErrorKind::InvalidData => Some("内容不是 UTF-8 编码的文字"),
        ErrorKind::Interrupted | ErrorKind::TimedOut => Some("读取被中断"),
        ErrorKind::FileTooLarge => Some("文件太大"),
        _ => None,
    };
    match zh {
        Some(words) => format!("{words}（{said}）"),
        None => said,
    }
}

/// [`io_cause`] for a folder walk's error, which may carry no system error (a loop).
pub(crate) fn walk_cause(e: &walkdir::Error) -> Args {
    match e.io_error() {
        Some(io) => io_cause(io),
        None => {
            let said = e.to_string();
            args!(error = said.clone(), error_zh = said)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_is_said_in_chinese_with_the_systems_words_after() {
        let e = std::fs::read("/no/such/gongdu/file").expect_err("missing");
        let args = io_cause(&e);
        let get = |key: &str| match args.iter().find(|(k, _)| *k == key) {
            Some((_, crate::diagnostic::Arg::Plain(text))) => text.clone(),
            _ => panic!("{key} is plain text"),
        };
        assert!(get("error").contains("No such file"), "{}", get("error"));
        assert!(
            get("error_zh").starts_with("没有这个文件或文件夹（No such file"),
            "{}",
            get("error_zh")
        );
    }
}
