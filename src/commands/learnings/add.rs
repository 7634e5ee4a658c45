//! `learnings add --content <text | @file | -> [--workspace ws]`: an
//! operator's learning, through the write pipeline.

use anyhow::Result;

use crate::api::{self, learnings::Learning, learnings::NewLearning};
use crate::app::App;
use crate::cli::learnings::LearningAddArgs;
use crate::commands::text_input;
use crate::commands::write::{Outcome, Write};
use crate::output::sanitize::sanitize_line;

pub(super) async fn run(app: &App, args: LearningAddArgs) -> Result<()> {
    let body = NewLearning {
        content: text_input::read("--content", &args.content)?,
        workspace_id: args.workspace,
    };
    let client = app.client()?;
    let write = Write::new(api::learnings::create(&body));
    if let Outcome::Sent(answer) = write.send::<Learning>(app, &client).await? {
        answer.render(app, |app, learning| {
            let scope = match &learning.workspace_id {
                Some(ws) => format!("for workspace {}", sanitize_line(ws)),
                None => "for every workspace".into(),
            };
            app.ui.success(&format!(
                "Added learning {} {scope}.",
                sanitize_line(&learning.id)
            ));
            super::view::print(app, learning)
        })?;
    }
    Ok(())
}
