//! The process's output streams and terminal facts, built once in `main`
//! from the real process and from buffers in tests. Nothing else in the
//! program touches `std::io::stdout()`/`stderr()`: every byte goes through
//! the writers held here.

use std::io::{self, IsTerminal, Write};
use std::sync::{Arc, Mutex, MutexGuard};

/// What the program knows about the terminal it runs in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Terminal {
    pub stdin: bool,
    pub stdout: bool,
    pub stderr: bool,
    /// Columns to fit tables to: the terminal's width when stdout is one,
    /// else `COLUMNS` (a terminal reporting 0 columns); `None` when stdout
    /// is not a terminal or no width is known (tables are not fitted).
    pub width: Option<u16>,
}

impl Terminal {
    /// The width rule of docs/spec/cli.md "Terminal", from the facts given.
    pub fn width_from(
        stdout_is_terminal: bool,
        reported: Option<u16>,
        columns: Option<&str>,
    ) -> Option<u16> {
        if !stdout_is_terminal {
            return None;
        }
        reported.filter(|w| *w > 0).or_else(|| {
            columns
                .and_then(|c| c.trim().parse::<u16>().ok())
                .filter(|w| *w > 0)
        })
    }
}

type Shared = Arc<Mutex<Box<dyn Write + Send>>>;

/// stdout and stderr as replaceable writers, plus the terminal facts.
#[derive(Clone)]
pub struct Streams {
    out: Shared,
    err: Shared,
    pub terminal: Terminal,
}

impl std::fmt::Debug for Streams {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Streams")
            .field("terminal", &self.terminal)
            .finish_non_exhaustive()
    }
}

impl Streams {
    /// The real process: stdout, stderr, and whether each is a terminal.
    pub fn from_process() -> Streams {
        let stdout = io::stdout().is_terminal();
        let reported = terminal_size::terminal_size_of(io::stdout()).map(|(w, _)| w.0);
        let columns = std::env::var("COLUMNS").ok();
        Streams {
            terminal: Terminal {
                stdin: io::stdin().is_terminal(),
                stdout,
                stderr: io::stderr().is_terminal(),
                width: Terminal::width_from(stdout, reported, columns.as_deref()),
            },
            out: Arc::new(Mutex::new(Box::new(io::stdout()))),
            err: Arc::new(Mutex::new(Box::new(io::stderr()))),
        }
    }

    /// In-memory streams (no terminal) and a handle to read what was
    /// written, for tests that run a command in-process.
    pub fn capture() -> (Streams, Captured) {
        let captured = Captured::default();
        let streams = Streams {
            terminal: Terminal::default(),
            out: Arc::new(Mutex::new(Box::new(SharedBuf(captured.out.clone())))),
            err: Arc::new(Mutex::new(Box::new(SharedBuf(captured.err.clone())))),
        };
        (streams, captured)
    }

    /// Stdout to `out`, stderr captured: for tests that need a stdout that
    /// is slow, blocks or fails (`Captured::stdout` is then empty).
    pub fn capture_with_stdout(out: impl Write + Send + 'static) -> (Streams, Captured) {
        let (mut streams, captured) = Streams::capture();
        streams.out = Arc::new(Mutex::new(Box::new(out)));
        (streams, captured)
    }

    /// A writer on stdout (buffer it for anything but a line).
    pub fn out(&self) -> StreamWriter {
        StreamWriter(self.out.clone())
    }

    /// A writer on stderr.
    pub fn err(&self) -> StreamWriter {
        StreamWriter(self.err.clone())
    }
}

/// One of the two streams; each write takes the stream's lock, so lines
/// from a log sink and a command never interleave mid-line.
pub struct StreamWriter(Shared);

impl StreamWriter {
    fn lock(&self) -> MutexGuard<'_, Box<dyn Write + Send>> {
        // A panic while holding the lock poisons it; the bytes are still
        // good to write.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Write for StreamWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.lock().write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.lock().write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.lock().flush()
    }
}

/// What a captured run wrote to stdout and stderr.
#[derive(Clone, Default)]
pub struct Captured {
    out: Arc<Mutex<Vec<u8>>>,
    err: Arc<Mutex<Vec<u8>>>,
}

impl Captured {
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.out.lock().unwrap_or_else(|p| p.into_inner())).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.err.lock().unwrap_or_else(|p| p.into_inner())).into_owned()
    }
}

struct SharedBuf(Arc<Mutex<Vec<u8>>>);

impl Write for SharedBuf {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
