//! Watching the site's sources: `content/`, `themes/`, `templates/`, `static/` and
//! `site.yaml`. Bursts of events (a save, a `git checkout` of hundreds of files) are debounced
//! into one rebuild; editors' temporary and swap files are ignored; a watcher that reports
//! lost events triggers a rebuild all the same.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, NoCache, RecommendedCache, new_debouncer_opt};

use super::state::Served;

const DEBOUNCE: Duration = Duration::from_millis(200);
const WATCHED: [&str; 4] = ["content", "themes", "templates", "static"];

/// Keeps the watcher alive; dropping it stops watching.
pub(super) struct Watching {
    _watcher: Box<dyn std::any::Any>,
}

pub(super) fn start(served: Arc<Served>, poll: bool) -> Result<Watching, notify::Error> {
    let root = served.options().root.clone();
    let (tx, rx) = std::sync::mpsc::channel::<DebounceEventResult>();
    let watching = if poll {
        let config = notify::Config::default().with_poll_interval(Duration::from_millis(500));
        let mut d = new_debouncer_opt::<_, notify::PollWatcher, NoCache>(
            DEBOUNCE, None, tx, NoCache, config,
        )?;
        watch_roots(&root, |path, mode| d.watch(path, mode))?;
        Watching {
            _watcher: Box::new(d),
        }
    } else {
        let mut d = new_debouncer_opt::<_, notify::RecommendedWatcher, RecommendedCache>(
            DEBOUNCE,
            None,
            tx,
            RecommendedCache::new(),
            notify::Config::default(),
        )?;
        watch_roots(&root, |path, mode| d.watch(path, mode))?;
        Watching {
            _watcher: Box::new(d),
        }
    };
    std::thread::spawn(move || {
        let relevant = |result: &DebounceEventResult| match result {
            // The watcher lost track (overflow, errors): rebuild to be safe.
            Err(_) => true,
            // Reads (our own rebuild opens every file) are not changes.
            Ok(events) => events.iter().any(|e| {
                e.need_rescan()
                    || (!matches!(e.kind, notify::EventKind::Access(_))
                        && e.paths.iter().any(|p| matters(&root, p)))
            }),
        };
        while let Ok(result) = rx.recv() {
            let mut changed = relevant(&result);
            // The debouncer releases each event once it is old enough, so a long burst (a
            // `git checkout`) arrives in pieces: wait until it has been quiet for a while.
            while let Ok(more) = rx.recv_timeout(DEBOUNCE) {
                changed |= relevant(&more);
            }
            if changed {
                served.rebuild();
            }
        }
    });
    Ok(watching)
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
