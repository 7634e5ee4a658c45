//! `exec tool-show <name>`: the full descriptor, with the parameter schema
//! as a table.

use std::io::Write;

use anyhow::Result;

use crate::api::{self, models::Tool, Client};
use crate::app::App;
use crate::cli::exec::ToolShowArgs;
use crate::commands::common;
use crate::output::table::{id, plain, status, text, DetailView, ListTable};
use crate::output::time;

use super::schema::param_rows;

pub(super) async fn run(app: &App, args: ToolShowArgs) -> Result<()> {
    let request = api::tools::get(&args.name)?;
    let client: Client = app.client()?;
    match common::fetch_one::<Tool>(app, &client, request).await? {
        Some(tool) => print_tool(app, &tool),
        None => Ok(()),
    }
}

fn print_tool(app: &App, tool: &Tool) -> Result<()> {
    let approval = tool.risk.as_deref().map(|risk| match risk {
        "destructive" | "irreversible" => "required (invocations wait in pending_approval)",
        "read" | "write" => "not required",
        _ => "unknown risk level",
    });
    let mut view = DetailView::new(&app.ui);
    view.field("Name", text(Some(&tool.name)))
        .long_text("Description", tool.description.as_deref())
        .field("Risk", status(tool.risk.as_deref()))
        .field("Approval", text(approval))
        .field("Domain", text(tool.domain.as_deref()))
        .field(
            "Timeout",
            plain(time::duration_ms(
                tool.timeout_ms,
                time::DurationStyle::Round,
            )),
        );
    view.print(&app.ui)?;

    let mut out = app.ui.out();
    writeln!(out)?;
    match param_rows(&tool.parameters) {
        Some(rows) if rows.is_empty() => writeln!(out, "Parameters: none")?,
        Some(rows) => {
            writeln!(out, "Parameters:")?;
            out.flush()?;
            drop(out);
            let mut table = ListTable::new(
                &app.ui,
                &["NAME", "TYPE", "REQUIRED", "DESCRIPTION", "DETAILS"],
            );
            for r in &rows {
                table.row(vec![
                    id(Some(&r.name)),
                    id(Some(&r.ty)),
                    plain(if r.required { "yes" } else { "no" }),
                    text(r.description.as_deref()),
                    text(r.details.as_deref()),
                ]);
            }
            table.print(&app.ui)?;
            app.ui.hint(&format!(
                "invoke it with: xeroctl exec invoke --workspace <ws_id> --tool {} --args '{{…}}'",
                crate::output::shell::arg(&tool.name)
            ));
            return Ok(());
        }
        None if tool.parameters.is_null() => writeln!(out, "Parameters: -")?,
        None => {
            // Not an object schema with properties: show it as it is.
            writeln!(out, "Parameters (JSON Schema):")?;
            let pretty = serde_json::to_string_pretty(&tool.parameters)?;
            writeln!(
                out,
                "{}",
                crate::output::sanitize::sanitize_multiline(&pretty)
            )?;
        }
    }
    out.flush()?;
    Ok(())
}
