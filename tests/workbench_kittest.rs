//! The workbench driven as a linguist drives it, headless with egui_kittest: open the samples, drag
//! across Arabic words, press label keys, draw relations, set stance, review suggestions, undo,
//! tag all occurrences, save — then read the sidecar back from disk and compare its offsets with
//! Python's own count. Every run also checks that each control has an accessible name.

mod common;

use std::ops::Range;
use std::path::{Path, PathBuf};

use egui::{Event, Key, Modifiers, Pos2, Rect};
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use hashiya::model::annotation::Target;
use hashiya::model::{sidecar, DocStatus, Document, ReviewState};
use hashiya::ui::canvas::CANVAS_LABEL;
use hashiya::ui::workbench::{Prefs, Workbench, WorkbenchOptions};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

struct Setup {
    _dir: tempfile::TempDir,
    corpus: PathBuf,
}

fn corpus() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("samples");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("samples"),
        &corpus,
    );
    Setup { _dir: dir, corpus }
}

fn workbench(corpus: &Path, annotator: &str) -> Harness<'static, Workbench> {
    let prefs = Prefs {
        annotator: Some(annotator.to_owned()),
        seen_first_run_hint: true,
        ..Prefs::default()
    };
    let options = WorkbenchOptions {
        path: Some(corpus.to_path_buf()),
        ..WorkbenchOptions::default()
    };
    let mut h = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        // The canvas refines its height estimate of long articles over idle frames.
        .with_max_steps(5000)
        // Frames of a 60 Hz screen, so that two clicks can make a double-click.
        .with_step_dt(1.0 / 60.0)
        .build_eframe(move |_cc| Workbench::with_prefs(prefs, options));
    h.run();
    h
}

/// Opens a document by clicking its name in the document list.
fn open(h: &mut Harness<'static, Workbench>, relative: &str) -> PathBuf {
    h.get_by_label(relative).click();
    h.run();
    let session = h.state().session.as_ref().expect("a document is open");
    assert!(session.doc.path().ends_with(relative));
    session.doc.path().to_path_buf()
}

use common::python_range;

fn rect_of(h: &Harness<'static, Workbench>, range: Range<usize>) -> Rect {
    let rects = h.state().canvas.char_range_rects_in_ui(range.clone());
    assert!(!rects.is_empty(), "{range:?} is on screen");
    rects[0]
}

fn drag(h: &mut Harness<'static, Workbench>, from: Pos2, to: Pos2, modifiers: Modifiers) {
    common::drag(h, from, to, modifiers);
}

/// Scrolls the canvas so that `pos` is in view.
fn show_char(h: &mut Harness<'static, Workbench>, pos: usize) {
    if h.state()
        .canvas
        .char_range_rects_in_ui(pos..pos + 1)
        .is_empty()
    {
        h.state_mut().canvas.scroll_to_char(pos);
        h.run();
    }
}

/// Drags across whole words: press inside the first letter, release inside the last.
fn drag_words(h: &mut Harness<'static, Workbench>, range: Range<usize>) {
    show_char(h, range.start);
    let from = rect_of(h, range.start..range.start + 1).center();
    let to = rect_of(h, range.end - 1..range.end).center();
    drag(h, from, to, Modifiers::NONE);
}

