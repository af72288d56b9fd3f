//! The progress bar the corpus-wide subcommands draw on stderr (only when it is a terminal):
//! `word      [#####     ] done/total`, redrawn at most ten times a second.

use std::io::IsTerminal;
use std::time::Instant;

/// A bar on stderr; `draw(word, done, total)` updates it.
pub struct Bar {
    tty: bool,
    last: Option<Instant>,
}

impl Bar {
    pub fn new() -> Self {
        Self {
            tty: std::io::stderr().is_terminal(),
            last: None,
        }
    }

    pub fn draw(&mut self, word: &str, done: usize, total: usize) {
        if !self.tty {
            return;
        }
        let now = Instant::now();
        if done < total
            && self
                .last
                .is_some_and(|t| now.duration_since(t).as_millis() < 100)
        {
            return;
        }
        self.last = Some(now);
        let width = 30usize;
        let filled = (done * width)
            .checked_div(total)
            .unwrap_or(width)
            .min(width);
        eprint!(
            "\r{word:<10} [{}{}] {done}/{total}",
            "#".repeat(filled),
            " ".repeat(width - filled)
        );
        if done >= total {
            eprintln!();
        }
    }
}

/// A progress callback drawing a bar labelled `word`.
pub fn bar(word: &'static str) -> impl FnMut(usize, usize) {
    let mut b = Bar::new();
    move |done, total| b.draw(word, done, total)
}
