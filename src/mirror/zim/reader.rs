//! A small ZIM reader: enough to read back what the writer wrote (entries by path, their
//! bytes, redirects, the title listings and the checksum) so tests can compare a file with
//! the folder it came from without libzim. It reads the whole file into memory.

use std::path::Path;

use md5::{Digest, Md5};

use super::format::{
    CHECKSUM_LEN, CLUSTER_STORED, CLUSTER_ZSTD, Cursor, Dirent, HEADER_LEN, Header, NO_ENTRY,
    Target, cluster_blob,
};

/// An opened ZIM file.
pub struct Archive {
    bytes: Vec<u8>,
    header: Header,
    mimes: Vec<String>,
    dirents: Vec<Dirent>,
    cluster_offsets: Vec<u64>,
}

/// One entry as a reader sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryInfo {
    pub namespace: char,
    pub path: String,
    pub title: String,
    /// `None` for content; the redirect target's `namespace/path` otherwise.
    pub redirect: Option<String>,
    pub mime: Option<String>,
}

impl Archive {
    pub fn open(path: &Path) -> Result<Archive, String> {
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Archive::from_bytes(bytes)
    }

    pub fn from_bytes(bytes: Vec<u8>) -> Result<Archive, String> {
        let header = Header::decode(bytes.get(..HEADER_LEN).ok_or("shorter than a header")?)?;
        let section = |pos: u64, len: u64| -> Result<&[u8], String> {
            let (pos, len) = (pos as usize, len as usize);
            bytes
                .get(pos..pos + len)
                .ok_or_else(|| format!("section at {pos} (+{len}) is past the end"))
        };
        let mut mimes = Vec::new();
        let mime_list = bytes
            .get(header.mime_list_pos as usize..)
            .ok_or("the MIME list is past the end")?;
        let mut r = Cursor::new(mime_list);
        loop {
            let mime = r.c_string()?;
            if mime.is_empty() {
                break;
            }
            mimes.push(mime);
        }
        let count = u64::from(header.entry_count);
        let mut ptrs = Cursor::new(section(header.path_ptr_pos, 8 * count)?);
        let mut dirents = Vec::with_capacity(count as usize);
        for _ in 0..count {
            let at = ptrs.u64()? as usize;
            dirents.push(Dirent::decode(
                bytes.get(at..).ok_or("dirent past the end")?,
            )?);
        }
        let clusters = u64::from(header.cluster_count);
        let mut ptrs = Cursor::new(section(header.cluster_ptr_pos, 8 * clusters)?);
        let cluster_offsets = (0..clusters)
            .map(|_| ptrs.u64())
            .collect::<Result<_, _>>()?;
        Ok(Archive {
            bytes,
            header,
            mimes,
            dirents,
            cluster_offsets,
        })
    }

    /// Whether the MD5 stored at the end matches the bytes before it.
    pub fn checksum_ok(&self) -> bool {
        let pos = self.header.checksum_pos as usize;
        if pos + CHECKSUM_LEN != self.bytes.len() {
            return false;
        }
        let digest: [u8; 16] = Md5::digest(&self.bytes[..pos]).into();
        digest[..] == self.bytes[pos..]
    }

    pub fn uuid(&self) -> [u8; 16] {
        self.header.uuid
    }

    pub fn entries(&self) -> Vec<EntryInfo> {
        self.dirents.iter().map(|d| self.info(d)).collect()
    }

    fn info(&self, d: &Dirent) -> EntryInfo {
        let (redirect, mime) = match d.target {
            Target::Redirect { entry } => {
                let to = self.dirents.get(entry as usize);
                let shown = to.map(|t| format!("{}/{}", char::from(t.namespace), t.path));
                (Some(shown.unwrap_or_default()), None)
            }
            Target::Blob { mime, .. } => (None, self.mimes.get(usize::from(mime)).cloned()),
        };
        EntryInfo {
            namespace: char::from(d.namespace),
            path: d.path.clone(),
            title: d.shown_title().to_owned(),
            redirect,
            mime,
        }
    }

