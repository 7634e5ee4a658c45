//! `xeroctl exec …`: tools, invocations, executions, the update stream and
//! agent introspection on the governed-execution mesh (XEM).

use clap::{ArgGroup, Args, Subcommand};
use clap_complete::engine::ArgValueCompleter;

use super::{parse_cursor, parse_positive, parse_timeout, PageArgs};

const EXEC_EXAMPLES: &str = "\
Examples:
  xeroctl exec tools                          List available tools
  xeroctl exec tool-show kubectl_drain        Risk, timeout and parameters
  xeroctl exec invoke --workspace ws_a1b2c3d4 --tool kubectl_get \\
      --args '{\"resource\": \"pods\", \"namespace\": \"default\"}' --wait
  xeroctl exec watch 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10
  xeroctl exec list --status failed
  xeroctl exec raw 7d2e4a91-3b6c-4f8e-a1d2-9c0b8e7f6a51 --out pods.txt

All exec commands need an API key with the `execution` scope.";

#[derive(Debug, Args)]
#[command(after_help = EXEC_EXAMPLES, subcommand_required = true, arg_required_else_help = true)]
pub struct ExecArgs {
    #[command(subcommand)]
    pub sub: ExecCommand,
}

#[derive(Debug, Subcommand)]
pub enum ExecCommand {
    /// List the tools your project's XEM manifests expose
    Tools(ToolsArgs),
    /// Show a tool's full descriptor: risk, domain, timeout and parameters
    ToolShow(ToolShowArgs),
    /// Invoke a tool in a workspace (destructive tools wait for approval)
    Invoke(InvokeArgs),
    /// Poll an invocation until it ends (every 2 s, up to 10 minutes)
    Watch(WatchArgs),
    /// Cancel a queued, running or pending-approval invocation
    Cancel(CancelArgs),
    /// List invocations, newest first, or show one
    Invocations(super::invocations::InvocationsArgs),
    /// Print or replace a workspace's context document
    Context(super::invocations::ContextArgs),
    /// List execution records
    List(ListArgs),
    /// Show one execution record
    Show(ShowArgs),
    /// Write an execution's raw output bytes, exactly as the agent returned them
    Raw(RawArgs),
    /// Run an execution again with the same tool, workspace and arguments
    Rerun(RerunArgs),
    /// Follow execution updates live (Server-Sent Events) until Ctrl+C
    Stream(StreamArgs),
    /// Show an XEM agent's manifest, environment or connectivity
    Agent(AgentArgs),
}

impl ExecCommand {
    /// Whether it prints a list (the one kind of table `--columns` shapes).
    pub fn prints_list(&self) -> bool {
        match self {
            ExecCommand::Tools(_) | ExecCommand::List(_) => true,
            ExecCommand::Invocations(args) => args.id.is_none(),
            _ => false,
        }
    }
}

const TOOLS_EXAMPLES: &str = "\
Examples:
  xeroctl exec tools                          First page of tools
  xeroctl exec tools --all -o json | jq -r '.data[].name'";

#[derive(Debug, Args)]
#[command(after_help = TOOLS_EXAMPLES)]
pub struct ToolsArgs {
    #[command(flatten)]
    pub page: PageArgs,
}

const TOOL_SHOW_EXAMPLES: &str = "\
Examples:
  xeroctl exec tool-show kubectl_drain
  xeroctl exec tool-show openstack_server_stop -o json | jq .parameters";

#[derive(Debug, Args)]
#[command(after_help = TOOL_SHOW_EXAMPLES)]
pub struct ToolShowArgs {
    /// Tool name as declared in the XEM manifest
    #[arg(value_name = "NAME", add = ArgValueCompleter::new(crate::complete::tool_names))]
    pub name: String,
}

/// `--interval` / `--timeout` of a watch.
#[derive(Debug, Clone, Default, Args)]
pub struct WatchOpts {
    /// Seconds between polls, decimals allowed [default: 2]
    #[arg(long, value_name = "SECS", value_parser = parse_timeout, allow_negative_numbers = true, help_heading = "Watching")]
    pub interval: Option<f64>,
    /// Give up after this many seconds (exit 8) [default: 600]
    #[arg(long, value_name = "SECS", value_parser = parse_timeout, allow_negative_numbers = true, help_heading = "Watching")]
    pub timeout: Option<f64>,
}

