//! Watching the site's sources: `content/`, `themes/`, `templates/`, `static/` and
//! `site.yaml`. Bursts of events (a save, a `git checkout` of hundreds of files) are debounced
//! into one rebuild; editors' temporary and swap files are ignored; a watcher that reports
//! lost events triggers a rebuild all the same.

// Why not notify's debouncers (notify-debouncer-mini, notify-debouncer-full): both wait one
// fixed time per path, while a preview needs two (10 ms after a save, so it feels instant;
// 300 ms once a burst of many files shows up, so a checkout is one rebuild), and neither can
// hand over "quiet since the last rebuild" for the search index that follows it. They also
// wrap a notify `Watcher`, and `--poll` is our own poller that compares contents (see
// `Poller`). What is left here is a channel, two timeouts and a set of paths.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

use notify::{EventKind, RecursiveMode, Watcher};

use super::state::{Change, Served};

/// How long the files must be quiet before a rebuild starts. An editor's save is a handful of
/// events well within a millisecond (write in place, or write a temporary file and rename
/// it), so a short wait keeps the preview instant; a later event only means one more
/// rebuild. It was 30 ms until the preview benchmark showed it as a fifth of a save's time.
const QUIET: Duration = Duration::from_millis(10);
/// Once more than [`BURST_FILES`] files changed together (a save touches one or two: the file
/// and a temporary one; a `git checkout`, a copy or a generator touches many), wait this long
/// for the burst to end, so it becomes one rebuild.
const BURST_QUIET: Duration = Duration::from_millis(300);
const BURST_FILES: usize = 2;
/// How long after a rebuild the search index is rebuilt, if nothing changed meanwhile.
const INDEX_AFTER: Duration = Duration::from_millis(300);
/// How often `--poll` looks at the files.
const POLL_EVERY: Duration = Duration::from_millis(500);
const WATCHED: [&str; 4] = ["content", "themes", "templates", "static"];

/// Keeps the watcher alive; dropping it stops watching.
pub(super) struct Watching {
    _watcher: Option<Box<dyn Watcher + Send>>,
    /// Tells the `--poll` thread to stop.
    stop: Arc<std::sync::atomic::AtomicBool>,
}