    fn find(&self, namespace: char, path: &str) -> Option<usize> {
        self.dirents
            .binary_search_by(|d| {
                (char::from(d.namespace), d.path.as_str()).cmp(&(namespace, path))
            })
            .ok()
    }

    pub fn entry(&self, namespace: char, path: &str) -> Option<EntryInfo> {
        self.find(namespace, path)
            .map(|i| self.info(&self.dirents[i]))
    }

    /// The bytes of `namespace/path`, following redirects.
    pub fn content(&self, namespace: char, path: &str) -> Result<Vec<u8>, String> {
        let mut i = self
            .find(namespace, path)
            .ok_or_else(|| format!("no entry {namespace}/{path}"))?;
        for _ in 0..16 {
            match self.dirents[i].target {
                Target::Redirect { entry } => i = entry as usize,
                Target::Blob { cluster, blob, .. } => return self.blob(cluster, blob),
            }
        }
        Err(format!("redirect loop from {namespace}/{path}"))
    }

    /// The path of the main page in `C`, as the header's main page entry leads to it.
    pub fn main_page(&self) -> Option<String> {
        if self.header.main_page == NO_ENTRY {
            return None;
        }
        let mut d = self.dirents.get(self.header.main_page as usize)?;
        while let Target::Redirect { entry } = d.target {
            d = self.dirents.get(entry as usize)?;
        }
        Some(d.path.clone())
    }

    /// `namespace/path` of every entry in the order of a title listing: the full one the
    /// header points to (`all`), or the front articles' `X/listing/titleOrdered/v1`.
    pub fn titles(&self, all: bool) -> Result<Vec<String>, String> {
        let bytes = if all {
            let pos = self.header.title_ptr_pos as usize;
            let len = 4 * self.dirents.len();
            self.bytes
                .get(pos..pos + len)
                .ok_or("title index past the end")?
                .to_vec()
        } else {
            self.content('X', "listing/titleOrdered/v1")?
        };
        bytes
            .chunks_exact(4)
            .map(|c| {
                let i = u32::from_le_bytes(c.try_into().expect("4 bytes")) as usize;
                self.dirents
                    .get(i)
                    .map(|d| format!("{}/{}", char::from(d.namespace), d.path))
                    .ok_or_else(|| format!("title index names entry {i}, past the end"))
            })
            .collect()
    }

    fn blob(&self, cluster: u32, blob: u32) -> Result<Vec<u8>, String> {
        let start = *self
            .cluster_offsets
            .get(cluster as usize)
            .ok_or_else(|| format!("cluster {cluster} is not in the cluster table"))?;
        // A cluster ends where the next one in the file starts, or at the checksum.
        let end = self
            .cluster_offsets
            .iter()
            .copied()
            .filter(|&o| o > start)
            .min()
            .unwrap_or(self.header.checksum_pos);
        let raw = self
            .bytes
            .get(start as usize..end as usize)
            .ok_or_else(|| format!("cluster {cluster} is outside the file"))?;
        let (info, data) = raw.split_first().ok_or("empty cluster")?;
        let body = match info & 0x0F {
            CLUSTER_STORED => data.to_vec(),
            CLUSTER_ZSTD => zstd::stream::decode_all(data).map_err(|e| e.to_string())?,
            other => return Err(format!("cluster compression {other} is not supported")),
        };
        if info & 0x10 != 0 {
            return Err("extended (64-bit) clusters are not supported".into());
        }
        cluster_blob(&body, blob).map(<[u8]>::to_vec)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn damaged_files_are_errors_not_panics() {
        assert!(Archive::from_bytes(Vec::new()).is_err());
        assert!(Archive::from_bytes(vec![0; 200]).is_err());
        let mut header = super::super::format::Header {
            uuid: [0; 16],
            entry_count: 1_000_000,
            cluster_count: 1,
            path_ptr_pos: 90,
            title_ptr_pos: 0,
            cluster_ptr_pos: 100,
            mime_list_pos: 80,
            main_page: NO_ENTRY,
            layout_page: NO_ENTRY,
            checksum_pos: 120,
        }
        .encode()
        .to_vec();
        header.extend_from_slice(&[0; 40]);
        assert!(Archive::from_bytes(header).is_err());
    }
}
