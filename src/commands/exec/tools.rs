//! `exec tools` and `exec tool-show <name>`: the full descriptor, with the
//! parameter schema as a table.

use std::io::Write;

use anyhow::Result;

use crate::api::models::Tool;
use crate::api::{id_segment, ApiRequest, Client};
use crate::app::App;
use crate::cli::exec::{ToolShowArgs, ToolsArgs};
use crate::commands::common::{self, ListSpec};
use crate::output::table::{plain, status, text, DetailView, ListTable};
use crate::output::time::{self, DurationStyle};

use super::schema::param_rows;

const BASE: &str = "/exec/tools";

pub async fn list(app: &App, args: ToolsArgs) -> Result<()> {
    let client = app.client()?;
    let row = |t: &Tool| vec![text(Some(&t.name)), text(t.description.as_deref())];
    let spec = ListSpec {
        noun: "tools",
        headers: &["NAME", "DESCRIPTION"],
        row: &row,
    };
    common::list(app, &client, ApiRequest::get(BASE), &args.page, spec).await
}

pub async fn show(app: &App, args: ToolShowArgs) -> Result<()> {
    let path = format!("{BASE}/{}", id_segment("tool", &args.name)?);
    let client: Client = app.client()?;
    match common::fetch_one::<Tool>(app, &client, ApiRequest::get(path)).await? {
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
            plain(time::duration_ms(tool.timeout_ms, DurationStyle::Round)),
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
                    text(Some(&r.name)),
                    text(Some(&r.ty)),
                    plain(if r.required { "yes" } else { "no" }),
                    text(r.description.as_deref()),
                    text(r.details.as_deref()),
                ]);
            }
            table.print(&app.ui)?;
            app.ui.hint(&format!(
                "invoke it with: xeroctl exec invoke --workspace <ws_id> --tool {} --args '{{…}}'",
                crate::output::sanitize::sanitize_line(&tool.name)
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
