//! Text held compressed while a build keeps it. An article's HTML is made when its Markdown is
//! rendered and read once, when its page is written (and by the feed of the newest), but held
//! in between: at 100,000 articles more than a gigabyte of UTF-8, the largest thing a build
//! holds. zstd's fastest level packs it to a half or a third for a few per cent of the build's
//! time (docs/performance.md, "Memory").

use std::cell::RefCell;
use std::fmt;

/// zstd's level 1: the fastest of the ordinary levels; higher ones cost far more time for a
/// few per cent of size.
const LEVEL: i32 = 1;

thread_local! {
    // One context per thread, made once: each of thousands of documents packs on whichever
    // thread of the pool renders it, and a context is costly to set up.
    static PACKER: RefCell<Option<zstd::bulk::Compressor<'static>>> = const { RefCell::new(None) };
    static UNPACKER: RefCell<Option<zstd::bulk::Decompressor<'static>>> = const { RefCell::new(None) };
}

/// A string kept zstd-compressed; [`Packed::unpack`] gives it back.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Packed {
    bytes: Box<[u8]>,
    /// The length of the text, in bytes (zstd needs it to unpack in one go).
    len: usize,
}

impl Packed {
    pub fn new(text: &str) -> Packed {
        if text.is_empty() {
            return Packed::default();
        }
        let bytes = PACKER.with_borrow_mut(|packer| {
            let packer = match packer {
                Some(p) => p,
                None => packer.insert(zstd::bulk::Compressor::new(LEVEL).expect("zstd level 1")),
            };
            packer.compress(text.as_bytes())
        });
        Packed {
            bytes: bytes
                .expect("compressing into memory cannot fail")
                .into_boxed_slice(),
            len: text.len(),
        }
    }

    pub fn unpack(&self) -> String {
        if self.len == 0 {
            return String::new();
        }
        let bytes = UNPACKER.with_borrow_mut(|unpacker| {
            let unpacker = match unpacker {
                Some(u) => u,
                None => unpacker.insert(zstd::bulk::Decompressor::new().expect("zstd context")),
            };
            unpacker.decompress(&self.bytes, self.len)
        });
        String::from_utf8(bytes.expect("packed by Packed::new")).expect("packed from a str")
    }

    /// The length of the text in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl fmt::Debug for Packed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.unpack(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_and_gives_back_the_same_text() {
        let html = "<p>新质生产力是创新起主导作用的先进生产力质态。</p>\n".repeat(50);
        let packed = Packed::new(&html);
        assert!(
            packed.bytes.len() < html.len() / 4,
            "{}",
            packed.bytes.len()
        );
        assert_eq!((packed.unpack(), packed.len()), (html.clone(), html.len()));
        assert_eq!(packed, Packed::new(&html), "the same text packs the same");
        assert_ne!(packed, Packed::new(&html.replace("先进", "落后")));
        assert_eq!(Packed::new("").unpack(), "");
        assert!(Packed::new("").is_empty() && !packed.is_empty());
    }
}
