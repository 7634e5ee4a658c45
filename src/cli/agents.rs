//! `xeroctl agents …` and `xeroctl agents join-keys …`: a flag-driven
//! grammar where at most one action flag picks what happens.
//!
//! clap parses the flags into `AgentsArgs`; `AgentsAction::try_from` turns
//! them into one typed action. Each action *takes* the options it uses out
//! of the args; whatever is still set afterwards is a stray option, refused
//! with a usage error naming it. Forgetting to take an option therefore
//! fails loudly (the option is refused), never silently.

use clap::{ArgGroup, Args, Subcommand};
use clap_complete::engine::ArgValueCompleter;

use super::agent_control::{CurveRotateArgs, PauseExecArgs, ResumeExecArgs, RevokeCredentialsArgs};
use super::candidates::{CandidatesAction, CandidatesArgs};
use super::given::{Given, Stray};
use super::{parse_cursor, parse_positive, parse_tiers, PageArgs, Tiers};
use crate::error::CliError;

const AGENTS_EXAMPLES: &str = "\
Examples:
  xeroctl agents                                    List agents
  xeroctl agents --all -o json | jq -r '.data[].id'  Every id, page by page
  xeroctl agents agt_7Hq2                           Show one agent
  xeroctl agents --create --name gpu-worker-4 --region us-east \\
      --max-concurrent 8
  xeroctl agents agt_7Hq2 --update --max-concurrent 16
  xeroctl agents agt_5Rk1 --delete --force          No prompt (scripts)
  xeroctl agents agt_7Hq2 --events --limit 20
  xeroctl agents pause-exec agt_7Hq2 --workspace ws_a1b2c3d4
  xeroctl agents candidates                         Workers waiting to join";

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
    #[arg(value_name = "ID", add = ArgValueCompleter::new(crate::complete::agent_ids))]
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
    /// Stop governed exec on an agent, in all its workspaces or one
    PauseExec(PauseExecArgs),
    /// Restart governed exec on a paused agent
    ResumeExec(ResumeExecArgs),
    /// Revoke an agent's credentials: its worker must enroll again (asks first)
    RevokeCredentials(RevokeCredentialsArgs),
    /// Ask an agent to generate a new CURVE keypair
    CurveRotate(CurveRotateArgs),
    /// List, show, approve or reject workers waiting to join
    Candidates(CandidatesArgs),
}

const JOIN_KEYS_EXAMPLES: &str = "\
Examples:
  xeroctl agents join-keys                              List join keys
  xeroctl agents join-keys --create --region us-east --max-enrollments 10
  TOKEN=$(xeroctl agents join-keys --create --max-enrollments 1 -o json \\
      | jq -r .token)
  xeroctl agents join-keys jk_4c1d --revoke --force";

#[derive(Debug, Args)]
#[command(
    after_help = JOIN_KEYS_EXAMPLES,
    group(ArgGroup::new("action").args(["create", "revoke"]).multiple(false))
)]
pub struct JoinKeysArgs {
    /// Join key id (jk_…): show it, or revoke it with --revoke
    #[arg(value_name = "ID", add = ArgValueCompleter::new(crate::complete::join_key_ids))]
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
    /// Address enrolling workers dial, tcp://host:port (--create)
    #[arg(long, value_name = "ADDR", value_parser = parse_router_addr, help_heading = "Join key fields")]
    pub router_addr: Option<String>,
    /// Hours until the key expires [router default: 24] (--create)
    #[arg(long, value_name = "HOURS", value_parser = parse_positive, allow_negative_numbers = true, help_heading = "Join key fields")]
    pub expires_in: Option<u64>,

    #[command(flatten)]
    pub page: PageArgs,

    /// Skip the confirmation prompt (--revoke)
    #[arg(long, visible_alias = "yes")]
    pub force: bool,
}

/// What `xeroctl agents …` was asked to do.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum AgentsAction {
    List(PageArgs),
    Show(String),
    Create(NewAgentArgs),
    Update {
        id: String,
        changes: AgentChangeArgs,
    },
    Delete {
        id: String,
        force: bool,
    },
    Events {
        id: String,
        page: PageArgs,
    },
    JoinKeys(JoinKeysAction),
    PauseExec(PauseExecArgs),
    ResumeExec(ResumeExecArgs),
    RevokeCredentials(RevokeCredentialsArgs),
    CurveRotate(CurveRotateArgs),
    Candidates(CandidatesAction),
}

