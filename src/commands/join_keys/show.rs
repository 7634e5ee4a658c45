//! `xeroctl agents join-keys <id>`.

use anyhow::Result;

use crate::api::{self, models::JoinKey};
use crate::app::App;
use crate::commands::common;

pub(super) async fn run(app: &App, id: &str) -> Result<()> {
    let request = api::join_keys::get(id)?;
    let client = app.client()?;
    match common::fetch_one::<JoinKey>(app, &client, request).await? {
        Some(key) => super::view::print(app, &key),
        None => Ok(()),
    }
}
