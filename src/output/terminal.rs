//! Leaving the terminal as we found it when a run is interrupted.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use indicatif::ProgressBar;

/// A prompt is on screen (its line not ended): set when one is shown,
/// cleared only when it is answered, so an interrupted prompt leaves it set.
static PROMPTING: AtomicBool = AtomicBool::new(false);

/// The live progress line on stderr, if any, to clear when interrupted.
static LIVE: Mutex<Option<ProgressBar>> = Mutex::new(None);

/// A prompt is about to be shown.
pub fn prompt_shown() {
    PROMPTING.store(true, Ordering::SeqCst);
}

/// The prompt was answered (its line is ended).
pub fn prompt_answered() {
    PROMPTING.store(false, Ordering::SeqCst);
}

/// Record (or forget) the progress line being drawn.
pub fn set_live(bar: Option<ProgressBar>) {
    *LIVE.lock().unwrap_or_else(|p| p.into_inner()) = bar;
}

/// Before `error: interrupted`: clear a progress line, end the line of a
/// prompt that was showing or of the `^C` the terminal echoed, and restore
/// the cursor and echo.
pub fn after_interrupt() {
    // Read before anything is restored: was `^C` echoed at the cursor?
    let echoed = ctrl_echo_on_stderr();
    if let Some(bar) = LIVE.lock().unwrap_or_else(|p| p.into_inner()).take() {
        bar.finish_and_clear();
    }
    if PROMPTING.swap(false, Ordering::SeqCst) || echoed {
        let _ = console::Term::stderr().write_line("");
    }
    restore_after_interrupt();
}

/// Set while a live line has the terminal's echo of control characters
/// (`^C`) turned off; `release_ctrl_echo` turns it back on.
static CTRL_ECHO_HELD: AtomicBool = AtomicBool::new(false);

/// A live line (spinner, count) is about to be drawn on stderr. indicatif
/// pads it to the full width, leaving the cursor in the last column: a
/// `^C` echoed there wraps onto a new row, and clearing the line then
/// misses its top row (the spinner stays above `error: interrupted`). So
/// the echo of control characters is held off until the run ends. Only in
/// the foreground: changing the terminal from the background stops us.
#[cfg(unix)]
pub fn hold_ctrl_echo() {
    with_stderr_mode(|mode| {
        if mode.c_lflag & libc::ECHOCTL == 0 {
            return false;
        }
        mode.c_lflag &= !libc::ECHOCTL;
        CTRL_ECHO_HELD.store(true, Ordering::SeqCst);
        true
    });
}

/// At the end of a run: the echo of control characters back on, if a live
/// line turned it off. Only that flag is touched: a pager reading the same
/// terminal (`| less`) may have changed the rest meanwhile.
#[cfg(unix)]
pub fn release_ctrl_echo() {
    if !CTRL_ECHO_HELD.swap(false, Ordering::SeqCst) {
        return;
    }
    with_stderr_mode(|mode| {
        mode.c_lflag |= libc::ECHOCTL;
        true
    });
}

/// Whether the terminal on stderr echoes control characters as `^C`.
#[cfg(unix)]
fn ctrl_echo_on_stderr() -> bool {
    let mut on = false;
    with_stderr_mode(|mode| {
        on = mode.c_lflag & (libc::ECHO | libc::ECHOCTL) == (libc::ECHO | libc::ECHOCTL);
        false
    });
    on
}

/// Read the mode of the terminal on stderr when we are its foreground
/// process group, let `change` edit it, and apply it when `change` says so.
#[cfg(unix)]
fn with_stderr_mode(change: impl FnOnce(&mut libc::termios) -> bool) {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return;
    }
    // SAFETY: plain libc calls on fd 2 with a zeroed, then filled, termios;
    // any failure leaves the terminal untouched.
    unsafe {
        if libc::tcgetpgrp(2) != libc::getpgrp() {
            return;
        }
        let mut mode: libc::termios = std::mem::zeroed();
        if libc::tcgetattr(2, &mut mode) != 0 {
            return;
        }
        if change(&mut mode) {
            libc::tcsetattr(2, libc::TCSANOW, &mode);
        }
    }
}

#[cfg(not(unix))]
pub fn hold_ctrl_echo() {}

#[cfg(not(unix))]
pub fn release_ctrl_echo() {}

#[cfg(not(unix))]
fn ctrl_echo_on_stderr() -> bool {
    false
}

/// Turn echo and line editing back on if an interrupted prompt left them
/// off (a hidden prompt reads with echo disabled; its thread never gets to
/// restore it when Ctrl+C ends the run).
#[cfg(unix)]
pub fn restore_after_interrupt() {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() {
        return;
    }
    // SAFETY: tcgetattr/tcsetattr on fd 0 with a zeroed, then filled,
    // termios; failure leaves the terminal untouched.
    unsafe {
        let mut mode: libc::termios = std::mem::zeroed();
        if libc::tcgetattr(0, &mut mode) != 0 {
            return;
        }
        let wanted = libc::ECHO | libc::ICANON | libc::ISIG;
        if mode.c_lflag & wanted != wanted {
            mode.c_lflag |= wanted;
            libc::tcsetattr(0, libc::TCSANOW, &mode);
        }
    }
    // A prompt may also have hidden the cursor.
    let _ = console::Term::stderr().show_cursor();
}

#[cfg(not(unix))]
pub fn restore_after_interrupt() {
    let _ = console::Term::stderr().show_cursor();
}
