//! How `serve` holds each file of the built site in memory: as it is sent (a page with the
//! live-reload script already in it), gzip-compressed where that pays. The pages of 10,000
//! articles are 337 MB as built and 116 MB as gzip, and gzip is what every browser takes
//! as it is; a client that does not take it gets the bytes decompressed. Sending the
//! compressed bytes with the right headers is the HTTP side's business.

use std::borrow::Cow;
use std::io::{Read, Write};

use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;

use super::live;
use crate::http::response;
use crate::site::SitePath;

/// Files smaller than this are held as they are. Below about a kilobyte a response fits one
/// network packet either way and gzip's header and tables eat much of what it saves, while
/// every request for a compressed file that a client cannot take costs a decompression.
const SMALL: usize = 1024;

/// One served file.
pub(crate) enum Held {
    /// A small file, or one in a format that compresses poorly or is compressed already
    /// (images, fonts, audio, archives): its bytes as sent.
    Plain(Vec<u8>),
    /// The gzip (fastest level) of the bytes as sent.
    Gzip(Vec<u8>),
}

/// The bytes to send for a file, as they are held.
#[derive(Clone, Copy)]
pub(crate) enum Body<'a> {
    Plain(&'a [u8]),
    Gzip(&'a [u8]),
}

impl Held {
    /// How the built file at `path` is held. The fastest level is chosen by measurement: on the
    /// 10,000-article corpus it compresses the pages at 110 MB/s a core to 116 MB, where the
    /// default level takes twice the time for 8 % less; and it runs on the rendering threads
    /// of every rebuild, for every page that changed.
    pub(crate) fn new(path: &SitePath, built: &[u8]) -> Held {
        Held::of(path.as_str(), built)
    }

    fn of(path: &str, built: &[u8]) -> Held {
        let sent = if is_page(path) {
            live::inject(built)
        } else {
            built.to_vec()
        };
        if sent.len() < SMALL || !compressible(path) {
            return Held::Plain(sent);
        }
        let packed = gzip(&sent);
        if packed.len() < sent.len() {
            Held::Gzip(packed)
        } else {
            Held::Plain(sent)
        }
    }

    pub(crate) fn body(&self) -> Body<'_> {
        match self {
            Held::Plain(bytes) => Body::Plain(bytes),
            Held::Gzip(bytes) => Body::Gzip(bytes),
        }
    }

    /// What the build wrote at `path`: the bytes as sent, decompressed, without the live-reload
    /// script.
    pub(crate) fn built(&self, path: &str) -> Vec<u8> {
        let sent = self.body().plain();
        if is_page(path) {
            live::remove(&sent)
        } else {
            sent.into_owned()
        }
    }
}

impl<'a> Body<'a> {
    /// The bytes as sent to a client that does not take gzip.
    pub(crate) fn plain(self) -> Cow<'a, [u8]> {
        match self {
            Body::Plain(bytes) => Cow::Borrowed(bytes),
            Body::Gzip(packed) => {
                let mut out = Vec::with_capacity(packed.len() * 3);
                GzDecoder::new(packed)
                    .read_to_end(&mut out)
                    .expect("held gzip was written whole by this process");
                Cow::Owned(out)
            }
        }
    }
}

/// Whether the file at `path` is a page, which is sent with the live-reload script.
pub(crate) fn is_page(path: &str) -> bool {
    extension(path) == "html"
}

pub(crate) fn extension(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or("")
}

/// Text formats; everything else gongdu serves (images, fonts, audio, video, PDF, archives)
/// is compressed already.
fn compressible(path: &str) -> bool {
    let kind = response::content_type(extension(path));
    kind.starts_with("text/")
        || kind.starts_with("application/json")
        || kind.starts_with("application/xml")
        || kind.starts_with("image/svg+xml")
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(bytes.len() / 3), Compression::fast());
    encoder
        .write_all(bytes)
        .expect("writing to memory cannot fail");
    encoder.finish().expect("writing to memory cannot fail")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(words: usize) -> Vec<u8> {
        let text = "<p>工人读书，学以致用。</p>\n".repeat(words);
        format!("<html><body>{text}</body></html>").into_bytes()
    }

    #[test]
    fn pages_are_held_compressed_with_the_script_and_give_back_what_was_built() {
        let built = page(200);
        let held = Held::of("a/index.html", &built);
        let Body::Gzip(packed) = held.body() else {
            panic!("a large page is compressed");
        };
        assert!(packed.len() < built.len() / 4, "{} bytes", packed.len());
        assert_eq!(held.body().plain().as_ref(), live::inject(&built));
        assert_eq!(held.built("a/index.html"), built);
    }

    #[test]
    fn small_files_and_compressed_formats_are_held_as_they_are() {
        let small = page(2);
        let held = Held::of("a/index.html", &small);
        assert!(matches!(held.body(), Body::Plain(_)));
        assert_eq!(held.built("a/index.html"), small);
        let image = vec![0_u8; 64 * 1024];
        assert!(matches!(
            Held::of("assets/a.png", &image).body(),
            Body::Plain(bytes) if bytes == image.as_slice()
        ));
        let script = b"var x = 1;\n".repeat(500);
        let held = Held::of("search/s/0.js", &script);
        assert!(matches!(held.body(), Body::Gzip(_)));
        assert_eq!(held.built("search/s/0.js"), script);
    }
}
