//! Commands about xeroctl itself: `help <topic>`, `completion`, `man`.

use clap::{Args, ValueEnum};

#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  xeroctl help exit-codes             The exit-code table
  xeroctl help environment            Environment variables and precedence
  xeroctl help config-file            The config file's format
  xeroctl help agents join-keys       Same as `agents join-keys --help`")]
pub struct HelpArgs {
    /// A command path (`agents join-keys`) or a topic: exit-codes, environment, config-file
    #[arg(value_name = "TOPIC")]
    pub topic: Vec<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  mkdir -p ~/.local/share/bash-completion/completions && xeroctl \\
      completion bash > ~/.local/share/bash-completion/completions/xeroctl
  xeroctl completion zsh > \"${fpath[1]}/_xeroctl\"    In zsh
  mkdir -p ~/.config/fish/completions && xeroctl completion fish \\
      > ~/.config/fish/completions/xeroctl.fish")]
pub struct CompletionArgs {
    /// The shell to generate completions for
    #[arg(value_enum)]
    pub shell: Shell,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  xeroctl man | man -l -              Read the main page
  xeroctl man --dir ./man             Write xeroctl.1, xeroctl-agents.1, …")]
pub struct ManArgs {
    /// Write one page per command into this directory instead of printing the main page
    #[arg(long, value_name = "DIR")]
    pub dir: Option<std::path::PathBuf>,
}
