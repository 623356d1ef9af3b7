//! The packed form of the bulky data files under `search/` (index version 6): postings
//! shards, big groups, tails and document blocks. `gongduSearch.<call>(<key>,"…")` carries
//! its JSON deflated (raw DEFLATE, RFC 1951) and written in base64, and the browser inflates
//! it before the file counts as loaded (`assets/search/loader.js`). Deflated, a file holds
//! about twice the postings or text in the same bytes, so a site needs fewer of them for the
//! same bytes a query loads (issue 15: at most 1.2 files a page).

use std::fmt::Display;
use std::io::Write;

use base64::Engine;
use flate2::Compression;
use flate2::write::DeflateEncoder;

/// zlib's level 2: on the search benchmark's text and postings about 0.45 of the JSON (0.60
/// in base64) at 80 MB/s a core, where level 6 saves 3% more and takes 1.4 times as long
/// and level 1 (a different, quicker method) leaves 0.60 (0.80) (docs/performance.md).
const LEVEL: u32 = 2;

/// `gongduSearch.<call>(<key>,"<base64 of deflated json>");`
pub(super) fn script(call: &str, key: impl Display, json: &str) -> Vec<u8> {
    let mut deflater =
        DeflateEncoder::new(Vec::with_capacity(json.len() / 2), Compression::new(LEVEL));
    deflater
        .write_all(json.as_bytes())
        .expect("writing to memory cannot fail");
    let deflated = deflater.finish().expect("writing to memory cannot fail");
    let mut out = format!("gongduSearch.{call}({key},\"");
    base64::engine::general_purpose::STANDARD.encode_string(&deflated, &mut out);
    out.push_str("\");\n");
    out.into_bytes()
}

/// The JSON of a packed script, as the browser reads it; `None` when `script` is not one.
pub fn unpack(script: &[u8]) -> Option<String> {
    use std::io::Read;
    let text = std::str::from_utf8(script).ok()?;
    let start = text.find(",\"")? + 2;
    let end = text.rfind("\");")?;
    let deflated = (base64::engine::general_purpose::STANDARD)
        .decode(text.get(start..end)?)
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
    let json = unpack(script)?;
    let text = std::str::from_utf8(script).ok()?;
    let head = text.get(..text.find(",\"")? + 1)?;
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
