//! The learning detail view, and the list's shortened cells.

use anyhow::Result;

use crate::api::learnings::Learning;
use crate::app::App;
use crate::output::sanitize::sanitize_line;
use crate::output::table::{plain, text, DetailView};
use crate::output::time;

/// The most a list shows of a learning's content, `…` included.
const SUMMARY_CHARS: usize = 60;

pub(super) fn print(app: &App, l: &Learning) -> Result<()> {
    let mut view = DetailView::new(&app.ui);
    view.field("ID", text(Some(&l.id)))
        .field("Source", text(l.source_type.as_deref()))
        .field("Workspace", text(l.workspace_id.as_deref()))
        .field("Score", plain(score(l.score)))
        .field("Created", plain(time::absolute(l.created_at.as_deref())))
        .long_text("Content", l.content.as_deref());
    view.print(&app.ui)?;
    Ok(())
}

/// `0.82`, or `-`.
pub(super) fn score(score: Option<f64>) -> String {
    score.map_or_else(|| "-".into(), |s| format!("{s:.2}"))
}

/// The start of the content on one line: at most 60 characters, the last
/// one `…` when it was cut, whatever the width.
pub(super) fn summary(content: Option<&str>) -> String {
    let line = match content {
        Some(c) if !c.trim().is_empty() => sanitize_line(c.trim()).into_owned(),
        _ => return "-".into(),
    };
    if line.chars().count() <= SUMMARY_CHARS {
        return line;
    }
    let mut cut: String = line.chars().take(SUMMARY_CHARS - 1).collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_are_at_most_sixty_characters() {
        assert_eq!(summary(None), "-");
        assert_eq!(summary(Some("  ")), "-");
        assert_eq!(summary(Some("short\nnote")), "short note");
        let exact = "x".repeat(60);
        assert_eq!(summary(Some(&exact)), exact);
        let long = "é".repeat(61);
        let cut = summary(Some(&long));
        assert_eq!(cut.chars().count(), 60);
        assert!(cut.ends_with('…'));
        assert_eq!(score(Some(0.8)), "0.80");
        assert_eq!(score(None), "-");
    }
}
