//! `xeroctl agents join-keys --create …`: the token is shown once.

use std::io::Write as _;

use anyhow::Result;
use owo_colors::OwoColorize;

use crate::api::{self, join_keys::NewJoinKey, models::JoinKey};
use crate::app::App;
use crate::cli::agents::NewJoinKeyArgs;
use crate::commands::write::{Outcome, Write};
use crate::output::sanitize::sanitize_line;

pub(super) async fn run(app: &App, args: NewJoinKeyArgs) -> Result<()> {
    let body = NewJoinKey {
        name: args.name,
        region: args.region,
        max_enrollments: args.max_enrollments,
        supported_tiers: args.supported_tiers,
        storage_limit_bytes: args.storage_limit_bytes,
        expires_in_hours: args.expires_in_hours,
        router_addr: args.router_addr,
    };
    let client = app.client()?;
    let Outcome::Sent(answer) = Write::new(api::join_keys::create(&body))
        .send::<JoinKey>(app, &client)
        .await?
    else {
        return Ok(());
    };
    // Registered before anything is printed: no later message can leak it.
    if let Some(token) = answer.object.secret() {
        crate::output::redact::register(token);
    }
    answer.render(app, print_created)
}

fn print_created(app: &App, key: &JoinKey) -> Result<()> {
    app.ui.success(&format!("Created join key {}.", key.id));
    super::view::print(app, key)?;
    let Some(token) = key.secret() else {
        app.ui
            .warn("the router did not return a token for this key");
        return Ok(());
    };
    // The token is the one thing the user must copy: set it apart.
    let token = sanitize_line(token);
    let mut out = app.ui.out();
    if app.ui.color {
        writeln!(out, "\n  {} {}\n", "Token:".bold(), token.green().bold())?;
    } else {
        writeln!(out, "\n  Token: {token}\n")?;
    }
    out.flush()?;
    app.ui
        .warn("save this token now: it is shown only once and cannot be retrieved again");
    Ok(())
}