impl AgentsAction {
    /// Whether it prints a list (the one kind of table `--columns` shapes).
    pub fn prints_list(&self) -> bool {
        match self {
            AgentsAction::List(_) | AgentsAction::Events { .. } => true,
            AgentsAction::JoinKeys(action) => matches!(action, JoinKeysAction::List(_)),
            AgentsAction::Candidates(action) => matches!(action, CandidatesAction::List { .. }),
            _ => false,
        }
    }
}

/// `agents --create`: the checked fields of a new agent.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NewAgentArgs {
    pub name: String,
    pub region: Option<String>,
    pub max_concurrent: Option<u64>,
    pub description: Option<String>,
    pub supported_tiers: Option<Vec<String>>,
    pub storage_limit_bytes: Option<u64>,
}

/// `agents <id> --update`: at least one field.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AgentChangeArgs {
    pub name: Option<String>,
    pub description: Option<String>,
    pub max_concurrent: Option<u64>,
}

/// "list" and "ls" name the list, never an agent.
fn real_id(id: Option<String>) -> Option<String> {
    id.filter(|id| id != "list" && id != "ls")
}

impl AgentsArgs {
    /// Every option of this command, as given on the command line. Actions
    /// take theirs out; `Given` names what is left.
    fn given(&self) -> Given {
        Given::new()
            .flag("--name", self.name.is_some())
            .flag("--region", self.region.is_some())
            .flag("--max-concurrent", self.max_concurrent.is_some())
            .flag("--description", self.description.is_some())
            .flag("--supported-tiers", self.supported_tiers.is_some())
            .flag("--storage-limit", self.storage_limit.is_some())
            .page(&self.page)
            .flag("--force", self.force)
    }
}

impl TryFrom<AgentsArgs> for AgentsAction {
    type Error = CliError;

    fn try_from(mut a: AgentsArgs) -> Result<Self, CliError> {
        match a.sub.take() {
            Some(AgentsSub::JoinKeys(jk)) => {
                return JoinKeysAction::try_from(jk).map(AgentsAction::JoinKeys)
            }
            Some(AgentsSub::Candidates(c)) => {
                return CandidatesAction::try_from(c).map(AgentsAction::Candidates)
            }
            Some(AgentsSub::PauseExec(args)) => return Ok(AgentsAction::PauseExec(args)),
            Some(AgentsSub::ResumeExec(args)) => return Ok(AgentsAction::ResumeExec(args)),
            Some(AgentsSub::RevokeCredentials(args)) => {
                return Ok(AgentsAction::RevokeCredentials(args))
            }
            Some(AgentsSub::CurveRotate(args)) => return Ok(AgentsAction::CurveRotate(args)),
            None => {}
        }
        let id = real_id(a.id.take());
        let action = if a.create {
            if let Some(id) = &id {
                return Err(CliError::usage(format!(
                    "--create takes no agent id (got '{id}'); the router assigns one"
                )));
            }
            let Some(name) = a.name.take() else {
                return Err(CliError::usage("--create needs --name <name>"));
            };
            let storage_limit_bytes = a
                .storage_limit
                .take()
                .map(|gb| gb_to_bytes("--storage-limit", gb))
                .transpose()?;
            let create = NewAgentArgs {
                name,
                region: a.region.take(),
                max_concurrent: a.max_concurrent.take(),
                description: a.description.take(),
                supported_tiers: a.supported_tiers.take().map(|t| t.0),
                storage_limit_bytes,
            };
            a.given().refuse(Stray::With("--create"))?;
            AgentsAction::Create(create)
        } else if a.update || a.delete || a.events {
            let flag = match (a.update, a.delete) {
                (true, _) => "--update",
                (_, true) => "--delete",
                _ => "--events",
            };
            let Some(id) = id else {
                return Err(CliError::usage(format!(
                    "{flag} needs an agent id: xeroctl agents <id> {flag}"
                )));
            };
            let action = match flag {
                "--update" => {
                    let changes = AgentChangeArgs {
                        name: a.name.take(),
                        description: a.description.take(),
                        max_concurrent: a.max_concurrent.take(),
                    };
                    if changes.name.is_none()
                        && changes.description.is_none()
                        && changes.max_concurrent.is_none()
                    {
                        a.given().refuse(Stray::With(flag))?;
                        return Err(CliError::usage(
                            "--update needs at least one of --name, --description, --max-concurrent",
                        ));
                    }
                    AgentsAction::Update { id, changes }
                }
                "--delete" => AgentsAction::Delete {
                    id,
                    force: std::mem::take(&mut a.force),
                },
                _ => AgentsAction::Events {
                    id,
                    page: std::mem::take(&mut a.page),
                },
            };
            a.given().refuse(Stray::With(flag))?;
            action
        } else if let Some(id) = id {
            a.given().refuse(Stray::NeedsAction(format!(
                ": add --create, --update, --delete or --events (showing agent {id} takes no options)"
            )))?;
            AgentsAction::Show(id)
        } else {
            let page = std::mem::take(&mut a.page);
            a.given().refuse(Stray::NeedsAction(
                ", e.g. --create (listing agents takes only --limit, --after, --all)".into(),
            ))?;
            AgentsAction::List(page)
        };
        Ok(action)
    }
}

