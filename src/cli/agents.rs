//! `xeroctl agents …` and `xeroctl agents join-keys …`: a flag-driven
//! grammar where at most one action flag picks what happens.

use clap::{ArgGroup, Args, Subcommand};

use super::{parse_cursor, parse_positive, parse_tiers, PageArgs, Tiers};

const AGENTS_EXAMPLES: &str = "\
Examples:
  xeroctl agents                                        List agents
  xeroctl agents --all -o json | jq -r '.data[].id'     Every agent id, page by page
  xeroctl agents agt_abc123                             Show one agent
  xeroctl agents --create --name gpu-worker-2 --region us-east --max-concurrent 8
  xeroctl agents agt_abc123 --update --max-concurrent 16
  xeroctl agents agt_abc123 --delete --force
  xeroctl agents agt_abc123 --events --limit 20";

#[derive(Debug, Args)]
#[command(
    args_conflicts_with_subcommands = true,
    after_help = AGENTS_EXAMPLES,
    group(ArgGroup::new("action").args(["create", "update", "delete", "events"]).multiple(false))
)]
pub struct AgentsArgs {
    #[command(subcommand)]
    pub sub: Option<AgentsSub>,

    /// Agent id (agt_…): show it, or act on it with --update/--delete/--events
    #[arg(value_name = "ID")]
    pub id: Option<String>,

    /// Create an agent (needs --name)
    #[arg(long, help_heading = "Actions")]
    pub create: bool,
    /// Update an agent's name, description or max concurrency
    #[arg(long, help_heading = "Actions")]
    pub update: bool,
    /// Delete an agent (asks first; --force skips)
    #[arg(long, help_heading = "Actions")]
    pub delete: bool,
    /// List an agent's events
    #[arg(long, help_heading = "Actions")]
    pub events: bool,

    /// Agent name (--create, --update)
    #[arg(long, value_parser = parse_cursor, help_heading = "Agent fields")]
    pub name: Option<String>,
    /// Deployment region, e.g. us-east (--create)
    #[arg(long, value_parser = parse_cursor, help_heading = "Agent fields")]
    pub region: Option<String>,
    /// Maximum concurrent inference requests (--create, --update)
    #[arg(long, value_name = "N", value_parser = parse_positive, allow_negative_numbers = true, help_heading = "Agent fields")]
    pub max_concurrent: Option<u64>,
    /// Human-readable description (--create, --update)
    #[arg(long, value_name = "TEXT", help_heading = "Agent fields")]
    pub description: Option<String>,
    /// Comma-separated service tiers, e.g. priority,default (--create)
    #[arg(long, value_name = "TIERS", value_parser = parse_tiers, help_heading = "Agent fields")]
    pub supported_tiers: Option<Tiers>,
    /// Storage limit for model files, in GB (--create)
    #[arg(long, value_name = "GB", value_parser = parse_positive, allow_negative_numbers = true, help_heading = "Agent fields")]
    pub storage_limit: Option<u64>,

    #[command(flatten)]
    pub page: PageArgs,

    /// Skip the confirmation prompt (--delete)
    #[arg(long, visible_alias = "yes")]
    pub force: bool,
}

#[derive(Debug, Subcommand)]
pub enum AgentsSub {
    /// List, show, create and revoke join keys (one-time enrollment tokens)
    JoinKeys(JoinKeysArgs),
}

const JOIN_KEYS_EXAMPLES: &str = "\
Examples:
  xeroctl agents join-keys                              List join keys
  xeroctl agents join-keys --create --region us-east --max-enrollments 10
  TOKEN=$(xeroctl agents join-keys --create --max-enrollments 1 -o json | jq -r .token)
  xeroctl agents join-keys jk_abc123 --revoke --force";

#[derive(Debug, Args)]
#[command(
    after_help = JOIN_KEYS_EXAMPLES,
    group(ArgGroup::new("action").args(["create", "revoke"]).multiple(false))
)]
pub struct JoinKeysArgs {
    /// Join key id (jk_…): show it, or revoke it with --revoke
    #[arg(value_name = "ID")]
    pub id: Option<String>,

    /// Create a join key; its token is shown once
    #[arg(long, help_heading = "Actions")]
    pub create: bool,
    /// Revoke a join key (asks first; --force skips)
    #[arg(long, help_heading = "Actions")]
    pub revoke: bool,

    /// A name for the key (--create)
    #[arg(long, value_parser = parse_cursor, help_heading = "Join key fields")]
    pub name: Option<String>,
    /// Region to scope the key to (--create)
    #[arg(long, value_parser = parse_cursor, help_heading = "Join key fields")]
    pub region: Option<String>,
    /// How many agents may enroll with it [router default: 1] (--create)
    #[arg(long, value_name = "N", value_parser = parse_positive, allow_negative_numbers = true, help_heading = "Join key fields")]
    pub max_enrollments: Option<u64>,
    /// Comma-separated service tiers for enrolling agents (--create)
    #[arg(long, value_name = "TIERS", value_parser = parse_tiers, help_heading = "Join key fields")]
    pub supported_tiers: Option<Tiers>,
    /// Storage limit in GB for agents enrolled with it (--create)
    #[arg(long, value_name = "GB", value_parser = parse_positive, allow_negative_numbers = true, help_heading = "Join key fields")]
    pub storage_limit: Option<u64>,
    /// Hours until the key expires [router default: 24] (--create)
    #[arg(long, value_name = "HOURS", value_parser = parse_positive, allow_negative_numbers = true, help_heading = "Join key fields")]
    pub expires_in: Option<u64>,

    #[command(flatten)]
    pub page: PageArgs,

    /// Skip the confirmation prompt (--revoke)
    #[arg(long, visible_alias = "yes")]
    pub force: bool,
}