impl WatchOpts {
    pub fn any(&self) -> bool {
        self.interval.is_some() || self.timeout.is_some()
    }
}

const INVOKE_EXAMPLES: &str = "\
Examples:
  xeroctl exec invoke --workspace ws_a1b2c3d4 --tool kubectl_get \\
      --args '{\"resource\": \"pods\", \"namespace\": \"default\"}'
  INV_ID=$(xeroctl exec invoke --workspace ws_a1b2c3d4 --tool kubectl_get \\
      --args '{\"resource\": \"pods\"}' -o json | jq -r .id)
  xeroctl exec invoke --workspace ws_a1b2c3d4 --tool kubectl_get \\
      --args @args.json --wait
  echo '{\"node\": \"node-7\"}' | xeroctl exec invoke --workspace ws_a1b2c3d4 \\
      --tool kubectl_drain --args -

A destructive or irreversible tool lands in pending_approval: the approval id, its URL
and the `xeroctl approvals approve <id>` command are printed (exit 0); with --wait the
watch goes on until it is approved or rejected.";

#[derive(Debug, Args)]
#[command(after_help = INVOKE_EXAMPLES)]
pub struct InvokeArgs {
    /// Workspace external id (ws_…), from `xeroctl exec agent <id> --manifest` [asked for on a terminal]
    #[arg(long, value_name = "WS_ID", value_parser = parse_cursor)]
    pub workspace: Option<String>,
    /// Tool name to invoke (see `xeroctl exec tools`) [asked for on a terminal]
    #[arg(long, value_name = "NAME", value_parser = parse_cursor, add = ArgValueCompleter::new(crate::complete::tool_names))]
    pub tool: Option<String>,
    /// Tool arguments as a JSON object: inline, @file.json, or - for stdin [asked for on a terminal]
    #[arg(long, value_name = "JSON", allow_hyphen_values = true)]
    pub args: Option<String>,
    /// Send without checking --args against the tool's parameter schema (skips that GET)
    #[arg(long)]
    pub no_validate: bool,
    /// Watch the invocation until it ends (through approval, too)
    #[arg(long)]
    pub wait: bool,
    #[command(flatten)]
    pub watch: WatchOpts,
}

const WATCH_EXAMPLES: &str = "\
Examples:
  xeroctl exec watch 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10
  xeroctl exec watch 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10 \\
      --interval 5 --timeout 1800
  xeroctl exec watch 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10 -o json \\
      | jq -r .execution_id

Stops on every terminal status. Exit codes: 0 completed; 7 failed, cancelled,
rejected or timeout; 8 the --timeout deadline passed first; 130 Ctrl+C.";

#[derive(Debug, Args)]
#[command(after_help = WATCH_EXAMPLES)]
pub struct WatchArgs {
    /// Invocation id, as printed by `xeroctl exec invoke`
    #[arg(value_name = "INVOCATION_ID", add = ArgValueCompleter::new(crate::complete::invocation_ids))]
    pub id: String,
    #[command(flatten)]
    pub watch: WatchOpts,
}

const CANCEL_EXAMPLES: &str = "\
Examples:
  xeroctl exec cancel 6b0d2f4a-7c9e-4b1d-8f3a-5c7e9b1d3f50
  xeroctl exec cancel 6b0d2f4a-7c9e-4b1d-8f3a-5c7e9b1d3f50 --dry-run
  xeroctl exec cancel 5f9c3b1a-8d0e-4c2f-9c1d-2b9f5e7a8c10   Ended (exit 5)";

#[derive(Debug, Args)]
#[command(after_help = CANCEL_EXAMPLES)]
pub struct CancelArgs {
    /// Invocation id to cancel
    #[arg(value_name = "INVOCATION_ID", add = ArgValueCompleter::new(crate::complete::invocation_ids))]
    pub id: String,
}

/// Execution statuses the router filters on.
pub const EXECUTION_STATUSES: [&str; 5] =
    ["running", "completed", "failed", "cancelled", "timeout"];

const LIST_EXAMPLES: &str = "\
Examples:
  xeroctl exec list                           Executions, oldest first
  xeroctl exec list --status failed --limit 50
  xeroctl exec list --all -o json | jq '.data[] | select(.exit_code != 0)'";

