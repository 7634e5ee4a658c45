//! `xeroctl approvals …`: list, show, approve, reject and watch the
//! approval gate for destructive and irreversible tools.

use clap::{Args, Subcommand, ValueEnum};
use clap_complete::engine::ArgValueCompleter;

use super::{parse_cursor, parse_positive, parse_timeout, PageArgs};

const APPROVALS_EXAMPLES: &str = "\
Examples:
  xeroctl approvals list --status pending      What is waiting for a decision
  xeroctl approvals show a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60
  xeroctl approvals approve a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60 \\
      --note 'change CHG-42'                   Asks first
  xeroctl approvals reject a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60 \\
      --reason 'wrong cluster' --yes
  xeroctl approvals watch --max-events 1       The first pending approval";

#[derive(Debug, Args)]
#[command(after_help = APPROVALS_EXAMPLES)]
pub struct ApprovalsArgs {
    #[command(subcommand)]
    pub sub: ApprovalsSub,
}

#[derive(Debug, Subcommand)]
pub enum ApprovalsSub {
    /// List approvals (filter by status, risk, workspace)
    #[command(
        visible_alias = "ls",
        after_help = "\
Examples:
  xeroctl approvals list --status pending
  xeroctl approvals list --risk irreversible --workspace ws_a1b2c3d4
  xeroctl approvals list --all -o json \\
      | jq -r '.data[] | select(.status == \"pending\") | .id'"
    )]
    List(ApprovalsListArgs),
    /// Show one approval: tool, workspace, risk, status, invocation, times, note/reason
    #[command(after_help = "\
Examples:
  xeroctl approvals show a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60
  xeroctl approvals show a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60 -o json \\
      | jq -r .status")]
    Show(ApprovalIdArgs),
    /// Approve a pending approval: its invocation moves on (asks first; --force skips)
    #[command(after_help = "\
Examples:
  xeroctl approvals approve a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60  Asks first
  xeroctl approvals approve a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60 \\
      --note 'CHG-42' --yes
  xeroctl approvals approve a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60 \\
      --confirm kubectl_drain                  Only if it is for that tool
  xeroctl approvals approve a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60 --dry-run")]
    Approve(ApproveArgs),
    /// Reject a pending approval: its invocation ends `rejected` (asks first; --force skips)
    #[command(after_help = "\
Examples:
  xeroctl approvals reject a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60   Asks first
  xeroctl approvals reject a1c0e2f4-6b8d-4a1c-8e3f-5d7b9c2a4e60 \\
      --reason 'wrong cluster' --force")]
    Reject(RejectArgs),
    /// Poll and print approvals as they appear, until Ctrl+C (or a bound)
    #[command(after_help = "\
Examples:
  xeroctl approvals watch                   New pending ones, until Ctrl+C
  xeroctl approvals watch --max-events 1 -o json | jq -r .id
  xeroctl approvals watch --risk irreversible --interval 10 --timeout 3600")]
    Watch(ApprovalsWatchArgs),
}

impl ApprovalsSub {
    /// Whether it prints a list (the one kind of table `--columns` shapes;
    /// `watch` prints a stream of rows of its own).
    pub fn prints_list(&self) -> bool {
        matches!(self, ApprovalsSub::List(_))
    }
}

/// Approval status filter: the API's four, and the two more the product's
/// docs name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ApprovalStatus {
    Pending,
    Approved,
    Rejected,
    Expired,
    Escalated,
    // The wire spelling, not clap's kebab-case `timed-out` (kept as an alias).
    #[value(name = "timed_out", alias = "timed-out")]
    TimedOut,
}

impl ApprovalStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Expired => "expired",
            Self::Escalated => "escalated",
            Self::TimedOut => "timed_out",
        }
    }
}

/// Tool risk filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Risk {
    Read,
    Write,
    Destructive,
    Irreversible,
}

impl Risk {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Write => "write",
            Self::Destructive => "destructive",
            Self::Irreversible => "irreversible",
        }
    }
}

/// Filters shared by `list` and `watch`.
#[derive(Debug, Clone, Default, Args)]
pub struct ApprovalFilters {
    /// Only approvals with this risk
    #[arg(long, value_enum, help_heading = "Filters")]
    pub risk: Option<Risk>,
    /// Only approvals for this workspace (ws_…)
    #[arg(long, value_name = "WS", value_parser = parse_cursor, help_heading = "Filters")]
    pub workspace: Option<String>,
}

#[derive(Debug, Args)]
pub struct ApprovalsListArgs {
    /// Only approvals in this status
    #[arg(long, value_enum, help_heading = "Filters")]
    pub status: Option<ApprovalStatus>,
    #[command(flatten)]
    pub filters: ApprovalFilters,
    #[command(flatten)]
    pub page: PageArgs,
}

#[derive(Debug, Args)]
pub struct ApprovalIdArgs {
    /// Approval id
    #[arg(value_name = "ID", add = ArgValueCompleter::new(crate::complete::pending_approval_ids))]
    pub id: String,
}

#[derive(Debug, Args)]
pub struct ApproveArgs {
    /// Approval id
    #[arg(value_name = "ID", add = ArgValueCompleter::new(crate::complete::pending_approval_ids))]
    pub id: String,
    /// A note recorded with the approval (e.g. a change ticket)
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Skip the confirmation prompt
    #[arg(long, visible_alias = "yes")]
    pub force: bool,
    /// The tool this approval must be for: refused when it is another; with no terminal, stands in for --force
    #[arg(long, value_name = "TOOL", value_parser = parse_cursor)]
    pub confirm: Option<String>,
}

#[derive(Debug, Args)]
pub struct RejectArgs {
    /// Approval id
    #[arg(value_name = "ID", add = ArgValueCompleter::new(crate::complete::pending_approval_ids))]
    pub id: String,
    /// Why it was rejected (recorded with the approval)
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// Skip the confirmation prompt
    #[arg(long, visible_alias = "yes")]
    pub force: bool,
    /// The tool this approval must be for: refused when it is another; with no terminal, stands in for --force
    #[arg(long, value_name = "TOOL", value_parser = parse_cursor)]
    pub confirm: Option<String>,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Prints approvals present at start, then each new one as it appears (a table row, or one JSON
object per line with -o json). Transient errors (network, 429, 5xx) keep it polling; 401, 403
and 404 end it. Ctrl+C stops it (exit 130); --max-events and --timeout end it with exit 0.")]
pub struct ApprovalsWatchArgs {
    /// Which status to watch for
    #[arg(long, value_enum, default_value = "pending", help_heading = "Filters")]
    pub status: ApprovalStatus,
    #[command(flatten)]
    pub filters: ApprovalFilters,
    /// Seconds between polls (decimals allowed)
    #[arg(long, value_name = "SECS", default_value = "5", value_parser = parse_timeout, allow_negative_numbers = true)]
    pub interval: f64,
    /// Stop after printing this many approvals
    #[arg(long, value_name = "N", value_parser = parse_positive, allow_negative_numbers = true)]
    pub max_events: Option<u64>,
    /// Stop after this many seconds [default: never]
    #[arg(long, value_name = "SECS", value_parser = parse_timeout, allow_negative_numbers = true)]
    pub timeout: Option<f64>,
}
