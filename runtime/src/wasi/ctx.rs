//! The WASI state of one program, and the builder that sets it up.

use core::fmt;
use std::borrow::ToOwned;
use std::boxed::Box;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::string::String;
use std::vec::Vec;

use cap_std::ambient_authority;
use cap_std::fs::Dir;

use super::descriptors::{Descriptor, DirDesc, FdTable, Kind};
use super::stdio::{Input, Output, OutputBuffer};
use super::types::rights;

/// Why a [`WasiCtxBuilder`] could not be configured.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WasiError {
    /// A directory to pre-open could not be opened.
    // The message prints the cause, so it is not also the `source()`: a
    // chain printer (anyhow's `{:#}`) would print it twice.
    #[error("cannot pre-open directory {}: {error}", path.display())]
    Preopen {
        /// The host path.
        path: PathBuf,
        /// Why it could not be opened.
        error: std::io::Error,
    },
}

/// The WASI state of one program: arguments, environment, and the open
/// descriptors (standard streams, pre-opened directories, and whatever the
/// program opens).
///
/// Build one with [`WasiCtxBuilder`], keep it in the store's data, and give
/// [`add_to_linker`](super::add_to_linker) a closure that finds it there.
pub struct WasiCtx {
    /// Arguments, without their terminating NUL.
    pub(crate) args: Vec<Vec<u8>>,
    /// `KEY=VALUE` entries, without their terminating NUL.
    pub(crate) env: Vec<Vec<u8>>,
    pub(crate) fds: FdTable,
}

impl WasiCtx {
    /// A builder; the same as [`WasiCtxBuilder::new`].
    pub fn builder() -> WasiCtxBuilder {
        WasiCtxBuilder::new()
    }

    /// A context with no arguments, environment or descriptors: what holds
    /// a context's place in the store while a WASI call has it out.
    pub(crate) const fn placeholder() -> WasiCtx {
        WasiCtx {
            args: Vec::new(),
            env: Vec::new(),
            fds: FdTable::new(),
        }
    }
}

impl fmt::Debug for WasiCtx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lossy = |bytes: &Vec<u8>| String::from_utf8_lossy(bytes).into_owned();
        f.debug_struct("WasiCtx")
            .field("args", &self.args.iter().map(lossy).collect::<Vec<_>>())
            .field("env", &self.env.iter().map(lossy).collect::<Vec<_>>())
            .field("fds", &self.fds.numbers().collect::<Vec<_>>())
            .finish()
    }
}

/// Configures a [`WasiCtx`].
///
/// By default a program gets no arguments, no environment, an empty standard
/// input, standard output and error that discard what is written, and no
/// filesystem access at all. Everything else is granted explicitly:
///
/// ```no_run
/// use pulley::wasi::WasiCtxBuilder;
///
/// let mut builder = WasiCtxBuilder::new();
/// builder
///     .args(["program.wasm", "--verbose"])
///     .env("LANG", "C")
///     .inherit_stdio();
/// builder.preopened_dir("./data", ".")?;
/// let ctx = builder.build();
/// # Ok::<(), pulley::wasi::WasiError>(())
/// ```
#[derive(Default)]
pub struct WasiCtxBuilder {
    args: Vec<Vec<u8>>,
    env: Vec<(Vec<u8>, Vec<u8>)>,
    stdin: Input,
    stdout: Output,
    stderr: Output,
    preopens: Vec<(Dir, String)>,
}

impl WasiCtxBuilder {
    /// A builder granting nothing (see the type's documentation).
    pub fn new() -> WasiCtxBuilder {
        WasiCtxBuilder::default()
    }

    /// Appends one argument. The first is, by convention, the program's
    /// name. The guest receives it NUL-terminated, so it sees an argument
    /// containing NUL cut there.
    pub fn arg(&mut self, arg: impl AsRef<str>) -> &mut Self {
        self.args.push(arg.as_ref().as_bytes().to_owned());
        self
    }

    /// Appends arguments.
    pub fn args<S: AsRef<str>>(&mut self, args: impl IntoIterator<Item = S>) -> &mut Self {
        for arg in args {
            self.arg(arg);
        }
        self
    }

    /// Appends the host process's own arguments (non-UTF-8 ones lossily
    /// converted).
    pub fn inherit_args(&mut self) -> &mut Self {
        for arg in std::env::args_os() {
            self.arg(arg.to_string_lossy());
        }
        self
    }

    /// Sets environment variable `key` to `value`, replacing an earlier
    /// value of the same key. The guest receives `key=value`
    /// NUL-terminated, so `key` should contain neither `=` nor NUL.
    pub fn env(&mut self, key: impl AsRef<str>, value: impl AsRef<str>) -> &mut Self {
        let key = key.as_ref().as_bytes();
        let value = value.as_ref().as_bytes().to_owned();
        match self.env.iter_mut().find(|(k, _)| k == key) {
            Some((_, v)) => *v = value,
            None => self.env.push((key.to_owned(), value)),
        }
        self
    }

    /// Sets several environment variables (see [`env`](Self::env)).
    pub fn envs<K: AsRef<str>, V: AsRef<str>>(
        &mut self,
        vars: impl IntoIterator<Item = (K, V)>,
    ) -> &mut Self {
        for (key, value) in vars {
            self.env(key, value);
        }
        self
    }

