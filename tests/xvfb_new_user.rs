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

/// Starts Xvfb on a display it finds free itself (`-displayfd`) and waits until it says it is
/// listening, so the app never races a server that is still starting on a busy machine.
fn start_xvfb(dir: &Path) -> (Killed, String) {
    let log = dir.join("xvfb.log");
    let mut xvfb = Killed(
        Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-nolisten",
                "tcp",
                "-screen",
                "0",
                "1400x900x24",
            ])
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("Xvfb starts"),
    );
    let stdout = xvfb.0.stdout.take().expect("Xvfb's stdout is piped");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line);
        let _ = tx.send(line);
    });
    let number = rx.recv_timeout(Duration::from_secs(60)).unwrap_or_default();
    let number = number.trim();
    assert!(
        !number.is_empty(),
        "Xvfb named no display within 60 s:\n{}",
        std::fs::read_to_string(&log).unwrap_or_default()
    );
    (xvfb, format!(":{number}"))
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
    let (_xvfb, display) = start_xvfb(s._dir.path());
    let app_log = s._dir.path().join("hashiya.log");
    let mut app = Killed(
        Command::new(env!("CARGO_BIN_EXE_hashiya"))
            .arg(&article)
            .env("DISPLAY", &display)
            .env("HOME", &home) // a fresh machine: no settings
            .env_remove("WAYLAND_DISPLAY")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&app_log).unwrap())
            .spawn()
            .expect("hashiya starts"),
    );
    let start = Instant::now();
    let window = loop {
        let w = xdotool(&display, &["search", "--name", "Hashiya"]);
        if let Some(id) = w.split_whitespace().next() {
            break id.to_owned();
        }
        let log = || std::fs::read_to_string(&app_log).unwrap_or_default();
        if let Ok(Some(status)) = app.0.try_wait() {
            panic!(
                "hashiya ended ({status}) before its window showed:\n{}",
                log()
            );
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "no window after 120 s; hashiya said:\n{}",
            log()
        );
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
