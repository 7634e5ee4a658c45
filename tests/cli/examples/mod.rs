//! The examples of the README and of every `--help`: they run as written
//! (run.rs), and they fit 80 columns in help and man pages (width.rs).

mod extract;
mod run;
mod width;
