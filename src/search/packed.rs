//! The packed form of the bulky data files under `search/` (index version 6): postings
//! shards, big groups, tails and document blocks. `gongduSearch.<call>(<key>,"…")` carries
//! its JSON deflated (raw DEFLATE, RFC 1951, by libdeflate) and written in base64, and the
//! browser inflates it before the file counts as loaded (`assets/search/loader.js`). Packed,
//! a file takes about 0.6 of its JSON on the generated corpora, so a site needs fewer files
//! for the bytes a query loads (issue 15: at most 1.2 files a page).

use std::cell::RefCell;
use std::fmt::Display;

use base64::Engine;
use libdeflater::{CompressionLvl, Compressor};

/// libdeflate's level 1: on the search benchmark's text and postings about 0.46 of the JSON
/// (0.61 in base64) at 146 MB/s a core, where zlib's level 2 packs the same at 83 MB/s and
/// libdeflate's level 6 saves 4% more at 68 MB/s (docs/performance.md). Packing is most of
/// what the packed files cost a build, hence the fastest level that packs well.
const LEVEL: i32 = 1;

thread_local! {
    /// A compressor allocates its working tables when it is made: one a thread, reused.
    static COMPRESSOR: RefCell<Compressor> = RefCell::new(Compressor::new(
        CompressionLvl::new(LEVEL).expect("libdeflate has level 1"),
    ));
}

/// `gongduSearch.<call>(<key>,"<base64 of deflated json>");`
pub(super) fn script(call: &str, key: impl Display, json: &str) -> Vec<u8> {
    let deflated = COMPRESSOR.with_borrow_mut(|compressor| {
        let mut out = vec![0; compressor.deflate_compress_bound(json.len())];
        let len = (compressor.deflate_compress(json.as_bytes(), &mut out))
            .expect("the bound leaves room enough");
        out.truncate(len);
        out
    });
    let mut out = format!("gongduSearch.{call}({key},\"");
    base64::engine::general_purpose::STANDARD.encode_string(&deflated, &mut out);
    out.push_str("\");\n");
    out.into_bytes()
}

/// The two parts of a packed script: its call up to the payload, `gongduSearch.<call>(<key>,`,
/// and the payload's base64; `None` when `script` is not shaped so.
pub fn script_parts(script: &[u8]) -> Option<(&str, &str)> {
    let text = std::str::from_utf8(script).ok()?;
    let comma = text.find(",\"")?;
    let end = text.rfind("\");")?;
    Some((text.get(..=comma)?, text.get(comma + 2..end)?))
}

/// The JSON of a packed script, as the browser reads it; `None` when `script` is not one.
pub fn unpack(script: &[u8]) -> Option<String> {
    use std::io::Read;
    let (_, base64) = script_parts(script)?;
    let deflated = (base64::engine::general_purpose::STANDARD)
        .decode(base64)
        .ok()?;
    let mut json = String::new();
    flate2::read::DeflateDecoder::new(&deflated[..])
        .read_to_string(&mut json)
        .ok()?;
    Some(json)
}

/// `script` written plain, `gongduSearch.<call>(<key>,<json>);`, which the browser reads as
/// well; `None` when `script` is not packed. Where the bytes are compressed anyway, as in a
/// ZIM file, the plain JSON compresses to less than the packed form does.
pub fn plain(script: &[u8]) -> Option<Vec<u8>> {
    let (head, _) = script_parts(script)?;
    let json = unpack(script)?;
    Some(format!("{head}{json});\n").into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_packed_script_reads_back_to_its_json() {
        let json = r#"{"工会":"BCDE","新质生产力":"ABAB"}"#.repeat(20);
        let packed = script("shard", 7, &json);
        assert!(packed.starts_with(b"gongduSearch.shard(7,\""));
        assert!(packed.is_ascii(), "base64 only, whatever the text");
        assert!(packed.len() < json.len() / 2, "repetitive JSON shrinks");
        assert_eq!(unpack(&packed).as_deref(), Some(&json[..]));
        assert_eq!(unpack(b"gongduSearch.config({});"), None);
        let plain = String::from_utf8(plain(&packed).expect("plain")).expect("UTF-8");
        assert_eq!(plain, format!("gongduSearch.shard(7,{json});\n"));
    }
}
