//! A module's function names, as its name section encodes them.
//!
//! The names are kept in that encoding and indexed once, not turned into a
//! `String` each: a module's start-up needs none of them, and a large one
//! has thousands (`regex` of ../shared/bench-wasm: 921 names, 1.2 M of the
//! 40 M instructions of its start-up were spent making them strings).
//! Artifacts store the same encoding, so one decoder reads both.

use alloc::vec::Vec;
use core::ops::Range;

use crate::artifact::Reader;

/// The function names of a module: the function-names subsection of its
/// name section, as encoded (a count, then that many pairs of a function
/// index and a name, as LEB128 integers and length-prefixed UTF-8), with an
/// index into it.
///
/// The names end before the first pair that is malformed: truncated, or not
/// after the previous one in function order (the order the spec requires).
/// A malformed name section does not make a module invalid, so the names
/// before it are kept and nothing after it is read. A name that is not UTF-8
/// is no name (checked when asked for, not up front: a large module has
/// hundreds of kilobytes of names, and a run asks for few of them).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FunctionNames {
    encoded: Vec<u8>,
    /// Each named function, in increasing order, and where its name lies
    /// in `encoded`.
    index: Vec<(u32, Range<u32>)>,
}

impl FunctionNames {
    /// The names of a function-names subsection's contents (its bytes after
    /// the subsection's id and size).
    pub fn decode(encoded: Vec<u8>) -> FunctionNames {
        let index = index(&encoded);
        FunctionNames { encoded, index }
    }

    /// The encoding `decode` read (including any malformed end).
    pub fn encoded(&self) -> &[u8] {
        &self.encoded
    }

    /// The name of function `func`.
    pub fn get(&self, func: u32) -> Option<&str> {
        let at = self
            .index
            .binary_search_by_key(&func, |(index, _)| *index)
            .ok()?;
        self.name(&self.index[at].1)
    }

    /// Each named function and its name, in function order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &str)> {
        self.index
            .iter()
            .filter_map(|(func, range)| Some((*func, self.name(range)?)))
    }

    /// Whether the name section names no function.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// The name at `range` of `encoded`, if it is UTF-8.
    fn name(&self, range: &Range<u32>) -> Option<&str> {
        let bytes = self.encoded.get(range.start as usize..range.end as usize)?;
        core::str::from_utf8(bytes).ok()
    }
}

/// The well-formed pairs at the start of `encoded`.
fn index(encoded: &[u8]) -> Vec<(u32, Range<u32>)> {
    let mut index = Vec::new();
    // The offsets are `u32`: a name section is part of a module, whose size
    // the parser bounds far below 4 GiB; a longer encoding is not indexed.
    if u32::try_from(encoded.len()).is_err() {
        return index;
    }
    let mut reader = Reader::new(encoded);
    let Ok(count) = reader.u32() else {
        return index;
    };
    // Each pair takes at least two bytes.
    index.reserve((count as usize).min(encoded.len() / 2));
    for _ in 0..count {
        let (Ok(func), Ok(name)) = (reader.u32(), reader.bytes()) else {
            break;
        };
        let end = reader.position();
        let start = end - name.len();
        if index.last().is_some_and(|(previous, _)| *previous >= func) {
            break;
        }
        index.push((func, start as u32..end as u32));
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    /// The encoding of `pairs` (all integers below 128, one byte each).
    fn encode(pairs: &[(u8, &str)]) -> Vec<u8> {
        let mut out = vec![pairs.len() as u8];
        for (func, name) in pairs {
            out.push(*func);
            out.push(name.len() as u8);
            out.extend_from_slice(name.as_bytes());
        }
        out
    }

    #[test]
    fn names_are_found_by_function() {
        let names = FunctionNames::decode(encode(&[(0, "main"), (3, "helper"), (7, "")]));
        assert_eq!(names.get(0), Some("main"));
        assert_eq!(names.get(3), Some("helper"));
        assert_eq!(names.get(7), Some(""));
        assert_eq!(names.get(1), None);
        assert_eq!(names.get(u32::MAX), None);
        let all: Vec<_> = names.iter().collect();
        assert_eq!(all, [(0, "main"), (3, "helper"), (7, "")]);
    }

    #[test]
    fn a_multibyte_index_decodes() {
        // Function 300 is 0xac 0x02 in LEB128.
        let names = FunctionNames::decode(vec![1, 0xac, 0x02, 1, b'f']);
        assert_eq!(names.get(300), Some("f"));
    }

    #[test]
    fn names_end_before_the_first_malformed_pair() {
        // Out of order: the spec requires increasing indices.
        let names = FunctionNames::decode(encode(&[(2, "a"), (1, "b"), (5, "c")]));
        assert_eq!(names.iter().collect::<Vec<_>>(), [(2, "a")]);
        // Repeated.
        let names = FunctionNames::decode(encode(&[(2, "a"), (2, "b")]));
        assert_eq!(names.iter().collect::<Vec<_>>(), [(2, "a")]);
        // A name that is not UTF-8 is no name; the next ones stay.
        let mut bytes = encode(&[(1, "a"), (2, "b"), (3, "c")]);
        bytes[6] = 0xff;
        let names = FunctionNames::decode(bytes);
        assert_eq!(names.get(2), None);
        assert_eq!(names.iter().collect::<Vec<_>>(), [(1, "a"), (3, "c")]);
        // Truncated, and a count larger than the pairs.
        let mut bytes = encode(&[(1, "a"), (2, "bcd")]);
        bytes.truncate(bytes.len() - 1);
        bytes[0] = 9;
        let names = FunctionNames::decode(bytes);
        assert_eq!(names.iter().collect::<Vec<_>>(), [(1, "a")]);
    }

    #[test]
    fn garbage_gives_no_names_and_no_panic() {
        for bytes in [vec![], vec![0x80], vec![0xff; 12], vec![200, 1, 200, 0x80]] {
            let names = FunctionNames::decode(bytes.clone());
            assert!(names.is_empty(), "{bytes:?}");
            assert_eq!(names.encoded(), bytes);
        }
    }
}
