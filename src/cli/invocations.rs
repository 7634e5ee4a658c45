//! `xeroctl exec invocations [<id>]` and `xeroctl exec context`: reading
//! invocations, and a workspace's context document.

use clap::Args;

use super::{parse_cursor, parse_workspace, PageArgs};

/// Invocation statuses the router filters on.
pub const INVOCATION_STATUSES: [&str; 8] = [
    "queued",
    "pending_approval",
    "running",
    "completed",
    "failed",
    "cancelled",
    "rejected",
    "timeout",
];

const INVOCATIONS_EXAMPLES: &str = "\
Examples:
  xeroctl exec invocations                    Newest first
  xeroctl exec invocations --status running --workspace ws_a1b2c3d4
  xeroctl exec invocations --tool kubectl_drain --all -o json \\
      | jq -r '.data[].id'
  xeroctl exec invocations 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10   Show one";

#[derive(Debug, Args)]
#[command(after_help = INVOCATIONS_EXAMPLES)]
pub struct InvocationsArgs {
    /// Invocation id: show this one instead of listing
    #[arg(value_name = "INVOCATION_ID", value_parser = parse_cursor, add = clap_complete::engine::ArgValueCompleter::new(crate::complete::invocation_ids))]
    pub id: Option<String>,
    /// Only invocations with this status
    #[arg(long, value_name = "STATUS", value_parser = INVOCATION_STATUSES, help_heading = "Listing")]
    pub status: Option<String>,
    /// Only invocations of this tool
    #[arg(long, value_name = "NAME", value_parser = parse_cursor, help_heading = "Listing", add = clap_complete::engine::ArgValueCompleter::new(crate::complete::tool_names))]
    pub tool: Option<String>,
    /// Only invocations in this workspace (ws_…)
    #[arg(long, value_name = "WS", value_parser = parse_workspace, help_heading = "Listing")]
    pub workspace: Option<String>,
    #[command(flatten)]
    pub page: PageArgs,
}

impl InvocationsArgs {
    /// The listing options given, for refusing them next to an id.
    pub fn listing_options(&self) -> Vec<&'static str> {
        [
            ("--status", self.status.is_some()),
            ("--tool", self.tool.is_some()),
            ("--workspace", self.workspace.is_some()),
            ("--limit", self.page.limit.is_some()),
            ("--after", self.page.after.is_some()),
            ("--all", self.page.all),
        ]
        .into_iter()
        .filter_map(|(flag, given)| given.then_some(flag))
        .collect()
    }
}

const CONTEXT_EXAMPLES: &str = "\
Examples:
  xeroctl exec context --workspace ws_a1b2c3d4      Print the document
  xeroctl exec context --workspace ws_a1b2c3d4 > context.md
  xeroctl exec context --workspace ws_a1b2c3d4 --set @context.md
  echo 'Maintenance window: Sun 02:00-04:00 UTC' \\
      | xeroctl exec context --workspace ws_a1b2c3d4 --set -

The agents read a workspace's context before acting there. --set replaces it whole.";

#[derive(Debug, Args)]
#[command(after_help = CONTEXT_EXAMPLES)]
pub struct ContextArgs {
    /// Workspace id (ws_…)
    #[arg(long, value_name = "WS", value_parser = parse_workspace)]
    pub workspace: String,
    /// Replace the document: the text, @file, or - for stdin
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub set: Option<String>,
}
