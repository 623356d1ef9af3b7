//! The byte layout of a ZIM file (openZIM format, major version 6 with the "new namespace
//! scheme", minor version 1): the fixed header, directory entries and clusters. Pure encoding
//! and decoding of those pieces; where they go in the file is the writer's business.

/// "ZIM\x04" read as a little-endian u32.
pub(crate) const MAGIC: u32 = 0x044D_495A;
pub(crate) const MAJOR_VERSION: u16 = 6;
/// Minor version 1 marks the namespace scheme readers of libzim 7 and later expect: user
/// content in `C`, metadata in `M`, well-known entries in `W`, indexes in `X`. libzim 8 (what
/// Debian's zim-tools and kiwix-tools are built on) writes the same.
pub(crate) const MINOR_VERSION: u16 = 1;
pub(crate) const HEADER_LEN: usize = 80;
/// "No entry" in the header's main page and layout page fields.
pub(crate) const NO_ENTRY: u32 = u32::MAX;
/// The MIME index that marks a directory entry as a redirect.
pub(crate) const REDIRECT_MIME: u16 = 0xFFFF;
/// Cluster compression codes (low four bits of a cluster's first byte).
pub(crate) const CLUSTER_STORED: u8 = 1;
pub(crate) const CLUSTER_ZSTD: u8 = 5;
pub(crate) const CHECKSUM_LEN: usize = 16;

/// The 80-byte file header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Header {
    pub(crate) uuid: [u8; 16],
    pub(crate) entry_count: u32,
    pub(crate) cluster_count: u32,
    pub(crate) path_ptr_pos: u64,
    pub(crate) title_ptr_pos: u64,
    pub(crate) cluster_ptr_pos: u64,
    pub(crate) mime_list_pos: u64,
    pub(crate) main_page: u32,
    pub(crate) layout_page: u32,
    pub(crate) checksum_pos: u64,
}

impl Header {
    pub(crate) fn encode(&self) -> [u8; HEADER_LEN] {
        let mut out = Vec::with_capacity(HEADER_LEN);
        out.extend_from_slice(&MAGIC.to_le_bytes());
        out.extend_from_slice(&MAJOR_VERSION.to_le_bytes());
        out.extend_from_slice(&MINOR_VERSION.to_le_bytes());
        out.extend_from_slice(&self.uuid);
        out.extend_from_slice(&self.entry_count.to_le_bytes());
        out.extend_from_slice(&self.cluster_count.to_le_bytes());
        out.extend_from_slice(&self.path_ptr_pos.to_le_bytes());
        out.extend_from_slice(&self.title_ptr_pos.to_le_bytes());
        out.extend_from_slice(&self.cluster_ptr_pos.to_le_bytes());
        out.extend_from_slice(&self.mime_list_pos.to_le_bytes());
        out.extend_from_slice(&self.main_page.to_le_bytes());
        out.extend_from_slice(&self.layout_page.to_le_bytes());
        out.extend_from_slice(&self.checksum_pos.to_le_bytes());
        out.try_into()
            .expect("the header fields add up to 80 bytes")
    }

    /// The header of `bytes`, or what is wrong with it.
    pub(crate) fn decode(bytes: &[u8]) -> Result<Header, String> {
        let mut r = Cursor::new(bytes);
        if r.u32()? != MAGIC {
            return Err("not a ZIM file (wrong magic number)".into());
        }
        let (major, minor) = (r.u16()?, r.u16()?);
        if major != MAJOR_VERSION || minor < 1 {
            return Err(format!(
                "ZIM version {major}.{minor} is not the 6.x namespace scheme this reader knows"
            ));
        }
        Ok(Header {
            uuid: r.take(16)?.try_into().expect("16 bytes taken"),
            entry_count: r.u32()?,
            cluster_count: r.u32()?,
            path_ptr_pos: r.u64()?,
            title_ptr_pos: r.u64()?,
            cluster_ptr_pos: r.u64()?,
            mime_list_pos: r.u64()?,
            main_page: r.u32()?,
            layout_page: r.u32()?,
            checksum_pos: r.u64()?,
        })
    }
}

/// Where an entry's bytes are: a blob in a cluster, or another entry it redirects to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    Blob { mime: u16, cluster: u32, blob: u32 },
    Redirect { entry: u32 },
}

/// One directory entry as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Dirent {
    pub(crate) namespace: u8,
    pub(crate) path: String,
    /// Empty when the title is the path, as the format allows.
    pub(crate) title: String,
    pub(crate) target: Target,
}

