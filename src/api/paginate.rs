//! Page-by-page listing: `--all` follows `has_more`/`last_id` and hands
//! out one page at a time, so memory stays bounded by a page (and by one
//! cursor per page, kept to see a cycle).

use std::collections::HashSet;

use serde::de::DeserializeOwned;

use crate::error::CliError;

use super::client::{ApiRequest, Client};
use super::models::Page;

pub struct Pager<'c> {
    client: &'c Client,
    request: ApiRequest,
    after: Option<String>,
    /// Every cursor used so far (the `--after` given included): a router
    /// that hands one back again would be followed round a cycle forever.
    seen: HashSet<String>,
    follow: bool,
    done: bool,
}

impl<'c> Pager<'c> {
    /// `request` is the list request without `limit`/`after`; `follow`
    /// means `--all`.
    pub fn new(
        client: &'c Client,
        request: ApiRequest,
        limit: Option<u32>,
        after: Option<String>,
        follow: bool,
    ) -> Self {
        // `--all` asks for the largest pages the router allows.
        let limit = limit.or(follow.then_some(100));
        Pager {
            client,
            request: request.query("limit", limit),
            seen: after.iter().cloned().collect(),
            after,
            follow,
            done: false,
        }
    }

    /// The next page, or `None` when there is nothing more to fetch.
    pub async fn next_page<T: DeserializeOwned>(&mut self) -> Result<Option<Page<T>>, CliError> {
        if self.done {
            return Ok(None);
        }
        let mut req = self.request.clone();
        req = req.query("after", self.after.as_deref());
        let resp = self.client.send(&req).await?;
        let page: Page<T> = resp.decode()?;
        self.done = !(self.follow && page.has_more);
        if !self.done {
            let message = match &page.last_id {
                Some(last) if self.seen.insert(last.clone()) => {
                    self.after = Some(last.clone());
                    return Ok(Some(page));
                }
                Some(last) => format!(
                    "the router handed back the cursor `{}` it already gave (a cycle); stopping instead of listing forever",
                    crate::output::redact::shorten(last, 80)
                ),
                None => "the router said there are more items but gave no `last_id` to continue from"
                    .to_string(),
            };
            let api = crate::error::ApiError {
                status: resp.status,
                code: None,
                request_id: resp.request_id.clone(),
            };
            return Err(CliError::from_api(
                crate::error::ExitCode::Failure,
                message,
                Some(api),
            ));
        }
        Ok(Some(page))
    }
}
