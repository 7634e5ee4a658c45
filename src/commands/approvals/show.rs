//! `xeroctl approvals show <id>`: one approval as a detail view.

use anyhow::Result;

use crate::api::{self, models::Approval};
use crate::app::App;
use crate::commands::common;

pub(super) async fn run(app: &App, id: &str) -> Result<()> {
    let request = api::approvals::get(id)?;
    let client = app.client()?;
    match common::fetch_one::<Approval>(app, &client, request).await? {
        Some(approval) => super::view::print(app, &approval),
        None => Ok(()),
    }
}
