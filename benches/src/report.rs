//! The tables: run time, compile time, start-up, whole-process time and
//! peak memory per program and engine. Pulley's column is absolute; every
//! other engine's is its ratio to Pulley (engine / pulley, so above 1 means
//! Pulley is faster or smaller), with the geometric mean of the ratios below.
//! Then a summary of the geomeans, the footnotes of programs with a known
//! issue, and every run that did not give the expected result, with the
//! reason.

use std::fmt::Write as _;
use std::time::Duration;

use crate::cell::{Cell, Verdict};
use crate::engines::Engine;
use crate::known::KnownIssue;
use crate::programs::Program;
use crate::runner::Statistic;

/// How to render the tables.
pub struct Style {
    /// Markdown (for `BENCHMARKS.md`) rather than aligned text.
    pub markdown: bool,
    /// Absolute values in every column, ratios in parentheses.
    pub absolute: bool,
}

pub struct Tables<'a> {
    programs: &'a [Program],
    engines: &'a [Engine],
    results: &'a [Vec<Cell>],
    repeat: usize,
    statistic: Statistic,
}

#[derive(Clone, Copy)]
enum Metric {
    Run,
    Compile,
    /// From the module's bytes to the entry point's first instruction.
    Startup,
    /// The child process's wall-clock time.
    Wall,
    Memory,
}

impl Metric {
    const ALL: [Metric; 5] = [
        Metric::Run,
        Metric::Compile,
        Metric::Startup,
        Metric::Wall,
        Metric::Memory,
    ];

    fn title(self) -> &'static str {
        match self {
            Metric::Run => "Run time",
            Metric::Compile => "Compile time",
            Metric::Startup => "Start-up",
            Metric::Wall => "Whole process",
            Metric::Memory => "Peak memory",
        }
    }

    fn note(self) -> &'static str {
        match self {
            Metric::Run => {
                "Between `bench.start` and `bench.end` for the programs that call them (sightglass), \
                 else the whole call of the entry point (`_start`, or `_initialize` then the default \
                 export `\"\"`). The lazy engines (pulley, pulley-lazy, wasmi-lazy, wasm3) compile \
                 each function on its first call, so their run time includes that compilation. \
                 Programs that run under 1 ms on Pulley (`noop`) stay out of the geomean: their \
                 ratio is timer noise."
            }
            Metric::Compile => {
                "From the module's bytes to a compiled module, validation included, on one thread. \
                 The lazy engines compile inside the run time instead: here pulley and wasmi-lazy \
                 only validate, pulley-lazy and wasm3 only parse and load."
            }
            Metric::Startup => {
                "From the module's bytes to the first instruction of the entry point: compilation, \
                 linking, instantiation and the start function."
            }
            Metric::Wall => {
                "Wall-clock time of the child process from spawn to exit, as a user feels it."
            }
            Metric::Memory => {
                "Peak resident set of the child process (`getrusage` `ru_maxrss`): the engine's own \
                 code and data plus the program's. The Rust engines share one executable; wasm3's is \
                 a small C one. `noop` shows each engine's floor."
            }
        }
    }

    /// Pulley's values below this are noise, not a basis for a ratio that
    /// counts in the geomean.
    fn geomean_floor(self) -> f64 {
        match self {
            Metric::Run => 1e-3,
            Metric::Compile | Metric::Startup | Metric::Wall | Metric::Memory => 0.0,
        }
    }

    /// The value of a run that ended with the expected exit status.
    fn value(self, cell: &Cell) -> Option<f64> {
        match cell {
            Cell::Measured {
                compile,
                startup,
                run,
                wall,
                max_rss_kib,
                verdict: Verdict::Correct | Verdict::Unchecked,
            } => Some(match self {
                Metric::Run => run.as_secs_f64(),
                Metric::Compile => compile.as_secs_f64(),
                Metric::Startup => startup.as_secs_f64(),
                Metric::Wall => wall.as_secs_f64(),
                Metric::Memory => *max_rss_kib as f64,
            }),
            _ => None,
        }
    }

    fn format(self, value: f64) -> String {
        match self {
            Metric::Run | Metric::Compile | Metric::Startup | Metric::Wall => {
                format_duration(Duration::from_secs_f64(value))
            }
            Metric::Memory => format!("{:.1} MiB", value / 1024.0),
        }
    }
}

