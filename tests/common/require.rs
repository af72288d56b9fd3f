//! What some tests need from outside the repository (`../shared/corpora`, Python and its packages,
//! `hb-shape`). On a developer's machine a test whose requirement is missing says so and passes;
//! with `HASHIYA_NO_SKIP` set (`.ci/run` sets it) the same test fails, so CI always runs it.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The variable that turns skips into failures.
pub const NO_SKIP_VAR: &str = "HASHIYA_NO_SKIP";

/// `true` when `present`; otherwise skips (prints why, returns `false`) or, under
/// `HASHIYA_NO_SKIP`, fails the test.
pub fn available(what: &str, present: bool) -> bool {
    if present {
        return true;
    }
    let strict = std::env::var_os(NO_SKIP_VAR).is_some_and(|v| !v.is_empty() && v != "0");
    assert!(
        !strict,
        "{what} is missing, and {NO_SKIP_VAR} is set: this test must run here (see .ci/setup)"
    );
    eprintln!("note: {what} is missing; test skipped ({NO_SKIP_VAR} would make this a failure)");
    false
}

/// Is `python3` on the PATH (skipping or failing as [`available`] says)?
pub fn python3() -> bool {
    let ok = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    available("python3", ok)
}

/// Can Python import all of `modules` (e.g. `["sklearn", "krippendorff"]`)?
pub fn python_modules(modules: &[&str]) -> bool {
    if !python3() {
        return false;
    }
    let script = modules
        .iter()
        .map(|m| format!("import {m}"))
        .collect::<Vec<_>>()
        .join("\n");
    let ok = Command::new("python3")
        .args(["-c", &script])
        .output()
        .is_ok_and(|o| o.status.success());
    available(&format!("the Python packages {modules:?}"), ok)
}

/// Is HarfBuzz's `hb-shape` installed?
pub fn hb_shape() -> bool {
    let ok = Command::new("hb-shape")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    available("hb-shape (Debian package libharfbuzz-bin)", ok)
}

/// The real annotated data of other projects: `$HASHIYA_SHARED_CORPORA`, else `../shared/corpora`.
pub fn shared_corpora() -> Option<PathBuf> {
    let p = std::env::var_os("HASHIYA_SHARED_CORPORA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora"));
    available(&format!("the shared corpora ({})", p.display()), p.is_dir()).then_some(p)
}
