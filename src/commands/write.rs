//! The one write pipeline every non-GET request goes through:
//! dry run → confirmation → send → render. Commands describe the write
//! (`Write`) and render what comes back; none checks `--dry-run` itself.

use anyhow::Result;
use bytes::Bytes;
use serde::de::DeserializeOwned;

use super::common;
use crate::api::{ApiRequest, Client};
use crate::app::App;

/// One write to send.
pub(crate) struct Write {
    request: ApiRequest,
    confirm: Option<Confirm>,
    preview: Option<ApiRequest>,
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

impl<T> Answer<T> {
    /// `-o json`: the router's JSON as is; otherwise the caller's view.
    pub fn render(self, app: &App, view: impl FnOnce(&App, &T) -> Result<()>) -> Result<()> {
        if app.ui.is_json() {
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

    /// Run the pipeline for a write whose answer is an object.
    pub async fn send<T: DeserializeOwned>(
        &self,
        app: &App,
        client: &Client,
    ) -> Result<Outcome<T>> {
        if let Some(early) = self.dry_run(app, client).await? {
            return Ok(early);
        }
        self.ask(app)?;
        let resp = client.send(&self.request).await?;
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
        self.ask(app)?;
        let resp = client.send(&self.request).await?;
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
            Some(get) if !app.ui.is_json() => {
                let object: T = client.send(get).await?.decode()?;
                Ok(Some(Outcome::Preview(object)))
            }
            _ => {
                common::print_dry_run(app, client, &self.request)?;
                Ok(Some(Outcome::DryRun))
            }
        }
    }

    fn ask(&self, app: &App) -> Result<()> {
        match &self.confirm {
            Some(c) => common::confirm(app, c.force, &c.question, &c.action),
            None => Ok(()),
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
