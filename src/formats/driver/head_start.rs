//! A head start for an export: while the corpus is listed (on a folder of many small files, a
//! good part of the whole export, and work for one core), a second thread already converts the
//! articles the listing has found, in the order the folder gives them. Their results wait for
//! their turn to be written; the rest of the export converts the others.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

use crate::formats::Report;
use crate::model::corpus::{list, list_announcing, ArticleFiles, CorpusError, Listing};
use crate::model::parallel::worker_count;

/// One document converted (`None` when it is left out), with what its conversion reported.
pub(super) type Converted<D> = (Option<D>, Report);

/// What was converted ahead of time, by the article's index in the listing (a few hundred of a
/// listing's thousands: not one slot for each).
pub(super) type Ahead<D> = HashMap<usize, Converted<D>>;

/// Most documents converted ahead. Their results are held until the listing is done, so this
/// bounds what the head start holds however long a listing takes.
const MOST_AHEAD: usize = 1024;

/// Lists `corpus`. With `ahead` set and a second core, a second thread meanwhile converts the
/// articles found directly in the corpus folder with `convert`, as they are found, until the
/// listing is done. Returns the listing and what was converted ahead of time, by index in it.
///
/// `ahead` is for a conversion that needs nothing from the listing but the article's path and
/// name (the sidecar read is the chosen annotator's, whose path follows from the article's).
pub(super) fn list_with_head_start<D: Send>(
    corpus: &Path,
    ahead: bool,
    convert: &(dyn Fn(&ArticleFiles) -> Converted<D> + Sync),
) -> Result<(Listing, Ahead<D>), CorpusError> {
    if !ahead || worker_count() < 2 {
        return Ok((list(corpus)?, Ahead::new()));
    }
    let listed = AtomicBool::new(false);
    let (tx, rx) = mpsc::sync_channel::<ArticleFiles>(MOST_AHEAD);
    let (listing, converted) = std::thread::scope(|scope| {
        let listed = &listed;
        let helper = scope.spawn(move || {
            let mut converted: Vec<(ArticleFiles, Converted<D>)> = Vec::new();
            while let Ok(entry) = rx.recv() {
                if listed.load(Ordering::Relaxed) {
                    break;
                }
                let c = convert(&entry);
                converted.push((entry, c));
            }
            converted
        });
        let mut offered = 0;
        let listing = list_announcing(corpus, &mut |path, name| {
            if offered < MOST_AHEAD {
                offered += 1;
                // A full queue cannot happen (it holds MOST_AHEAD); a helper gone is no loss.
                let _ = tx.try_send(ArticleFiles {
                    path: path.to_path_buf(),
                    relative: name.to_owned(),
                    sidecars: Vec::new(),
                });
            }
        });
        listed.store(true, Ordering::Relaxed);
        drop(tx);
        let converted = helper
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (listing, converted)
    });
    let listing = listing?;
    let ahead = converted
        .into_iter()
        .filter_map(|(entry, c)| Some((index_in(&listing, &entry)?, c)))
        .collect();
    Ok((listing, ahead))
}

/// Where the article `entry` converted ahead is in `listing`, whose articles are sorted by
/// relative name: a search among the listed articles for the few converted ahead, instead of a
/// look-up for each listed one (on a folder of 10,000 articles, a millisecond of hashing paths
/// while no other work can go on).
fn index_in(listing: &Listing, entry: &ArticleFiles) -> Option<usize> {
    let k = listing
        .articles
        .binary_search_by(|a| a.relative.as_str().cmp(&entry.relative))
        .ok()?;
    (listing.articles.get(k)?.path == entry.path).then_some(k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_converted_ahead_is_the_listed_articles_own() {
        let dir = tempfile::tempdir().unwrap();
        for k in 0..300 {
            std::fs::write(dir.path().join(format!("{k}.txt")), format!("نص {k}")).unwrap();
        }
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/x.txt"), "x").unwrap();
        let convert = |a: &ArticleFiles| -> Converted<String> {
            (
                Some(format!("{}|{}", a.relative, a.path.display())),
                Report::new(),
            )
        };
        let (listing, ahead) = list_with_head_start(dir.path(), true, &convert).unwrap();
        assert_eq!(listing.articles, list(dir.path()).unwrap().articles);
        // How many were converted ahead depends on the threads' timing (none, on a busy machine):
        // each one that was must be its listed article's own.
        for (k, (doc, _)) in &ahead {
            // Converted from the same path, under the same relative name, as later.
            let a = listing.articles.get(*k).unwrap();
            assert_eq!(doc.as_deref(), convert(a).0.as_deref());
        }
        // Only articles of the corpus folder itself are converted ahead.
        let sub = listing
            .articles
            .iter()
            .position(|a| a.relative == "sub/x.txt");
        assert!(!ahead.contains_key(&sub.unwrap()));
        let (_, none) = list_with_head_start(dir.path(), false, &convert).unwrap();
        assert!(none.is_empty());
        assert!(list_with_head_start(&dir.path().join("none"), true, &convert).is_err());
    }
}
