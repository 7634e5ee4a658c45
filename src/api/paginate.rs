//! Page-by-page listing: `--all` follows `has_more`/`last_id` and hands
//! out one page at a time, so memory stays bounded by a page.

use serde::de::DeserializeOwned;

use crate::error::CliError;

use super::client::{ApiRequest, Client};
use super::models::Page;

pub struct Pager<'c> {
    client: &'c Client,
    request: ApiRequest,
    after: Option<String>,
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
            match &page.last_id {
                Some(last) if Some(last) != self.after.as_ref() => self.after = Some(last.clone()),
                _ => {
                    let api = crate::error::ApiError {
                        status: resp.status,
                        code: None,
                        request_id: resp.request_id.clone(),
                    };
                    return Err(CliError::from_api(
                        crate::error::ExitCode::Failure,
                        "the router said there are more items but gave no new `last_id` to continue from",
                        Some(api),
                    ));
                }
            }
        }
        Ok(Some(page))
    }
}