fn click_at(h: &mut Harness<'static, Workbench>, pos: Pos2) {
    h.event(Event::PointerMoved(pos));
    h.run();
    // Press and release on consecutive frames: held longer, a press becomes a drag.
    for pressed in [true, false] {
        h.event(Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
        h.step();
    }
    h.run();
}

fn press(h: &mut Harness<'static, Workbench>, key: Key) {
    h.key_press(key);
    h.run();
}

fn save(h: &mut Harness<'static, Workbench>) {
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
}

/// The sidecar as a fresh program reads it from disk.
fn reopen(article: &Path, annotator: &str) -> hashiya::model::Annotations {
    let doc = Document::load(article, None).unwrap();
    let loaded = sidecar::load(&doc, annotator).unwrap();
    assert!(loaded.issues.is_empty());
    loaded.annotations
}

#[test]
fn drag_a_word_press_a_hotkey_save_and_python_agrees() {
    let s = corpus();
    let mut h = workbench(&s.corpus, "tester");
    h.get_by_label(CANVAS_LABEL);
    let article = open(&mut h, "politics/local_councils_law.txt");
    // "مجلس النواب": two words, dragged across.
    let words = python_range(&article, "مجلس النواب", 0);
    drag_words(&mut h, words.clone());
    assert_eq!(h.state().canvas.selection(), Some(words.clone()));
    press(&mut h, Key::O); // ORG
    save(&mut h);
    let a = reopen(&article, "tester");
    assert_eq!(a.spans().len(), 1);
    let span = &a.spans()[0];
    assert_eq!(
        (
            span.start..span.end,
            span.label.as_str(),
            span.text.as_str()
        ),
        (words, "ORG", "مجلس النواب")
    );
    assert_eq!(
        a.status,
        DocStatus::InProgress,
        "tagging starts the document"
    );
}

#[test]
fn alt_drag_leaves_the_clitic_out() {
    let s = corpus();
    let mut h = workbench(&s.corpus, "tester");
    let article = open(&mut h, "politics/sahel_summit.txt");
    let word = python_range(&article, "وبواشنطن", 0);
    let inner = word.start + 2..word.end; // واشنطن without و ب
    let first = rect_of(&h, inner.start..inner.start + 1);
    let last = rect_of(&h, inner.end - 1..inner.end);
    drag(
        &mut h,
        Pos2::new(first.right() - 0.5, first.center().y),
        Pos2::new(last.left() + 0.5, last.center().y),
        Modifiers::ALT,
    );
    press(&mut h, Key::G);
    save(&mut h);
    let a = reopen(&article, "tester");
    let span = a
        .spans()
        .iter()
        .find(|s| s.label == "GPE")
        .expect("a GPE span");
    assert_eq!(
        span.start..span.end,
        python_range(&article, "واشنطن وبعدد", 0).start..inner.end
    );
    assert_eq!(span.text, "واشنطن");
}

#[test]
fn a_claim_with_its_source_a_stance_with_a_target_undo_and_redo() {
    let s = corpus();
    let mut h = workbench(&s.corpus, "tester");
    let article = open(&mut h, "politics/local_councils_law.txt");
    // The speaker.
    let person = python_range(&article, "عادل منير الشافعي", 0);
    drag_words(&mut h, person.clone());
    press(&mut h, Key::P);
    // The claim he makes.
    let claim = python_range(&article, "لا يتوقع إقرار القانون", 0);
    drag_words(&mut h, claim.clone());
    press(&mut h, Key::K);
    let claim_id = h
        .state()
        .selected_span
        .clone()
        .expect("the new claim is selected");
    // Its attribute, through the panel's state (the combo box is exercised by the a11y check).
    // Relation: claim selected, press A, click the person.
    press(&mut h, Key::A);
    assert!(h.state().pending_relation.is_some());
    let person_rect = rect_of(&h, person.start + 1..person.start + 2);
    click_at(&mut h, person_rect.center());
    let rels = h
        .state()
        .session
        .as_ref()
        .unwrap()
        .editor
        .annotations()
        .relations
        .clone();
    assert_eq!(rels.len(), 1, "relation drawn");
    assert_eq!(
        (rels[0].kind.as_str(), rels[0].from.as_str()),
        ("attributed_to", claim_id.as_str())
    );
    // Stance: the person span is selected now (the relation's target click selects the source);
    // select the person, then click "against".
    h.state_mut().select_span(&rels[0].to, false);
    h.run();
    h.get_by_label("against").click();
    h.run();
    save(&mut h);
    let a = reopen(&article, "tester");
    let per = a.spans().iter().find(|s| s.label == "PER").unwrap();
    let cl = a.spans().iter().find(|s| s.label == "CLAIM").unwrap();
    assert_eq!((per.start, per.end), (person.start, person.end));
    assert_eq!((cl.start, cl.end), (claim.start, claim.end));
    assert_eq!(a.relations[0].to, per.id);
    let stance = a
        .doc_labels
        .iter()
        .find(|d| d.name == "stance")
        .expect("a stance");
    assert_eq!(stance.value, "against");
    assert_eq!(stance.target, Some(Target::Span(per.id.clone())));

    // Undo the stance and the relation, redo one.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    {
        let ann = h.state().session.as_ref().unwrap().editor.annotations();
        assert!(ann.doc_labels.is_empty() && ann.relations.is_empty());
    }
    h.key_press_modifiers(
        Modifiers {
            shift: true,
            ..Modifiers::COMMAND
        },
        Key::Z,
    );
    h.run();
    assert_eq!(
        h.state()
            .session
            .as_ref()
            .unwrap()
            .editor
            .annotations()
            .relations
            .len(),
        1
    );
    save(&mut h);
    let a = reopen(&article, "tester");
    assert_eq!(a.relations.len(), 1);
    assert!(a.doc_labels.is_empty());
}

