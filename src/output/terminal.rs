//! Leaving the terminal as we found it when a run is interrupted.

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
