//! A corpus is a folder of articles (or a single article) with their sidecars and, optionally, a
//! schema and a team's assignment plan at its root. Opening reads only file names, the plan and
//! sidecar summaries, never article texts; [`list`] reads only file names.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use super::annotation::DocStatus;
use super::assign::{Plan, PlanError};
use super::parallel::for_each_parallel;
use super::schema::{Schema, SchemaError, SCHEMA_FILE_NAME};
use super::sidecar::{
    is_sidecar_name, read_summary, valid_annotator, SidecarSummary, SIDECAR_SUFFIX,
};

/// File extensions taken as articles (case-insensitive).
pub const ARTICLE_EXTENSIONS: &[&str] = &["txt"];

/// One annotator's sidecar of an article, as listed.
#[derive(Debug, Clone)]
pub struct SidecarInfo {
    pub annotator: String,
    pub path: PathBuf,
    /// Its status and counts, or why it could not be read.
    pub summary: Result<SidecarSummary, String>,
}

/// One article of the corpus.
#[derive(Debug, Clone)]
pub struct CorpusEntry {
    pub path: PathBuf,
    /// Path relative to the corpus root, with `/` separators (for display and sorting).
    pub relative: String,
    pub sidecars: Vec<SidecarInfo>,
}

impl CorpusEntry {
    /// The summary of `annotator`'s sidecar (`None`: no readable sidecar of theirs).
    fn summary_of(&self, annotator: &str) -> Option<&SidecarSummary> {
        self.sidecars
            .iter()
            .find(|s| s.annotator == annotator)
            .and_then(|s| s.summary.as_ref().ok())
    }

    /// The status shown for this article: `annotator`'s own if given (`new` when they have no
    /// sidecar), otherwise the most advanced status among all readable sidecars.
    pub fn status(&self, annotator: Option<&str>) -> DocStatus {
        match annotator {
            Some(a) => self.summary_of(a).map(|s| s.status).unwrap_or_default(),
            None => self
                .sidecars
                .iter()
                .filter_map(|s| s.summary.as_ref().ok())
                .map(|s| s.status)
                .max()
                .unwrap_or_default(),
        }
    }

