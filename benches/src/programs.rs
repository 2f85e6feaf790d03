//! The programs to run: the shared collection's manifest and our own kernels'.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::known::KnownIssue;

/// One entry of a `manifest.json` (the format of
/// `../shared/bench-wasm/manifest.json`, which `run.py` also reads).
#[derive(Deserialize)]
struct Entry {
    name: String,
    /// The program's folder, relative to the manifest's.
    dir: String,
    /// The module, relative to `dir`.
    wasm: String,
    #[serde(default)]
    args: Vec<String>,
    /// A file in `dir` to feed to standard input.
    #[serde(default)]
    stdin: Option<String>,
    /// The SHA-1 of the expected standard output...
    #[serde(default)]
    stdout_sha1: Option<String>,
    /// ... or the expected output itself (our kernels print one short line).
    #[serde(default)]
    stdout: Option<String>,
    #[serde(default)]
    exit: i32,
}

/// A program ready to run: absolute paths and the expected outcome.
pub struct Program {
    pub name: String,
    /// The working directory, pre-opened as `.`.
    pub dir: PathBuf,
    /// The module's path relative to `dir` (also the program's `argv[0]`).
    pub wasm: String,
    pub args: Vec<String>,
    pub stdin: Option<PathBuf>,
    pub stdout_sha1: String,
    pub exit: i32,
    /// Why it cannot pass everywhere, if it cannot.
    pub known_issue: Option<KnownIssue>,
}

/// Reads a manifest; the folders it names are relative to its own.
pub fn load(manifest: &Path) -> Result<Vec<Program>> {
    let text = std::fs::read_to_string(manifest)
        .with_context(|| format!("cannot read {}", manifest.display()))?;
    let entries: Vec<Entry> = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a program manifest", manifest.display()))?;
    let base = manifest.parent().unwrap_or(Path::new("."));
    entries
        .into_iter()
        .map(|entry| {
            let stdout_sha1 = match (entry.stdout_sha1, &entry.stdout) {
                (Some(sha1), _) => sha1,
                (None, Some(stdout)) => sha1_hex(stdout.as_bytes()),
                (None, None) => bail!("{}: no expected stdout or stdout_sha1", entry.name),
            };
            let dir = base.join(&entry.dir);
            Ok(Program {
                known_issue: KnownIssue::of(&entry.name),
                stdin: entry.stdin.map(|file| dir.join(file)),
                name: entry.name,
                dir,
                wasm: entry.wasm,
                args: entry.args,
                stdout_sha1,
                exit: entry.exit,
            })
        })
        .collect()
}

/// The SHA-1 of `bytes` in hexadecimal, as `run.py` records it.
pub fn sha1_hex(bytes: &[u8]) -> String {
    sha1_smol::Sha1::from(bytes).digest().to_string()
}
