//! A live count on stderr while `--all` fetches page after page
//! (`fetched 12,300 agents…`), cleared when it ends. Nothing at all when
//! stderr is not a terminal.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{terminal, Ui};

/// The count; clears itself when dropped.
pub struct Progress {
    bar: Option<ProgressBar>,
    noun: String,
    count: u64,
}

impl Ui {
    /// A live count of `noun` ("agents") fetched so far; tick with `add`.
    pub fn progress(&self, noun: &str) -> Progress {
        let bar = self
            .terminal()
            .stderr
            .then(|| ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()))
            // indicatif hides a bar when TERM is unset or `dumb`.
            .filter(|bar| !bar.is_hidden())
            .inspect(|bar| {
                if let Ok(style) = ProgressStyle::with_template("{msg}") {
                    bar.set_style(style);
                }
                terminal::hold_ctrl_echo();
                terminal::set_live(Some(bar.clone()));
            });
        Progress {
            bar,
            noun: super::sanitize::sanitize_line(noun).into_owned(),
            count: 0,
        }
    }
}

impl Progress {
    /// Run `print` (rows on stdout) with the count out of the way.
    pub fn suspend<R>(&self, print: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) => bar.suspend(print),
            None => print(),
        }
    }

    /// `n` more fetched.
    pub fn add(&mut self, n: usize) {
        self.count += n as u64;
        if let Some(bar) = &self.bar {
            bar.set_message(format!("fetched {} {}…", grouped(self.count), self.noun));
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
            terminal::set_live(None);
        }
    }
}

/// `12300` as `12,300`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_are_grouped() {
        assert_eq!(super::grouped(0), "0");
        assert_eq!(super::grouped(999), "999");
        assert_eq!(super::grouped(12_300), "12,300");
        assert_eq!(super::grouped(1_234_567), "1,234,567");
    }
}
