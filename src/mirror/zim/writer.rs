//! Lays entries out as a ZIM file: sorts the directory, resolves redirects, builds the title
//! listings, packs blobs into ~2 MiB clusters (zstd for text, stored for media), compresses
//! them in parallel and writes everything with the MD5 checksum at the end. Which files become
//! which entries is decided by the caller.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use md5::{Digest, Md5};
use rayon::prelude::*;

use super::ZimError;
use super::format::{
    CHECKSUM_LEN, CLUSTER_STORED, CLUSTER_ZSTD, Dirent, HEADER_LEN, Header, NO_ENTRY, Target,
    cluster_body,
};

/// libzim closes a cluster at about 2 MiB of uncompressed data: big enough for zstd to find
/// the repetition between neighbouring pages, small enough that a reader decompresses little
/// to show one page.
const CLUSTER_SIZE: u64 = 2 * 1024 * 1024;
/// zstd level. On a 2 MiB cluster of the sample site's pages and scripts (zstd 1.5, loaded
/// machine): level 12 gave 281 KB in ~2 s, 15 gave 278 KB in ~6 s, 19 (libzim's default)
/// 254 KB in ~21 s. 12 keeps large sites quick to package for 10% more bytes than 19.
const ZSTD_LEVEL: i32 = 12;
const LISTING_MIME: &str = "application/octet-stream+zimlisting";
const TITLES_ALL: &str = "listing/titleOrdered/v0";
const TITLES_FRONT: &str = "listing/titleOrdered/v1";

/// Where an entry's bytes come from.
#[derive(Debug, Clone)]
pub(crate) enum Content {
    File(PathBuf),
    Bytes(Vec<u8>),
    /// A packed search file ([`crate::search::plain`]), written plain: zstd shrinks the
    /// plain JSON of a cluster of them to less than their packed form (measured with index
    /// version 6's base64: 5.42 MB against 7.19 for 1,000 articles, docs/performance.md).
    Unpacked(PathBuf),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Compression {
    Zstd,
    Stored,
}

#[derive(Debug, Clone)]
pub(crate) enum Body {
    Blob {
        mime: String,
        content: Content,
        compression: Compression,
    },
    Redirect {
        namespace: u8,
        path: String,
    },
}

/// One entry as the caller describes it.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) namespace: u8,
    pub(crate) path: String,
    pub(crate) title: String,
    /// Shown by readers' title search and picked by "random article".
    pub(crate) front_article: bool,
    pub(crate) body: Body,
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub entries: usize,
    pub clusters: usize,
    pub bytes: u64,
}

/// A blob's place before the file is laid out: which cluster group, which blob in it.
struct Packed {
    groups: Vec<(Compression, Vec<usize>)>,
    place: HashMap<usize, (u32, u32)>,
}

/// Writes `entries` (content, metadata and redirects; the writer adds `W/mainPage` and the
/// `X` title listings) to `to`, through a temporary file renamed into place.
pub(crate) fn write(
    mut entries: Vec<Entry>,
    main_page: &str,
    to: &Path,
) -> Result<Written, ZimError> {
    add_generated_entries(&mut entries, main_page);
    entries.sort_by(|a, b| (a.namespace, &a.path).cmp(&(b.namespace, &b.path)));
    check_unique(&entries)?;
    fill_title_listings(&mut entries);

    let index: HashMap<(u8, &str), u32> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| ((e.namespace, e.path.as_str()), i as u32))
        .collect();
    let mimes = distinct_mimes(&entries);

    let packed = pack(&entries)?;
    let dirents = entries
        .iter()
        .enumerate()
        .map(|(i, e)| dirent(i, e, &index, &mimes, &packed))
        .collect::<Result<Vec<_>, _>>()?;
    let clusters: Vec<Vec<u8>> = packed
        .groups
        .par_iter()
        .map(|(compression, members)| build_cluster(&entries, members, *compression))
        .collect::<Result<_, _>>()?;

    let main_index = index.get(&(b'W', "mainPage")).copied().unwrap_or(NO_ENTRY);
    let titles_at = index[&(b'X', TITLES_ALL)];
    lay_out(
        &dirents, &mimes, &clusters, &packed, main_index, titles_at, to,
    )
}

