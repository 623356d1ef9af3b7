//! An input file's bytes → text. UTF-8 first (with or without a BOM); otherwise chardetng
//! names the legacy encoding (GB18030/GBK, Big5, …) and encoding_rs decodes it. Bytes that
//! do not decode become U+FFFD, which the damage step flags at their line.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_8};

pub(super) struct Decoded {
    pub text: String,
    /// The encoding's name when it was not UTF-8.
    pub encoding: Option<&'static str>,
}

pub(super) fn decode(bytes: &[u8]) -> Decoded {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return Decoded {
            text: newlines(text.into_owned()),
            encoding: (encoding != UTF_8).then(|| encoding.name()),
        };
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Decoded {
            text: newlines(text.to_owned()),
            encoding: None,
        };
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, Utf8Detection::Deny);
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    Decoded {
        text: newlines(text.into_owned()),
        encoding: Some(encoding.name()),
    }
}

fn newlines(text: String) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_legacy_chinese_encodings() {
        let text = "工会帮扶中心为困难职工提供生活救助、就业帮扶和子女助学等服务。";
        let (gbk, _, _) = encoding_rs::GB18030.encode(text);
        let d = decode(&gbk);
        assert_eq!((d.text.as_str(), d.encoding), (text, Some("GBK")));
        let traditional = "工會幫扶中心為困難職工提供生活救助、就業幫扶和子女助學等服務。";
        let (big5, _, _) = encoding_rs::BIG5.encode(traditional);
        let d = decode(&big5);
        assert_eq!((d.text.as_str(), d.encoding), (traditional, Some("Big5")));
        assert_eq!(decode("\u{FEFF}工会\r\n".as_bytes()).text, "工会\n");
    }
}
