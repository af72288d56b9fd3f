//! Any model as a suggester: a command that reads one JSON object per line on stdin,
//! `{"id": "<article path relative to the corpus>", "text": "<article text>"}`, and writes one per
//! line on stdout, `{"id": ..., "spans": [{"start": s, "end": e, "label": L, "score": x}]}`, with
//! offsets in code points (Python's `str` indices), end exclusive. docs/suggestions.md has the
//! protocol and a Python example.
//!
//! Nothing the command says is trusted: every span outside the text, empty, cutting a character
//! cluster, with a label the schema does not know or a score outside 0..=1 is reported one by one
//! and not written. Lines that are not the answer awaited (log lines, answers for another id) are
//! reported and skipped. A command that exits, closes its output or gives no answer within the
//! timeout is stopped and reported; the documents answered before keep their suggestions.
//!
//! The command is only ever given by the person running Hashiya (command line, or their own
//! settings), never read from a corpus: opening or cloning a corpus must not run code.

use std::collections::{BTreeSet, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::model::document::Document;

use super::{SourceReply, Suggester, Suggestion};

/// The longest line read from the command (longer ones are reported and skipped).
pub const MAX_LINE_BYTES: usize = 64 * 1024 * 1024;
/// Bad spans reported one by one per document; beyond, they are counted.
const MAX_PROBLEMS_PER_DOCUMENT: usize = 50;
/// Lines of the command's stderr kept to explain a failure.
const STDERR_LINES: usize = 12;

/// Why the command could not be started.
#[derive(Debug, thiserror::Error)]
#[error("cannot start the model command `{command}`: {message}")]
pub struct StartError {
    pub command: String,
    pub message: String,
}

/// How to run the command.
#[derive(Debug, Clone)]
pub struct ExternalOptions {
    /// How long to wait for each answer.
    pub timeout: Duration,
    /// Labels the corpus schema knows (anything else is refused).
    pub known_labels: BTreeSet<String>,
    /// Labels asked for (`None`: all known); others are left out quietly.
    pub labels: Option<BTreeSet<String>>,
}

/// A running model command.
pub struct ExternalModel {
    command: String,
    options: ExternalOptions,
    inner: Mutex<Inner>,
}

struct Inner {
    child: Option<Child>,
    requests: Option<Sender<String>>,
    lines: Receiver<Line>,
    stderr: Arc<Mutex<VecDeque<String>>>,
    stderr_reader: Option<std::thread::JoinHandle<()>>,
    /// Why the command was stopped, once it was.
    failed: Option<String>,
}

/// What the stdout reader saw.
enum Line {
    Text(String),
    TooLong(usize),
    NotUtf8,
    End,
}

impl ExternalModel {
    /// Starts `command` through the shell (`sh -c`), in a process group of its own so that
    /// stopping it also stops what it started.
    pub fn start(command: &str, options: ExternalOptions) -> Result<Self, StartError> {
        let mut cmd = shell(command);
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            cmd.process_group(0);
        }
        let mut child = cmd.spawn().map_err(|e| StartError {
            command: command.to_owned(),
            message: e.to_string(),
        })?;
        let fail = |what: &str| StartError {
            command: command.to_owned(),
            message: format!("no {what} pipe"),
        };
        let (stdin, stdout, stderr) = (
            child.stdin.take().ok_or_else(|| fail("stdin"))?,
            child.stdout.take().ok_or_else(|| fail("stdout"))?,
            child.stderr.take().ok_or_else(|| fail("stderr"))?,
        );
        let (req_tx, req_rx) = mpsc::channel::<String>();
        std::thread::spawn(move || write_requests(stdin, req_rx));
        let (line_tx, line_rx) = mpsc::channel::<Line>();
        std::thread::spawn(move || read_lines(stdout, line_tx));
        let tail = Arc::new(Mutex::new(VecDeque::new()));
        let keep = Arc::clone(&tail);
        let stderr_reader = std::thread::spawn(move || keep_stderr(stderr, keep));
        Ok(Self {
            command: command.to_owned(),
            options,
            inner: Mutex::new(Inner {
                child: Some(child),
                requests: Some(req_tx),
                lines: line_rx,
                stderr: tail,
                stderr_reader: Some(stderr_reader),
                failed: None,
            }),
        })
    }

    /// The command line it runs.
    pub fn command(&self) -> &str {
        &self.command
    }

    /// Why the command was stopped, if it was (crash, silence, timeout).
    pub fn failure(&self) -> Option<String> {
        self.lock().failed.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Sends one document and waits for its answer.
    pub fn ask(&self, id: &str, doc: &Document) -> SourceReply {
        let mut inner = self.lock();
        let mut reply = SourceReply::default();
        if inner.failed.is_some() {
            reply
                .skipped
                .push("not sent: the model command had stopped");
            return reply;
        }
        let request = serde_json::json!({ "id": id, "text": doc.text() }).to_string() + "\n";
        let sent = inner
            .requests
            .as_ref()
            .is_some_and(|tx| tx.send(request).is_ok());
        if !sent {
            let why = inner.stop("closed its input");
            reply.problems.push(why);
            return reply;
        }
        let deadline = Instant::now() + self.options.timeout;
        let mut ignored = 0usize;
        let mut ignore = |reply: &mut SourceReply, why: String| {
            ignored += 1;
            if ignored <= MAX_PROBLEMS_PER_DOCUMENT {
                reply.problems.push(format!("ignored a line: {why}"));
            } else if ignored == MAX_PROBLEMS_PER_DOCUMENT + 1 {
                reply
                    .problems
                    .push("ignored more lines (not listed)".to_owned());
            }
        };
        loop {
            let wait = deadline.saturating_duration_since(Instant::now());
            match inner.lines.recv_timeout(wait) {
                Ok(Line::Text(line)) => match answer_for(&line, id) {
                    Answer::Ours(spans) => {
                        self.check_spans(&spans, doc, &mut reply);
                        return reply;
                    }
                    Answer::Broken(why) => {
                        reply.problems.push(format!("answer for `{id}`: {why}"));
                        return reply;
                    }
                    Answer::Other(why) => ignore(&mut reply, why),
                },
                Ok(Line::TooLong(n)) => ignore(
                    &mut reply,
                    format!("more than {n} bytes (longest read: {MAX_LINE_BYTES})"),
                ),
                Ok(Line::NotUtf8) => ignore(&mut reply, "not UTF-8".to_owned()),
                Ok(Line::End) | Err(RecvTimeoutError::Disconnected) => {
                    let why = inner.stop(&format!("ended before answering `{id}`"));
                    reply.problems.push(why);
                    return reply;
                }
                Err(RecvTimeoutError::Timeout) => {
                    let why = inner.stop(&format!(
                        "gave no answer for `{id}` within {} s (timeout); stopped it",
                        self.options.timeout.as_secs_f64()
                    ));
                    reply.problems.push(why);
                    return reply;
                }
            }
        }
    }

    /// Keeps the spans that are right; reports every other one.
    fn check_spans(&self, spans: &[Value], doc: &Document, reply: &mut SourceReply) {
        let mut bad = 0usize;
        for (k, v) in spans.iter().enumerate() {
            match self.check_span(v, doc) {
                Ok(Some(s)) => reply.suggestions.push(s),
                Ok(None) => reply.skipped.push("label not asked for"),
                Err(why) => {
                    bad += 1;
                    if bad <= MAX_PROBLEMS_PER_DOCUMENT {
                        reply
                            .problems
                            .push(format!("span {}: {why}; not written", k + 1));
                    }
                }
            }
        }
        if bad > MAX_PROBLEMS_PER_DOCUMENT {
            reply.problems.push(format!(
                "... and {} more bad spans, not written",
                bad - MAX_PROBLEMS_PER_DOCUMENT
            ));
        }
    }

    fn check_span(&self, v: &Value, doc: &Document) -> Result<Option<Suggestion>, String> {
        let Some(obj) = v.as_object() else {
            return Err(format!("not an object: {}", brief(&v.to_string())));
        };
        let offset = |name: &str| -> Result<usize, String> {
            match obj.get(name) {
                None => Err(format!("no `{name}`")),
                Some(x) => x
                    .as_u64()
                    .and_then(|n| usize::try_from(n).ok())
                    .ok_or_else(|| {
                        format!(
                            "`{name}` is {}, not a whole number ≥ 0",
                            brief(&x.to_string())
                        )
                    }),
            }
        };
        let (start, end) = (offset("start")?, offset("end")?);
        let label = match obj.get("label") {
            Some(Value::String(s)) => s.as_str(),
            Some(x) => {
                return Err(format!(
                    "`label` is {}, not a string",
                    brief(&x.to_string())
                ))
            }
            None => return Err("no `label`".into()),
        };
        let what = format!("{start}..{end} {}", brief(label));
        if start >= end {
            return Err(format!("{what}: empty or reversed"));
        }
        if end > doc.len_chars() {
            return Err(format!(
                "{what}: outside the text ({} characters)",
                doc.len_chars()
            ));
        }
        for pos in [start, end] {
            if !doc.is_grapheme_boundary(pos) {
                return Err(format!(
                    "{what}: offset {pos} cuts a character cluster (a letter and its marks, or an \
                     emoji) in two"
                ));
            }
        }
        if !self.options.known_labels.contains(label) {
            return Err(format!(
                "{what}: label not in the schema (known: {})",
                known_list(&self.options.known_labels)
            ));
        }
        let score = match obj.get("score") {
            None | Some(Value::Null) => None,
            Some(x) => match x.as_f64() {
                Some(s) if (0.0..=1.0).contains(&s) => Some(s),
                _ => {
                    return Err(format!(
                        "{what}: score {} is not a number from 0 to 1",
                        brief(&x.to_string())
                    ))
                }
            },
        };
        if self
            .options
            .labels
            .as_ref()
            .is_some_and(|ls| !ls.contains(label))
        {
            return Ok(None);
        }
        Ok(Some(Suggestion {
            range: start..end,
            label: label.to_owned(),
            score,
        }))
    }

    /// Closes the command's input and waits a moment for it to exit, then stops it.
    pub fn finish(&self) {
        let mut inner = self.lock();
        inner.requests = None;
        if let Some(mut child) = inner.child.take() {
            let until = Instant::now() + Duration::from_secs(2);
            while Instant::now() < until {
                if let Ok(Some(_)) = child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            kill(&mut child);
        }
    }
}

impl Inner {
    /// Stops the command and records why (with its exit status and last stderr lines).
    fn stop(&mut self, what: &str) -> String {
        self.requests = None;
        let mut status = None;
        if let Some(mut child) = self.child.take() {
            // A command that ended on its own has its status in a moment; else stop it.
            let until = Instant::now() + Duration::from_millis(200);
            while Instant::now() < until && status.is_none() {
                status = child.try_wait().ok().flatten();
                if status.is_none() {
                    std::thread::sleep(Duration::from_millis(5));
                }
            }
            if status.is_none() {
                kill(&mut child);
            }
        }
        let mut why = format!("the model command {what}");
        if let Some(s) = status {
            why.push_str(&format!(" ({s})"));
        }
        // The command is gone: its stderr ends; let the reader catch the last lines.
        if let Some(reader) = self.stderr_reader.take() {
            let until = Instant::now() + Duration::from_millis(500);
            while !reader.is_finished() && Instant::now() < until {
                std::thread::sleep(Duration::from_millis(5));
            }
        }
        let tail = self
            .stderr
            .lock()
            .map(|t| t.iter().cloned().collect::<Vec<_>>())
            .unwrap_or_default();
        if !tail.is_empty() {
            why.push_str(&format!("; its last stderr lines: {}", tail.join(" | ")));
        }
        self.failed = Some(why.clone());
        why
    }
}

impl Drop for ExternalModel {
    fn drop(&mut self) {
        let inner = self.inner.get_mut().unwrap_or_else(|p| p.into_inner());
        inner.requests = None;
        if let Some(mut child) = inner.child.take() {
            kill(&mut child);
        }
    }
}

impl Suggester for ExternalModel {
    fn name(&self) -> &str {
        "command"
    }

    fn suggest(&self, relative: &str, doc: &Document) -> SourceReply {
        self.ask(relative, doc)
    }
}

enum Answer {
    /// The answer for the id asked: its spans.
    Ours(Vec<Value>),
    /// The answer for the id asked, but unusable.
    Broken(String),
    /// Not the answer awaited.
    Other(String),
}

fn answer_for(line: &str, id: &str) -> Answer {
    if line.trim().is_empty() {
        return Answer::Other("an empty line".into());
    }
    let v: Value = match serde_json::from_str(line) {
        Ok(v) => v,
        Err(e) => return Answer::Other(format!("not JSON ({e}): {}", brief(line))),
    };
    let got = v.get("id").and_then(Value::as_str);
    if got != Some(id) {
        return Answer::Other(match got {
            Some(other) => format!("an answer for {}, not `{id}`", brief(other)),
            None => format!("no string `id`: {}", brief(line)),
        });
    }
    match v.get("spans") {
        Some(Value::Array(spans)) => Answer::Ours(spans.clone()),
        Some(other) => Answer::Broken(format!(
            "`spans` is {}, not a list",
            brief(&other.to_string())
        )),
        None => Answer::Broken("no `spans`".into()),
    }
}

/// At most 80 chars of a value, for messages (control chars escaped).
fn brief(s: &str) -> String {
    let mut out: String = s
        .chars()
        .take(80)
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect();
    if s.chars().count() > 80 {
        out.push('…');
    }
    format!("`{out}`")
}

fn known_list(labels: &BTreeSet<String>) -> String {
    let v: Vec<&str> = labels.iter().map(String::as_str).take(30).collect();
    let more = if labels.len() > 30 { ", …" } else { "" };
    format!("{}{more}", v.join(", "))
}

fn shell(command: &str) -> Command {
    #[cfg(windows)]
    {
        let mut c = Command::new("cmd");
        c.args(["/C", command]);
        c
    }
    #[cfg(not(windows))]
    {
        let mut c = Command::new("sh");
        c.args(["-c", command]);
        c
    }
}

/// Stops the command and everything in its process group.
fn kill(child: &mut Child) {
    #[cfg(unix)]
    if let Ok(pid) = i32::try_from(child.id()) {
        // SAFETY: kill(2) with a negative pid signals the process group the child leads (it was
        // started with process_group(0)); it touches no memory of ours.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

fn write_requests(mut stdin: ChildStdin, requests: Receiver<String>) {
    for r in requests {
        if stdin.write_all(r.as_bytes()).is_err() || stdin.flush().is_err() {
            return;
        }
    }
}

fn read_lines(stdout: impl Read, out: Sender<Line>) {
    let mut reader = BufReader::with_capacity(1 << 16, stdout);
    loop {
        let line = match read_capped_line(&mut reader, MAX_LINE_BYTES) {
            Ok(Some(Ok(bytes))) => match String::from_utf8(bytes) {
                Ok(s) => Line::Text(s),
                Err(_) => Line::NotUtf8,
            },
            Ok(Some(Err(n))) => Line::TooLong(n),
            Ok(None) | Err(_) => {
                let _ = out.send(Line::End);
                return;
            }
        };
        if out.send(line).is_err() {
            return;
        }
    }
}

/// One line without its `\n` (`Ok(None)` at the end), or `Err(length)` for a line longer than
/// `cap`, whose bytes are skipped rather than kept.
#[allow(clippy::type_complexity)]
fn read_capped_line(
    r: &mut impl BufRead,
    cap: usize,
) -> std::io::Result<Option<Result<Vec<u8>, usize>>> {
    let mut line = Vec::new();
    let mut seen = 0usize;
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok(match (seen, line.is_empty()) {
                (0, _) => None,
                (n, _) if n > cap => Some(Err(n)),
                _ => Some(Ok(line)),
            });
        }
        let (chunk, found) = match buf.iter().position(|b| *b == b'\n') {
            Some(i) => (&buf[..i], Some(i)),
            None => (buf, None),
        };
        seen += chunk.len();
        if seen <= cap {
            line.extend_from_slice(chunk);
        } else {
            line = Vec::new();
        }
        let used = found.map_or(chunk.len(), |i| i + 1);
        r.consume(used);
        if found.is_some() {
            return Ok(Some(if seen > cap { Err(seen) } else { Ok(line) }));
        }
    }
}

fn keep_stderr(stderr: impl Read, tail: Arc<Mutex<VecDeque<String>>>) {
    let mut reader = BufReader::new(stderr);
    while let Ok(Some(line)) = read_capped_line(&mut reader, 1 << 20) {
        let text = match line {
            Ok(bytes) => String::from_utf8_lossy(&bytes).trim_end().to_owned(),
            Err(n) => format!("(a line of {n} bytes)"),
        };
        let text: String = text.chars().take(300).collect();
        if let Ok(mut t) = tail.lock() {
            if t.len() == STDERR_LINES {
                t.pop_front();
            }
            t.push_back(text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_skipped_not_kept() {
        let data = b"short\nxxxxxxxxxxxxxxxxxxxx\nlast".to_vec();
        let mut r = BufReader::with_capacity(4, &data[..]);
        let mut got = Vec::new();
        while let Some(l) = read_capped_line(&mut r, 10).unwrap() {
            got.push(l.map(|b| String::from_utf8(b).unwrap()));
        }
        assert_eq!(
            got,
            [Ok("short".to_owned()), Err(20), Ok("last".to_owned())]
        );
    }

    #[test]
    fn answers_are_recognized_by_their_id() {
        assert!(matches!(
            answer_for(r#"{"id": "a.txt", "spans": []}"#, "a.txt"),
            Answer::Ours(v) if v.is_empty()
        ));
        assert!(matches!(
            answer_for(r#"{"id": "b.txt", "spans": []}"#, "a.txt"),
            Answer::Other(_)
        ));
        assert!(matches!(
            answer_for("loading model...", "a.txt"),
            Answer::Other(_)
        ));
        assert!(matches!(
            answer_for(r#"{"id": "a.txt", "spans": 3}"#, "a.txt"),
            Answer::Broken(_)
        ));
    }
}
