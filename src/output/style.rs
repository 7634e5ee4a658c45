//! Colour decisions and the status palette of spec/cli.md.

use comfy_table::Color;

/// `--color auto|always|never`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Resolve the flag against `NO_COLOR`: an explicit `--color` wins,
    /// otherwise `NO_COLOR` (any value) turns colour off.
    pub fn resolve(flag: Option<ColorChoice>, no_color_env: bool) -> ColorChoice {
        match flag {
            Some(choice) => choice,
            None if no_color_env => ColorChoice::Never,
            None => ColorChoice::Auto,
        }
    }

    pub fn enabled_for(self, is_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => is_terminal,
        }
    }
}

/// How a status or risk word is coloured in tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Good,
    Waiting,
    Bad,
    Muted,
    Plain,
}

impl Tone {
    pub fn of_status(status: &str) -> Tone {
        match status {
            "active" | "completed" | "approved" | "online" | "ok" | "read" => Tone::Good,
            "pending" | "queued" | "running" | "pending_approval" | "draining" | "write" => {
                Tone::Waiting
            }
            "offline" | "error" | "failed" | "rejected" | "revoked" | "timeout" | "destructive"
            | "irreversible" => Tone::Bad,
            "cancelled" | "expired" | "exhausted" => Tone::Muted,
            _ => Tone::Plain,
        }
    }

    pub fn color(self) -> Option<Color> {
        match self {
            Tone::Good => Some(Color::Green),
            Tone::Waiting => Some(Color::Yellow),
            Tone::Bad => Some(Color::Red),
            Tone::Muted => Some(Color::DarkGrey),
            Tone::Plain => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_env_turns_auto_off_but_flag_wins() {
        assert_eq!(ColorChoice::resolve(None, true), ColorChoice::Never);
        assert_eq!(ColorChoice::resolve(None, false), ColorChoice::Auto);
        assert_eq!(
            ColorChoice::resolve(Some(ColorChoice::Always), true),
            ColorChoice::Always
        );
        assert!(!ColorChoice::Auto.enabled_for(false));
        assert!(ColorChoice::Auto.enabled_for(true));
        assert!(!ColorChoice::Never.enabled_for(true));
    }

    #[test]
    fn palette_follows_the_spec() {
        for s in ["active", "completed", "approved"] {
            assert_eq!(Tone::of_status(s), Tone::Good);
        }
        for s in [
            "pending",
            "queued",
            "running",
            "pending_approval",
            "draining",
        ] {
            assert_eq!(Tone::of_status(s), Tone::Waiting);
        }
        for s in [
            "offline", "error", "failed", "rejected", "revoked", "timeout",
        ] {
            assert_eq!(Tone::of_status(s), Tone::Bad);
        }
        for s in ["cancelled", "expired", "exhausted"] {
            assert_eq!(Tone::of_status(s), Tone::Muted);
        }
        assert_eq!(Tone::of_status("weird"), Tone::Plain);
    }
}