#[test]
fn review_suggested_spans_with_single_keys() {
    let s = corpus();
    let mut h = workbench(&s.corpus, "model");
    let article = open(&mut h, "society/poetry_festival.txt");
    let before = reopen(&article, "model");
    let suggested: Vec<String> = before
        .spans()
        .iter()
        .filter(|s| s.review == ReviewState::Suggested)
        .map(|s| s.id.clone())
        .collect();
    assert!(suggested.len() >= 2);
    // "." goes to the first suggestion, Enter accepts it (and moves on), "-" rejects the next.
    h.key_press(Key::Period);
    h.run();
    assert_eq!(
        h.state().selected_span.as_deref(),
        Some(suggested[0].as_str())
    );
    press(&mut h, Key::Enter);
    assert_eq!(
        h.state().selected_span.as_deref(),
        Some(suggested[1].as_str())
    );
    press(&mut h, Key::Minus);
    save(&mut h);
    let after = reopen(&article, "model");
    assert_eq!(
        after.span(&suggested[0]).unwrap().review,
        ReviewState::Accepted
    );
    assert_eq!(
        after.span(&suggested[1]).unwrap().review,
        ReviewState::Rejected
    );
    assert_eq!(after.spans().len(), before.spans().len());
}

#[test]
fn tag_all_occurrences_keeps_clitics_outside() {
    let s = corpus();
    let mut h = workbench(&s.corpus, "tester");
    let article = open(&mut h, "politics/sahel_summit.txt");
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run();
    h.get_by_label("Find").type_text("موسكو");
    h.run();
    h.state_mut().search.tag_label = Some("GPE".into());
    h.run();
    h.get_by_label("Tag all occurrences…").click();
    h.run();
    h.get_by_label("Tag them").click();
    h.run();
    save(&mut h);
    let text = std::fs::read_to_string(&article).unwrap();
    let chars: Vec<char> = text.chars().collect();
    let a = reopen(&article, "tester");
    let spans: Vec<_> = a.spans().iter().filter(|s| s.label == "GPE").collect();
    let occurrences = text.matches("موسكو").count();
    assert!(occurrences >= 2);
    assert_eq!(spans.len(), occurrences);
    for s in &spans {
        assert_eq!(s.text, "موسكو");
        // Python agrees on where each occurrence is.
        let py = python_range(&article, "موسكو", s.start);
        assert_eq!(py, s.start..s.end);
        // Whatever is attached before it stayed outside (بموسكو, لموسكو).
        let before: String = chars[s.start.saturating_sub(1)..s.start].iter().collect();
        assert!(before == " " || "وفبلك".contains(&before), "{before:?}");
    }
    assert!(
        spans.iter().any(|s| chars[s.start - 1] != ' '),
        "a clitic form was tagged"
    );
    // One undo removes all of them.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(h
        .state()
        .session
        .as_ref()
        .unwrap()
        .editor
        .annotations()
        .spans()
        .iter()
        .all(|s| s.label != "GPE"));
}

#[test]
fn a_sidecar_changed_on_disk_asks_the_user_and_is_not_overwritten() {
    let s = corpus();
    let mut h = workbench(&s.corpus, "layla");
    let article = open(&mut h, "politics/sahel_summit.txt");
    let path = sidecar::sidecar_path(&article, "layla");
    // An unsaved change in the app...
    let word = python_range(&article, "نواكشوط", 0);
    drag_words(&mut h, word);
    press(&mut h, Key::G);
    assert!(h.state().session.as_ref().unwrap().is_dirty());
    // ... while a git pull rewrites the sidecar.
    let theirs = std::fs::read_to_string(&path)
        .unwrap()
        .replace("\"finished\"", "\"reviewed\"");
    std::fs::write(&path, &theirs).unwrap();
    save(&mut h);
    h.get_by_label("The annotations changed on disk");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        theirs,
        "not overwritten"
    );
    // The user keeps a copy of theirs... of theirs? No: saves theirs aside by keeping a copy of
    // their own work, and takes the file on disk.
    h.get_by_label("Save mine as a copy, take theirs").click();
    h.run();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs);
    let copy = sidecar::sidecar_path(&article, "layla-conflict");
    assert!(copy.exists(), "my work is kept beside it");
    assert_eq!(
        h.state()
            .session
            .as_ref()
            .unwrap()
            .editor
            .annotations()
            .status,
        DocStatus::Reviewed
    );
}

