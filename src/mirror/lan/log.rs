//! The optional access log: one line per request with the time (UTC), method, path, status
//! and bytes sent, and nothing about the reader (no address, no user agent, no query string,
//! no referrer), so the centre keeps a count of what is read without keeping who read it.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::sync::mpsc::{Sender, channel};

/// Lines are written by one thread of their own, so that a slow disk never holds up an
/// answer; it flushes whenever no more lines are waiting.
pub(crate) struct AccessLog {
    lines: Sender<String>,
}

impl AccessLog {
    /// Appends to `path` (created if missing).
    pub(crate) fn open(path: &Path) -> io::Result<AccessLog> {
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        let (lines, waiting) = channel::<String>();
        std::thread::Builder::new()
            .name("gongdu-access-log".into())
            .spawn(move || write_lines(BufWriter::new(file), waiting))?;
        Ok(AccessLog { lines })
    }

    pub(crate) fn record(&self, method: &str, path: &str, status: u16, bytes: u64) {
        let time = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ");
        let line = format!("{time} {method} {} {status} {bytes}\n", readable(path));
        // The writer ends only with the process; a line lost then is no loss.
        let _ = self.lines.send(line);
    }
}

fn write_lines(mut out: BufWriter<File>, waiting: std::sync::mpsc::Receiver<String>) {
    while let Ok(line) = waiting.recv() {
        let mut result = out.write_all(line.as_bytes());
        while let Ok(more) = waiting.try_recv() {
            result = result.and_then(|()| out.write_all(more.as_bytes()));
        }
        if let Err(e) = result.and_then(|()| out.flush()) {
            eprintln!("warning: access log: {e}; no more lines are written");
            return;
        }
    }
}

/// The path decoded for people who read Chinese, with anything that could break the line
/// (spaces, control characters, invalid UTF-8) left percent-encoded.
fn readable(path: &str) -> String {
    let Ok(decoded) = percent_encoding::percent_decode_str(path).decode_utf8() else {
        return path.to_owned();
    };
    let mut out = String::with_capacity(decoded.len());
    for c in decoded.chars() {
        if c.is_control() || c.is_whitespace() || c == '%' {
            let mut utf8 = [0; 4];
            for b in c.encode_utf8(&mut utf8).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_readable_and_stay_on_one_line() {
        assert_eq!(
            readable("/%E5%B7%A5%E4%BC%9A/index.html"),
            "/工会/index.html"
        );
        assert_eq!(readable("/a%0Ab%20c%25"), "/a%0Ab%20c%25");
        assert_eq!(readable("/%FF"), "/%FF");
    }

    #[test]
    fn a_line_holds_time_method_path_status_bytes_only() {
        let dir = tempfile::tempdir().expect("temp");
        let path = dir.path().join("access.log");
        let log = AccessLog::open(&path).expect("open");
        log.record("GET", "/%E5%B7%A5/", 200, 1234);
        drop(log);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        let mut text = String::new();
        while text.is_empty() && std::time::Instant::now() < deadline {
            text = std::fs::read_to_string(&path).expect("read");
        }
        let fields: Vec<&str> = text.trim_end().split(' ').collect();
        assert_eq!(fields.len(), 5, "{text}");
        assert!(
            fields[0].ends_with('Z') && fields[0].contains('T'),
            "{text}"
        );
        assert_eq!(&fields[1..], ["GET", "/工/", "200", "1234"]);
    }
}