impl<'a> Tables<'a> {
    /// `results[p][e]` is program `p` on engine `e`: `statistic` of
    /// `repeat` runs.
    pub fn new(
        programs: &'a [Program],
        engines: &'a [Engine],
        results: &'a [Vec<Cell>],
        repeat: usize,
        statistic: Statistic,
    ) -> Self {
        Tables {
            programs,
            engines,
            results,
            repeat,
            statistic,
        }
    }

    pub fn render(&self, style: &Style) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} per program and engine, each in its own process. \
             Pulley's column is absolute; the others are engine / pulley \
             (above 1: Pulley is faster or smaller).\n",
            self.statistic.describe(self.repeat)
        );
        for engine in self.engines {
            let _ = writeln!(out, "- {}: {}", engine.name(), engine.description());
        }
        out.push('\n');

        let mut summary = vec![self.header("geomean of engine / pulley")];
        for metric in Metric::ALL {
            let (rows, geomeans) = self.metric_table(metric, style);
            let _ = writeln!(out, "{}\n", heading(metric.title(), style.markdown));
            let _ = writeln!(out, "{}\n", metric.note());
            out.push_str(&table(&rows, style.markdown));
            out.push('\n');
            let mut row = vec![metric.title().to_owned()];
            row.extend(geomeans);
            summary.push(row);
        }
        let _ = writeln!(out, "{}\n", heading("Summary", style.markdown));
        out.push_str(&table(&summary, style.markdown));
        out.push('\n');
        out.push_str(&self.footnotes(style.markdown));
        out
    }

    /// The rows of one metric's table, and the geomean of each engine's
    /// ratios (over the programs where both it and Pulley were correct).
    fn metric_table(&self, metric: Metric, style: &Style) -> (Vec<Vec<String>>, Vec<String>) {
        let pulley = self.engines.iter().position(|&e| e == Engine::Pulley);
        let mut rows = vec![self.header("program")];
        let mut ratios = vec![Vec::new(); self.engines.len()];
        for (program, cells) in self.programs.iter().zip(self.results) {
            let base = pulley
                .and_then(|p| metric.value(&cells[p]))
                .filter(|&base| base > 0.0);
            let base_counts = pulley.is_some_and(|p| cells[p].correct())
                && base.is_some_and(|base| base >= metric.geomean_floor());
            let mut row = vec![self.row_name(program)];
            for (e, cell) in cells.iter().enumerate() {
                let Some(value) = metric.value(cell) else {
                    row.push(cell_label(cell).to_owned());
                    continue;
                };
                let text = match base {
                    Some(base) if Some(e) != pulley => {
                        let ratio = value / base;
                        if cell.correct() && base_counts {
                            ratios[e].push(ratio);
                        }
                        if style.absolute {
                            format!("{} ({})", metric.format(value), format_ratio(ratio))
                        } else {
                            format_ratio(ratio)
                        }
                    }
                    _ => metric.format(value),
                };
                row.push(text);
            }
            rows.push(row);
        }
        let geomeans: Vec<String> = ratios
            .iter()
            .enumerate()
            .map(|(e, ratios)| {
                if Some(e) == pulley {
                    "1".to_owned()
                } else if ratios.is_empty() {
                    "-".to_owned()
                } else {
                    format!("{} (n={})", format_ratio(geomean(ratios)), ratios.len())
                }
            })
            .collect();
        let mut row = vec!["geomean of engine / pulley".to_owned()];
        row.extend(geomeans.iter().cloned());
        rows.push(row);
        (rows, geomeans)
    }

    /// The program's name, with the footnote number of its known issue.
    fn row_name(&self, program: &Program) -> String {
        match program.known_issue {
            Some(issue) => format!("{} [{}]", program.name, footnote_number(issue)),
            None => program.name.clone(),
        }
    }

    /// The known issues' explanations, then every pair that did not give
    /// the manifest's outcome, with its reason.
    fn footnotes(&self, markdown: bool) -> String {
        let mut out = String::new();
        let mut issues: Vec<KnownIssue> = self
            .programs
            .iter()
            .filter_map(|program| program.known_issue)
            .collect();
        issues.sort_by_key(|&issue| footnote_number(issue));
        issues.dedup();
        for issue in issues {
            let _ = writeln!(
                out,
                "[{}] {}.{}",
                footnote_number(issue),
                issue.explanation(),
                if markdown { "  " } else { "" }
            );
        }
        if !out.is_empty() {
            out.push('\n');
        }

        let mut lines = Vec::new();
        for (program, cells) in self.programs.iter().zip(self.results) {
            for (engine, cell) in self.engines.iter().zip(cells) {
                let reason = match cell {
                    Cell::Measured {
                        verdict: Verdict::Correct,
                        ..
                    } => continue,
                    Cell::Measured {
                        verdict: Verdict::Unchecked,
                        ..
                    } => "exit status right, output not checked".to_owned(),
                    Cell::Measured {
                        verdict: Verdict::WrongExit { expected, got },
                        ..
                    } => format!("exit status {got}, expected {expected}"),
                    Cell::Measured {
                        verdict: Verdict::WrongOutput { sha1, .. },
                        ..
                    } => format!("output SHA-1 {sha1}, expected {}", program.stdout_sha1),
                    Cell::Failed { failure, message } => {
                        format!("{}: {}", failure.label(), short(message))
                    }
                };
                let known = if cell.expected(*engine, program.known_issue) {
                    " (known issue)"
                } else {
                    ""
                };
                lines.push(format!(
                    "{}{} on {}{known}: {reason}",
                    if markdown { "- " } else { "  " },
                    program.name,
                    engine.name()
                ));
            }
        }
        if !lines.is_empty() {
            let _ = writeln!(
                out,
                "{}\n",
                heading("Runs without the expected result", markdown)
            );
            for line in lines {
                let _ = writeln!(out, "{}", escape(&line, markdown));
            }
        }
        out
    }

    fn header(&self, first: &str) -> Vec<String> {
        let mut row = vec![first.to_owned()];
        row.extend(self.engines.iter().map(|engine| engine.name().to_owned()));
        row
    }
}

