//! The workbench never loses or clobbers work, driven headless as a user drives it: a sidecar
//! changed on disk (keep mine, take theirs, decide later), a draft typed while the file changes, a
//! panic in the middle of work, and the slow parts (opening, saving, searching) off the UI thread.

mod common;

use std::time::Duration;

use egui::Key;
use egui_kittest::kittest::Queryable;
use hashiya::model::{recovery, sidecar, DocStatus};
use hashiya::ui::workbench::{Dialog, Prefs, WorkbenchOptions};

use common::python_range;
use common::workbench::{
    drag_words, harness, open_doc, press, reopen, samples_copy, save, workbench_as,
};

/// Rewrites the sidecar on disk as another program would (status changed to `reviewed`).
fn someone_else_rewrites(path: &std::path::Path) -> String {
    let theirs = std::fs::read_to_string(path)
        .unwrap()
        .replace("\"finished\"", "\"reviewed\"");
    std::fs::write(path, &theirs).unwrap();
    theirs
}

fn conflict_shown(h: &egui_kittest::Harness<'static, hashiya::ui::workbench::Workbench>) -> bool {
    matches!(h.state().dialog, Some(Dialog::Conflict { .. }))
}

#[test]
fn keep_mine_writes_my_version_over_theirs() {
    let s = samples_copy();
    let mut h = workbench_as(&s.corpus, "layla");
    let article = open_doc(&mut h, "politics/sahel_summit.txt");
    let path = sidecar::sidecar_path(&article, "layla");
    let word = python_range(&article, "نواكشوط", 0);
    drag_words(&mut h, word.clone());
    press(&mut h, Key::G);
    someone_else_rewrites(&path);
    save(&mut h);
    assert!(conflict_shown(&h));
    h.get_by_label("Keep mine (overwrite the file)").click();
    h.run();
    let mine = reopen(&article, "layla");
    assert_eq!(mine.status, DocStatus::Finished, "my version, not theirs");
    assert!(mine
        .spans()
        .iter()
        .any(|s| s.range() == word && s.label == "GPE"));
    assert!(!h.state().session.as_ref().unwrap().is_dirty());
}

#[test]
fn take_theirs_drops_my_changes_and_shows_the_file() {
    let s = samples_copy();
    let mut h = workbench_as(&s.corpus, "layla");
    let article = open_doc(&mut h, "politics/sahel_summit.txt");
    let path = sidecar::sidecar_path(&article, "layla");
    let word = python_range(&article, "نواكشوط", 0);
    drag_words(&mut h, word);
    press(&mut h, Key::G);
    let theirs = someone_else_rewrites(&path);
    save(&mut h);
    h.get_by_label("Take theirs (drop my changes)").click();
    h.run();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs);
    let session = h.state().session.as_ref().unwrap();
    assert!(!session.is_dirty());
    assert_eq!(session.editor.annotations().status, DocStatus::Reviewed);
}

#[test]
fn decide_later_keeps_its_word() {
    let s = samples_copy();
    let mut h = workbench_as(&s.corpus, "layla");
    let article = open_doc(&mut h, "politics/sahel_summit.txt");
    let path = sidecar::sidecar_path(&article, "layla");
    let word = python_range(&article, "نواكشوط", 0);
    drag_words(&mut h, word);
    press(&mut h, Key::G);
    let theirs = someone_else_rewrites(&path);
    save(&mut h);
    h.get_by_label("Decide later").click();
    h.run();
    assert!(!conflict_shown(&h));
    // Several disk checks and an autosave's delay pass: no question, nothing written.
    for _ in 0..3 {
        std::thread::sleep(Duration::from_millis(1100));
        h.run();
        assert!(!conflict_shown(&h), "decide later came back");
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs);
    assert!(
        h.state().session.as_ref().unwrap().is_dirty(),
        "my work is still here"
    );
    // Saving is deciding: the question comes back.
    save(&mut h);
    assert!(conflict_shown(&h));
    // And so does a new change on disk.
    h.get_by_label("Decide later").click();
    h.run();
    std::fs::write(&path, theirs.replace("\"reviewed\"", "\"new\"")).unwrap();
    std::thread::sleep(Duration::from_millis(2100));
    h.run();
    assert!(conflict_shown(&h), "the file changed again: ask again");
}