    /// Copies the host process's environment (non-UTF-8 entries lossily
    /// converted).
    pub fn inherit_env(&mut self) -> &mut Self {
        for (key, value) in std::env::vars_os() {
            self.env(key.to_string_lossy(), value.to_string_lossy());
        }
        self
    }

    /// Standard input reads these bytes, then end of file.
    pub fn stdin(&mut self, bytes: impl Into<Vec<u8>>) -> &mut Self {
        self.stdin = Input::Bytes {
            data: bytes.into(),
            position: 0,
        };
        self
    }

    /// Standard input reads from `reader`.
    ///
    /// `poll_oneoff` cannot know whether a reader has data, so it reports
    /// one as always readable.
    pub fn stdin_reader(&mut self, reader: impl Read + Send + 'static) -> &mut Self {
        self.stdin = Input::Reader(Box::new(reader));
        self
    }

    /// Standard input is the host process's.
    pub fn inherit_stdin(&mut self) -> &mut Self {
        self.stdin = Input::Inherit;
        self
    }

    /// Standard output is the host process's.
    pub fn inherit_stdout(&mut self) -> &mut Self {
        self.stdout = Output::Stdout;
        self
    }

    /// Standard error is the host process's.
    pub fn inherit_stderr(&mut self) -> &mut Self {
        self.stderr = Output::Stderr;
        self
    }

    /// Standard input, output and error are the host process's.
    pub fn inherit_stdio(&mut self) -> &mut Self {
        self.inherit_stdin().inherit_stdout().inherit_stderr()
    }

    /// Standard output goes to a new buffer; returns a handle to it.
    pub fn stdout_buffer(&mut self) -> OutputBuffer {
        let buffer = OutputBuffer::new();
        self.stdout = Output::Buffer(buffer.clone());
        buffer
    }

    /// Standard error goes to a new buffer; returns a handle to it.
    pub fn stderr_buffer(&mut self) -> OutputBuffer {
        let buffer = OutputBuffer::new();
        self.stderr = Output::Buffer(buffer.clone());
        buffer
    }

    /// Standard output goes to `writer` (flushed after every `fd_write`).
    pub fn stdout_writer(&mut self, writer: impl Write + Send + 'static) -> &mut Self {
        self.stdout = Output::Writer(Box::new(writer));
        self
    }

    /// Standard error goes to `writer` (flushed after every `fd_write`).
    pub fn stderr_writer(&mut self, writer: impl Write + Send + 'static) -> &mut Self {
        self.stderr = Output::Writer(Box::new(writer));
        self
    }

    /// Gives the program the host directory `host_path`, under the name
    /// `guest_path` (for example `"."` or `"/data"`).
    ///
    /// The program reaches files only beneath pre-opened directories: paths
    /// are resolved by cap-std, which refuses absolute paths, `..` and
    /// symbolic links that lead outside. Pre-opens get descriptors 3, 4, ...
    /// in the order they are added, which is how the guest's libc finds them.
    ///
    /// Fails if `host_path` cannot be opened as a directory.
    pub fn preopened_dir(
        &mut self,
        host_path: impl AsRef<Path>,
        guest_path: impl AsRef<str>,
    ) -> Result<&mut Self, WasiError> {
        let path = host_path.as_ref();
        let dir = Dir::open_ambient_dir(path, ambient_authority()).map_err(|error| {
            WasiError::Preopen {
                path: path.to_owned(),
                error,
            }
        })?;
        self.preopens.push((dir, guest_path.as_ref().to_owned()));
        Ok(self)
    }

    /// The context, leaving this builder as [`new`](Self::new) made it.
    pub fn build(&mut self) -> WasiCtx {
        let WasiCtxBuilder {
            args,
            env,
            stdin,
            stdout,
            stderr,
            preopens,
        } = core::mem::take(self);
        let mut fds = FdTable::new();
        let stdio = [
            (Kind::Stdin(stdin), rights::STDIN, rights::STDIN),
            (Kind::Output(stdout), rights::STDOUT, rights::STDOUT),
            (Kind::Output(stderr), rights::STDOUT, rights::STDOUT),
        ];
        let dirs = preopens.into_iter().map(|(dir, name)| {
            let dir = DirDesc {
                dir,
                preopen: Some(name),
                listing: None,
            };
            (Kind::Dir(dir), rights::DIRECTORY, rights::ALL)
        });
        for (kind, base, inheriting) in stdio.into_iter().chain(dirs) {
            let descriptor = Descriptor {
                kind,
                base,
                inheriting,
                flags: 0,
            };
            // A fresh table holds far fewer than 2^32 descriptors.
            let _ = fds.insert(descriptor);
        }
        let env = env
            .into_iter()
            .map(|(mut key, value)| {
                key.push(b'=');
                key.extend_from_slice(&value);
                key
            })
            .collect();
        WasiCtx { args, env, fds }
    }
}

impl fmt::Debug for WasiCtxBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WasiCtxBuilder")
            .field("args", &self.args.len())
            .field("env", &self.env.len())
            .field(
                "preopens",
                &self
                    .preopens
                    .iter()
                    .map(|(_, name)| name)
                    .collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}