#[test]
fn an_unreadable_sidecar_opens_read_only() {
    let s = corpus();
    let path = s
        .corpus
        .join("politics/imf_loan_talks.txt.tester.hashiya.json");
    std::fs::write(&path, "{ broken").unwrap();
    let mut h = workbench(&s.corpus, "tester");
    let article = open(&mut h, "politics/imf_loan_talks.txt");
    assert!(h.state().session.as_ref().unwrap().read_only.is_some());
    let word = python_range(&article, "واشنطن", 0);
    drag_words(&mut h, word);
    press(&mut h, Key::G);
    save(&mut h);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "{ broken");
    assert!(h
        .state()
        .session
        .as_ref()
        .unwrap()
        .editor
        .annotations()
        .spans()
        .is_empty());
}

#[test]
fn right_click_reaches_a_nested_span() {
    let s = corpus();
    let mut h = workbench(&s.corpus, "model");
    let article = open(&mut h, "society/poetry_festival.txt");
    // القاهرة (GPE) sits inside جامعة القاهرة (ORG) in the headline.
    let city = python_range(
        &article,
        "القاهرة",
        python_range(&article, "جامعة القاهرة", 0).start,
    );
    let pos = rect_of(&h, city.start + 2..city.start + 3).center();
    h.event(Event::PointerMoved(pos));
    h.run();
    for pressed in [true, false] {
        h.event(Event::PointerButton {
            pos,
            button: egui::PointerButton::Secondary,
            pressed,
            modifiers: Modifiers::NONE,
        });
        h.step();
    }
    h.run();
    // Both spans are offered, innermost first.
    let buttons: Vec<_> = h.query_all_by_label("Select").collect();
    assert_eq!(buttons.len(), 2);
    // The second entry is the outer span.
    buttons[1].click();
    h.run();
    assert_eq!(
        h.state().selected_span.as_deref(),
        Some("s3"),
        "the outer ORG span is reachable"
    );
}

#[test]
fn changes_are_saved_by_themselves_shortly_after() {
    let s = corpus();
    let mut h = workbench(&s.corpus, "tester");
    let article = open(&mut h, "politics/local_councils_law.txt");
    let word = python_range(&article, "البرلمان", 0);
    drag_words(&mut h, word.clone());
    press(&mut h, Key::O);
    let path = sidecar::sidecar_path(&article, "tester");
    assert!(!path.exists(), "not saved at once");
    std::thread::sleep(
        hashiya::ui::workbench::AUTOSAVE_AFTER + std::time::Duration::from_millis(200),
    );
    h.run();
    let a = reopen(&article, "tester");
    assert_eq!(a.spans()[0].start..a.spans()[0].end, word);
    assert!(!h.state().session.as_ref().unwrap().is_dirty());
}

#[test]
fn switching_documents_saves_and_keys_walk_the_list() {
    let s = corpus();
    let mut h = workbench(&s.corpus, "tester");
    let article = open(&mut h, "politics/local_councils_law.txt");
    let word = python_range(&article, "القاهرة", 0);
    drag_words(&mut h, word);
    press(&mut h, Key::G);
    h.key_press_modifiers(Modifiers::COMMAND, Key::PageDown);
    h.run();
    assert!(h
        .state()
        .session
        .as_ref()
        .unwrap()
        .doc
        .path()
        .ends_with("politics/sahel_summit.txt"));
    assert_eq!(
        reopen(&article, "tester").spans().len(),
        1,
        "saved on switching"
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::PageUp);
    h.run();
    assert!(h
        .state()
        .session
        .as_ref()
        .unwrap()
        .doc
        .path()
        .ends_with("politics/local_councils_law.txt"));
    // The list filter by name.
    h.get_by_label("Filter").focus();
    h.run();
    h.get_by_label("Filter").type_text("poetry");
    h.run();
    assert_eq!(h.state().visible_documents().len(), 1);
}

