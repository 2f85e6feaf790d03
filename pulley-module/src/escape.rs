//! Text that a module controls (import, export and name-section names),
//! made safe to show: a module must not drive the terminal that shows an
//! error, a backtrace or a disassembly with escape sequences, carriage
//! returns or bells.

use core::fmt::{self, Write};

/// Displays text a module controls with the characters that are not
/// printable escaped as Rust's `str::escape_debug` escapes them (`\n`,
/// `\r`, `\t`, `\u{1b}`, ...): control characters, and format characters
/// such as the bidirectional overrides that reorder what a terminal shows.
///
/// Quotes and backslashes stay as they are: the aim is a terminal that the
/// module cannot drive, not a reversible encoding.
#[derive(Clone, Copy, Debug)]
pub struct Escaped<'a>(pub &'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(at) = rest.find(['\\', '"', '\'']) {
            write!(f, "{}", rest[..at].escape_debug())?;
            // An ASCII character, one byte long.
            f.write_char(char::from(rest.as_bytes()[at]))?;
            rest = &rest[at + 1..];
        }
        write!(f, "{}", rest.escape_debug())
    }
}

#[cfg(test)]
mod tests {
    use alloc::string::ToString;

    use super::Escaped;

    #[test]
    fn control_and_format_characters_are_escaped() {
        assert_eq!(
            Escaped("in\u{1b}[31mner\n\u{7}\r\t").to_string(),
            r"in\u{1b}[31mner\n\u{7}\r\t"
        );
        assert_eq!(
            Escaped("a\u{202e}b\u{9b}c").to_string(),
            r"a\u{202e}b\u{9b}c"
        );
    }

    #[test]
    fn printable_text_quotes_and_backslashes_are_kept() {
        for text in [
            "",
            "fib",
            "std::vec::Vec<T>::push",
            r#"a"b'c\d"#,
            "café",
            "e\u{301}",
            "名前 x",
        ] {
            assert_eq!(Escaped(text).to_string(), text);
        }
    }
}
