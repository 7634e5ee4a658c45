//! An insertion-ordered table with O(log n) lookup by id and O(limit) pages.

use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;

use serde::Serialize;

use crate::error::{ApiError, ApiResult};

/// Anything stored in a [`Table`]: it has a cursor id.
pub trait Keyed {
    fn key(&self) -> &str;
}

#[derive(Debug)]
pub struct Table<T> {
    items: BTreeMap<u64, T>,
    index: HashMap<String, u64>,
    next_seq: u64,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table {
            items: BTreeMap::new(),
            index: HashMap::new(),
            next_seq: 0,
        }
    }
}

/// One page of a list, ready to be serialized as the list envelope.
pub struct Page<'a, T> {
    pub data: Vec<&'a T>,
    pub has_more: bool,
}

impl<'a, T> Page<'a, T> {
    fn take(mut iter: impl Iterator<Item = &'a T>, limit: usize) -> Self {
        let data: Vec<&T> = iter.by_ref().take(limit).collect();
        let has_more = iter.next().is_some();
        Page { data, has_more }
    }
}

#[derive(Serialize)]
struct Envelope<'a, T: Serialize> {
    object: &'static str,
    data: &'a [&'a T],
    has_more: bool,
    first_id: Option<&'a str>,
    last_id: Option<&'a str>,
}

impl<T: Serialize + Keyed> Page<'_, T> {
    pub fn to_json(&self) -> Vec<u8> {
        let env = Envelope {
            object: "list",
            data: &self.data,
            has_more: self.has_more,
            first_id: self.data.first().map(|t| t.key()),
            last_id: self.data.last().map(|t| t.key()),
        };
        serde_json::to_vec(&env).unwrap_or_default()
    }
}

impl<T: Keyed> Table<T> {
    /// Makes room for `n` more items in the id index.
    pub fn reserve(&mut self, n: usize) {
        self.index.reserve(n);
    }

    pub fn contains(&self, key: &str) -> bool {
        self.index.contains_key(key)
    }

    /// Appends `item` (replacing nothing: callers check uniqueness first).
    pub fn insert(&mut self, item: T) -> &mut T {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.index.insert(item.key().to_string(), seq);
        self.items.entry(seq).or_insert(item)
    }

    pub fn get(&self, key: &str) -> Option<&T> {
        self.index.get(key).and_then(|s| self.items.get(s))
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut T> {
        match self.index.get(key) {
            Some(s) => self.items.get_mut(s),
            None => None,
        }
    }

    pub fn remove(&mut self, key: &str) -> Option<T> {
        let seq = self.index.remove(key)?;
        self.items.remove(&seq)
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> {
        self.items.values()
    }

    /// The bound just past the cursor `after` (a 400 `validation_error` on
    /// `after` when no item has that id).
    fn cursor(&self, after: Option<&str>) -> ApiResult<Bound<u64>> {
        match after {
            None => Ok(Bound::Unbounded),
            Some(a) => match self.index.get(a) {
                Some(seq) => Ok(Bound::Excluded(*seq)),
                None => Err(ApiError::validation(
                    "after",
                    format!("No item with id '{a}' to continue after"),
                )),
            },
        }
    }

    /// A page of at most `limit` items after the cursor `after`, keeping only
    /// items for which `keep` is true. Work is O(limit) without a filter.
    pub fn page<'a>(
        &'a self,
        after: Option<&str>,
        limit: usize,
        keep: impl Fn(&T) -> bool,
    ) -> ApiResult<Page<'a, T>> {
        let start = self.cursor(after)?;
        let iter = self.items.range((start, Bound::Unbounded)).map(|(_, v)| v);
        Ok(Page::take(iter.filter(|v| keep(v)), limit))
    }

    /// Like [`Table::page`], newest (last inserted) first: `after` names the
    /// last item seen, and the page holds older ones.
    pub fn page_rev<'a>(
        &'a self,
        after: Option<&str>,
        limit: usize,
        keep: impl Fn(&T) -> bool,
    ) -> ApiResult<Page<'a, T>> {
        let end = self.cursor(after)?;
        let iter = self
            .items
            .range((Bound::Unbounded, end))
            .rev()
            .map(|(_, v)| v);
        Ok(Page::take(iter.filter(|v| keep(v)), limit))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Item(String);
    impl Keyed for Item {
        fn key(&self) -> &str {
            &self.0
        }
    }

    #[test]
    fn pages_in_insertion_order() {
        let mut t = Table::default();
        for i in 0..5 {
            t.insert(Item(format!("i{i}")));
        }
        t.remove("i2");
        let p = t.page(None, 2, |_| true).unwrap();
        assert_eq!(p.data.len(), 2);
        assert!(p.has_more);
        let p = t.page(Some("i1"), 2, |_| true).unwrap();
        assert_eq!(p.data[0].0, "i3");
        assert!(!p.has_more);
        let v: serde_json::Value = serde_json::from_slice(&p.to_json()).unwrap();
        assert_eq!(v["first_id"], "i3");
        assert_eq!(v["last_id"], "i4");
        assert!(t.page(Some("i2"), 2, |_| true).is_err());
        let empty = t.page(Some("i4"), 2, |_| true).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&empty.to_json()).unwrap();
        assert!(v["first_id"].is_null() && v["last_id"].is_null());
        assert_eq!(v["has_more"], false);
    }

    #[test]
    fn pages_newest_first() {
        let mut t = Table::default();
        for i in 0..5 {
            t.insert(Item(format!("i{i}")));
        }
        let p = t.page_rev(None, 2, |_| true).unwrap();
        let ids: Vec<&str> = p.data.iter().map(|i| i.0.as_str()).collect();
        assert_eq!(ids, ["i4", "i3"]);
        assert!(p.has_more);
        let p = t.page_rev(Some("i3"), 5, |i| i.0 != "i1").unwrap();
        let ids: Vec<&str> = p.data.iter().map(|i| i.0.as_str()).collect();
        assert_eq!(ids, ["i2", "i0"]);
        assert!(!p.has_more);
        assert!(t.page_rev(Some("i0"), 2, |_| true).unwrap().data.is_empty());
        assert!(t.page_rev(Some("nope"), 2, |_| true).is_err());
    }
}