#[test]
fn the_annotator_is_asked_once_then_used() {
    let s = corpus();
    let options = WorkbenchOptions {
        path: Some(s.corpus.clone()),
        ..WorkbenchOptions::default()
    };
    let mut h = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .with_max_steps(5000)
        .build_eframe(move |_cc| Workbench::with_prefs(Prefs::default(), options));
    h.run();
    h.get_by_label("Who is annotating?");
    h.get_by_label("Annotator").type_text("nour");
    h.run();
    h.get_by_label("Start").click();
    h.run();
    assert_eq!(h.state().annotator(), Some("nour"));
    assert_eq!(
        h.state().prefs.annotator.as_deref(),
        Some("nour"),
        "remembered in the preferences"
    );
    let article = open(&mut h, "politics/local_councils_law.txt");
    let word = python_range(&article, "البرلمان", 0);
    drag_words(&mut h, word);
    press(&mut h, Key::O);
    save(&mut h);
    assert!(sidecar::sidecar_path(&article, "nour").exists());
}

#[test]
fn pick_a_span_in_the_list_correct_its_label_and_open_the_shortcut_sheet() {
    let s = corpus();
    let mut h = workbench(&s.corpus, "layla");
    let article = open(&mut h, "politics/sahel_summit.txt");
    // كامارا is ORG in layla's file; she corrects it to PER from the annotation list.
    let before = reopen(&article, "layla");
    let span = before
        .spans()
        .iter()
        .find(|s| s.text == "كامارا")
        .expect("the span")
        .clone();
    assert_eq!(span.label, "ORG");
    // List only ORG spans, so the row is on screen.
    h.state_mut().annotation_filter.label = Some("ORG".into());
    h.run();
    // It appears as a claim source too; the annotation list (drawn first, at the bottom of the
    // right panel) holds the first one.
    h.get_all_by_label("كامارا").next().expect("listed").click();
    h.run();
    assert_eq!(h.state().selected_span.as_deref(), Some(span.id.as_str()));
    press(&mut h, Key::P);
    save(&mut h);
    let after = reopen(&article, "layla");
    assert_eq!(after.span(&span.id).unwrap().label, "PER");
    assert_eq!(
        (
            after.span(&span.id).unwrap().start,
            after.span(&span.id).unwrap().end
        ),
        (span.start, span.end)
    );
    press(&mut h, Key::F1);
    h.get_by_label("Keyboard shortcuts");
}

#[test]
fn drag_a_span_edge_to_leave_a_clitic_out() {
    let s = corpus();
    let mut h = workbench(&s.corpus, "tester");
    let article = open(&mut h, "politics/sahel_summit.txt");
    // Tag the whole word وبواشنطن, then drag its start edge past the clitics و ب.
    let word = python_range(&article, "وبواشنطن", 0);
    drag_words(&mut h, word.clone());
    press(&mut h, Key::G);
    let id = h.state().selected_span.clone().expect("selected");
    let handle = h.get_by_label("Start of the selected span").rect();
    // The new start: the right edge of و of واشنطن (the third letter), read right to left.
    let target = rect_of(&h, word.start + 2..word.start + 3);
    drag(
        &mut h,
        handle.center(),
        Pos2::new(target.right() - 0.5, target.center().y),
        Modifiers::NONE,
    );
    save(&mut h);
    let a = reopen(&article, "tester");
    let span = a.span(&id).expect("same span");
    assert_eq!(
        (span.start, span.end, span.text.as_str()),
        (word.start + 2, word.end, "واشنطن")
    );
}