/// Adds the entries every ZIM file has besides the caller's: `W/mainPage`, a redirect to
/// `main_page`, and the two `X` title listings, left empty until the order is known.
fn add_generated_entries(entries: &mut Vec<Entry>, main_page: &str) {
    entries.push(Entry {
        namespace: b'W',
        path: "mainPage".into(),
        title: String::new(),
        front_article: false,
        body: Body::Redirect {
            namespace: b'C',
            path: main_page.into(),
        },
    });
    for path in [TITLES_ALL, TITLES_FRONT] {
        entries.push(Entry {
            namespace: b'X',
            path: path.into(),
            title: String::new(),
            front_article: false,
            body: Body::Blob {
                mime: LISTING_MIME.into(),
                content: Content::Bytes(Vec::new()),
                compression: Compression::Stored,
            },
        });
    }
}

/// Fails on two entries at one namespace and path, which readers could not tell apart;
/// `entries` must be sorted by them.
fn check_unique(entries: &[Entry]) -> Result<(), ZimError> {
    if let Some(pair) = entries
        .windows(2)
        .find(|w| (w[0].namespace, &w[0].path) == (w[1].namespace, &w[1].path))
    {
        return Err(ZimError::Duplicate(format!(
            "{}/{}",
            char::from(pair[0].namespace),
            pair[0].path
        )));
    }
    Ok(())
}

/// Fills the `X` title listings with entry indexes, which are final once `entries` is sorted.
fn fill_title_listings(entries: &mut [Entry]) {
    let (all, front) = title_listings(entries);
    let listing_bytes = |ids: &[u32]| ids.iter().flat_map(|i| i.to_le_bytes()).collect();
    for entry in entries {
        if entry.namespace == b'X' {
            let ids = if entry.path == TITLES_ALL {
                &all
            } else {
                &front
            };
            if let Body::Blob { content, .. } = &mut entry.body {
                *content = Content::Bytes(listing_bytes(ids));
            }
        }
    }
}

/// The MIME types of the blobs, sorted and without repeats: the header's MIME list, which
/// directory entries point into by position.
fn distinct_mimes(entries: &[Entry]) -> Vec<String> {
    let mut m: Vec<String> = entries
        .iter()
        .filter_map(|e| match &e.body {
            Body::Blob { mime, .. } => Some(mime.clone()),
            Body::Redirect { .. } => None,
        })
        .collect();
    m.sort();
    m.dedup();
    m
}

/// Entry indexes sorted by namespace and shown title: all entries, and the front articles.
fn title_listings(entries: &[Entry]) -> (Vec<u32>, Vec<u32>) {
    let shown = |e: &Entry| -> String {
        if e.title.is_empty() {
            e.path.clone()
        } else {
            e.title.clone()
        }
    };
    let mut all: Vec<(u8, String, u32)> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.namespace, shown(e), i as u32))
        .collect();
    all.sort();
    let front = all
        .iter()
        .filter(|(_, _, i)| entries[*i as usize].front_article)
        .map(|(_, _, i)| *i)
        .collect();
    (all.into_iter().map(|(_, _, i)| i).collect(), front)
}

fn content_len(content: &Content) -> Result<u64, ZimError> {
    match content {
        Content::Bytes(b) => Ok(b.len() as u64),
        Content::File(path) | Content::Unpacked(path) => Ok(std::fs::metadata(path)
            .map_err(|source| ZimError::io(path, source))?
            .len()),
    }
}

/// Groups blobs into clusters in directory order (neighbouring pages share the most text),
/// compressed and stored apart; the listings go last in a stored cluster of their own, since
/// readers map them straight from the file.
fn pack(entries: &[Entry]) -> Result<Packed, ZimError> {
    let mut groups: Vec<(Compression, Vec<usize>)> = Vec::new();
    let mut place = HashMap::new();
    let mut open: [(Vec<usize>, u64); 2] = [(Vec::new(), 0), (Vec::new(), 0)];
    let mut listings = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let Body::Blob {
            content,
            compression,
            ..
        } = &entry.body
        else {
            continue;
        };
        if entry.namespace == b'X' {
            listings.push(i);
            continue;
        }
        let slot = usize::from(*compression == Compression::Stored);
        open[slot].0.push(i);
        open[slot].1 += content_len(content)?;
        if open[slot].1 >= CLUSTER_SIZE {
            groups.push((*compression, std::mem::take(&mut open[slot].0)));
            open[slot].1 = 0;
        }
    }
    for (slot, compression) in [(0, Compression::Zstd), (1, Compression::Stored)] {
        if !open[slot].0.is_empty() {
            groups.push((compression, std::mem::take(&mut open[slot].0)));
        }
    }
    groups.push((Compression::Stored, listings));
    for (cluster, (_, members)) in groups.iter().enumerate() {
        for (blob, &entry) in members.iter().enumerate() {
            place.insert(entry, (cluster as u32, blob as u32));
        }
    }
    Ok(Packed { groups, place })
}