#[test]
fn a_draft_note_never_lands_on_another_span_after_a_reload() {
    let s = samples_copy();
    let mut h = workbench_as(&s.corpus, "layla");
    let article = open_doc(&mut h, "politics/sahel_summit.txt");
    let path = sidecar::sidecar_path(&article, "layla");
    let before = reopen(&article, "layla");
    let target = before.spans()[0].clone();
    h.state_mut().select_span(&target.id, true);
    h.run();
    // A note typed, not yet committed (the field keeps the focus).
    h.get_by_label("Note").click();
    h.run();
    h.get_by_label("Note").type_text("مراجعة");
    h.run();
    assert!(
        !h.state().session.as_ref().unwrap().is_dirty(),
        "only a draft so far"
    );
    // Another program rewrites the file so that the same id is another span.
    let other = before.spans()[1].clone();
    let rewritten = std::fs::read_to_string(&path).unwrap().replacen(
        &format!("\"id\": \"{}\"", other.id),
        "\"id\": \"swap\"",
        1,
    );
    let rewritten = rewritten.replacen(
        &format!("\"id\": \"{}\"", target.id),
        &format!("\"id\": \"{}\"", other.id),
        1,
    );
    let rewritten =
        rewritten.replacen("\"id\": \"swap\"", &format!("\"id\": \"{}\"", target.id), 1);
    std::fs::write(&path, &rewritten).unwrap();
    h.state_mut().check_disk();
    h.run();
    // Not reloaded quietly under the draft: the draft became a change, and the user is asked.
    assert!(conflict_shown(&h));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), rewritten);
    let session = h.state().session.as_ref().unwrap();
    let noted = session.editor.annotations().span(&target.id).unwrap();
    assert_eq!(noted.note.as_deref(), Some("مراجعة"));
    assert_eq!(noted.text, target.text, "on the span it was typed for");
}

#[test]
fn a_panic_loses_nothing_and_the_next_start_offers_the_work() {
    let s = samples_copy();
    let mut h = workbench_as(&s.corpus, "layla");
    let article = open_doc(&mut h, "politics/sahel_summit.txt");
    let path = sidecar::sidecar_path(&article, "layla");
    let on_disk = std::fs::read(&path).unwrap();
    let word = python_range(&article, "نواكشوط", 0);
    drag_words(&mut h, word.clone());
    press(&mut h, Key::G);
    assert!(h.state().session.as_ref().unwrap().is_dirty());
    h.state_mut().panic_next_frame = true;
    h.run();
    h.get_by_label("Hashiya hit an internal error");
    let rec = recovery::recovery_path(&article, "layla");
    assert!(rec.exists(), "the unsaved work is in the recovery file");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        on_disk,
        "the sidecar is untouched"
    );
    drop(h);

    // The next start: asked, restored, saved; the recovery file goes.
    let mut h = workbench_as(&s.corpus, "layla");
    assert!(matches!(h.state().dialog, Some(Dialog::Recover)));
    h.get_by_label("Restore").click();
    h.run();
    let session = h.state().session.as_ref().unwrap();
    assert!(session.doc.path().ends_with("politics/sahel_summit.txt"));
    std::thread::sleep(Duration::from_millis(1700));
    h.run();
    let saved = reopen(&article, "layla");
    assert!(saved
        .spans()
        .iter()
        .any(|s| s.range() == word && s.label == "GPE"));
    assert!(
        !rec.exists(),
        "restored and saved: the recovery file is gone"
    );
}

#[test]
fn opening_a_document_keeps_the_window_drawing() {
    let s = samples_copy();
    let mut h = workbench_as(&s.corpus, "layla");
    open_doc(&mut h, "politics/sahel_summit.txt");
    h.get_by_label("long/live_coverage_2025.txt").click();
    h.step();
    // The click started the opening; the frame was drawn without waiting for it.
    let state = h.state();
    assert!(
        state.is_busy()
            || state
                .session
                .as_ref()
                .unwrap()
                .doc
                .path()
                .ends_with("live_coverage_2025.txt")
    );
    h.run();
    assert!(h
        .state()
        .session
        .as_ref()
        .unwrap()
        .doc
        .path()
        .ends_with("long/live_coverage_2025.txt"));
}