/// Runs frames until the background conversion has finished (or a few seconds passed).
fn wait_for_job(h: &mut Harness<'static, Workbench>) {
    for _ in 0..200 {
        h.run();
        if h.state().job_outcome.is_some() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    panic!("the conversion did not finish");
}

#[test]
fn export_and_import_from_the_file_menu_run_in_the_background() {
    let s = corpus();
    let mut h = workbench(&s.corpus, "layla");
    open(&mut h, "politics/sahel_summit.txt");
    let out = s.corpus.parent().unwrap().join("sahel.conll");
    // (The File menu's Export… item calls this.)
    h.state_mut().open_export_form();
    h.run();
    if let Some(hashiya::ui::workbench::InterchangeForm::Export {
        out: o, statuses, ..
    }) = h.state_mut().interchange.as_mut()
    {
        *o = out.display().to_string();
        *statuses = [true; 4];
    } else {
        panic!("the export form is open");
    }
    h.run();
    h.get_by_label("Start").click();
    wait_for_job(&mut h);
    let outcome = h.state().job_outcome.clone().unwrap();
    let report = outcome.result.expect("exported");
    assert!(
        report.documents >= 1 && report.spans > 0,
        "{}",
        report.summary()
    );
    let conll = std::fs::read_to_string(&out).unwrap();
    assert!(conll.contains("B-GPE"), "tags written");

    // Import it back into a new corpus folder, as another annotator.
    let back = s.corpus.parent().unwrap().join("reimported");
    h.state_mut().open_import_form();
    h.run();
    if let Some(hashiya::ui::workbench::InterchangeForm::Import {
        format,
        source,
        corpus,
        annotator,
        ..
    }) = h.state_mut().interchange.as_mut()
    {
        *format = hashiya::formats::Format::Conll;
        *source = out.display().to_string();
        *corpus = back.display().to_string();
        *annotator = "conll".into();
    }
    h.state_mut().job_outcome = None;
    h.run();
    h.get_by_label("Start").click();
    wait_for_job(&mut h);
    let report = h
        .state()
        .job_outcome
        .clone()
        .unwrap()
        .result
        .expect("imported");
    assert!(report.spans > 0, "{}", report.summary());
    let sidecars: Vec<_> = std::fs::read_dir(&back)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .ends_with(".conll.hashiya.json")
        })
        .collect();
    assert!(!sidecars.is_empty(), "sidecars written for annotator conll");
}

#[test]
fn a_note_being_typed_is_saved_when_switching_document_and_stays_with_its_span() {
    let s = corpus();
    let mut h = workbench(&s.corpus, "tester");
    let article = open(&mut h, "politics/local_councils_law.txt");
    let word = python_range(&article, "البرلمان", 0);
    drag_words(&mut h, word);
    press(&mut h, Key::O);
    let id = h.state().selected_span.clone().expect("selected");
    h.get_by_label("Note").focus();
    h.run();
    h.get_by_label("Note").type_text("مجلس النواب");
    h.run();
    // Straight to the next document, the field still focused.
    h.key_press_modifiers(Modifiers::COMMAND, Key::PageDown);
    h.run();
    assert!(h
        .state()
        .session
        .as_ref()
        .unwrap()
        .doc
        .path()
        .ends_with("politics/sahel_summit.txt"));
    let a = reopen(&article, "tester");
    assert_eq!(a.span(&id).unwrap().note.as_deref(), Some("مجلس النواب"));
    // Nothing of it reaches the span with the same id in the other document.
    let other = h
        .state()
        .session
        .as_ref()
        .unwrap()
        .editor
        .annotations()
        .clone();
    assert!(other
        .spans()
        .iter()
        .all(|s| s.note.as_deref() != Some("مجلس النواب")));
}

/// Fills the import form (the File menu's Import… opens it) and runs it.
fn run_import_form(
    h: &mut Harness<'static, Workbench>,
    source: &Path,
    corpus: &Path,
    annotator: &str,
    choose: Option<&str>,
) -> hashiya::formats::Report {
    h.state_mut().open_import_form();
    h.run();
    if let Some(hashiya::ui::workbench::InterchangeForm::Import {
        format,
        source: src,
        corpus: c,
        annotator: a,
        ..
    }) = h.state_mut().interchange.as_mut()
    {
        *format = hashiya::formats::Format::Doccano;
        *src = source.display().to_string();
        *c = corpus.display().to_string();
        *a = annotator.into();
    } else {
        panic!("the import form is open");
    }
    h.state_mut().job_outcome = None;
    h.run();
    // The form asks what to do with documents the annotator already annotated.
    h.get_by_label("leave those documents as they are (listed in the summary)");
    if let Some(label) = choose {
        h.get_by_label(label).click();
        h.run();
    }
    h.get_by_label("Start").click();
    wait_for_job(h);
    h.state()
        .job_outcome
        .clone()
        .unwrap()
        .result
        .expect("imported")
}

