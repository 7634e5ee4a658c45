//! Page-by-page listing: `--all` follows `has_more`/`last_id` and hands
//! out one page at a time, so memory stays bounded by a page (and by one
//! cursor per page, kept to see a cycle).
//!
//! While the caller decodes and writes page k, the request for page k+1 is
//! already on its way (read-ahead): its cursor is known as soon as page k
//! arrived, and the router's work and the transfer then overlap the
//! client's. At most one page is ahead, and only when the pages read so far
//! say there is one and the caller may still read it.

use std::collections::HashSet;

use serde::de::DeserializeOwned;
use tokio::task::JoinHandle;

use crate::error::CliError;

use super::client::{ApiRequest, ApiResponse, Client};
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
    /// Pages the caller may still read (`None`: as many as there are): no
    /// request is sent ahead for a page that would not be read.
    pages_left: Option<usize>,
    /// The request for the next page, sent while the current one is used.
    ahead: Option<ReadAhead>,
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
            pages_left: None,
            ahead: None,
        }
    }

    /// Read `pages` pages at most (a caller that stops early must say so,
    /// or the page after its last would be requested ahead for nothing).
    pub fn at_most(mut self, pages: usize) -> Self {
        self.pages_left = Some(pages);
        self
    }

    /// The next page, or `None` when there is nothing more to fetch. An
    /// error fetching a page read ahead surfaces here, once the caller is
    /// done with the page before it.
    pub async fn next_page<T: DeserializeOwned>(&mut self) -> Result<Option<Page<T>>, CliError> {
        if self.done || self.pages_left == Some(0) {
            return Ok(None);
        }
        if let Some(left) = &mut self.pages_left {
            *left -= 1;
        }
        let resp = match self.ahead.take() {
            Some(ahead) => ahead.response().await?,
            None => self.client.send(&self.page_request()).await?,
        };
        let page: Page<T> = resp.decode()?;
        self.done = !(self.follow && page.has_more);
        if self.done {
            return Ok(Some(page));
        }
        let message = match &page.last_id {
            Some(last) if self.seen.insert(last.clone()) => {
                self.after = Some(last.clone());
                if self.pages_left != Some(0) {
                    self.ahead = Some(ReadAhead::send(self.client, self.page_request()).await);
                }
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
        Err(CliError::from_api(
            crate::error::ExitCode::Failure,
            message,
            Some(api),
        ))
    }

    /// The request for the page after the current cursor.
    fn page_request(&self) -> ApiRequest {
        self.request.clone().query("after", self.after.as_deref())
    }
}

/// A page request running as its own task (retries included), so it goes
/// on while the caller works synchronously on the page before. Dropping it
/// (Ctrl+C, a closed pipe, any error) abandons the request.
struct ReadAhead(JoinHandle<Result<ApiResponse, CliError>>);

impl ReadAhead {
    async fn send(client: &Client, request: ApiRequest) -> ReadAhead {
        let client = client.clone();
        let task = tokio::spawn(async move { client.send(&request).await });
        // The runtime has one thread and the caller is about to write a
        // page without yielding: let the task (and the connection's own
        // task) run until the request is written and it waits for the
        // answer, so the router works on it in the meantime.
        tokio::task::yield_now().await;
        ReadAhead(task)
    }

    async fn response(mut self) -> Result<ApiResponse, CliError> {
        match (&mut self.0).await {
            Ok(answer) => answer,
            Err(e) => Err(CliError::failure(format!(
                "fetching the next page failed: {e}"
            ))),
        }
    }
}

impl Drop for ReadAhead {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// The read-ahead: what is asked for before the caller wants it.
#[cfg(test)]
mod read_ahead_tests {
    use std::time::Duration;

    use serde_json::{json, Value};
    use wiremock::matchers::{method, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use super::*;
    use crate::api::log::Log;

    /// Pages `agt_1`, `agt_2`, `agt_3` (one item each), each requested
    /// exactly once.
    async fn three_pages(server: &MockServer) {
        for (after, id, more) in [
            (Some("agt_2"), "agt_3", false),
            (Some("agt_1"), "agt_2", true),
            (None, "agt_1", true),
        ] {
            let mut mock = Mock::given(method("GET"));
            if let Some(after) = after {
                mock = mock.and(query_param("after", after));
            }
            mock.respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "object": "list", "data": [{"id": id}], "has_more": more,
                "first_id": id, "last_id": id
            })))
            .expect(1)
            .mount(server)
            .await;
        }
    }

    fn client(server: &MockServer) -> Client {
        Client::new(
            &server.uri(),
            "k",
            Duration::from_secs(5),
            Log::default(),
            None,
        )
        .unwrap()
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_bounded_caller_gets_no_request_sent_ahead_past_its_last_page() {
        let server = MockServer::start().await;
        three_pages(&server).await;
        let client = client(&server);
        let mut pager =
            Pager::new(&client, ApiRequest::get("/agents"), Some(1), None, true).at_most(2);
        let mut ids = Vec::new();
        while let Some(page) = pager.next_page::<Value>().await.unwrap() {
            ids.extend(page.data.into_iter().map(|v| v["id"].clone()));
        }
        assert_eq!(ids, ["agt_1", "agt_2"]);
        drop(pager);
        // Page 3 was never asked for (the mock for it expects 1 call: the
        // unbounded walk below); a read-ahead would have sent it.
        let seen = server.received_requests().await.unwrap().len();
        assert_eq!(seen, 2);
        let mut pager = Pager::new(
            &client,
            ApiRequest::get("/agents"),
            Some(1),
            Some("agt_2".into()),
            true,
        );
        assert!(pager.next_page::<Value>().await.unwrap().is_some());
        assert!(pager.next_page::<Value>().await.unwrap().is_none());
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::{json, Value};
    use wiremock::matchers::{method, query_param, query_param_is_missing};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use super::super::log::Log;
    use super::*;

    fn page(ids: &[&str], has_more: bool) -> ResponseTemplate {
        ResponseTemplate::new(200).set_body_json(json!({
            "object": "list",
            "data": ids.iter().map(|id| json!({"id": id})).collect::<Vec<_>>(),
            "has_more": has_more,
            "first_id": ids.first(),
            "last_id": ids.last(),
        }))
    }

    /// `page` answered to the request that goes on from `after` (`None`:
    /// the first), once.
    async fn serve(server: &MockServer, after: Option<&str>, answer: ResponseTemplate) {
        let m = Mock::given(method("GET"));
        let m = match after {
            Some(a) => m.and(query_param("after", a)),
            None => m.and(query_param_is_missing("after")),
        };
        m.respond_with(answer)
            .up_to_n_times(1)
            .expect(1)
            .mount(server)
            .await;
    }

    async fn client(server: &MockServer) -> Client {
        let base = format!("{}/p/v1", server.uri());
        Client::new(
            &base,
            "xero_p_key",
            Duration::from_secs(5),
            Log::default(),
            None,
        )
        .unwrap()
    }

    async fn ids(pager: &mut Pager<'_>) -> Result<Option<Vec<String>>, CliError> {
        Ok(pager.next_page::<Value>().await?.map(|p| {
            p.data
                .iter()
                .map(|v| v["id"].as_str().unwrap().to_string())
                .collect()
        }))
    }

    #[tokio::test]
    async fn all_follows_the_cursor_to_the_last_page() {
        let server = MockServer::start().await;
        serve(&server, None, page(&["a1", "a2"], true)).await;
        serve(&server, Some("a2"), page(&["a3"], true)).await;
        // The last page may be empty, with no cursor.
        serve(&server, Some("a3"), page(&[], false)).await;
        let client = client(&server).await;
        let mut pager = Pager::new(&client, ApiRequest::get("/x"), None, None, true);
        assert_eq!(
            ids(&mut pager).await.unwrap(),
            Some(vec!["a1".into(), "a2".into()])
        );
        assert_eq!(ids(&mut pager).await.unwrap(), Some(vec!["a3".into()]));
        assert_eq!(ids(&mut pager).await.unwrap(), Some(vec![]));
        assert_eq!(ids(&mut pager).await.unwrap(), None);
        // `--all` asks for pages of 100.
        let got = server.received_requests().await.unwrap();
        assert!(got
            .iter()
            .all(|r| r.url.query().unwrap().contains("limit=100")));
    }

    #[tokio::test]
    async fn without_all_one_page_is_read_from_the_given_cursor() {
        let server = MockServer::start().await;
        serve(&server, Some("a0"), page(&["a1", "a2"], true)).await;
        let client = client(&server).await;
        let mut pager = Pager::new(
            &client,
            ApiRequest::get("/x"),
            Some(2),
            Some("a0".into()),
            false,
        );
        assert_eq!(
            ids(&mut pager).await.unwrap(),
            Some(vec!["a1".into(), "a2".into()])
        );
        assert_eq!(ids(&mut pager).await.unwrap(), None);
        let got = server.received_requests().await.unwrap();
        assert_eq!(got[0].url.query(), Some("limit=2&after=a0"));
    }

    #[tokio::test]
    async fn a_cursor_handed_back_again_is_a_cycle() {
        let server = MockServer::start().await;
        serve(&server, None, page(&["a1"], true)).await;
        serve(&server, Some("a1"), page(&["a2", "a1"], true)).await;
        let client = client(&server).await;
        let mut pager = Pager::new(&client, ApiRequest::get("/x"), None, None, true);
        assert!(ids(&mut pager).await.unwrap().is_some());
        let e = ids(&mut pager).await.unwrap_err();
        assert_eq!(e.exit(), crate::error::ExitCode::Failure);
        assert!(
            e.message().contains("cursor `a1` it already gave"),
            "{}",
            e.message()
        );
        assert_eq!(e.status(), Some(200));
    }

    #[tokio::test]
    async fn more_items_without_a_cursor_is_an_error() {
        let server = MockServer::start().await;
        serve(&server, None, page(&[], true)).await;
        let client = client(&server).await;
        let mut pager = Pager::new(&client, ApiRequest::get("/x"), None, None, true);
        let e = ids(&mut pager).await.unwrap_err();
        assert!(e.message().contains("gave no `last_id`"), "{}", e.message());
    }
}
