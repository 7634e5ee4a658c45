//! A Server-Sent Events parser (the WHATWG event-stream format), fed with
//! bytes as they arrive: chunks may split lines, even `\r\n` pairs.

use std::time::Duration;

/// One event (or a partial line) larger than this is refused: a stream
/// that never ends a line must not eat all memory.
const MAX_EVENT_BYTES: usize = 8 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    /// `event:`, or `message` when none was given.
    pub event: String,
    /// Every `data:` line of the event, joined by `\n`.
    pub data: String,
    /// The event's own `id:` (not one inherited from an earlier event), to
    /// drop an event a server sends again after a reconnect.
    pub id: Option<String>,
}

#[derive(Debug, Default)]
pub struct SseParser {
    line: Vec<u8>,
    after_cr: bool,
    started: bool,
    event: Option<String>,
    data: String,
    has_data: bool,
    /// The `id:` of the event being read: it only becomes the last event
    /// id once the event is complete, so a reconnect after a half-received
    /// event asks for that event again instead of skipping it.
    pending_id: Option<Option<String>>,
    last_event_id: Option<String>,
    retry: Option<Duration>,
}

#[derive(Debug, PartialEq, Eq)]
pub struct EventTooLarge;

impl SseParser {
    /// Parse a chunk; returns the events it completed.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<Vec<SseEvent>, EventTooLarge> {
        let mut events = Vec::new();
        for &byte in chunk {
            if self.after_cr {
                self.after_cr = false;
                if byte == b'\n' {
                    continue;
                }
            }
            match byte {
                b'\n' => self.end_line(&mut events),
                b'\r' => {
                    self.after_cr = true;
                    self.end_line(&mut events);
                }
                _ => {
                    self.line.push(byte);
                    if self.line.len() + self.data.len() > MAX_EVENT_BYTES {
                        return Err(EventTooLarge);
                    }
                }
            }
        }
        Ok(events)
    }

    /// The last `id:` of a complete event, for `Last-Event-ID` on reconnect.
    pub fn last_event_id(&self) -> Option<&str> {
        self.last_event_id.as_deref()
    }

    /// The server's `retry:` (reconnection delay), if it sent one.
    pub fn retry(&self) -> Option<Duration> {
        self.retry
    }

    /// Forget a half-received event (the connection dropped), its `id:`
    /// too; the last complete event's id and the retry delay are kept.
    pub fn reset_partial(&mut self) {
        self.pending_id = None;
        self.line.clear();
        self.after_cr = false;
        self.started = false;
        self.event = None;
        self.data.clear();
        self.has_data = false;
    }

    fn end_line(&mut self, events: &mut Vec<SseEvent>) {
        let mut raw = std::mem::take(&mut self.line);
        if !self.started {
            self.started = true;
            if raw.starts_with(b"\xEF\xBB\xBF") {
                raw.drain(..3);
            }
        }
        let line = String::from_utf8_lossy(&raw);
        if line.is_empty() {
            self.dispatch(events);
            return;
        }
        if line.starts_with(':') {
            return; // a comment, e.g. `: ping` keep-alives
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line.as_ref(), ""),
        };
        match field {
            "event" => self.event = Some(value.to_string()),
            "data" => {
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            "id" if !value.contains('\0') => {
                self.pending_id = Some(Some(value.to_string()).filter(|v| !v.is_empty()));
            }
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                if let Ok(ms) = value.parse::<u64>() {
                    self.retry = Some(Duration::from_millis(ms));
                }
            }
            _ => {} // unknown fields are ignored, per the format
        }
    }

    fn dispatch(&mut self, events: &mut Vec<SseEvent>) {
        let event = self.event.take();
        let own_id = self.pending_id.take();
        if let Some(id) = &own_id {
            self.last_event_id = id.clone();
        }
        if !self.has_data {
            return;
        }
        self.has_data = false;
        events.push(SseEvent {
            event: event
                .filter(|e| !e.is_empty())
                .unwrap_or_else(|| "message".into()),
            data: std::mem::take(&mut self.data),
            id: own_id.flatten(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(input: &[u8]) -> Vec<SseEvent> {
        SseParser::default().feed(input).unwrap()
    }

    fn ev(event: &str, data: &str) -> SseEvent {
        SseEvent {
            event: event.into(),
            data: data.into(),
            id: None,
        }
    }

    #[test]
    fn events_comments_and_multiline_data() {
        let input = b": ping\n\nevent: execution.updated\ndata: {\"id\":\ndata:  \"x\"}\n\n: ping\n\ndata: plain\n\n";
        assert_eq!(
            parse(input),
            vec![
                ev("execution.updated", "{\"id\":\n \"x\"}"),
                ev("message", "plain")
            ]
        );
    }

    #[test]
    fn any_line_ending_and_any_split() {
        let input = b"event: a\r\ndata: 1\r\n\r\nevent: b\rdata: 2\r\rdata: 3\n\n";
        let whole = parse(input);
        assert_eq!(whole, vec![ev("a", "1"), ev("b", "2"), ev("message", "3")]);
        // Byte by byte gives the same events (a chunk may split "\r\n").
        let mut parser = SseParser::default();
        let mut split = Vec::new();
        for b in input {
            split.extend(parser.feed(&[*b]).unwrap());
        }
        assert_eq!(split, whole);
    }

    #[test]
    fn id_retry_and_unfinished_events() {
        let mut p = SseParser::default();
        let events = p
            .feed(
                b"\xEF\xBB\xBFid: 7\nretry: 250\nretry: soon\nfoo: bar\ndata\n\nid: 8\ndata: half",
            )
            .unwrap();
        let mut seven = ev("message", "");
        seven.id = Some("7".into());
        assert_eq!(events, vec![seven]);
        // `id: 8` belongs to an event not complete yet.
        assert_eq!(p.last_event_id(), Some("7"));
        assert_eq!(p.retry(), Some(Duration::from_millis(250)));
        // The half event is dropped with the connection, its id too: the
        // reconnect asks for what follows 7, so 8 is not lost.
        p.reset_partial();
        assert_eq!(p.feed(b"\n\n").unwrap(), vec![]);
        assert_eq!(p.last_event_id(), Some("7"));
        // A complete event's id counts even when it has no data.
        p.feed(b"id: 8\n\n").unwrap();
        assert_eq!(p.last_event_id(), Some("8"));
        // An empty `id:` clears it; an event without one inherits nothing.
        let events = p.feed(b"id\ndata: z\n\ndata: w\n\n").unwrap();
        assert_eq!(events, vec![ev("message", "z"), ev("message", "w")]);
        assert_eq!(p.last_event_id(), None);
        // An event with no data is not dispatched, and its type is forgotten.
        assert_eq!(
            p.feed(b"event: x\n\ndata: y\n\n").unwrap(),
            vec![ev("message", "y")]
        );
    }

    #[test]
    fn endless_line_is_refused() {
        let mut p = SseParser::default();
        let chunk = vec![b'a'; 1024 * 1024];
        let mut result = Ok(vec![]);
        for _ in 0..9 {
            result = p.feed(&chunk);
            if result.is_err() {
                break;
            }
        }
        assert_eq!(result, Err(EventTooLarge));
    }

    #[test]
    fn invalid_utf8_does_not_panic() {
        let events = parse(b"data: \xff\xfe\n\n");
        assert_eq!(events.len(), 1);
    }

    proptest::proptest! {
        /// Any bytes, cut anywhere: no panic, the same events as in one
        /// piece, and nothing kept beyond the one event being read.
        #[test]
        fn any_bytes_any_split(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2048),
            cuts in proptest::collection::vec(0usize..2048, 0..8),
        ) {
            let whole = SseParser::default().feed(&bytes).unwrap();
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(bytes.len())).collect();
            cuts.sort_unstable();
            let mut p = SseParser::default();
            let mut split = Vec::new();
            let mut at = 0;
            for cut in cuts.into_iter().chain([bytes.len()]) {
                split.extend(p.feed(&bytes[at..cut]).unwrap());
                at = cut;
            }
            proptest::prop_assert_eq!(&split, &whole);
            proptest::prop_assert!(p.line.len() + p.data.len() <= bytes.len());
        }

        /// Events written by a server come back as sent, ids included.
        #[test]
        fn written_events_round_trip(
            items in proptest::collection::vec(("[a-z.]{1,12}", "[ -~]{0,40}", proptest::option::of("[0-9a-z]{1,8}")), 0..12),
        ) {
            let mut text = String::new();
            for (event, data, id) in &items {
                if let Some(id) = id {
                    text.push_str(&format!("id: {id}\n"));
                }
                text.push_str(&format!("event: {event}\ndata: {data}\n\n"));
            }
            let got = SseParser::default().feed(text.as_bytes()).unwrap();
            let want: Vec<SseEvent> = items
                .iter()
                .map(|(event, data, id)| SseEvent {
                    event: event.clone(),
                    data: data.clone(),
                    id: id.clone(),
                })
                .collect();
            proptest::prop_assert_eq!(got, want);
        }
    }
}
