//! Typed ids for the things a site and its knowledge base are made of, so that a page number
//! is never taken for a section number, a document index or a glossary entry. Each is an index
//! into its typed collection ([`TiVec`]/[`TiSlice`]), which only that id can index.

pub(crate) use typed_index_collections::{TiSlice, TiVec};

use crate::source::Document;

macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub(super) usize);

        impl From<usize> for $name {
            fn from(index: usize) -> Self {
                $name(index)
            }
        }

        impl From<$name> for usize {
            fn from(id: $name) -> usize {
                id.0
            }
        }

        impl $name {
            /// The position in its collection, for messages and generated names.
            pub fn index(self) -> usize {
                self.0
            }
        }
    };
}

id!(
    /// A Markdown file of the site, in the order the files were read.
    DocId
);
id!(
    /// An article page of the linked site.
    PageId
);
id!(
    /// A section (a folder of pages) of the linked site; the home section is 0.
    SectionId
);
id!(
    /// A taxonomy (topics, tags, authors), in site.yaml order.
    TaxonomyId
);
id!(
    /// A term of one taxonomy.
    TermId
);

id!(
    /// A file copied from `content/` into the output, in the order the files were found.
    AssetId
);
id!(
    /// A redirect from an old address (`aliases:`) to a page.
    AliasId
);
id!(
    /// A glossary entry, in pinyin order.
    EntryId
);
id!(
    /// A study path: named ones in site.yaml order, then the others by name.
    PathId
);
id!(
    /// An event of the timeline, oldest first.
    EventId
);
id!(
    /// A topic of the timeline (one per topic that has events), by slug.
    TimelineTopicId
);

/// The documents of a site, by id.
pub(crate) type Docs = TiSlice<DocId, Document>;
