//! Text fixtures: files of an input, a marker line, and the expected output
//! as comment lines. Shared by the wasm fixtures (`tests/disas_fixtures.rs`)
//! and the CLIF fixtures (`src/lower/clif_fixtures.rs`, which includes this
//! file by path).

use std::path::Path;

/// Checks every file of `directory` ending in `.extension`: the text before
/// `marker` is the input, `render` makes the output, and after the marker
/// each output line follows `comment` and a space. With `BLESS` set,
/// rewrites the files whose expectations differ instead of failing.
pub fn check_fixtures(
    directory: &Path,
    extension: &str,
    comment: &str,
    marker: &str,
    render: impl Fn(&str) -> Result<String, String>,
) {
    let bless = std::env::var_os("BLESS").is_some();
    let mut paths: Vec<_> = std::fs::read_dir(directory)
        .unwrap()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == extension))
        .collect();
    paths.sort();
    assert!(
        !paths.is_empty(),
        "no .{extension} files in {}",
        directory.display()
    );
    let mut mismatches = Vec::new();
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        let source = text.split(marker).next().unwrap().trim_end();
        let output = render(source).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        let expected: String = output
            .lines()
            .map(|line| format!("{comment} {line}\n"))
            .collect();
        let actual = format!("{source}\n\n{marker}\n{expected}");
        if actual != text {
            if bless {
                std::fs::write(path, &actual).unwrap();
            } else {
                mismatches.push(format!("{}:\n{expected}", path.display()));
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "fixtures differ (BLESS=1 to update):\n{}",
        mismatches.join("\n")
    );
}
