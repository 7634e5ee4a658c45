//! `xeroctl agents candidates [<cand_id>] [--approve [--name n] |
//! --reject [--reason t]]`: workers waiting for an operator to admit them.
//! Flag-driven like join keys: the args parse into `CandidatesAction`.

use clap::{ArgGroup, Args};
use clap_complete::engine::ArgValueCompleter;

use super::given::{Given, Stray};
use super::{parse_cursor, PageArgs};
use crate::error::CliError;

const EXAMPLES: &str = "\
Examples:
  xeroctl agents candidates                        Workers waiting to join
  xeroctl agents candidates --status pending -o json | jq -r '.data[].id'
  xeroctl agents candidates cand_3b9e              Show one
  xeroctl agents candidates cand_3b9e --approve --name gpu-node-17  Asks
  xeroctl agents candidates cand_8d21 --reject --reason 'unknown host' --force";

#[derive(Debug, Clone, Args)]
#[command(
    after_help = EXAMPLES,
    group(ArgGroup::new("decision").args(["approve", "reject"]).multiple(false))
)]
pub struct CandidatesArgs {
    /// Candidate id (cand_…): show it, or decide with --approve/--reject
    #[arg(value_name = "ID", add = ArgValueCompleter::new(crate::complete::candidate_ids))]
    pub id: Option<String>,

    /// Admit the worker: it becomes an agent (asks first; --force skips)
    #[arg(long, help_heading = "Actions")]
    pub approve: bool,
    /// Turn the worker away (asks first; --force skips)
    #[arg(long, help_heading = "Actions")]
    pub reject: bool,

    /// Name of the agent the approved worker becomes (--approve)
    #[arg(long, value_parser = parse_cursor)]
    pub name: Option<String>,
    /// Why, for the record (--reject)
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// Only candidates in this status: pending, approved, rejected (listing)
    #[arg(long, value_name = "STATUS", value_parser = parse_cursor, help_heading = "Listing")]
    pub status: Option<String>,

    #[command(flatten)]
    pub page: PageArgs,

    /// Skip the confirmation prompt (--approve, --reject)
    #[arg(long, visible_alias = "yes")]
    pub force: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum CandidatesAction {
    List {
        status: Option<String>,
        page: PageArgs,
    },
    Show(String),
    Approve {
        id: String,
        name: Option<String>,
        force: bool,
    },
    Reject {
        id: String,
        reason: Option<String>,
        force: bool,
    },
}

impl CandidatesArgs {
    fn given(&self) -> Given {
        Given::new()
            .flag("--name", self.name.is_some())
            .flag("--reason", self.reason.is_some())
            .flag("--status", self.status.is_some())
            .page(&self.page)
            .flag("--force", self.force)
    }
}

impl TryFrom<CandidatesArgs> for CandidatesAction {
    type Error = CliError;

    fn try_from(mut a: CandidatesArgs) -> Result<Self, CliError> {
        let id = a.id.take().filter(|id| id != "list" && id != "ls");
        if a.approve || a.reject {
            let flag = if a.approve { "--approve" } else { "--reject" };
            let Some(id) = id else {
                return Err(CliError::usage(format!(
                    "{flag} needs a candidate id: xeroctl agents candidates <id> {flag}"
                ))
                .with_hint(
                    "list the workers waiting with `xeroctl agents candidates --status pending`",
                ));
            };
            let force = std::mem::take(&mut a.force);
            let action = if a.approve {
                CandidatesAction::Approve {
                    id,
                    name: a.name.take(),
                    force,
                }
            } else {
                CandidatesAction::Reject {
                    id,
                    reason: a.reason.take(),
                    force,
                }
            };
            a.given().refuse(Stray::With(flag))?;
            return Ok(action);
        }
        match id {
            Some(id) => {
                a.given().refuse(Stray::NeedsAction(format!(
                    ": add --approve or --reject (showing candidate {id} takes no options)"
                )))?;
                Ok(CandidatesAction::Show(id))
            }
            None => {
                let status = a.status.take();
                let page = std::mem::take(&mut a.page);
                a.given().refuse(Stray::NeedsAction(
                    ": add --approve or --reject with a candidate id".into(),
                ))?;
                Ok(CandidatesAction::List { status, page })
            }
        }
    }
}