    /// Span count of `annotator`'s sidecar (0 without one), or the largest among all sidecars.
    pub fn span_count(&self, annotator: Option<&str>) -> usize {
        match annotator {
            Some(a) => self.summary_of(a).map_or(0, |s| s.spans),
            None => self
                .sidecars
                .iter()
                .filter_map(|s| s.summary.as_ref().ok())
                .map(|s| s.spans)
                .max()
                .unwrap_or(0),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Corpus {
    pub root: PathBuf,
    pub schema: Schema,
    /// Set when the corpus has a schema file that cannot be used (the built-in schema is used).
    pub schema_error: Option<SchemaError>,
    pub entries: Vec<CorpusEntry>,
    /// Folders that could not be read, with the reason.
    pub unreadable: Vec<(PathBuf, String)>,
    /// Things by an article's or a sidecar's name that are not read (FIFOs, devices, links to
    /// them, broken links) and symbolic links to folders (not followed, so that a link to `.` or
    /// `/` cannot make a corpus endless), with the reason. Hidden files and folders (`.git`) are
    /// not listed here: they are never part of a corpus.
    pub skipped: Vec<(PathBuf, String)>,
    /// Recovery files a crash left (see [`crate::model::recovery`]), by article.
    pub recoveries: Vec<PathBuf>,
    /// The team's assignment plan at the root (`hashiya-assignments.json`), if there is one.
    pub plan: Option<Plan>,
    /// Set when the corpus has a plan file that cannot be used.
    pub plan_error: Option<PlanError>,
}

/// Why a corpus could not be opened at all.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("{0}: no such file or folder")]
    NotFound(PathBuf),
    #[error("{0}: not an article (articles are .txt files)")]
    NotAnArticle(PathBuf),
    #[error("{0}: {1}, not a regular file or folder; not opened")]
    NotRegular(PathBuf, &'static str),
}

impl Corpus {
    /// Opens a folder (searched recursively) or a single article file, and reads the summary of
    /// every sidecar (see [`list`] for the file names alone).
    pub fn open(path: &Path) -> Result<Self, CorpusError> {
        let listing = list(path)?;
        let (schema, schema_error) = match Schema::for_corpus(&listing.root) {
            Ok(s) => (s, None),
            Err(e) => (Schema::builtin(), Some(e)),
        };
        let (plan, plan_error) = match Plan::load(&listing.root) {
            Ok(p) => (p, None),
            Err(e) => (None, Some(e)),
        };
        let mut entries: Vec<CorpusEntry> = listing
            .articles
            .into_iter()
            .map(|a| CorpusEntry {
                sidecars: a
                    .sidecars
                    .into_iter()
                    .map(|(annotator, p)| SidecarInfo {
                        // Read by `read_summaries`, on every core.
                        summary: Err(String::new()),
                        annotator,
                        path: p,
                    })
                    .collect(),
                path: a.path,
                relative: a.relative,
            })
            .collect();
        read_summaries(&mut entries);
        Ok(Corpus {
            root: listing.root,
            schema,
            schema_error,
            entries,
            unreadable: listing.unreadable,
            skipped: listing.skipped,
            recoveries: listing.recoveries,
            plan,
            plan_error,
        })
    }

    /// Documents per status (for `annotator`, or the most advanced one).
    pub fn status_counts(&self, annotator: Option<&str>) -> BTreeMap<DocStatus, usize> {
        let mut m: BTreeMap<DocStatus, usize> = DocStatus::ALL.iter().map(|s| (*s, 0)).collect();
        for e in &self.entries {
            *m.entry(e.status(annotator)).or_default() += 1;
        }
        m
    }

    /// The articles with their sidecar files, as a [`list`]ing gives them (for the corpus-wide
    /// runs that read each sidecar themselves).
    pub fn article_files(&self) -> Vec<ArticleFiles> {
        self.entries
            .iter()
            .map(|e| ArticleFiles {
                path: e.path.clone(),
                relative: e.relative.clone(),
                sidecars: e
                    .sidecars
                    .iter()
                    .map(|s| (s.annotator.clone(), s.path.clone()))
                    .collect(),
            })
            .collect()
    }

    /// Every annotator that has a sidecar somewhere in the corpus.
    pub fn annotators(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .entries
            .iter()
            .flat_map(|e| e.sidecars.iter().map(|s| s.annotator.clone()))
            .collect();
        v.sort();
        v.dedup();
        v
    }
}

/// Reads the summary of every listed sidecar, on every core.
fn read_summaries(entries: &mut [CorpusEntry]) {
    let paths: Vec<(usize, usize, PathBuf)> = entries
        .iter()
        .enumerate()
        .flat_map(|(i, e)| {
            e.sidecars
                .iter()
                .enumerate()
                .map(move |(k, s)| (i, k, s.path.clone()))
        })
        .collect();
    for_each_parallel(
        &paths,
        |_, (_, _, p)| read_summary(p).map_err(|e| e.to_string()),
        |n, summary| {
            let (i, k, _) = &paths[n];
            if let Some(s) = entries.get_mut(*i).and_then(|e| e.sidecars.get_mut(*k)) {
                s.summary = summary;
            }
        },
        &AtomicBool::new(false),
    );
}

/// An article and its sidecar files as found on disk (names only; nothing is read).
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleFiles {
    pub path: PathBuf,
    /// Path relative to the corpus root, with `/` separators.
    pub relative: String,
    /// (annotator, sidecar path), sorted by annotator.
    pub sidecars: Vec<(String, PathBuf)>,
}

/// The articles of a corpus with their sidecar files, sorted by relative path, and what was not
/// taken (as in [`Corpus`]).
#[derive(Debug, Clone)]
pub struct Listing {
    pub root: PathBuf,
    pub articles: Vec<ArticleFiles>,
    pub unreadable: Vec<(PathBuf, String)>,
    pub skipped: Vec<(PathBuf, String)>,
    pub recoveries: Vec<PathBuf>,
}

/// Lists a folder (searched recursively) or a single article file: the articles and the names of
/// their sidecars, without reading any file. For corpus-wide work that reads each sidecar once.
pub fn list(path: &Path) -> Result<Listing, CorpusError> {
    list_with(path, None)
}

/// As [`list`], handing each article found directly in the corpus folder (not in a subfolder)
/// to `found`, with its file name (which is its path relative to the root), as soon as its
/// folder entry is read, in the folder's own order: a caller can start on them while the rest
/// is listed. Every article handed on is in the listing returned.
pub fn list_announcing(path: &Path, found: Found<'_>) -> Result<Listing, CorpusError> {
    list_with(path, Some(found))
}

/// Told of each article (its path and name) as the listing finds it.
pub type Found<'a> = &'a mut dyn FnMut(&Path, &str);

/// The root a listing of `path` has: the folder itself, or a single article's folder.
pub fn listing_root(path: &Path) -> PathBuf {
    if path.is_dir() {
        path.to_path_buf()
    } else {
        parent_dir(path)
    }
}

fn list_with(path: &Path, found: Option<Found<'_>>) -> Result<Listing, CorpusError> {
    let empty = |root: PathBuf| Listing {
        root,
        articles: Vec::new(),
        unreadable: Vec::new(),
        skipped: Vec::new(),
        recoveries: Vec::new(),
    };
    if path.is_dir() {
        let mut listing = empty(path.to_path_buf());
        scan_dir(path, "", &mut listing, Subfolders::InParallel, found);
        listing.articles.sort_by(|a, b| a.relative.cmp(&b.relative));
        Ok(listing)
    } else if path.is_file() {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !is_article_name(&name) {
            return Err(CorpusError::NotAnArticle(path.to_path_buf()));
        }
        let mut listing = empty(listing_root(path));
        let names = file_names(&listing.root);
        let files: Vec<(&str, &str)> = names
            .iter()
            .filter_map(|file| {
                split_sidecar_name(file)
                    .filter(|(text, _)| *text == name)
                    .map(|(_, annotator)| (annotator, file.as_str()))
            })
            .collect();
        listing.articles.push(article_files(
            path.parent().unwrap_or(Path::new("")),
            path.to_path_buf(),
            name.clone(),
            files,
        ));
        Ok(listing)
    } else {
        match std::fs::metadata(path) {
            Ok(m) => Err(CorpusError::NotRegular(
                path.to_path_buf(),
                super::safe_read::kind_name(&m),
            )),
            Err(_) => Err(CorpusError::NotFound(path.to_path_buf())),
        }
    }
}

/// Lists the folder `dir` (at `rel_dir` from the corpus root, `/`-separated, empty for the root)
/// and the folders inside it into `listing`.
/// How a folder's subfolders are scanned.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Subfolders {
    /// On every core, when there are several: a corpus of many folders is listed sooner. Only
    /// the first level with several does so; below it, each worker goes on in turn.
    InParallel,
    InTurn,
}

/// Each article of this folder (not of its subfolders) is handed to `found`, with its name, as it
/// is taken.
fn scan_dir(
    dir: &Path,
    rel_dir: &str,
    listing: &mut Listing,
    subfolders: Subfolders,
    mut found: Option<Found<'_>>,
) {
    let read = match std::fs::read_dir(dir) {
        Ok(r) => r,
        Err(e) => {
            listing.unreadable.push((dir.to_path_buf(), e.to_string()));
            return;
        }
    };
    let mut articles = Vec::new();
    let mut subdirs = Vec::new();
    let mut sidecar_files = Vec::new();
    for entry in read.filter_map(Result::ok) {
        let name = entry
            .file_name()
            .into_string()
            .unwrap_or_else(|raw| raw.to_string_lossy().into_owned());
        if name.starts_with('.') {
            continue;
        }
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            subdirs.push((entry.path(), name));
            continue;
        }
        if super::recovery::is_recovery_name(&name) {
            listing.recoveries.push(entry.path());
            continue;
        }
        let (sidecar, article) = (is_sidecar_name(&name), is_article_name(&name));
        if !sidecar && !article && !kind.is_symlink() {
            continue;
        }
        // A regular file by its directory entry (not a link) has nothing to follow (reading it
        // checks again what it is); a link is followed to see what it is.
        if !kind.is_file() && !followed_to_a_file(&entry.path(), sidecar || article, listing) {
            continue;
        }
        // A link to a file of another kind (a README, say) was only followed for what it is.
        if !sidecar && !article {
            continue;
        }
        if sidecar {
            sidecar_files.push(name);
        } else {
            let path = entry.path();
            if let Some(found) = found.as_mut() {
                found(&path, &name);
            }
            articles.push((path, name));
        }
    }
    // (article, annotator, file), sorted: an article's sidecars are one run of it.
    let mut sidecars: Vec<(&str, &str, &str)> = sidecar_files
        .iter()
        .filter_map(|file| split_sidecar_name(file).map(|(text, who)| (text, who, file.as_str())))
        .collect();
    sidecars.sort_unstable();
    // Articles in name order too: each one's sidecars are then the next run of the sidecars (one
    // walk over both, not a search per article), and the folder's articles come out in corpus
    // order.
    articles.sort_unstable_by(|a, b| a.1.cmp(&b.1));
    listing.articles.reserve(articles.len());
    let mut rest = sidecars.as_slice();
    for (path, name) in articles {
        // Sidecars of articles that are not there come before it.
        let orphans = rest.iter().take_while(|(text, _, _)| *text < name.as_str());
        rest = rest.get(orphans.count()..).unwrap_or_default();
        let run = rest.iter().take_while(|(text, _, _)| *text == name).count();
        let (own, after) = rest.split_at(run.min(rest.len()));
        rest = after;
        let files = own.iter().map(|(_, who, file)| (*who, *file)).collect();
        let relative = joined(rel_dir, name);
        listing
            .articles
            .push(article_files(dir, path, relative, files));
    }
    if subfolders == Subfolders::InParallel && subdirs.len() > 1 {
        scan_in_parallel(&subdirs, rel_dir, listing);
        return;
    }
    for (path, name) in subdirs {
        scan_dir(&path, &joined(rel_dir, name), listing, subfolders, None);
    }
}

/// Scans `subdirs` (of the folder at `rel_dir`) on every core, each into a listing of its own,
/// and adds those to `listing` in the order of `subdirs`, as scanning them in turn would.
fn scan_in_parallel(subdirs: &[(PathBuf, String)], rel_dir: &str, listing: &mut Listing) {
    let mut parts: Vec<Option<Listing>> = (0..subdirs.len()).map(|_| None).collect();
    for_each_parallel(
        subdirs,
        |_, (path, name)| {
            let mut part = Listing {
                root: PathBuf::new(),
                articles: Vec::new(),
                unreadable: Vec::new(),
                skipped: Vec::new(),
                recoveries: Vec::new(),
            };
            scan_dir(
                path,
                &joined(rel_dir, name.clone()),
                &mut part,
                Subfolders::InTurn,
                None,
            );
            part
        },
        |k, part| {
            if let Some(slot) = parts.get_mut(k) {
                *slot = Some(part);
            }
        },
        &AtomicBool::new(false),
    );
    for part in parts.into_iter().flatten() {
        listing.articles.extend(part.articles);
        listing.unreadable.extend(part.unreadable);
        listing.skipped.extend(part.skipped);
        listing.recoveries.extend(part.recoveries);
    }
}

/// Does the link at `path` lead to a regular file? What it leads to otherwise is noted in
/// `listing` when it has a corpus file's name (`named`).
fn followed_to_a_file(path: &Path, named: bool, listing: &mut Listing) -> bool {
    match &std::fs::metadata(path) {
        Ok(m) if m.is_dir() => {
            listing.skipped.push((
                path.to_path_buf(),
                "a symbolic link to a folder; not followed".into(),
            ));
            false
        }
        Ok(m) if m.is_file() => true,
        _ if !named => false,
        Ok(m) => {
            let what = super::safe_read::kind_name(m);
            listing.skipped.push((
                path.to_path_buf(),
                format!("{what}, not a regular file; not read"),
            ));
            false
        }
        Err(e) => {
            listing.skipped.push((
                path.to_path_buf(),
                format!("cannot be followed ({e}); not read"),
            ));
            false
        }
    }
}

/// `rel_dir/name`, or `name` in the root.
fn joined(rel_dir: &str, name: String) -> String {
    if rel_dir.is_empty() {
        name
    } else {
        format!("{rel_dir}/{name}")
    }
}

/// The folder of a file; `.` for a bare file name (whose parent is the empty path).
pub fn parent_dir(path: &Path) -> PathBuf {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf()
}

/// Is this file name an article's (and not a sidecar's or the schema's)?
pub fn is_article_name(name: &str) -> bool {
    if name == SCHEMA_FILE_NAME || is_sidecar_name(name) || name.starts_with('.') {
        return false;
    }
    let name = name.as_bytes();
    ARTICLE_EXTENSIONS.iter().any(|ext| {
        let ext = ext.as_bytes();
        name.len() > ext.len() + 1
            && name
                .get(name.len() - ext.len() - 1..)
                .and_then(|tail| tail.split_first())
                .is_some_and(|(dot, tail)| *dot == b'.' && tail.eq_ignore_ascii_case(ext))
    })
}

/// Splits `gaza.txt.layla.hashiya.json` into (`gaza.txt`, `layla`).
fn split_sidecar_name(file: &str) -> Option<(&str, &str)> {
    let stem = file.strip_suffix(SIDECAR_SUFFIX)?;
    let (text, annotator) = stem.rsplit_once('.')?;
    (valid_annotator(annotator) && !text.is_empty()).then_some((text, annotator))
}

/// The names of the entries of a folder (none if it cannot be read).
fn file_names(dir: &Path) -> Vec<String> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    read.filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect()
}