#[test]
fn corpus_search_runs_on_a_thread_and_can_be_cancelled() {
    let s = samples_copy();
    let mut h = workbench_as(&s.corpus, "layla");
    open_doc(&mut h, "politics/sahel_summit.txt");
    {
        let wb = h.state_mut();
        wb.search.open = true;
        wb.search.query = "الساحل".into();
        wb.search.whole_corpus = true;
        wb.run_search();
        assert!(wb.is_searching(), "started, not done on the UI thread");
        wb.cancel_search();
        assert!(!wb.is_searching());
    }
    h.run();
    h.state_mut().run_search();
    h.run();
    assert!(!h.state().is_searching());
    // Every hit is where Python finds the word (diacritics aside, the samples spell it plainly).
    let hits = h.state().search.results.clone();
    assert!(hits.len() >= 3, "{}", hits.len());
    for hit in hits {
        let got = python_range(&hit.path, "الساحل", hit.range.start);
        assert_eq!(got, hit.range, "{}", hit.path.display());
    }
}

#[test]
fn first_run_opens_the_article_behind_the_name_field_and_enter_starts() {
    let s = samples_copy();
    let article = s.corpus.join("politics/sahel_summit.txt");
    let options = WorkbenchOptions {
        path: Some(article.clone()),
        ..WorkbenchOptions::default()
    };
    let mut h = harness(Prefs::default(), options);
    // The article is there behind the dialog, for reading.
    let session = h.state().session.as_ref().expect("the article is open");
    assert_eq!(session.doc.path(), article);
    assert!(session.read_only.is_some());
    // The name field has the keyboard: typing goes into it, Enter starts.
    let field = h.get_by_label("Annotator");
    assert!(field.is_focused(), "the name field has the keyboard focus");
    h.get_by_label("Annotator").type_text("nour");
    h.run();
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(h.state().annotator(), Some("nour"));
    assert!(h.state().dialog.is_none());
    let session = h.state().session.as_ref().expect("still open");
    assert_eq!(
        session.doc.path(),
        article,
        "the article named on the command line"
    );
    assert_eq!(session.annotator, "nour");
    assert!(session.read_only.is_none());
}

#[test]
fn tag_all_occurrences_across_the_corpus_after_a_confirmation_per_document() {
    let s = samples_copy();
    let mut h = workbench_as(&s.corpus, "nour");
    let open = open_doc(&mut h, "politics/local_councils_law.txt");
    {
        let wb = h.state_mut();
        wb.search.open = true;
        wb.search.query = "القاهرة".into();
        wb.search.whole_corpus = true;
        wb.search.tag_label = Some("GPE".into());
    }
    h.run();
    h.get_by_label("Tag all occurrences…").click();
    h.run();
    let Some(Dialog::TagAllCorpus { docs, .. }) = h.state().dialog.clone() else {
        panic!("a confirmation list per document");
    };
    let names: Vec<&str> = docs.iter().map(|d| d.relative.as_str()).collect();
    assert_eq!(
        names,
        [
            "long/live_coverage_2025.txt",
            "politics/imf_loan_talks.txt",
            "politics/local_councils_law.txt",
            // وللقاهرة: the clitics و and ل before the article, whose alef is dropped after ل.
            "politics/sahel_summit.txt",
            "society/poetry_festival.txt"
        ]
    );
    // Untick one document.
    let poetry = docs
        .iter()
        .find(|d| d.relative.starts_with("society/"))
        .unwrap();
    h.get_by_label(&format!("{} ({})", poetry.relative, poetry.ranges.len()))
        .click();
    h.run();
    h.get_by_label("Tag them").click();
    h.run();
    // The open document: one undo step. The others: written to nour's sidecars.
    let session = h.state().session.as_ref().unwrap();
    let here = session.editor.annotations().spans().len();
    assert!(here > 0);
    for d in &docs {
        let sidecar = sidecar::sidecar_path(&d.path, "nour");
        if d.path == open {
            continue;
        }
        if d.relative.starts_with("society/") {
            assert!(!sidecar.exists(), "unticked: left alone");
            continue;
        }
        let a = reopen(&d.path, "nour");
        assert_eq!(a.spans().len(), d.ranges.len(), "{}", d.relative);
        for span in a.spans() {
            assert!(span.text.ends_with("قاهرة"), "{}", span.text);
            assert_eq!(python_range(&d.path, &span.text, span.start), span.range());
        }
    }
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(
        h.state()
            .session
            .as_ref()
            .unwrap()
            .editor
            .annotations()
            .spans()
            .len(),
        0
    );
}
