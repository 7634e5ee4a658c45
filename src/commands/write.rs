//! The one write pipeline every non-GET request goes through:
//! dry run → confirmation → send → render. Commands describe the write
//! (`Write`) and render what comes back; none checks `--dry-run` itself.
//! A write that must look at its target before asking, or explain a
//! failure, adds `Hooks` (`send_with`).

use anyhow::Result;
use bytes::Bytes;
use serde::de::DeserializeOwned;

use super::common;
use crate::api::{ApiRequest, ApiResponse, Client};
use crate::app::App;
use crate::error::CliError;

/// One write to send.
pub(crate) struct Write {
    request: ApiRequest,
    confirm: Option<Confirm>,
    preview: Option<ApiRequest>,
    /// The fields of the previewed object that the question names.
    naming: &'static [&'static str],
}

/// The destructive-action rule: ask first (default No) unless `--force`.
pub(crate) struct Confirm {
    pub force: bool,
    /// "Delete agent agt_1? This cannot be undone"
    pub question: String,
    /// "delete agent agt_1", for the refusal message.
    pub action: String,
}

/// What came of a write: `T` is the previewed object, `A` the answer's.
pub(crate) enum Outcome<T, A = T> {
    /// `--dry-run`: the request was printed, nothing was sent.
    DryRun,
    /// `--dry-run` in table mode with a preview: the object the write
    /// would act on (one GET), for the caller to show.
    Preview(T),
    /// Sent; the router answered.
    Sent(Answer<A>),
}

/// The router's answer to a write: the decoded object and its bytes.
pub(crate) struct Answer<T> {
    pub object: T,
    body: Bytes,
}

/// Steps a write adds to the pipeline; both default to doing nothing.
pub(crate) trait Hooks {
    /// Runs only when the user is about to be asked (a `Confirm`, no
    /// `--force`, a terminal), after the dry-run check: look the target up,
    /// describe it on stderr, or refuse (an error ends the run, nothing is
    /// sent). Returns the question to ask; `question` is `Confirm`'s.
    async fn before_asking(&self, question: &str) -> Result<String> {
        Ok(question.to_string())
    }

    /// The write itself failed (not a lookup of `before_asking`): reword
    /// the error, e.g. ask the router what a conflict was about.
    async fn on_error(&self, err: CliError) -> CliError {
        err
    }
}

/// The plain pipeline: no extra steps.
struct NoHooks;

impl Hooks for NoHooks {}

impl<T> Answer<T> {
    /// `-o json`: the router's JSON as is; otherwise the caller's view.
    pub fn render(self, app: &App, view: impl FnOnce(&App, &T) -> Result<()>) -> Result<()> {
        if app.ui.prints_document() {
            return app.ui.print_json_bytes(&self.body);
        }
        view(app, &self.object)
    }

    /// The object and the router's bytes, for a caller that renders later
    /// (e.g. `exec invoke --wait` hands both to the watch).
    pub fn into_parts(self) -> (T, Bytes) {
        (self.object, self.body)
    }
}

impl Write {
    pub fn new(request: ApiRequest) -> Write {
        Write {
            request,
            confirm: None,
            preview: None,
            naming: &["name", "status"],
        }
    }

    pub fn confirm(mut self, confirm: Confirm) -> Write {
        self.confirm = Some(confirm);
        self
    }

    /// In a table-mode dry run, fetch this and hand it back to be shown
    /// instead of printing the raw request (delete, revoke).
    pub fn preview(mut self, get: ApiRequest) -> Write {
        self.preview = Some(get);
        self
    }