#[test]
fn file_import_asks_before_replacing_a_persons_sidecar() {
    let s = corpus();
    let mut h = workbench(&s.corpus, "omar");
    let article = s.corpus.join("politics/sahel_summit.txt");
    let sidecar_path = s
        .corpus
        .join("politics/sahel_summit.txt.layla.hashiya.json");
    let before = std::fs::read(&sidecar_path).unwrap();
    // The same article from another tool, with one span, for layla.
    let text = std::fs::read_to_string(&article).unwrap();
    let src = s.corpus.parent().unwrap().join("from-doccano.jsonl");
    let line = serde_json::json!({"document": "politics/sahel_summit.txt", "text": text, "label": [[0, 4, "LOC"]]});
    std::fs::write(&src, format!("{line}\n")).unwrap();
    // Left as it is: the default answer.
    let report = run_import_form(&mut h, &src, &s.corpus, "layla", None);
    assert_eq!(
        report.skipped.values().sum::<usize>(),
        1,
        "{}",
        report.summary()
    );
    assert!(report.summary().contains("left as they were"));
    assert_eq!(std::fs::read(&sidecar_path).unwrap(), before);
    assert!(
        !s.corpus.join("politics/sahel_summit-2.txt").exists(),
        "the identical text is that article"
    );
    // Replaced when asked, the old one kept beside it.
    let report = run_import_form(
        &mut h,
        &src,
        &s.corpus,
        "layla",
        Some("replace their sidecars, keeping each old one as a backup beside it"),
    );
    assert!(!report.has_failures(), "{}", report.summary());
    assert_eq!(
        std::fs::read(
            s.corpus
                .join("politics/sahel_summit.txt.layla.hashiya.json.bak")
        )
        .unwrap(),
        before
    );
    let now = reopen(&article, "layla");
    assert_eq!(now.spans().len(), 1);
    assert_eq!(now.spans()[0].label, "LOC");
}

#[test]
fn events_and_equivalences_are_listed_and_lead_to_their_spans() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("brat");
    std::fs::create_dir_all(&src).unwrap();
    let text = "اندمجت شركة يوتيوب مع غوغل وقالت غوغل إن الصفقة تمت.";
    std::fs::write(src.join("merge.txt"), text).unwrap();
    let r = |needle: &str, nth: usize| {
        let b = text.match_indices(needle).nth(nth).unwrap().0;
        let a = text[..b].chars().count();
        (a, a + needle.chars().count())
    };
    let (m, y, g1, g2) = (r("اندمجت", 0), r("يوتيوب", 0), r("غوغل", 0), r("غوغل", 1));
    let ann = format!(
        "T1\tMerge-org {} {}\tاندمجت\nT2\tOrganization {} {}\tيوتيوب\nT3\tOrganization {} {}\tغوغل\n\
         T4\tOrganization {} {}\tغوغل\nE1\tMerge-org:T1 Org-Arg:T2 Org-Arg2:T3\n*\tEquiv T3 T4\n",
        m.0, m.1, y.0, y.1, g1.0, g1.1, g2.0, g2.1
    );
    std::fs::write(src.join("merge.ann"), ann).unwrap();
    let corpus = dir.path().join("corpus");
    hashiya::formats::driver::import_into_corpus(
        hashiya::formats::Format::Brat,
        &src,
        &corpus,
        &hashiya::formats::ImportOptions::default(),
        &mut |_, _, _| {},
    )
    .unwrap();
    let mut h = workbench(&corpus, "imported");
    open(&mut h, "merge.txt");
    h.get_by_label("Events (1) and equivalences (1)");
    // The event's trigger, in the list: clicking it selects the trigger span.
    h.get_all_by_label("اندمجت").next().unwrap().click();
    h.run();
    let a = h
        .state()
        .session
        .as_ref()
        .unwrap()
        .editor
        .annotations()
        .clone();
    let selected = h.state().selected_span.clone().expect("a span is selected");
    assert_eq!(a.span(&selected).unwrap().text, "اندمجت");
    // Its details show the event with its arguments.
    h.get_by_label("Events");
    assert!(h.get_all_by_label("Org-Arg2:").next().is_some());
    // An equivalence member leads to the other.
    h.get_all_by_label("Equiv =").next().expect("the group");
}
