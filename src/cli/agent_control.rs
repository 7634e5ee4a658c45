//! `xeroctl agents pause-exec | resume-exec | revoke-credentials |
//! curve-rotate <id>`: one subcommand each, so clap itself refuses an
//! option that does not belong.

use clap::Args;
use clap_complete::engine::ArgValueCompleter;

use super::{parse_cursor, parse_workspace};

const PAUSE_EXAMPLES: &str = "\
Examples:
  xeroctl agents pause-exec agt_7Hq2        Pause governed exec everywhere
  xeroctl agents pause-exec agt_7Hq2 --workspace ws_a1b2c3d4 \\
      --reason 'node maintenance'";

#[derive(Debug, Clone, PartialEq, Args)]
#[command(after_help = PAUSE_EXAMPLES)]
pub struct PauseExecArgs {
    /// Agent id (agt_…)
    #[arg(value_name = "ID", value_parser = parse_cursor, add = ArgValueCompleter::new(crate::complete::agent_ids))]
    pub id: String,
    /// Pause only in this workspace (default: all of the agent's workspaces)
    #[arg(long, value_name = "WS", value_parser = parse_workspace)]
    pub workspace: Option<String>,
    /// Why, for the agent's event log
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
}

const RESUME_EXAMPLES: &str = "\
Examples:
  xeroctl agents resume-exec agt_3Lm9 --workspace ws_demo0001
  xeroctl agents resume-exec agt_7Hq2       Not paused there (exit 5)";

#[derive(Debug, Clone, PartialEq, Args)]
#[command(after_help = RESUME_EXAMPLES)]
pub struct ResumeExecArgs {
    /// Agent id (agt_…)
    #[arg(value_name = "ID", value_parser = parse_cursor, add = ArgValueCompleter::new(crate::complete::agent_ids))]
    pub id: String,
    /// Resume only in this workspace (default: everywhere it was paused)
    #[arg(long, value_name = "WS", value_parser = parse_workspace)]
    pub workspace: Option<String>,
}

const REVOKE_EXAMPLES: &str = "\
Examples:
  xeroctl agents revoke-credentials agt_7Hq2 --reason 'host reimaged'
  xeroctl agents revoke-credentials agt_7Hq2 --force    No prompt (scripts)";

#[derive(Debug, Clone, PartialEq, Args)]
#[command(after_help = REVOKE_EXAMPLES)]
pub struct RevokeCredentialsArgs {
    /// Agent id (agt_…)
    #[arg(value_name = "ID", value_parser = parse_cursor, add = ArgValueCompleter::new(crate::complete::agent_ids))]
    pub id: String,
    /// Why, for the agent's event log
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// Skip the confirmation prompt
    #[arg(long, visible_alias = "yes")]
    pub force: bool,
}

const ROTATE_EXAMPLES: &str = "\
Examples:
  xeroctl agents curve-rotate agt_7Hq2 --reason 'quarterly rotation'";

#[derive(Debug, Clone, PartialEq, Args)]
#[command(after_help = ROTATE_EXAMPLES)]
pub struct CurveRotateArgs {
    /// Agent id (agt_…)
    #[arg(value_name = "ID", value_parser = parse_cursor, add = ArgValueCompleter::new(crate::complete::agent_ids))]
    pub id: String,
    /// Why the keys are rotated (required; kept in the agent's event log)
    #[arg(long, value_name = "TEXT", value_parser = parse_cursor)]
    pub reason: String,
}
