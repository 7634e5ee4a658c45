//! `xeroctl agents join-keys [list]`.

use anyhow::Result;

use crate::api::{self, models::JoinKey};
use crate::app::App;
use crate::cli::PageArgs;
use crate::commands::common::{self, ListSpec};
use crate::output::table::{id, number, plain, status};
use crate::output::time;

pub(super) async fn run(app: &App, page: &PageArgs) -> Result<()> {
    let row = |k: &JoinKey| {
        vec![
            id(Some(&k.id)),
            status(k.status.as_deref()),
            id(k.region.as_deref()),
            number(k.enrollments),
            number(k.max_enrollments),
            plain(time::absolute(k.expires_at.as_deref())),
        ]
    };
    let spec = ListSpec {
        noun: "join keys",
        headers: &["ID", "STATUS", "REGION", "ENROLLMENTS", "MAX", "EXPIRES"],
        row: &row,
    };
    let client = app.client()?;
    common::list(app, &client, api::join_keys::list(), page, spec).await
}
