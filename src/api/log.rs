//! The client's `-v` request log: a sink the caller hands in.

use std::sync::Arc;

/// What receives each line.
type Sink = Arc<dyn Fn(&str) + Send + Sync>;

/// Where the client writes its `-v` request log. The client knows no
/// terminal: the caller decides where lines go (stderr, a test buffer).
#[derive(Clone, Default)]
pub struct Log {
    sink: Option<Sink>,
}

impl Log {
    /// A log that keeps every line (`-v`).
    pub fn to(sink: impl Fn(&str) + Send + Sync + 'static) -> Log {
        Log {
            sink: Some(Arc::new(sink)),
        }
    }

    /// Whether lines are kept at all (skip building them otherwise).
    pub fn enabled(&self) -> bool {
        self.sink.is_some()
    }

    pub fn line(&self, line: &str) {
        if let Some(sink) = &self.sink {
            sink(line);
        }
    }
}

impl std::fmt::Debug for Log {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.enabled() {
            "Log(on)"
        } else {
            "Log(off)"
        })
    }
}
