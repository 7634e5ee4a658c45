//! Colour decisions and the status palette of docs/spec/cli.md.

use comfy_table::{Attribute, Cell, Color};
use owo_colors::OwoColorize;

/// `--color auto|always|never`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

/// What the environment says about colour, read once.
#[derive(Debug, Clone, Copy, Default)]
pub struct ColorEnv {
    /// `NO_COLOR` is set (docs/spec/cli.md: any value, even empty, means never).
    pub no_color: bool,
    /// `CLICOLOR_FORCE` set to a non-zero value: colour even when not a
    /// terminal (`CLICOLOR_FORCE=0`, like an empty value, forces nothing).
    pub force: bool,
    /// `CLICOLOR=0` or `TERM=dumb`: the terminal wants no colour.
    pub off: bool,
}

impl ColorEnv {
    /// `CLICOLOR` is read with anstyle-query, the crate clap uses for its
    /// own help; `CLICOLOR_FORCE` by [`forces_colour`] (anstyle-query takes
    /// any non-empty value, `0` included, as forcing).
    pub fn read() -> ColorEnv {
        ColorEnv {
            no_color: std::env::var_os("NO_COLOR").is_some(),
            force: forces_colour(std::env::var_os("CLICOLOR_FORCE").as_deref()),
            off: anstyle_query::clicolor() == Some(false)
                || std::env::var_os("TERM").is_some_and(|t| t == "dumb"),
        }
    }
}

/// Whether a `CLICOLOR_FORCE` value forces colour: set, non-empty and not
/// `0` (the CLICOLOR convention: "set to anything but 0").
pub fn forces_colour(value: Option<&std::ffi::OsStr>) -> bool {
    value.is_some_and(|v| !v.is_empty() && v != "0")
}

impl ColorChoice {
    /// An explicit `--color` wins; then `NO_COLOR` turns colour off,
    /// `CLICOLOR_FORCE` turns it on, `CLICOLOR=0`/`TERM=dumb` off; else auto.
    pub fn resolve(flag: Option<ColorChoice>, env: ColorEnv) -> ColorChoice {
        match flag {
            Some(choice) => choice,
            None if env.no_color => ColorChoice::Never,
            None if env.force => ColorChoice::Always,
            None if env.off => ColorChoice::Never,
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
            "pending" | "queued" | "running" | "pending_approval" | "draining" | "paused"
            | "escalated" | "requested" | "write" => Tone::Waiting,
            "offline" | "error" | "failed" | "rejected" | "revoked" | "timeout" | "timed_out"
            | "destructive" | "irreversible" => Tone::Bad,
            "cancelled" | "expired" | "exhausted" => Tone::Muted,
            _ => Tone::Plain,
        }
    }

    /// A table cell in this tone.
    pub fn cell(self, cell: Cell) -> Cell {
        match self {
            Tone::Good => cell.fg(Color::Green),
            Tone::Waiting => cell.fg(Color::Yellow),
            Tone::Bad => cell.fg(Color::Red),
            Tone::Muted => muted_cell(cell),
            Tone::Plain => cell,
        }
    }
}

/// The one muted look (docs/spec/cli.md: "dim"), for text printed as is:
/// faint (SGR 2), as [`muted_cell`] in tables. Call only when colour is on.
pub fn muted(text: &str) -> String {
    text.dimmed().to_string()
}

/// The muted look on a table cell: the same SGR 2 as [`muted`].
pub fn muted_cell(cell: Cell) -> Cell {
    cell.add_attribute(Attribute::Dim)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_env_turns_auto_off_but_flag_wins() {
        let env = |no_color, force, off| ColorEnv {
            no_color,
            force,
            off,
        };
        assert_eq!(
            ColorChoice::resolve(None, env(true, false, false)),
            ColorChoice::Never
        );
        assert_eq!(
            ColorChoice::resolve(None, env(false, false, false)),
            ColorChoice::Auto
        );
        assert_eq!(
            ColorChoice::resolve(Some(ColorChoice::Always), env(true, false, false)),
            ColorChoice::Always
        );
        // NO_COLOR beats CLICOLOR_FORCE; CLICOLOR_FORCE beats TERM=dumb.
        assert_eq!(
            ColorChoice::resolve(None, env(true, true, false)),
            ColorChoice::Never
        );
        assert_eq!(
            ColorChoice::resolve(None, env(false, true, true)),
            ColorChoice::Always
        );
        assert_eq!(
            ColorChoice::resolve(None, env(false, false, true)),
            ColorChoice::Never
        );
        assert!(!ColorChoice::Auto.enabled_for(false));
        assert!(ColorChoice::Auto.enabled_for(true));
        assert!(!ColorChoice::Never.enabled_for(true));
    }

    #[test]
    fn only_a_non_zero_clicolor_force_forces() {
        use std::ffi::OsStr;
        assert!(!forces_colour(None));
        assert!(!forces_colour(Some(OsStr::new(""))));
        assert!(!forces_colour(Some(OsStr::new("0"))));
        assert!(forces_colour(Some(OsStr::new("1"))));
        assert!(forces_colour(Some(OsStr::new("yes"))));
    }

    #[test]
    fn muted_is_one_look_in_text_and_tables() {
        assert_eq!(muted("expired"), "\u{1b}[2mexpired\u{1b}[0m");
        let mut table = comfy_table::Table::new();
        table.load_preset(comfy_table::presets::NOTHING);
        table.enforce_styling();
        table.add_row(vec![Tone::Muted.cell(Cell::new("expired"))]);
        if let Some(column) = table.column_mut(0) {
            column.set_padding((0, 0));
        }
        assert_eq!(table.to_string(), muted("expired"));
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
