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
/// prompt that was showing, and restore the cursor and echo.
pub fn after_interrupt() {
    if let Some(bar) = LIVE.lock().unwrap_or_else(|p| p.into_inner()).take() {
        bar.finish_and_clear();
    }
    if PROMPTING.swap(false, Ordering::SeqCst) {
        let _ = console::Term::stderr().write_line("");
    }
    restore_after_interrupt();
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
