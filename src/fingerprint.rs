//! 128-bit fingerprints of the inputs a file is made from, so that `serve` can tell which
//! outputs a change leaves as they were without rendering them again. xxh3 is fast enough to
//! hash every page's template context on each rebuild, and 128 bits make an accidental match
//! between different inputs practically impossible.

use std::fmt::{self, Write as _};

use xxhash_rust::xxh3::Xxh3;

/// A streaming fingerprint; write text or bytes into it, then [`Fingerprint::finish`].
#[derive(Default, Clone)]
pub(crate) struct Fingerprint(Xxh3);

impl Fingerprint {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    pub(crate) fn bytes(&mut self, bytes: &[u8]) -> &mut Self {
        // Length first, so that ("ab", "c") and ("a", "bc") differ.
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    /// The `Debug` form of `value`, written without building the string. Only for values
    /// whose `Debug` output is deterministic (no `HashMap`s inside).
    pub(crate) fn debug(&mut self, value: &impl fmt::Debug) -> &mut Self {
        write!(self, "{value:?}").expect("hashing cannot fail");
        self
    }

    /// A JSON value, by its structure: strings go in as they are (no escaping to do), each
    /// with its length and a tag for its kind, so different values cannot run together.
    pub(crate) fn json(&mut self, value: &serde_json::Value) -> &mut Self {
        use serde_json::Value;
        match value {
            Value::Null => self.0.update(b"n"),
            Value::Bool(b) => self.0.update(if *b { b"t" } else { b"f" }),
            Value::Number(n) => {
                self.0.update(b"#");
                write!(self, "{n};").expect("hashing cannot fail");
            }
            Value::String(s) => {
                self.0.update(b"s");
                self.bytes(s.as_bytes());
            }
            Value::Array(items) => {
                self.0.update(b"[");
                self.0.update(&(items.len() as u64).to_le_bytes());
                for item in items {
                    self.json(item);
                }
            }
            Value::Object(map) => {
                self.0.update(b"{");
                self.0.update(&(map.len() as u64).to_le_bytes());
                for (key, item) in map {
                    self.bytes(key.as_bytes());
                    self.json(item);
                }
            }
        }
        self
    }

    /// `value` through its `Hash` implementation (cheaper than its `Debug` form).
    pub(crate) fn hash(&mut self, value: &impl std::hash::Hash) -> &mut Self {
        value.hash(self);
        self
    }

    pub(crate) fn u128(&mut self, n: u128) -> &mut Self {
        self.0.update(&n.to_le_bytes());
        self
    }

    pub(crate) fn finish(&self) -> u128 {
        self.0.digest128()
    }
}

impl std::hash::Hasher for Fingerprint {
    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    /// Unused: a fingerprint is read with [`Fingerprint::finish`], which keeps all 128 bits.
    fn finish(&self) -> u64 {
        self.0.digest()
    }
}

impl fmt::Write for Fingerprint {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.update(s.as_bytes());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_inputs_match_and_different_ones_do_not() {
        let of = |parts: &[&str]| {
            let mut f = Fingerprint::new();
            for p in parts {
                f.bytes(p.as_bytes());
            }
            f.finish()
        };
        assert_eq!(of(&["page.html", "工会"]), of(&["page.html", "工会"]));
        assert_ne!(of(&["ab", "c"]), of(&["a", "bc"]));
        let json = serde_json::json!({ "title": "工会驿站", "n": 1 });
        assert_eq!(
            Fingerprint::new().json(&json).finish(),
            Fingerprint::new().json(&json.clone()).finish()
        );
        for other in [
            serde_json::json!({ "title": "工会驿站", "n": 2 }),
            serde_json::json!({ "title": "工会驿站", "n": "1" }),
            serde_json::json!({ "title": ["工会驿站"], "n": 1 }),
            serde_json::json!({ "title": "工会", "n": 1, "驿站": null }),
        ] {
            assert_ne!(
                Fingerprint::new().json(&json).finish(),
                Fingerprint::new().json(&other).finish(),
                "{other}"
            );
        }
    }
}
