//! Live values for the dynamic completions (`source <(COMPLETE=bash xeroctl)`):
//! agent, join-key, approval, invocation, execution and candidate ids and
//! tool names, fetched from the router of the context a command would use.
//!
//! A completer cannot see the command line's flags, so the context comes
//! from `XEROCTL_*` and the config file's current context. One request (one
//! page of at most 100), at most 2 s in all, answers cached for 60 s; on any
//! failure nothing is completed and nothing is printed.

pub mod cache;

use std::ffi::OsStr;
use std::time::Duration;

use clap_complete::engine::CompletionCandidate;
use serde_json::Value;

use crate::api::{self, ApiRequest, Client};
use crate::config::resolve::{self, Inputs};
use crate::config::ConfigFile;

use cache::Item;

/// The whole budget of one completion: resolution, request and decoding.
pub const BUDGET: Duration = Duration::from_secs(2);
/// Items asked for (the router's largest page).
const PAGE: u32 = 100;

/// What is being completed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Agents,
    JoinKeys,
    Tools,
    PendingApprovals,
    Invocations,
    Executions,
    Candidates,
}

impl Kind {
    /// The cache key part (and a stable name for tests).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Agents => "agents",
            Kind::JoinKeys => "join-keys",
            Kind::Tools => "tools",
            Kind::PendingApprovals => "pending-approvals",
            Kind::Invocations => "invocations",
            Kind::Executions => "executions",
            Kind::Candidates => "candidates",
        }
    }

    fn request(self) -> ApiRequest {
        let req = match self {
            Kind::Agents => api::agents::list(),
            Kind::JoinKeys => api::join_keys::list(),
            Kind::Tools => api::tools::list(),
            Kind::PendingApprovals => api::approvals::list(api::approvals::Filters {
                status: Some("pending"),
                ..Default::default()
            }),
            Kind::Invocations => api::invocations::list(&Default::default()),
            Kind::Executions => api::executions::list(None),
            Kind::Candidates => api::candidates::list(None),
        };
        req.query("limit", Some(PAGE))
    }

    /// The value and its description from one listed item.
    fn item(self, v: &Value) -> Option<Item> {
        let s = |key: &str| v.get(key).and_then(Value::as_str).map(str::to_owned);
        let value = if self == Kind::Tools {
            s("name")?
        } else {
            s("id")?
        };
        let joined = |parts: &[Option<String>], sep: &str| {
            let parts: Vec<String> = parts.iter().flatten().cloned().collect();
            (!parts.is_empty()).then(|| parts.join(sep))
        };
        let help = match self {
            Kind::Agents => s("name"),
            Kind::JoinKeys => joined(&[s("name"), s("status"), s("region")], ", "),
            Kind::Tools => joined(&[s("risk"), s("description")], ": "),
            Kind::PendingApprovals => joined(&[s("tool"), s("workspace_id")], " in "),
            Kind::Invocations | Kind::Executions => joined(&[s("tool"), s("status")], ", "),
            Kind::Candidates => joined(&[s("hostname"), s("region")], ", "),
        };
        // One line each: the shell shows the description beside the value.
        let one_line = |t: String| {
            let t: String = t
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            crate::output::redact::shorten(&t, 80)
        };
        Some(Item {
            value: one_line(value),
            help: help.map(one_line),
        })
    }
}

/// Candidates of `kind` starting with `current`; empty on any failure.
pub fn complete(kind: Kind, current: &OsStr) -> Vec<CompletionCandidate> {
    let prefix = current.to_string_lossy();
    items(kind)
        .into_iter()
        .filter(|item| item.value.starts_with(prefix.as_ref()))
        .map(|item| CompletionCandidate::new(item.value).help(item.help.map(Into::into)))
        .collect()
}

/// The items, from the cache or one request.
pub fn items(kind: Kind) -> Vec<Item> {
    let Some((base_url, key, ca_cert)) = connection() else {
        return Vec::new();
    };
    let dir = cache::dir();
    let name = cache::file_name(&base_url, kind.name());
    if let Some(items) = dir.as_deref().and_then(|d| cache::read(d, &name)) {
        return items;
    }
    let Some(items) = fetch(kind, &base_url, &key, ca_cert.as_deref()) else {
        return Vec::new();
    };
    if let Some(dir) = dir {
        cache::write(&dir, &name, &items);
    }
    items
}

