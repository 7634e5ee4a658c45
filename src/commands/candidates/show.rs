//! `xeroctl agents candidates <id>`.

use anyhow::Result;

use crate::api::{self, candidates::Candidate};
use crate::app::App;
use crate::commands::common;

pub(super) async fn run(app: &App, id: &str) -> Result<()> {
    let request = api::candidates::get(id)?;
    let client = app.client()?;
    match common::fetch_one::<Candidate>(app, &client, request).await? {
        Some(candidate) => super::view::print(app, &candidate),
        None => Ok(()),
    }
}
