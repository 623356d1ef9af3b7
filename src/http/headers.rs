//! The request headers that choose what a server sends: `Range` (one range of bytes),
//! `Accept-Encoding` (whether a compressed copy may be sent) and the validators of
//! conditional requests. Pure functions of header text, so each rule is tested on its own.

use std::time::{Duration, SystemTime};

/// What a `Range` header asks of a file of `len` bytes.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Wanted {
    /// The whole file: no range, a kind other than bytes, or several ranges (which this
    /// server does not combine into a multipart answer; sending everything is allowed).
    Whole,
    /// Bytes `start..end` (end exclusive), never empty.
    Part { start: u64, end: u64 },
    /// A well-formed range that lies wholly past the end: `416`.
    Unsatisfiable,
}

/// Reads `bytes=a-b`, `bytes=a-` and `bytes=-n` for a file of `len` bytes.
pub(crate) fn range(header: &str, len: u64) -> Wanted {
    let Some(spec) = header.trim().strip_prefix("bytes=") else {
        return Wanted::Whole;
    };
    if spec.contains(',') {
        return Wanted::Whole;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return Wanted::Whole;
    };
    let number = |text: &str| -> Option<u64> {
        (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()))
            .then(|| text.parse().ok())
            .flatten()
    };
    match (number(first), number(last), last.is_empty()) {
        // The last n bytes.
        (None, Some(n), _) if first.is_empty() => {
            if n == 0 || len == 0 {
                Wanted::Unsatisfiable
            } else {
                Wanted::Part {
                    start: len.saturating_sub(n),
                    end: len,
                }
            }
        }
        (Some(start), None, true) => part(start, len, len),
        (Some(start), Some(last), _) if last >= start => part(start, last.saturating_add(1), len),
        _ => Wanted::Whole, // malformed: ignored, as the standard says
    }
}

fn part(start: u64, end: u64, len: u64) -> Wanted {
    if start >= len {
        Wanted::Unsatisfiable
    } else {
        Wanted::Part {
            start,
            end: end.min(len),
        }
    }
}

/// A precompressed twin a client may receive instead of the file itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Twin {
    Brotli,
    Gzip,
}

impl Twin {
    /// Best first: brotli files are smaller.
    pub(crate) const ALL: [Twin; 2] = [Twin::Brotli, Twin::Gzip];

    pub(crate) fn suffix(self) -> &'static str {
        match self {
            Twin::Brotli => ".br",
            Twin::Gzip => ".gz",
        }
    }

    pub(crate) fn coding(self) -> &'static str {
        match self {
            Twin::Brotli => "br",
            Twin::Gzip => "gzip",
        }
    }
}

/// Whether `Accept-Encoding` accepts `twin`: named (or `*`) with a quality above zero, and not
/// refused by name.
pub(crate) fn accepts(header: &str, twin: Twin) -> bool {
    let mut star = false;
    for item in header.split(',') {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or("").trim();
        let quality = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .filter_map(|q| q.trim().parse::<f32>().ok())
            .next()
            .unwrap_or(1.0);
        if name.eq_ignore_ascii_case(twin.coding())
            || (twin == Twin::Gzip && name.eq_ignore_ascii_case("x-gzip"))
        {
            return quality > 0.0;
        }
        if name == "*" {
            star = quality > 0.0;
        }
    }
    star
}

/// Whether `If-None-Match` names `tag` (weakly compared, as the standard asks for GET).
pub(crate) fn none_match_hits(header: &str, tag: &str) -> bool {
    header
        .split(',')
        .map(str::trim)
        .any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == tag)
}

/// Whether the file, last changed at `modified`, is no newer than `If-Modified-Since` says
/// (HTTP dates have whole seconds).
pub(crate) fn unmodified_since(header: &str, modified: SystemTime) -> bool {
    let Ok(since) = httpdate::parse_http_date(header.trim()) else {
        return false;
    };
    whole_seconds(modified) <= since
}

/// Whether `If-Range` still names this file: its exact tag, or its exact date.
pub(crate) fn if_range_holds(header: &str, tag: &str, modified: SystemTime) -> bool {
    let header = header.trim();
    if header.starts_with('"') {
        return header == tag;
    }
    httpdate::parse_http_date(header).is_ok_and(|date| date == whole_seconds(modified))
}

fn whole_seconds(time: SystemTime) -> SystemTime {
    let seconds = time
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    SystemTime::UNIX_EPOCH + Duration::from_secs(seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_suffix_and_open_ranges() {
        let part = |start, end| Wanted::Part { start, end };
        assert_eq!(range("bytes=0-9", 100), part(0, 10));
        assert_eq!(range("bytes=90-", 100), part(90, 100));
        assert_eq!(range("bytes=-10", 100), part(90, 100));
        assert_eq!(range("bytes=-500", 100), part(0, 100));
        assert_eq!(range("bytes=50-500", 100), part(50, 100));
        assert_eq!(range("bytes=100-", 100), Wanted::Unsatisfiable);
        assert_eq!(range("bytes=200-300", 100), Wanted::Unsatisfiable);
        assert_eq!(range("bytes=-0", 100), Wanted::Unsatisfiable);
        assert_eq!(range("bytes=0-", 0), Wanted::Unsatisfiable);
    }

    #[test]
    fn malformed_or_multiple_ranges_mean_the_whole_file() {
        for odd in [
            "bytes=0-1,5-6",
            "items=0-1",
            "bytes=5-1",
            "bytes=a-b",
            "bytes=-",
            "bytes=+1-2",
            "bytes=1",
            "",
        ] {
            assert_eq!(range(odd, 100), Wanted::Whole, "{odd}");
        }
    }

    #[test]
    fn encodings_by_name_star_and_quality() {
        assert!(accepts("gzip, deflate, br", Twin::Brotli));
        assert!(accepts("gzip, deflate, br", Twin::Gzip));
        assert!(!accepts("gzip", Twin::Brotli));
        assert!(accepts("*", Twin::Brotli));
        assert!(!accepts("br;q=0, *", Twin::Brotli));
        assert!(!accepts("gzip;q=0", Twin::Gzip));
        assert!(accepts("GZIP;q=0.5", Twin::Gzip));
        assert!(!accepts("identity", Twin::Gzip));
        assert!(!accepts("", Twin::Gzip));
    }

    #[test]
    fn validators() {
        assert!(none_match_hits("\"a\", W/\"b\"", "\"b\""));
        assert!(none_match_hits("*", "\"x\""));
        assert!(!none_match_hits("\"a\"", "\"b\""));
        let modified = SystemTime::UNIX_EPOCH + Duration::from_millis(784_111_777_500);
        let date = "Sun, 06 Nov 1994 08:49:37 GMT";
        assert!(unmodified_since(date, modified));
        assert!(!unmodified_since(date, modified + Duration::from_secs(1)));
        assert!(!unmodified_since("yesterday", modified));
        assert!(if_range_holds(date, "\"t\"", modified));
        assert!(if_range_holds("\"t\"", "\"t\"", modified));
        assert!(!if_range_holds("W/\"t\"", "\"t\"", modified));
    }
}
