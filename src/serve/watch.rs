//! Watching the site's sources: `content/`, `themes/`, `templates/`, `static/` and
//! `site.yaml`. Bursts of events (a save, a `git checkout` of hundreds of files) are debounced
//! into one rebuild; editors' temporary and swap files are ignored; a watcher that reports
//! lost events triggers a rebuild all the same.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

use notify::{EventKind, RecursiveMode, Watcher};

use super::state::{Change, Served};

/// How long the files must be quiet before a rebuild starts. An editor's save is a handful of
/// events within a few milliseconds, so a short wait keeps the preview instant.
const QUIET: Duration = Duration::from_millis(25);
/// Once more than [`BURST_FILES`] files changed together (a `git checkout`, a copy, a
/// generator), wait this long for the burst to end, so it becomes one rebuild.
const BURST_QUIET: Duration = Duration::from_millis(300);
const BURST_FILES: usize = 4;
/// How long after a rebuild the search index is rebuilt, if nothing changed meanwhile.
const INDEX_AFTER: Duration = Duration::from_millis(300);
/// How often `--poll` looks at the files.
const POLL_EVERY: Duration = Duration::from_millis(500);
const WATCHED: [&str; 4] = ["content", "themes", "templates", "static"];

/// Keeps the watcher alive; dropping it stops watching.
pub(super) struct Watching {
    _watcher: Box<dyn Watcher + Send>,
}

pub(super) fn start(served: Arc<Served>, poll: bool) -> Result<Watching, notify::Error> {
    let root = served.options().root.clone();
    let (tx, rx) = std::sync::mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher: Box<dyn Watcher + Send> = if poll {
        let config = notify::Config::default().with_poll_interval(POLL_EVERY);
        Box::new(notify::PollWatcher::new(tx, config)?)
    } else {
        Box::new(notify::RecommendedWatcher::new(
            tx,
            notify::Config::default(),
        )?)
    };
    watch_roots(&root, |path, mode| watcher.watch(path, mode))?;
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
    Ok(Watching { _watcher: watcher })
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
        rescan.add(root, Ok(notify::Event::new(EventKind::Other).set_flag(Flag::Rescan)));
        assert!(matches!(rescan.change(), Change::Everything));

        let mut failed = Pending::default();
        failed.add(root, Err(notify::Error::generic("queue overflow")));
        assert!(matches!(failed.change(), Change::Everything));
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