/// The article at `path` in the folder `dir` with its sidecars, given as (annotator, file name
/// in the folder).
fn article_files(
    dir: &Path,
    path: PathBuf,
    relative: String,
    mut files: Vec<(&str, &str)>,
) -> ArticleFiles {
    files.sort_unstable();
    ArticleFiles {
        sidecars: files
            .into_iter()
            // (`dir.join`, not `path.with_file_name`: that parses the whole path again.)
            .map(|(annotator, file)| (annotator.to_owned(), dir.join(file)))
            .collect(),
        path,
        relative,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_article_name("gaza.txt"));
        assert!(is_article_name("GAZA.TXT"));
        assert!(!is_article_name("gaza.txt.layla.hashiya.json"));
        assert!(!is_article_name("hashiya-schema.json"));
        assert!(!is_article_name(".txt"));
        assert_eq!(
            split_sidecar_name("a.b.txt.layla.hashiya.json"),
            Some(("a.b.txt", "layla"))
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_link_to_a_file_that_is_no_article_is_not_listed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "نص").unwrap();
        std::fs::write(dir.path().join("readme.md"), "x").unwrap();
        std::os::unix::fs::symlink(dir.path().join("readme.md"), dir.path().join("notes.md"))
            .unwrap();
        std::os::unix::fs::symlink(dir.path().join("a.txt"), dir.path().join("b.txt")).unwrap();
        let listing = list(dir.path()).unwrap();
        let rel: Vec<_> = listing
            .articles
            .iter()
            .map(|a| a.relative.as_str())
            .collect();
        assert_eq!(rel, ["a.txt", "b.txt"]);
        assert!(listing.skipped.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn subfolders_scanned_in_parallel_list_what_scanning_them_in_turn_lists() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("z.txt"), "نص").unwrap();
        for (k, folder) in ["b", "a", "c/d", "c/e", "f"].iter().enumerate() {
            let folder = root.join(folder);
            std::fs::create_dir_all(&folder).unwrap();
            for n in 0..3 {
                let name = format!("doc{n}.txt");
                std::fs::write(folder.join(&name), "نص").unwrap();
                std::fs::write(folder.join(format!("{name}.omar.hashiya.json")), "{}").unwrap();
            }
            // Something each scan notes: a link to a folder, and a recovery file.
            std::os::unix::fs::symlink(root, folder.join(format!("loop{k}.txt"))).unwrap();
            let recovery = format!("doc0.txt.omar{}", crate::model::recovery::RECOVERY_SUFFIX);
            std::fs::write(folder.join(recovery), "").unwrap();
        }
        let parallel = list(root).unwrap();
        let mut in_turn = Listing {
            root: root.to_path_buf(),
            articles: Vec::new(),
            unreadable: Vec::new(),
            skipped: Vec::new(),
            recoveries: Vec::new(),
        };
        scan_dir(root, "", &mut in_turn, Subfolders::InTurn, None);
        in_turn.articles.sort_by(|a, b| a.relative.cmp(&b.relative));
        assert_eq!(parallel.articles, in_turn.articles);
        assert_eq!(parallel.articles.len(), 16);
        assert_eq!(parallel.skipped, in_turn.skipped);
        assert_eq!(parallel.skipped.len(), 5);
        assert_eq!(parallel.recoveries, in_turn.recoveries);
        assert_eq!(parallel.recoveries.len(), 5);
        assert_eq!(parallel.unreadable, in_turn.unreadable);
    }

    #[test]
    fn each_article_gets_its_own_sidecars_whatever_sidecars_have_no_article() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["d.txt", "b.txt", "b.txt.x.txt"] {
            std::fs::write(dir.path().join(name), "نص").unwrap();
        }
        for sidecar in [
            "a.txt.x.hashiya.json",
            "b.txt.sara.hashiya.json",
            "b.txt.omar.hashiya.json",
            "b.txt.x.txt.omar.hashiya.json",
            "c.txt.omar.hashiya.json",
            "d.txt.layla.hashiya.json",
            "e.txt.x.hashiya.json",
        ] {
            std::fs::write(dir.path().join(sidecar), "{}").unwrap();
        }
        let listing = list(dir.path()).unwrap();
        let got: Vec<(&str, Vec<&str>)> = listing
            .articles
            .iter()
            .map(|a| {
                let who = a.sidecars.iter().map(|(w, _)| w.as_str()).collect();
                (a.relative.as_str(), who)
            })
            .collect();
        assert_eq!(
            got,
            [
                ("b.txt", vec!["omar", "sara"]),
                ("b.txt.x.txt", vec!["omar"]),
                ("d.txt", vec!["layla"]),
            ]
        );
        let b = &listing.articles[0];
        assert_eq!(b.sidecars[0].1, dir.path().join("b.txt.omar.hashiya.json"));
    }

    #[test]
    fn lists_articles_with_their_sidecars_recursively() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("a.txt"), "نص").unwrap();
        std::fs::write(dir.path().join("sub/b.txt"), "نص").unwrap();
        std::fs::write(dir.path().join("sub/b.txt.omar.hashiya.json"), "{").unwrap();
        std::fs::write(dir.path().join("notes.md"), "x").unwrap();
        let c = Corpus::open(dir.path()).unwrap();
        let rel: Vec<_> = c.entries.iter().map(|e| e.relative.as_str()).collect();
        assert_eq!(rel, ["a.txt", "sub/b.txt"]);
        assert_eq!(c.entries[1].sidecars[0].annotator, "omar");
        assert!(c.entries[1].sidecars[0].summary.is_err());
        assert_eq!(c.entries[1].status(None), DocStatus::New);
    }
}