/// Base URL and key as a command resolves them, without flags and without
/// the keychain (which may prompt or block).
fn connection() -> Option<(String, String, Option<std::path::PathBuf>)> {
    let inputs = Inputs::from_env(None, None, None, false);
    let config = if inputs.needs_config() {
        let path = crate::config::default_path()?;
        ConfigFile::load(&path).ok()?
    } else {
        None
    };
    let selected = resolve::select_context(&inputs, config.as_ref()).ok()?;
    let context = selected.as_ref().map(|(name, _)| name.value.clone());
    let deployment = selected.map(|(_, d)| d);
    if inputs.env_api_key.is_none() && deployment.is_some_and(|d| d.api_key.is_none()) {
        return None;
    }
    let creds = resolve::credentials(&inputs, config.as_ref()).ok()?;
    // The same extra CA a command would trust (env first, then the context).
    let ca_cert = resolve::env("XEROCTL_CA_CERT")
        .map(std::path::PathBuf::from)
        .or_else(|| config.as_ref()?.ca_cert(context.as_deref()?));
    Some((creds.base_url.value, creds.api_key.value, ca_cert))
}

/// One page, one attempt, within [`BUDGET`], on a runtime of its own.
fn fetch(
    kind: Kind,
    base_url: &str,
    key: &str,
    ca_cert: Option<&std::path::Path>,
) -> Option<Vec<Item>> {
    let bundle = match ca_cert {
        Some(path) => Some(crate::api::trust::CaBundle::load(path, "completion").ok()?),
        None => None,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .ok()?;
    let items = runtime.block_on(async {
        let client = Client::new(base_url, key, BUDGET, Default::default(), bundle.as_ref())
            .ok()?
            .single_attempt();
        let resp = tokio::time::timeout(BUDGET, client.send(&kind.request()))
            .await
            .ok()?
            .ok()?;
        let page: api::models::Page<Value> = resp.decode().ok()?;
        Some(page.data.iter().filter_map(|v| kind.item(v)).collect())
    });
    runtime.shutdown_background();
    items
}

macro_rules! completers {
    ($($fn_name:ident => $kind:ident),* $(,)?) => {
        $(
            #[doc = concat!("Completer for ", stringify!($kind), " (see [`complete`]).")]
            pub fn $fn_name(current: &OsStr) -> Vec<CompletionCandidate> {
                complete(Kind::$kind, current)
            }
        )*
    };
}

completers! {
    agent_ids => Agents,
    join_key_ids => JoinKeys,
    tool_names => Tools,
    pending_approval_ids => PendingApprovals,
    invocation_ids => Invocations,
    execution_ids => Executions,
    candidate_ids => Candidates,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn items_carry_their_descriptions() {
        let tool =
            json!({"name": "kubectl_drain", "risk": "destructive", "description": "Drain a node"});
        assert_eq!(
            Kind::Tools.item(&tool),
            Some(Item {
                value: "kubectl_drain".into(),
                help: Some("destructive: Drain a node".into())
            })
        );
        let agent = json!({"id": "agt_1", "name": "gpu\n1"});
        assert_eq!(
            Kind::Agents.item(&agent).unwrap().help.as_deref(),
            Some("gpu 1")
        );
        let approval = json!({"id": "apr_1", "tool": "kubectl_drain"});
        assert_eq!(
            Kind::PendingApprovals
                .item(&approval)
                .unwrap()
                .help
                .as_deref(),
            Some("kubectl_drain")
        );
        assert_eq!(Kind::Agents.item(&json!({"name": "x"})), None);
    }

    #[test]
    fn one_page_of_at_most_100() {
        for kind in [Kind::Agents, Kind::Tools, Kind::PendingApprovals] {
            let req = kind.request();
            assert!(
                req.query.contains(&("limit", "100".to_string())),
                "{kind:?}"
            );
        }
        assert!(Kind::PendingApprovals
            .request()
            .query
            .contains(&("status", "pending".to_string())));
    }
}
