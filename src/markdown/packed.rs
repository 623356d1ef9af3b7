//! Text held compressed while a build keeps it, on a site large enough for the memory to
//! matter ([`Packing`]). An article's HTML is made when its Markdown is rendered and read
//! once, when its page is written (and by the feed of the newest), but held in between: at
//! 100,000 articles more than a gigabyte of UTF-8, the largest thing a build holds. zstd's
//! fastest level packs it to a half or a third for a few per cent of the build's time
//! (docs/performance.md, "Memory").
//!
//! The plain text of an article (for search, snippets and related articles) is held packed
//! only on a larger site: it is read three times, so packing it costs more time than the
//! HTML's packing, for as much memory again.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;

/// zstd's level 1: the fastest of the ordinary levels; higher ones cost far more time for a
/// few per cent of size.
const LEVEL: i32 = 1;

/// From this many pages on, a site's HTML is held packed. At 10,000 articles (17,500 pages)
/// that keeps a build near 400 MB instead of 490 and the live preview under a gigabyte; at
/// 1,000 articles the build holds about 100 MB either way, and packing was 6 % of its CPU time.
const PACK_HTML_FROM: usize = 5_000;

/// From this many pages on, `gongdu build` holds the HTML packed: it lets go of the HTML
/// once the pages are written, before the search index, so its peak is no longer where the
/// HTML is held. At 10,000 articles not packing saves about 9 % of the build's CPU time.
const BUILD_PACKS_HTML_FROM: usize = 20_000;

/// From this many pages on, a site's plain texts are held packed too. At 100,000 articles
/// that lowered a build's peak by 470–590 MiB (15–18 %) for 12–13 % more time
/// (docs/performance.md); on smaller sites the time is worth more than the memory.
const PACK_TEXTS_FROM: usize = 20_000;

/// What a site holds packed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Packing {
    pub html: bool,
    pub texts: bool,
}

impl Packing {
    /// What a site of `pages` pages holds packed.
    pub(crate) fn for_pages(pages: usize) -> Packing {
        Packing {
            html: pages >= PACK_HTML_FROM,
            texts: pages >= PACK_TEXTS_FROM,
        }
    }

    /// What `gongdu build` holds packed on a site of `pages` pages; it holds the HTML for a
    /// shorter time than `serve`, which keeps it between saves.
    pub(crate) fn for_build(pages: usize) -> Packing {
        Packing {
            html: pages >= BUILD_PACKS_HTML_FROM,
            ..Packing::for_pages(pages)
        }
    }

    /// Both packed, whatever the size.
    #[cfg(test)]
    pub(crate) const ALL: Packing = Packing {
        html: true,
        texts: true,
    };
}

thread_local! {
    // One context per thread, made once: each of thousands of documents packs on whichever
    // thread of the pool renders it, and a context is costly to set up.
    static PACKER: RefCell<Option<zstd::bulk::Compressor<'static>>> = const { RefCell::new(None) };
    static UNPACKER: RefCell<Option<zstd::bulk::Decompressor<'static>>> = const { RefCell::new(None) };
}

/// A string kept zstd-compressed (or, where packing is not worth it, as it is);
/// [`Packed::unpack`] gives it back.
#[derive(Clone, PartialEq, Eq)]
pub enum Packed {
    Plain(String),
    Zstd {
        /// One zstd frame, or two: the text's head, then the rest.
        bytes: Box<[u8]>,
        /// The length of the text, in bytes (zstd needs it to unpack in one go).
        len: usize,
        /// With two frames: the first frame's length, and the length of the head it holds.
        head: Option<(usize, usize)>,
    },
}

impl Default for Packed {
    fn default() -> Packed {
        Packed::Plain(String::new())
    }
}

impl Packed {
    /// `text`, compressed.
    pub fn new(text: &str) -> Packed {
        Packed::zstd(text, None)
    }

    /// `text` compressed when `pack` says so, else as it is.
    pub fn new_if(pack: bool, text: String) -> Packed {
        if pack {
            Packed::new(&text)
        } else {
            Packed::Plain(text)
        }
    }

    /// `text`, compressed so that its first `chars` characters come back on their own
    /// ([`Packed::head`]) for a sixth of the work of unpacking it all.
    pub fn with_head(text: &str, chars: usize) -> Packed {
        Packed::zstd(text, text.char_indices().nth(chars).map(|(at, _)| at))
    }