    /// The fields of the previewed object the question names, in order
    /// (default: name and status).
    pub fn naming(mut self, fields: &'static [&'static str]) -> Write {
        self.naming = fields;
        self
    }

    /// Run the pipeline for a write whose answer is an object.
    pub async fn send<T: DeserializeOwned>(
        &self,
        app: &App,
        client: &Client,
    ) -> Result<Outcome<T>> {
        self.send_with(app, client, &NoHooks).await
    }

    /// `send`, with the write's own steps added (see `Hooks`).
    pub async fn send_with<T: DeserializeOwned>(
        &self,
        app: &App,
        client: &Client,
        hooks: &impl Hooks,
    ) -> Result<Outcome<T>> {
        if let Some(early) = self.dry_run(app, client).await? {
            return Ok(early);
        }
        self.ask(app, client, hooks).await?;
        let resp = self.deliver(client, hooks).await?;
        let object: T = resp.decode()?;
        Ok(Outcome::Sent(Answer {
            object,
            body: resp.body,
        }))
    }

    /// Run the pipeline for a write answered with no body (204).
    pub async fn send_empty<T: DeserializeOwned>(
        &self,
        app: &App,
        client: &Client,
    ) -> Result<Outcome<T, ()>> {
        if let Some(early) = self.dry_run(app, client).await? {
            return Ok(early);
        }
        self.ask(app, client, &NoHooks).await?;
        let resp = self.deliver(client, &NoHooks).await?;
        Ok(Outcome::Sent(Answer {
            object: (),
            body: resp.body,
        }))
    }

    async fn dry_run<T: DeserializeOwned, A>(
        &self,
        app: &App,
        client: &Client,
    ) -> Result<Option<Outcome<T, A>>> {
        if !app.global.dry_run {
            return Ok(None);
        }
        match &self.preview {
            Some(get) if !app.ui.prints_document() => {
                let object: T = client.send(get).await?.decode()?;
                Ok(Some(Outcome::Preview(object)))
            }
            _ => {
                common::print_dry_run(app, client, &self.request)?;
                Ok(Some(Outcome::DryRun))
            }
        }
    }

    async fn ask(&self, app: &App, client: &Client, hooks: &impl Hooks) -> Result<()> {
        let Some(c) = &self.confirm else {
            return Ok(());
        };
        if c.force || !app.can_prompt() {
            // Nobody is asked: --force goes ahead, no terminal refuses.
            return common::confirm(app, c.force, &c.question, &c.action).await;
        }
        let mut question = hooks.before_asking(&c.question).await?;
        if let Some(get) = &self.preview {
            // Name what is about to go: one GET, only when someone is asked.
            let target: serde_json::Value = client.send(get).await?.decode()?;
            question = name_target(&question, &target, self.naming);
        }
        common::confirm(app, false, &question, &c.action).await
    }

    async fn deliver(&self, client: &Client, hooks: &impl Hooks) -> Result<ApiResponse> {
        match client.send(&self.request).await {
            Ok(resp) => Ok(resp),
            Err(e) => Err(hooks.on_error(e).await.into()),
        }
    }

    /// The line a previewed dry run ends with.
    pub fn dry_run_note(&self, client: &Client, doing: &str) -> String {
        format!(
            "Dry run: would {doing} ({} {}); nothing was sent.",
            self.request.method,
            client.url(&self.request)
        )
    }
}

/// "Delete agent agt_1? …" as "Delete agent agt_1 (gpu-worker-1, active)? …":
/// the target's `fields` (name and status), cleaned, after what the
/// question names.
fn name_target(question: &str, target: &serde_json::Value, fields: &[&str]) -> String {
    let facts: Vec<String> = fields
        .iter()
        .filter_map(|k| target.get(k)?.as_str())
        .filter(|s| !s.trim().is_empty())
        .map(|s| crate::output::sanitize::sanitize_line(s).into_owned())
        .collect();
    match question.find('?') {
        Some(at) if !facts.is_empty() => format!(
            "{} ({}){}",
            &question[..at],
            facts.join(", "),
            &question[at..]
        ),
        _ => question.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn questions_name_their_target() {
        let target =
            serde_json::json!({"id": "agt_7Hq2", "name": "gpu-worker-1", "status": "active"});
        assert_eq!(
            super::name_target(
                "Delete agent agt_7Hq2? This cannot be undone",
                &target,
                &["name", "status"]
            ),
            "Delete agent agt_7Hq2 (gpu-worker-1, active)? This cannot be undone"
        );
        let bare = serde_json::json!({"id": "jk_1", "name": null, "status": "active"});
        assert_eq!(
            super::name_target(
                "Revoke join key jk_1? Workers …",
                &bare,
                &["name", "status"]
            ),
            "Revoke join key jk_1 (active)? Workers …"
        );
    }
}
