//! The packed form of the bulky data files under `search/` (index version 7): postings
//! shards, big groups, tails and document blocks. `gongduSearch.<call>(<key>,"…")` carries
//! its JSON deflated (raw DEFLATE, RFC 1951, by libdeflate) and written in base 85 (RFC 1924's
//! digits, which need no escaping in a JavaScript string), and the browser inflates it before
//! the file counts as loaded (`assets/search/loader.js`). Packed, a file takes about half of
//! its JSON on the generated corpora, so a site needs fewer files for the bytes a query loads
//! (issue 15: at most 1.2 files a page).
//!
//! Base 85 writes four bytes in five characters where base 64 wrote three in four: 6% fewer
//! bytes in every packed file, read by a loop of the loader's own instead of `atob`. A last run of
//! n < 4 bytes takes n + 1 characters, as Python's `base64.b85encode` writes them, so a tool
//! can read a packed file with `base64.b85decode` and `zlib.decompress(data, -15)`.

use std::cell::RefCell;
use std::fmt::Display;

use libdeflater::{CompressionLvl, Compressor};

/// How hard a file's JSON is deflated: libdeflate's levels, the fastest that packs each kind
/// of file well. Packing is most of what the packed files cost a build.
#[derive(Clone, Copy)]
pub(super) enum Level {
    /// Postings: level 1, about 0.49 of their JSON at 131 MB/s a core; levels 2 to 4 pack
    /// them no smaller (`hugo_compare.sh`'s 1,000 articles).
    Postings = 1,
    /// Document blocks: level 3, 0.365 of their JSON at 103 MB/s, where level 1 gave 0.391
    /// at 176 MB/s and level 6 0.356 at 68 MB/s (the same site). Each document a query shows
    /// costs it a whole block, so blocks are most of a query's bytes (docs/performance.md,
    /// "Denser packed files").
    Documents = 3,
}

thread_local! {
    /// A compressor allocates its working tables when it is made: one a level and a thread,
    /// made on first use and reused.
    static COMPRESSORS: RefCell<[Option<Compressor>; 2]> = const { RefCell::new([None, None]) };
}

/// `gongduSearch.<call>(<key>,"<base 85 of deflated json>");`
pub(super) fn script(call: &str, key: impl Display, json: &str, level: Level) -> Vec<u8> {
    let deflated = COMPRESSORS.with_borrow_mut(|compressors| {
        let slot = match level {
            Level::Postings => 0,
            Level::Documents => 1,
        };
        let compressor = compressors[slot].get_or_insert_with(|| {
            Compressor::new(CompressionLvl::new(level as i32).expect("a level libdeflate has"))
        });
        let mut out = vec![0; compressor.deflate_compress_bound(json.len())];
        let len = (compressor.deflate_compress(json.as_bytes(), &mut out))
            .expect("the bound leaves room enough");
        out.truncate(len);
        out
    });
    format!(
        "gongduSearch.{call}({key},\"{}\");\n",
        base85::encode(&deflated)
    )
    .into_bytes()
}

/// The two parts of a packed script: its call up to the payload, `gongduSearch.<call>(<key>,`,
/// and the payload in base 85; `None` when `script` is not shaped so.
pub fn script_parts(script: &[u8]) -> Option<(&str, &str)> {
    let text = std::str::from_utf8(script).ok()?;
    let comma = text.find(",\"")?;
    let end = text.rfind("\");")?;
    Some((text.get(..=comma)?, text.get(comma + 2..end)?))
}

/// The JSON of a packed script, as the browser reads it; `None` when `script` is not one.
pub fn unpack(script: &[u8]) -> Option<String> {
    let (_, payload) = script_parts(script)?;
    json_of(payload)
}

/// `script` written plain, `gongduSearch.<call>(<key>,<json>);`, which the browser reads as
/// well; `None` when `script` is not packed. Where the bytes are compressed anyway, as in a
/// ZIM file, the plain JSON compresses to less than the packed form does.
pub fn plain(script: &[u8]) -> Option<Vec<u8>> {
    let (head, payload) = script_parts(script)?;
    let json = json_of(payload)?;
    Some(format!("{head}{json});\n").into_bytes())
}

/// The JSON a payload (base 85 of deflated JSON) holds; `None` when it holds none.
fn json_of(payload: &str) -> Option<String> {
    use std::io::Read;
    let deflated = base85::decode(payload).ok()?;
    let mut json = String::new();
    flate2::read::DeflateDecoder::new(&deflated[..])
        .read_to_string(&mut json)
        .ok()?;
    Some(json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_packed_script_reads_back_to_its_json() {
        let json = r#"{"工会":"BCDE","新质生产力":"ABAB"}"#.repeat(20);
        let packed = script("shard", 7, &json, Level::Postings);
        assert!(packed.starts_with(b"gongduSearch.shard(7,\""));
        let (_, payload) = script_parts(&packed).expect("packed");
        assert!(
            !payload.contains(['"', '\\']) && payload.is_ascii(),
            "base 85 only, whatever the text"
        );
        assert!(packed.len() < json.len() / 2, "repetitive JSON shrinks");
        assert_eq!(unpack(&packed).as_deref(), Some(&json[..]));
        assert_eq!(unpack(b"gongduSearch.config({});"), None);
        let plain = String::from_utf8(plain(&packed).expect("plain")).expect("UTF-8");
        assert_eq!(plain, format!("gongduSearch.shard(7,{json});\n"));
    }

    /// The payload's base 85 is Python's `base64.b85encode`, whose last runs of one to three
    /// bytes `assets/search/loader.js` reads as two to four characters.
    #[test]
    fn base_85_is_written_as_python_writes_it() {
        let cases: [(&[u8], &str); 7] = [
            (b"h", "Xa"),
            (b"he", "Xk`"),
            (b"hel", "Xk}~"),
            (b"hell", "Xk~0{"),
            (b"hello", "Xk~0{Zv"),
            (b"\xff\xff\xff", "|Ns9"),
            (b"\xff", "{{"),
        ];
        for (bytes, text) in cases {
            assert_eq!(base85::encode(bytes), text);
            assert_eq!(base85::decode(text).expect("reads back"), bytes);
        }
    }
}
