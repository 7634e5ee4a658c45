//! `xeroctl agents <id>`: one agent as a detail view.

use anyhow::Result;

use crate::api::{self, models::Agent};
use crate::app::App;
use crate::commands::common;

pub(super) async fn run(app: &App, id: &str) -> Result<()> {
    let request = api::agents::get(id)?;
    let client = app.client()?;
    match common::fetch_one::<Agent>(app, &client, request).await? {
        Some(agent) => super::view::print(app, &agent),
        None => Ok(()),
    }
}