/// A cell without a value: why.
fn cell_label(cell: &Cell) -> &'static str {
    match cell {
        Cell::Measured {
            verdict: Verdict::WrongExit { .. },
            ..
        } => "WRONG EXIT",
        Cell::Measured { .. } => "WRONG OUTPUT",
        Cell::Failed { failure, .. } => failure.label(),
    }
}

fn footnote_number(issue: KnownIssue) -> usize {
    match issue {
        KnownIssue::PrintsTimings => 1,
        KnownIssue::NeedsSimd => 2,
    }
}

fn heading(title: &str, markdown: bool) -> String {
    if markdown {
        format!("#### {title}")
    } else {
        format!("== {title} ==")
    }
}

fn table(rows: &[Vec<String>], markdown: bool) -> String {
    let mut out = String::new();
    if markdown {
        for (i, row) in rows.iter().enumerate() {
            let cells: Vec<String> = row.iter().map(|cell| escape(cell, true)).collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
            if i == 0 {
                let _ = writeln!(out, "|---|{}", "--:|".repeat(row.len() - 1));
            }
        }
        return out;
    }
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|row| row.get(c))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            if c == 0 {
                let _ = write!(line, "{cell:<width$}", width = widths[c]);
            } else {
                let _ = write!(line, "  {cell:>width$}", width = widths[c]);
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
    out
}

/// Markdown's table separator would split a cell.
fn escape(text: &str, markdown: bool) -> String {
    if markdown {
        text.replace('|', "\\|")
    } else {
        text.to_owned()
    }
}

fn geomean(values: &[f64]) -> f64 {
    (values.iter().map(|value| value.ln()).sum::<f64>() / values.len() as f64).exp()
}

/// Two significant digits or more: interpreters and compilers differ by
/// orders of magnitude.
fn format_ratio(ratio: f64) -> String {
    if ratio >= 10.0 {
        format!("{ratio:.1}")
    } else if ratio >= 0.1 {
        format!("{ratio:.2}")
    } else {
        format!("{ratio:.3}")
    }
}

/// A failure's message cut to one readable line.
fn short(message: &str) -> String {
    match message.char_indices().nth(160) {
        Some((at, _)) => format!("{}...", &message[..at]),
        None => message.to_owned(),
    }
}

pub fn format_duration(duration: Duration) -> String {
    let seconds = duration.as_secs_f64();
    if seconds >= 1.0 {
        format!("{seconds:.2} s")
    } else if seconds >= 1e-3 {
        format!("{:.1} ms", seconds * 1e3)
    } else if seconds >= 1e-6 {
        format!("{:.0} µs", seconds * 1e6)
    } else {
        format!("{} ns", duration.as_nanos())
    }
}