impl Dirent {
    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        let mime = match self.target {
            Target::Blob { mime, .. } => mime,
            Target::Redirect { .. } => REDIRECT_MIME,
        };
        out.extend_from_slice(&mime.to_le_bytes());
        out.push(0); // no extra parameters
        out.push(self.namespace);
        out.extend_from_slice(&0u32.to_le_bytes()); // revision, unused
        match self.target {
            Target::Blob { cluster, blob, .. } => {
                out.extend_from_slice(&cluster.to_le_bytes());
                out.extend_from_slice(&blob.to_le_bytes());
            }
            Target::Redirect { entry } => out.extend_from_slice(&entry.to_le_bytes()),
        }
        out.extend_from_slice(self.path.as_bytes());
        out.push(0);
        out.extend_from_slice(self.title.as_bytes());
        out.push(0);
    }

    pub(crate) fn decode(bytes: &[u8]) -> Result<Dirent, String> {
        let mut r = Cursor::new(bytes);
        let mime = r.u16()?;
        let parameters = r.take(1)?[0];
        let namespace = r.take(1)?[0];
        r.u32()?;
        let target = if mime == REDIRECT_MIME {
            Target::Redirect { entry: r.u32()? }
        } else if mime >= 0xFFFD {
            return Err(format!("entry kind {mime:#x} is not supported"));
        } else {
            Target::Blob {
                mime,
                cluster: r.u32()?,
                blob: r.u32()?,
            }
        };
        let path = r.c_string()?;
        let title = r.c_string()?;
        r.take(usize::from(parameters))?;
        Ok(Dirent {
            namespace,
            path,
            title,
            target,
        })
    }

    /// The title readers show and sort by: the path when no title is stored.
    pub(crate) fn shown_title(&self) -> &str {
        if self.title.is_empty() {
            &self.path
        } else {
            &self.title
        }
    }
}

/// The uncompressed body of a cluster: a table of `n + 1` little-endian u32 offsets (each
/// counted from the table's start, so the first is the table's length), then the blobs.
pub(crate) fn cluster_body(blobs: &[&[u8]]) -> Vec<u8> {
    let table = 4 * (blobs.len() + 1);
    let total = table + blobs.iter().map(|b| b.len()).sum::<usize>();
    let mut out = Vec::with_capacity(total);
    let mut offset = table;
    out.extend_from_slice(&(offset as u32).to_le_bytes());
    for blob in blobs {
        offset += blob.len();
        out.extend_from_slice(&(offset as u32).to_le_bytes());
    }
    for blob in blobs {
        out.extend_from_slice(blob);
    }
    out
}

/// Blob `index` of an uncompressed cluster body.
pub(crate) fn cluster_blob(body: &[u8], index: u32) -> Result<&[u8], String> {
    let at = |i: usize| -> Result<usize, String> {
        let bytes = body
            .get(4 * i..4 * i + 4)
            .ok_or_else(|| format!("cluster offset table has no entry {i}"))?;
        Ok(u32::from_le_bytes(bytes.try_into().expect("4 bytes")) as usize)
    };
    let count = at(0)? / 4 - 1;
    let i = index as usize;
    if i >= count {
        return Err(format!("blob {index} is past the cluster's {count} blobs"));
    }
    let (start, end) = (at(i)?, at(i + 1)?);
    body.get(start..end)
        .ok_or_else(|| format!("blob {index} ({start}..{end}) is outside its cluster"))
}

/// A bounds-checked little-endian reader over a byte slice.
pub(crate) struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Cursor<'a> {
        Cursor { bytes, at: 0 }
    }

    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end =
            end.ok_or_else(|| format!("truncated: {n} bytes wanted at offset {}", self.at))?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    pub(crate) fn u16(&mut self) -> Result<u16, String> {
        Ok(u16::from_le_bytes(
            self.take(2)?.try_into().expect("2 bytes"),
        ))
    }

    pub(crate) fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }

    pub(crate) fn u64(&mut self) -> Result<u64, String> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().expect("8 bytes"),
        ))
    }

    /// A zero-terminated UTF-8 string.
    pub(crate) fn c_string(&mut self) -> Result<String, String> {
        let rest = &self.bytes[self.at..];
        let len = rest
            .iter()
            .position(|&b| b == 0)
            .ok_or("unterminated string")?;
        let text = std::str::from_utf8(&rest[..len]).map_err(|e| format!("string: {e}"))?;
        self.at += len + 1;
        Ok(text.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_round_trips_and_is_80_bytes() {
        let header = Header {
            uuid: [7; 16],
            entry_count: 3,
            cluster_count: 2,
            path_ptr_pos: 100,
            title_ptr_pos: 200,
            cluster_ptr_pos: 300,
            mime_list_pos: 80,
            main_page: 1,
            layout_page: NO_ENTRY,
            checksum_pos: 999,
        };
        let bytes = header.encode();
        assert_eq!(&bytes[..4], b"ZIM\x04");
        assert_eq!(Header::decode(&bytes), Ok(header));
    }

    #[test]
    fn dirents_round_trip() {
        for target in [
            Target::Blob {
                mime: 2,
                cluster: 5,
                blob: 9,
            },
            Target::Redirect { entry: 4 },
        ] {
            let dirent = Dirent {
                namespace: b'C',
                path: "topics/新质生产力/index.html".into(),
                title: "新质生产力".into(),
                target,
            };
            let mut bytes = Vec::new();
            dirent.encode(&mut bytes);
            assert_eq!(Dirent::decode(&bytes), Ok(dirent));
        }
    }

    #[test]
    fn cluster_blobs_come_back_in_order() {
        let body = cluster_body(&[b"abc", b"", "工读".as_bytes()]);
        assert_eq!(cluster_blob(&body, 0), Ok(&b"abc"[..]));
        assert_eq!(cluster_blob(&body, 1), Ok(&b""[..]));
        assert_eq!(cluster_blob(&body, 2), Ok("工读".as_bytes()));
        assert!(cluster_blob(&body, 3).is_err());
    }
}
