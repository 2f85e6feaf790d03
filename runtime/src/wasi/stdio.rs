//! Standard input, output and error: the host's own, in-memory bytes and
//! buffers, or any reader and writer.

use std::boxed::Box;
use std::io::{self, IsTerminal, Read, Write};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::vec::Vec;

use super::types::filetype;

/// A shared, growable byte buffer that captures what the guest writes to
/// standard output or error (see [`WasiCtxBuilder::stdout_buffer`]).
///
/// Clones share the same bytes, so the host keeps one handle and reads it
/// after (or while) the guest runs.
///
/// [`WasiCtxBuilder::stdout_buffer`]: super::WasiCtxBuilder::stdout_buffer
#[derive(Clone, Debug, Default)]
pub struct OutputBuffer(Arc<Mutex<Vec<u8>>>);

impl OutputBuffer {
    /// An empty buffer.
    pub fn new() -> OutputBuffer {
        OutputBuffer::default()
    }

    fn lock(&self) -> MutexGuard<'_, Vec<u8>> {
        // The bytes are plain data, valid even if a writer panicked.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A copy of the bytes written so far.
    pub fn contents(&self) -> Vec<u8> {
        self.lock().clone()
    }

    /// The bytes written so far, leaving the buffer empty.
    pub fn take(&self) -> Vec<u8> {
        core::mem::take(&mut *self.lock())
    }

    /// How many bytes have been written.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether nothing has been written.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn append(&self, bytes: &[u8]) {
        self.lock().extend_from_slice(bytes);
    }
}

/// Where standard input comes from.
#[derive(Default)]
pub(crate) enum Input {
    /// Nothing: reads return end of file.
    #[default]
    Empty,
    /// These bytes, then end of file.
    Bytes { data: Vec<u8>, position: usize },
    /// The host process's standard input.
    Inherit,
    /// Any reader.
    Reader(Box<dyn Read + Send>),
}

impl Input {
    /// Reads into `buf`: like [`Read::read`], retrying interruptions.
    pub(crate) fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let result = match self {
                Input::Empty => Ok(0),
                Input::Bytes { data, position } => {
                    let rest = data.get(*position..).unwrap_or_default();
                    let n = rest.len().min(buf.len());
                    buf[..n].copy_from_slice(&rest[..n]);
                    *position += n;
                    Ok(n)
                }
                Input::Inherit => read_host_stdin(buf),
                // A reader claiming more than it was given is not believed.
                Input::Reader(reader) => reader.read(buf).map(|n| n.min(buf.len())),
            };
            match result {
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                other => return other,
            }
        }
    }

    /// Whether a read may wait for more input: then a read stops after the
    /// first buffer that gets data, as `readv` on a pipe or terminal does.
    pub(crate) fn may_block(&self) -> bool {
        matches!(self, Input::Inherit | Input::Reader(_))
    }

    /// The bytes a read would return without waiting, when known.
    pub(crate) fn available(&self) -> Option<u64> {
        match self {
            Input::Empty => Some(0),
            Input::Bytes { data, position } => Some(data.len().saturating_sub(*position) as u64),
            Input::Inherit | Input::Reader(_) => None,
        }
    }

    /// The file type `fd_fdstat_get` reports: a character device for a
    /// terminal (so the guest's `isatty` is right), unknown otherwise.
    pub(crate) fn filetype(&self) -> u8 {
        match self {
            Input::Inherit if io::stdin().is_terminal() => filetype::CHARACTER_DEVICE,
            _ => filetype::UNKNOWN,
        }
    }
}

/// Reads the host's standard input. On Unix this bypasses std's buffer, so
/// that no input waits in it while `poll_oneoff` asks the descriptor whether
/// any is ready.
fn read_host_stdin(buf: &mut [u8]) -> io::Result<usize> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        Ok(rustix::io::read(io::stdin().as_fd(), buf)?)
    }
    #[cfg(not(unix))]
    {
        io::stdin().lock().read(buf)
    }
}

/// Where standard output or error goes.
#[derive(Default)]
pub(crate) enum Output {
    /// Nowhere: writes succeed and are dropped.
    #[default]
    Null,
    /// A shared buffer.
    Buffer(OutputBuffer),
    /// The host process's standard output.
    Stdout,
    /// The host process's standard error.
    Stderr,
    /// Any writer.
    Writer(Box<dyn Write + Send>),
}

impl Output {
    /// Writes all the `chunks`, then flushes, so nothing stays buffered in
    /// the host if the guest exits or traps next.
    pub(crate) fn write_all(&mut self, chunks: &[&[u8]]) -> io::Result<()> {
        fn all(out: &mut dyn Write, chunks: &[&[u8]]) -> io::Result<()> {
            for chunk in chunks {
                out.write_all(chunk)?;
            }
            out.flush()
        }
        match self {
            Output::Null => Ok(()),
            Output::Buffer(buffer) => {
                for chunk in chunks {
                    buffer.append(chunk);
                }
                Ok(())
            }
            Output::Stdout => all(&mut io::stdout().lock(), chunks),
            Output::Stderr => all(&mut io::stderr().lock(), chunks),
            Output::Writer(writer) => all(writer, chunks),
        }
    }

    /// The file type `fd_fdstat_get` reports (see [`Input::filetype`]).
    pub(crate) fn filetype(&self) -> u8 {
        let terminal = match self {
            Output::Stdout => io::stdout().is_terminal(),
            Output::Stderr => io::stderr().is_terminal(),
            _ => false,
        };
        if terminal {
            filetype::CHARACTER_DEVICE
        } else {
            filetype::UNKNOWN
        }
    }
}
