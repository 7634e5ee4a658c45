//! `xeroctl learnings …`: what the agents learned (from tools, from chat)
//! and what operators told them.

use clap::{Args, Subcommand};

use super::{parse_cursor, parse_workspace, PageArgs};

/// Where a learning came from.
pub const SOURCE_TYPES: [&str; 3] = ["tool", "chat", "operator"];

const LEARNINGS_EXAMPLES: &str = "\
Examples:
  xeroctl learnings list --workspace ws_a1b2c3d4   Newest first, shortened
  xeroctl learnings show lrn_5a7e01                The whole text
  xeroctl learnings add --content 'node-7 needs a cordon before a drain' \\
      --workspace ws_a1b2c3d4
  xeroctl learnings add --content @runbook-note.md";

#[derive(Debug, Args)]
#[command(after_help = LEARNINGS_EXAMPLES, subcommand_required = true, arg_required_else_help = true)]
pub struct LearningsArgs {
    #[command(subcommand)]
    pub sub: LearningsSub,
}

#[derive(Debug, Subcommand)]
pub enum LearningsSub {
    /// List learnings, newest first (CONTENT shows the start of each)
    #[command(
        visible_alias = "ls",
        after_help = "\
Examples:
  xeroctl learnings list
  xeroctl learnings list --workspace ws_a1b2c3d4 --source-type operator
  xeroctl learnings list --all -o json | jq -r '.data[].content'"
    )]
    List(LearningsListArgs),
    /// Show one learning, its content whole
    #[command(after_help = "\
Examples:
  xeroctl learnings show lrn_5a7e01
  xeroctl learnings show lrn_5a7e01 -o json | jq -r .content")]
    Show(LearningShowArgs),
    /// Tell the agents something (an operator learning)
    #[command(after_help = "\
Examples:
  xeroctl learnings add --content 'Drain node-7 only after 22:00 UTC' \\
      --workspace ws_a1b2c3d4
  xeroctl learnings add --content @note.md
  xeroctl learnings add --content - < note.md")]
    Add(LearningAddArgs),
}

impl LearningsSub {
    /// Whether it prints a list (the one kind of table `--columns` shapes).
    pub fn prints_list(&self) -> bool {
        matches!(self, LearningsSub::List(_))
    }
}

#[derive(Debug, Args)]
pub struct LearningsListArgs {
    /// Only learnings of this workspace (ws_…)
    #[arg(long, value_name = "WS", value_parser = parse_workspace, help_heading = "Filters")]
    pub workspace: Option<String>,
    /// Only learnings from this source
    #[arg(long, value_name = "SOURCE", value_parser = SOURCE_TYPES, help_heading = "Filters")]
    pub source_type: Option<String>,
    #[command(flatten)]
    pub page: PageArgs,
}

#[derive(Debug, Args)]
pub struct LearningShowArgs {
    /// Learning id (lrn_…)
    #[arg(value_name = "ID", value_parser = parse_cursor)]
    pub id: String,
}

#[derive(Debug, Args)]
pub struct LearningAddArgs {
    /// What the agents should know: the text, @file, or - for stdin (up to 16 KiB)
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub content: String,
    /// The workspace it applies to (ws_…); none: every workspace
    #[arg(long, value_name = "WS", value_parser = parse_workspace)]
    pub workspace: Option<String>,
}
