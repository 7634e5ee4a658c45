//! The examples of the README and of every `--help`: they run as written
//! (run.rs), the README's console sessions print what they show
//! (console.rs), and they fit 80 columns in help and man pages (width.rs).

mod extract;
// Linux only: the examples are bash with GNU tools (`man -l`, jq in
// /usr/bin); Windows has no bash, and macOS's man has no -l.
#[cfg(target_os = "linux")]
mod console;
#[cfg(target_os = "linux")]
mod run;
mod width;