#[derive(Debug, Args)]
#[command(after_help = LIST_EXAMPLES)]
pub struct ListArgs {
    /// Only executions with this status
    #[arg(long, value_name = "STATUS", value_parser = EXECUTION_STATUSES)]
    pub status: Option<String>,
    #[command(flatten)]
    pub page: PageArgs,
}

const SHOW_EXAMPLES: &str = "\
Examples:
  xeroctl exec show 7d2e4a91-3b6c-4f8e-a1d2-9c0b8e7f6a51
  xeroctl exec show 7d2e4a91-3b6c-4f8e-a1d2-9c0b8e7f6a51 -o json \\
      | jq .exit_code";

#[derive(Debug, Args)]
#[command(after_help = SHOW_EXAMPLES)]
pub struct ShowArgs {
    /// Execution id
    #[arg(value_name = "EXECUTION_ID", add = ArgValueCompleter::new(crate::complete::execution_ids))]
    pub id: String,
}

const RAW_EXAMPLES: &str = "\
Examples:
  xeroctl exec raw 7d2e4a91-3b6c-4f8e-a1d2-9c0b8e7f6a51       A pods table
  xeroctl exec raw 0b1e5c7d-2a4f-4e8b-9d3c-6f1a2b3c4d5e --out bundle.gz
  xeroctl exec raw 0b1e5c7d-2a4f-4e8b-9d3c-6f1a2b3c4d5e | gunzip | head

The bytes are written as received, never decoded (also with -o json).";

#[derive(Debug, Args)]
#[command(after_help = RAW_EXAMPLES)]
pub struct RawArgs {
    /// Execution id
    #[arg(value_name = "EXECUTION_ID", add = ArgValueCompleter::new(crate::complete::execution_ids))]
    pub id: String,
    /// Write to this file instead of stdout (replaced only once the download is complete; - is stdout)
    #[arg(long, value_name = "FILE")]
    pub out: Option<std::path::PathBuf>,
}

const RERUN_EXAMPLES: &str = "\
Examples:
  xeroctl exec rerun 7d2e4a91-3b6c-4f8e-a1d2-9c0b8e7f6a51
  xeroctl exec rerun 7d2e4a91-3b6c-4f8e-a1d2-9c0b8e7f6a51 --wait";

#[derive(Debug, Args)]
#[command(after_help = RERUN_EXAMPLES)]
pub struct RerunArgs {
    /// Execution id to run again
    #[arg(value_name = "EXECUTION_ID", add = ArgValueCompleter::new(crate::complete::execution_ids))]
    pub id: String,
    /// Watch the new invocation until it ends
    #[arg(long)]
    pub wait: bool,
    #[command(flatten)]
    pub watch: WatchOpts,
}

const STREAM_EXAMPLES: &str = "\
Examples:
  xeroctl exec stream                         One row per execution update
  xeroctl exec stream -o json | jq -c 'select(.status == \"failed\")'
  xeroctl exec stream --max-events 1 -o json  Wait for the next update

Reconnects with backoff when the stream drops; stop it with Ctrl+C.";

#[derive(Debug, Args)]
#[command(after_help = STREAM_EXAMPLES)]
pub struct StreamArgs {
    /// Stop after N updates
    #[arg(long, value_name = "N", value_parser = parse_positive)]
    pub max_events: Option<u64>,
}

const AGENT_EXAMPLES: &str = "\
Examples:
  xeroctl exec agent agt_7Hq2 --manifest
  xeroctl exec agent agt_7Hq2 --environment
  xeroctl exec agent agt_7Hq2 --connectivity -o json | jq .router_reachable";

#[derive(Debug, Args)]
#[command(
    after_help = AGENT_EXAMPLES,
    group(ArgGroup::new("view").args(["manifest", "environment", "connectivity"]).required(true).multiple(false))
)]
pub struct AgentArgs {
    /// Agent id (agt_…)
    #[arg(value_name = "AGENT_ID", add = ArgValueCompleter::new(crate::complete::agent_ids))]
    pub id: String,
    /// The agent's XEM manifest: version, workspaces, tools, capabilities
    #[arg(long)]
    pub manifest: bool,
    /// The host environment: OS, CPU, memory, GPU
    #[arg(long)]
    pub environment: bool,
    /// Reachability of the router and the agent's transport
    #[arg(long)]
    pub connectivity: bool,
}