impl Drop for Watching {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

pub(super) fn start(served: Arc<Served>, poll: bool) -> Result<Watching, notify::Error> {
    let root = served.options().root.clone();
    let (tx, rx) = std::sync::mpsc::channel::<notify::Result<notify::Event>>();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watcher: Option<Box<dyn Watcher + Send>> = if poll {
        let mut poller = Poller::new(root.clone());
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                std::thread::sleep(POLL_EVERY);
                for path in poller.changes() {
                    let event = notify::Event::new(EventKind::Any).add_path(path);
                    if tx.send(Ok(event)).is_err() {
                        return;
                    }
                }
            }
        });
        None
    } else {
        let mut watcher: Box<dyn Watcher + Send> = Box::new(notify::RecommendedWatcher::new(
            tx,
            notify::Config::default(),
        )?);
        watch_roots(&root, |path, mode| watcher.watch(path, mode))?;
        Some(watcher)
    };
    std::thread::spawn(move || {
        // Changes seen and not yet built.
        let mut pending = Pending::default();
        loop {
            if !pending.any() {
                match rx.recv() {
                    Ok(event) => pending.add(&root, event),
                    Err(_) => return,
                }
                continue;
            }
            // Wait until the files are quiet.
            loop {
                let quiet = if pending.paths.len() > BURST_FILES {
                    BURST_QUIET
                } else {
                    QUIET
                };
                match rx.recv_timeout(quiet) {
                    Ok(more) => pending.add(&root, more),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
            served.rebuild(std::mem::take(&mut pending).change());
            // The search index waits until the reloading pages have been served; a change
            // before then means a new rebuild first.
            let deadline = std::time::Instant::now() + INDEX_AFTER;
            while !pending.any() {
                let left = deadline.saturating_duration_since(std::time::Instant::now());
                if left.is_zero() {
                    served.index();
                    break;
                }
                match rx.recv_timeout(left) {
                    Ok(event) => pending.add(&root, event),
                    Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
        }
    });
    Ok(Watching {
        _watcher: watcher,
        stop,
    })
}

/// Changes seen since the last rebuild.
#[derive(Default)]
struct Pending {
    paths: std::collections::HashSet<PathBuf>,
    /// The watcher lost events or failed: rebuild everything.
    lost: bool,
}

impl Pending {
    /// Takes in one event, if it can change the site.
    fn add(&mut self, root: &Path, event: notify::Result<notify::Event>) {
        let event = match event {
            Ok(event) => event,
            Err(_) => {
                self.lost = true;
                return;
            }
        };
        if event.need_rescan() {
            self.lost = true;
            return;
        }
        // Reads (a rebuild opens every file) are not changes.
        if matches!(event.kind, EventKind::Access(_)) {
            return;
        }
        for path in event.paths {
            if matters(root, &path) {
                self.paths.insert(path);
            }
        }
    }

    /// Whether anything that can change the site happened.
    fn any(&self) -> bool {
        self.lost || !self.paths.is_empty()
    }

    fn change(self) -> Change {
        if self.lost {
            Change::Everything
        } else {
            Change::Paths(self.paths.into_iter().collect())
        }
    }
}

fn watch_roots(
    root: &Path,
    mut watch: impl FnMut(&Path, RecursiveMode) -> notify::Result<()>,
) -> notify::Result<()> {
    // The root itself non-recursively (site.yaml, and folders created later), and each source
    // folder recursively; never the whole root, which may hold a large public/ or target/.
    watch(root, RecursiveMode::NonRecursive)?;
    for dir in WATCHED {
        let path = root.join(dir);
        if path.is_dir() {
            watch(&path, RecursiveMode::Recursive)?;
        }
    }
    Ok(())
}

/// `--poll`: looks at every watched file's size and modification time on each round, and at
/// the contents of files modified in the last few seconds, because some file systems keep
/// modification times only to the second (or two) and two saves within one second of the same
/// length would otherwise go unseen. notify's own poller compares whole seconds only.
struct Poller {
    root: PathBuf,
    known: std::collections::HashMap<PathBuf, Seen>,
}

#[derive(PartialEq, Eq, Clone, Copy)]
struct Seen {
    len: u64,
    modified: Option<std::time::SystemTime>,
    /// Contents' fingerprint, for recently modified files only.
    contents: Option<u128>,
}

/// Files modified this recently also have their contents compared.
const RECENT: Duration = Duration::from_secs(3);

impl Poller {
    fn new(root: PathBuf) -> Poller {
        let mut poller = Poller {
            root,
            known: Default::default(),
        };
        poller.known = poller.scan();
        poller
    }

    fn scan(&self) -> std::collections::HashMap<PathBuf, Seen> {
        let mut found = std::collections::HashMap::new();
        let now = std::time::SystemTime::now();
        let mut look = |path: &Path| {
            let Ok(meta) = std::fs::metadata(path) else {
                return;
            };
            if !meta.is_file() {
                return;
            }
            let modified = meta.modified().ok();
            let recent = modified
                .and_then(|m| now.duration_since(m).ok())
                .is_none_or(|age| age < RECENT);
            let contents = recent
                .then(|| std::fs::read(path).ok())
                .flatten()
                .map(|bytes| {
                    crate::fingerprint::Fingerprint::new()
                        .bytes(&bytes)
                        .finish()
                });
            found.insert(
                path.to_path_buf(),
                Seen {
                    len: meta.len(),
                    modified,
                    contents,
                },
            );
        };
        look(&self.root.join(crate::config::FILE_NAME));
        for dir in WATCHED {
            for entry in walkdir::WalkDir::new(self.root.join(dir))
                .into_iter()
                .filter_map(Result::ok)
            {
                if entry.file_type().is_file() || entry.path_is_symlink() {
                    look(entry.path());
                }
            }
        }
        found
    }

    /// Paths created, changed or removed since the last round.
    fn changes(&mut self) -> Vec<PathBuf> {
        let now = self.scan();
        let mut changed: Vec<PathBuf> = now
            .iter()
            .filter(|(path, seen)| {
                self.known.get(*path).is_none_or(|old| {
                    old.len != seen.len
                        || old.modified != seen.modified
                        || matches!((old.contents, seen.contents), (Some(a), Some(b)) if a != b)
                })
            })
            .map(|(path, _)| path.clone())
            .collect();
        changed.extend(
            self.known
                .keys()
                .filter(|path| !now.contains_key(*path))
                .cloned(),
        );
        self.known = now;
        changed
    }
}

/// Whether a changed path can change the site.
fn matters(root: &Path, path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if crate::source::is_ignored(&name) {
        return false;
    }
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let first = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default();
    first == crate::config::FILE_NAME || WATCHED.contains(&first.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lost_events_mean_everything_and_reads_mean_nothing() {
        use notify::event::{AccessKind, Flag, ModifyKind};
        let root = Path::new("/site");
        let event = |kind| notify::Event::new(kind).add_path(PathBuf::from("/site/content/a.md"));

        let mut pending = Pending::default();
        pending.add(root, Ok(event(EventKind::Access(AccessKind::Any))));
        assert!(!pending.any(), "our own reads are not changes");
        pending.add(root, Ok(event(EventKind::Modify(ModifyKind::Any))));
        assert!(
            matches!(pending.change(), Change::Paths(p) if p == [PathBuf::from("/site/content/a.md")])
        );

        let mut rescan = Pending::default();
        rescan.add(
            root,
            Ok(notify::Event::new(EventKind::Other).set_flag(Flag::Rescan)),
        );
        assert!(matches!(rescan.change(), Change::Everything));

        let mut failed = Pending::default();
        failed.add(root, Err(notify::Error::generic("queue overflow")));
        assert!(matches!(failed.change(), Change::Everything));
    }

    #[test]
    fn the_poller_sees_quick_saves_of_the_same_length() {
        let dir = tempfile::tempdir().expect("tempdir");
        let article = dir.path().join("content/a.md");
        std::fs::create_dir_all(article.parent().expect("parent")).expect("mkdir");
        std::fs::write(&article, "第一版").expect("write");
        let mut poller = Poller::new(dir.path().to_path_buf());
        assert!(poller.changes().is_empty());
        // Same length and, as on a file system that keeps times to the second, the same time.
        let first = std::fs::metadata(&article)
            .and_then(|m| m.modified())
            .expect("mtime");
        std::fs::write(&article, "第二版").expect("write");
        std::fs::File::options()
            .write(true)
            .open(&article)
            .and_then(|f| f.set_modified(first))
            .expect("set mtime");
        assert_eq!(poller.changes(), std::slice::from_ref(&article));
        let created = dir.path().join("content/b.md");
        std::fs::write(&created, "新").expect("write");
        assert_eq!(poller.changes(), std::slice::from_ref(&created));
        std::fs::remove_file(&created).expect("remove");
        assert_eq!(poller.changes(), [created]);
        assert!(poller.changes().is_empty());
    }

    #[test]
    fn only_source_files_matter() {
        let root = Path::new("/site");
        for yes in [
            "/site/content/a.md",
            "/site/site.yaml",
            "/site/themes/x/templates/page.html",
            "/site/static/a.css",
        ] {
            assert!(matters(root, Path::new(yes)), "{yes}");
        }
        for no in [
            "/site/content/.a.md.swp",
            "/site/content/a.md~",
            "/site/content/4913",
            "/site/public/index.html",
            "/elsewhere/a.md",
            "/site/content/#a.md#",
        ] {
            assert!(!matters(root, Path::new(no)), "{no}");
        }
    }
}
