//! A new user on a fresh machine, in a real window (Xvfb), driven with xdotool: the app opens the
//! article named on the command line, they type their name and press Enter, drag across the first
//! words of the text, press a label key and Ctrl+S — and the span is in their sidecar, where
//! Python's own count of the text puts it.
//!
//! Needs Xvfb, xdotool and ImageMagick's `import` (`.ci/setup` installs them); skipped on a
//! laptop without them, a failure in CI.

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use hashiya::model::{sidecar, Document};

fn tool(name: &str) -> bool {
    Command::new("which")
        .arg(name)
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Kills the child when dropped (the test may fail half way).
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn xdotool(display: &str, args: &[&str]) -> String {
    let out = Command::new("xdotool")
        .args(args)
        .env("DISPLAY", display)
        .output()
        .expect("xdotool runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The screen as (width, height, RGB bytes), read from ImageMagick's PPM output.
fn screenshot(display: &str) -> (usize, usize, Vec<u8>) {
    let out = Command::new("import")
        .args(["-window", "root", "-depth", "8", "ppm:-"])
        .env("DISPLAY", display)
        .output()
        .expect("import runs");
    let data = out.stdout;
    // "P6\n<w> <h>\n<max>\n" then the pixels.
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while data[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !data[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&data[start..at]).into_owned());
    }
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    (w, h, data[at + 1..].to_vec())
}

/// The middle height of the first line of text in the canvas: the first row, from the top of the
/// canvas area, with dark (text) pixels across the middle of the window.
fn first_text_line(display: &str) -> Option<(i32, i32, i32)> {
    let (w, h, px) = screenshot(display);
    let dark = |x: usize, y: usize| {
        let i = (y * w + x) * 3;
        px.get(i..i + 3).is_some_and(|p| p.iter().all(|&c| c < 90))
    };
    // The canvas lies between the document list (left) and the annotation panel (right).
    let (x0, x1) = (w * 35 / 100, w * 65 / 100);
    let rows: Vec<usize> = (60..h * 2 / 3)
        .filter(|&y| (x0..x1).filter(|&x| dark(x, y)).count() > 3)
        .collect();
    let top = *rows.first()?;
    let bottom = rows.iter().take_while(|&&y| y < top + 40).last().copied()?;
    // The rightmost dark pixel of that line: Arabic starts on the right.
    let y = (top + bottom) / 2;
    let right = (w / 4..w * 3 / 4)
        .rev()
        .find(|&x| dark(x, y) || dark(x, y + 2))?;
    Some((right as i32, y as i32, top as i32))
}

#[test]
fn a_new_user_types_a_name_drags_a_word_tags_it_and_saves() {
    let ready = ["Xvfb", "xdotool", "import"].iter().all(|t| tool(t));
    if !common::require::available("Xvfb, xdotool and ImageMagick's import", ready) {
        return;
    }
    let s = common::workbench::samples_copy();
    let article = s.corpus.join("politics/local_councils_law.txt");
    let home = s._dir.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let display = format!(":{}", 90 + std::process::id() % 100);
    let _xvfb = Killed(
        Command::new("Xvfb")
            .args([display.as_str(), "-screen", "0", "1400x900x24"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb starts"),
    );
    std::thread::sleep(Duration::from_millis(800));
    let _app = Killed(
        Command::new(env!("CARGO_BIN_EXE_hashiya"))
            .arg(&article)
            .env("DISPLAY", &display)
            .env("HOME", &home) // a fresh machine: no settings
            .env_remove("WAYLAND_DISPLAY")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("hashiya starts"),
    );
    let start = Instant::now();
    let window = loop {
        let w = xdotool(&display, &["search", "--name", "Hashiya"]);
        if let Some(id) = w.split_whitespace().next() {
            break id.to_owned();
        }
        assert!(start.elapsed() < Duration::from_secs(60), "no window");
        std::thread::sleep(Duration::from_millis(200));
    };
    std::thread::sleep(Duration::from_millis(1500));
    xdotool(&display, &["windowfocus", "--sync", &window]);
    // The name field has the keyboard: type, Enter.
    xdotool(&display, &["type", "--delay", "40", "nour"]);
    xdotool(&display, &["key", "Return"]);
    std::thread::sleep(Duration::from_millis(1500));
    // Drag across the first words of the first line (right to left, as Arabic reads).
    let (right, y, _) = first_text_line(&display).expect("the article's text is drawn");
    let (from, to) = (right - 4, right - 60);
    xdotool(&display, &["mousemove", &from.to_string(), &y.to_string()]);
    xdotool(&display, &["mousedown", "1"]);
    for k in 1..=6 {
        let x = from + (to - from) * k / 6;
        xdotool(&display, &["mousemove", &x.to_string(), &y.to_string()]);
        std::thread::sleep(Duration::from_millis(30));
    }
    xdotool(&display, &["mouseup", "1"]);
    std::thread::sleep(Duration::from_millis(300));
    xdotool(&display, &["key", "p"]);
    xdotool(&display, &["key", "ctrl+s"]);
    let path = sidecar::sidecar_path(&article, "nour");
    let start = Instant::now();
    while !path.exists() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(100));
    }
    let doc = Document::load(&article, None).unwrap();
    let saved = sidecar::load(&doc, "nour").expect("the sidecar is written and reads back");
    let spans = saved.annotations.spans();
    assert_eq!(spans.len(), 1, "one span tagged: {spans:?}");
    let span = &spans[0];
    assert_eq!(span.label, "PER");
    // Whole words from the start of the first line, where Python finds them.
    assert_eq!(span.start, 0, "{span:?}");
    let got = common::python_range(&article, &span.text, 0);
    assert_eq!(got, span.range());
    assert!(Path::new(&path).is_file());
}
