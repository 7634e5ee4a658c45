//! Stray-option detection for the flag-driven grammars: a command lists
//! its options once (`Given`), each action takes the ones it uses, and the
//! first one still given is refused with a message naming it.

use super::PageArgs;
use crate::error::CliError;

/// How to word a refused option.
pub(crate) enum Stray {
    /// "--region cannot be used with --update"
    With(&'static str),
    /// "--all cannot be used when showing a join key"
    When(&'static str),
    /// "--region needs an action" + `: add --create` (the rest of the line)
    NeedsAction(String),
}

/// The options still set on the command line, in the order of `--help`.
#[derive(Default)]
pub(crate) struct Given {
    set: Vec<&'static str>,
}

impl Given {
    pub fn new() -> Given {
        Given::default()
    }

    pub fn flag(mut self, flag: &'static str, is_set: bool) -> Given {
        if is_set {
            self.set.push(flag);
        }
        self
    }

    pub fn page(self, page: &PageArgs) -> Given {
        self.flag("--limit", page.limit.is_some())
            .flag("--after", page.after.is_some())
            .flag("--all", page.all)
    }

    /// Refuse the first option still given, if any.
    pub fn refuse(self, stray: Stray) -> Result<(), CliError> {
        let Some(flag) = self.set.first() else {
            return Ok(());
        };
        const HINT: &str = "see the options of each action with --help";
        Err(match stray {
            Stray::With(action) => {
                CliError::usage(format!("{flag} cannot be used with {action}")).with_hint(HINT)
            }
            Stray::When(doing) => {
                CliError::usage(format!("{flag} cannot be used when {doing}")).with_hint(HINT)
            }
            Stray::NeedsAction(what) => CliError::usage(format!("{flag} needs an action{what}")),
        })
    }
}