fn dirent(
    i: usize,
    entry: &Entry,
    index: &HashMap<(u8, &str), u32>,
    mimes: &[String],
    packed: &Packed,
) -> Result<Dirent, ZimError> {
    let target = match &entry.body {
        Body::Blob { mime, .. } => {
            let (cluster, blob) = packed.place[&i];
            let mime = mimes
                .binary_search(mime)
                .expect("every MIME type is listed") as u16;
            Target::Blob {
                mime,
                cluster,
                blob,
            }
        }
        Body::Redirect { namespace, path } => {
            let entry =
                index
                    .get(&(*namespace, path.as_str()))
                    .ok_or_else(|| ZimError::MissingTarget {
                        from: entry.path.clone(),
                        to: path.clone(),
                    })?;
            Target::Redirect { entry: *entry }
        }
    };
    Ok(Dirent {
        namespace: entry.namespace,
        path: entry.path.clone(),
        title: if entry.title == entry.path {
            String::new()
        } else {
            entry.title.clone()
        },
        target,
    })
}

fn build_cluster(
    entries: &[Entry],
    members: &[usize],
    compression: Compression,
) -> Result<Vec<u8>, ZimError> {
    let blobs = members
        .iter()
        .map(|&i| match &entries[i].body {
            Body::Blob {
                content: Content::Bytes(b),
                ..
            } => Ok(b.clone()),
            Body::Blob {
                content: Content::File(path),
                ..
            } => std::fs::read(path).map_err(|source| ZimError::io(path, source)),
            Body::Blob {
                content: Content::Unpacked(path),
                ..
            } => std::fs::read(path)
                .map(|packed| crate::search::plain(&packed).unwrap_or(packed))
                .map_err(|source| ZimError::io(path, source)),
            Body::Redirect { .. } => unreachable!("redirects are never packed"),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let refs: Vec<&[u8]> = blobs.iter().map(Vec::as_slice).collect();
    let body = cluster_body(&refs);
    Ok(match compression {
        Compression::Stored => [&[CLUSTER_STORED][..], &body].concat(),
        Compression::Zstd => {
            let mut out = vec![CLUSTER_ZSTD];
            let compressed = zstd::bulk::compress(&body, ZSTD_LEVEL)
                .map_err(|e| ZimError::Compress(e.to_string()))?;
            out.extend_from_slice(&compressed);
            out
        }
    })
}

/// The file's sections, encoded, with the offsets the header and pointer lists need.
struct Layout {
    mime_list: Vec<u8>,
    dirent_bytes: Vec<u8>,
    dirent_offsets: Vec<u64>,
    cluster_offsets: Vec<u64>,
    path_ptr_pos: u64,
    cluster_ptr_pos: u64,
    checksum_pos: u64,
}

/// Header | MIME list | path pointers | cluster pointers | directory entries | clusters |
/// MD5. The full title index is the `X/listing/titleOrdered/v0` blob, which the header points
/// into, as libzim 8 does.
fn lay_out(
    dirents: &[Dirent],
    mimes: &[String],
    clusters: &[Vec<u8>],
    packed: &Packed,
    main_page: u32,
    titles_entry: u32,
    to: &Path,
) -> Result<Written, ZimError> {
    let layout = Layout::new(dirents, mimes, clusters);
    let Target::Blob { cluster, blob, .. } = dirents[titles_entry as usize].target else {
        unreachable!("the title listing is a blob");
    };
    // v0 sorts before v1, so it is the first blob of the stored listing cluster: it starts
    // after the info byte and the offset table (4 bytes per blob plus one).
    debug_assert_eq!(blob, 0);
    let listing_cluster = &packed.groups[cluster as usize].1;
    let title_ptr_pos =
        layout.cluster_offsets[cluster as usize] + 1 + 4 * (listing_cluster.len() as u64 + 1);
    let header = Header {
        uuid: content_uuid(&layout.dirent_bytes, clusters),
        entry_count: dirents.len() as u32,
        cluster_count: clusters.len() as u32,
        path_ptr_pos: layout.path_ptr_pos,
        title_ptr_pos,
        cluster_ptr_pos: layout.cluster_ptr_pos,
        mime_list_pos: HEADER_LEN as u64,
        main_page,
        layout_page: NO_ENTRY,
        checksum_pos: layout.checksum_pos,
    };
    write_file(to, &header, &layout, clusters)?;
    Ok(Written {
        entries: dirents.len(),
        clusters: clusters.len(),
        bytes: layout.checksum_pos + CHECKSUM_LEN as u64,
    })
}

impl Layout {
    fn new(dirents: &[Dirent], mimes: &[String], clusters: &[Vec<u8>]) -> Layout {
        let mut mime_list = Vec::new();
        for mime in mimes {
            mime_list.extend_from_slice(mime.as_bytes());
            mime_list.push(0);
        }
        mime_list.push(0);
        let path_ptr_pos = (HEADER_LEN + mime_list.len()) as u64;
        let cluster_ptr_pos = path_ptr_pos + 8 * dirents.len() as u64;
        let dirents_pos = cluster_ptr_pos + 8 * clusters.len() as u64;
        let mut dirent_bytes = Vec::new();
        let mut dirent_offsets = Vec::with_capacity(dirents.len());
        for d in dirents {
            dirent_offsets.push(dirents_pos + dirent_bytes.len() as u64);
            d.encode(&mut dirent_bytes);
        }
        let mut cluster_offsets = Vec::with_capacity(clusters.len());
        let mut at = dirents_pos + dirent_bytes.len() as u64;
        for c in clusters {
            cluster_offsets.push(at);
            at += c.len() as u64;
        }
        Layout {
            mime_list,
            dirent_bytes,
            dirent_offsets,
            cluster_offsets,
            path_ptr_pos,
            cluster_ptr_pos,
            checksum_pos: at,
        }
    }
}

/// A version 4 / RFC 4122 variant UUID whose random bits come from the content, so that the
/// same site gives the same file and a changed one a new identity.
fn content_uuid(dirent_bytes: &[u8], clusters: &[Vec<u8>]) -> [u8; 16] {
    let mut hash = Md5::new();
    hash.update(dirent_bytes);
    for c in clusters {
        hash.update(c);
    }
    let mut uuid: [u8; 16] = hash.finalize().into();
    uuid[6] = (uuid[6] & 0x0F) | 0x40;
    uuid[8] = (uuid[8] & 0x3F) | 0x80;
    uuid
}

/// Writes the sections in order to a temporary file beside `to`, hashing them as they go,
/// appends the MD5 and renames the file into place; a failed write leaves `to` as it was.
fn write_file(
    to: &Path,
    header: &Header,
    layout: &Layout,
    clusters: &[Vec<u8>],
) -> Result<(), ZimError> {
    let tmp = to.with_extension("zim.part");
    let file = std::fs::File::create(&tmp).map_err(|source| ZimError::io(&tmp, source))?;
    let mut out = HashingWriter {
        inner: std::io::BufWriter::new(file),
        md5: Md5::new(),
    };
    let result = (|| -> std::io::Result<()> {
        out.put(&header.encode())?;
        out.put(&layout.mime_list)?;
        for o in &layout.dirent_offsets {
            out.put(&o.to_le_bytes())?;
        }
        for o in &layout.cluster_offsets {
            out.put(&o.to_le_bytes())?;
        }
        out.put(&layout.dirent_bytes)?;
        for c in clusters {
            out.put(c)?;
        }
        let digest: [u8; 16] = out.md5.clone().finalize().into();
        out.inner.write_all(&digest)?;
        out.inner.flush()?;
        out.inner.get_ref().sync_all()
    })();
    if let Err(source) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(ZimError::io(&tmp, source));
    }
    std::fs::rename(&tmp, to).map_err(|source| ZimError::io(to, source))
}

struct HashingWriter<W: Write> {
    inner: W,
    md5: Md5,
}

impl<W: Write> HashingWriter<W> {
    fn put(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.md5.update(bytes);
        self.inner.write_all(bytes)
    }
}