/// What `xeroctl agents join-keys …` was asked to do.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum JoinKeysAction {
    List(PageArgs),
    Show(String),
    Create(NewJoinKeyArgs),
    Revoke { id: String, force: bool },
}

/// `join-keys --create`: every field optional (router defaults apply).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct NewJoinKeyArgs {
    pub name: Option<String>,
    pub region: Option<String>,
    pub max_enrollments: Option<u64>,
    pub supported_tiers: Option<Vec<String>>,
    pub storage_limit_bytes: Option<u64>,
    pub expires_in_hours: Option<u64>,
    pub router_addr: Option<String>,
}

impl JoinKeysArgs {
    fn given(&self) -> Given {
        Given::new()
            .flag("--name", self.name.is_some())
            .flag("--region", self.region.is_some())
            .flag("--max-enrollments", self.max_enrollments.is_some())
            .flag("--supported-tiers", self.supported_tiers.is_some())
            .flag("--storage-limit", self.storage_limit.is_some())
            .flag("--expires-in", self.expires_in.is_some())
            .flag("--router-addr", self.router_addr.is_some())
            .page(&self.page)
            .flag("--force", self.force)
    }
}

impl TryFrom<JoinKeysArgs> for JoinKeysAction {
    type Error = CliError;

    fn try_from(mut a: JoinKeysArgs) -> Result<Self, CliError> {
        let id = real_id(a.id.take());
        if a.create {
            if let Some(id) = &id {
                return Err(CliError::usage(format!(
                    "--create takes no join key id (got '{id}')"
                )));
            }
            let storage_limit_bytes = a
                .storage_limit
                .take()
                .map(|gb| gb_to_bytes("--storage-limit", gb))
                .transpose()?;
            let create = NewJoinKeyArgs {
                name: a.name.take(),
                region: a.region.take(),
                max_enrollments: a.max_enrollments.take(),
                supported_tiers: a.supported_tiers.take().map(|t| t.0),
                storage_limit_bytes,
                expires_in_hours: a.expires_in.take(),
                router_addr: a.router_addr.take(),
            };
            a.given().refuse(Stray::With("--create"))?;
            return Ok(JoinKeysAction::Create(create));
        }
        if a.revoke {
            let Some(id) = id else {
                return Err(CliError::usage(
                    "--revoke needs a join key id: xeroctl agents join-keys <id> --revoke",
                ));
            };
            let force = std::mem::take(&mut a.force);
            a.given().refuse(Stray::With("--revoke"))?;
            return Ok(JoinKeysAction::Revoke { id, force });
        }
        let page = std::mem::take(&mut a.page);
        a.given()
            .refuse(Stray::NeedsAction(": add --create or --revoke".into()))?;
        match id {
            Some(id) => {
                Given::new()
                    .page(&page)
                    .refuse(Stray::When("showing a join key"))?;
                Ok(JoinKeysAction::Show(id))
            }
            None => Ok(JoinKeysAction::List(page)),
        }
    }
}