    /// `text` in one zstd frame, or in two when it is split at byte `head_at`.
    fn zstd(text: &str, head_at: Option<usize>) -> Packed {
        if text.is_empty() {
            return Packed::default();
        }
        let parts = match head_at {
            Some(at) => vec![&text[..at], &text[at..]],
            None => vec![text],
        };
        let frames: Vec<Vec<u8>> = PACKER.with_borrow_mut(|packer| {
            let packer = match packer {
                Some(p) => p,
                None => packer.insert(zstd::bulk::Compressor::new(LEVEL).expect("zstd level 1")),
            };
            (parts.iter())
                .map(|part| {
                    (packer.compress(part.as_bytes())).expect("compressing into memory cannot fail")
                })
                .collect()
        });
        Packed::Zstd {
            head: head_at.map(|at| (frames[0].len(), at)),
            bytes: frames.concat().into_boxed_slice(),
            len: text.len(),
        }
    }

    pub fn unpack(&self) -> Cow<'_, str> {
        match self {
            Packed::Plain(text) => Cow::Borrowed(text),
            // zstd unpacks frames one after another in one call.
            Packed::Zstd { bytes, len, .. } => Cow::Owned(unzstd(bytes, *len)),
        }
    }

    /// At least the head that [`Packed::with_head`] kept apart, and maybe more (all of a
    /// text packed otherwise).
    pub fn head(&self) -> Cow<'_, str> {
        match self {
            Packed::Zstd {
                bytes,
                head: Some((packed, len)),
                ..
            } => Cow::Owned(unzstd(&bytes[..*packed], *len)),
            _ => self.unpack(),
        }
    }

    /// Bytes that stand for the text where only sameness matters: the same text held the
    /// same way gives the same bytes (one zstd level, one library). `serve`'s search index
    /// compares them between rebuilds without unpacking every text.
    pub fn held_bytes(&self) -> &[u8] {
        match self {
            Packed::Plain(text) => text.as_bytes(),
            Packed::Zstd { bytes, .. } => bytes,
        }
    }

    /// The length of the text in bytes.
    pub fn len(&self) -> usize {
        match self {
            Packed::Plain(text) => text.len(),
            Packed::Zstd { len, .. } => *len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn unzstd(bytes: &[u8], len: usize) -> String {
    let bytes = UNPACKER.with_borrow_mut(|unpacker| {
        let unpacker = match unpacker {
            Some(u) => u,
            None => unpacker.insert(zstd::bulk::Decompressor::new().expect("zstd context")),
        };
        unpacker.decompress(bytes, len)
    });
    String::from_utf8(bytes.expect("packed by Packed")).expect("packed from a str")
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
            packed.held_bytes().len() < html.len() / 4,
            "{}",
            packed.held_bytes().len()
        );
        assert_eq!(
            (packed.unpack(), packed.len()),
            (html.as_str().into(), html.len())
        );
        assert_eq!(packed, Packed::new(&html), "the same text packs the same");
        assert_ne!(packed, Packed::new(&html.replace("先进", "落后")));
        assert_eq!(Packed::new("").unpack(), "");
        assert!(Packed::new("").is_empty() && !packed.is_empty());
        let plain = Packed::Plain(html.clone());
        assert_eq!(
            (plain.unpack(), plain.head()),
            (html.as_str().into(), html.as_str().into())
        );
        assert_eq!(plain.held_bytes(), html.as_bytes());
    }

    #[test]
    fn what_is_packed_grows_with_the_site() {
        // The pages of issue 15's corpus at 1,000, 10,000 and 100,000 articles.
        assert_eq!(Packing::for_pages(1_891), Packing::default());
        let html_only = Packing {
            html: true,
            texts: false,
        };
        assert_eq!(Packing::for_pages(17_584), html_only);
        assert_eq!(Packing::for_pages(175_128), Packing::ALL);
        // A build lets go of the HTML before its search index: packed only on large sites.
        assert_eq!(Packing::for_build(17_584), Packing::default());
        assert_eq!(Packing::for_build(175_128), Packing::ALL);
    }

    #[test]
    fn a_head_packed_apart_comes_back_on_its_own() {
        let text = "工人阶级是我国的领导阶级。".repeat(40);
        let packed = Packed::with_head(&text, 30);
        assert_eq!(packed.unpack(), text);
        let head = packed.head();
        assert_eq!(head, text.chars().take(30).collect::<String>());
        assert!(packed.held_bytes().len() < text.len() / 4);
        // Shorter than the head: one frame, all of it.
        let short = Packed::with_head("工会", 30);
        assert_eq!(
            (short.unpack(), short.head()),
            ("工会".into(), "工会".into())
        );
    }
}