/// `--router-addr tcp://host:port`.
fn parse_router_addr(value: &str) -> Result<String, String> {
    let bad = || format!("'{value}' is not a router address like tcp://router.example.com:5555");
    let rest = value.strip_prefix("tcp://").ok_or_else(bad)?;
    let (host, port) = rest.rsplit_once(':').ok_or_else(bad)?;
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '[' | ']' | ':'));
    if !host_ok || port.parse::<u16>().map_or(true, |p| p == 0) {
        return Err(bad());
    }
    Ok(value.to_string())
}

/// GB (decimal, as in the UI) to bytes, refusing overflow.
fn gb_to_bytes(flag: &str, gb: u64) -> Result<u64, CliError> {
    gb.checked_mul(1_000_000_000)
        .ok_or_else(|| CliError::usage(format!("{flag} {gb} is too large")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command};
    use clap::Parser;

    fn action(args: &[&str]) -> Result<AgentsAction, CliError> {
        let cli = Cli::try_parse_from(["xeroctl", "agents"].iter().chain(args))
            .map_err(|e| CliError::usage(e.to_string()))?;
        match cli.command {
            Command::Agents(a) => AgentsAction::try_from(a),
            _ => unreachable!("parsed agents"),
        }
    }

    fn message(args: &[&str]) -> String {
        action(args).unwrap_err().to_string()
    }

    #[test]
    fn no_flag_lists_and_an_id_shows() {
        assert_eq!(
            action(&[]).unwrap(),
            AgentsAction::List(PageArgs::default())
        );
        assert_eq!(
            action(&["ls"]).unwrap(),
            AgentsAction::List(PageArgs::default())
        );
        assert_eq!(
            action(&["list", "--all"]).unwrap(),
            AgentsAction::List(PageArgs {
                all: true,
                ..Default::default()
            })
        );
        assert_eq!(
            action(&["agt_1"]).unwrap(),
            AgentsAction::Show("agt_1".into())
        );
    }

    #[test]
    fn each_action_takes_only_its_options() {
        assert_eq!(
            message(&["agt_1", "--update", "--region", "x"]),
            "--region cannot be used with --update"
        );
        assert_eq!(
            message(&["agt_1", "--delete", "--limit", "5"]),
            "--limit cannot be used with --delete"
        );
        assert_eq!(
            message(&["--create", "--name", "n", "--force"]),
            "--force cannot be used with --create"
        );
        assert_eq!(
            message(&["agt_1", "--events", "--name", "n"]),
            "--name cannot be used with --events"
        );
        assert!(message(&["agt_1", "--all"]).starts_with("--all needs an action"));
        assert!(message(&["--force"]).starts_with("--force needs an action"));
        assert_eq!(
            action(&["agt_1", "--delete", "--yes"]).unwrap(),
            AgentsAction::Delete {
                id: "agt_1".into(),
                force: true
            }
        );
    }

    #[test]
    fn required_parts_are_checked() {
        assert_eq!(message(&["--create"]), "--create needs --name <name>");
        assert!(message(&["--update"]).starts_with("--update needs an agent id"));
        assert!(message(&["agt_1", "--update"]).starts_with("--update needs at least one"));
        assert!(message(&[
            "--create",
            "--name",
            "n",
            "--storage-limit",
            "99999999999999"
        ])
        .ends_with("is too large"));
    }

    #[test]
    fn join_keys_parse_into_actions() {
        assert_eq!(
            action(&["join-keys", "jk_1", "--revoke", "--force"]).unwrap(),
            AgentsAction::JoinKeys(JoinKeysAction::Revoke {
                id: "jk_1".into(),
                force: true
            })
        );
        assert_eq!(
            message(&["join-keys", "--create", "--limit", "3"]),
            "--limit cannot be used with --create"
        );
        assert_eq!(
            message(&["join-keys", "jk_1", "--all"]),
            "--all cannot be used when showing a join key"
        );
        assert!(message(&["join-keys", "--region", "x"]).starts_with("--region needs an action"));
    }
}
