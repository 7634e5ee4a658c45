//! Line diffs in the unified format (`@@ -1,2 +1,3 @@`, then ` `, `-` and
//! `+` lines), for previews of file edits such as `config … --dry-run`.

/// Above this many cells the middle of a diff is shown as all removed then
/// all added instead of being aligned line by line (a config file is far
/// smaller).
const MAX_TABLE: usize = 4_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edit {
    Keep,
    Remove,
    Add,
}

/// The edits that turn `old` into `new`, keeping the longest common
/// subsequence; removals come before additions within a change.
fn edits<T: PartialEq>(old: &[T], new: &[T]) -> Vec<Edit> {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let a = &old[prefix..old.len() - suffix];
    let b = &new[prefix..new.len() - suffix];
    let mut out = vec![Edit::Keep; prefix];
    let (n, m) = (a.len(), b.len());
    if (n + 1).saturating_mul(m + 1) > MAX_TABLE {
        out.extend(std::iter::repeat_n(Edit::Remove, n));
        out.extend(std::iter::repeat_n(Edit::Add, m));
    } else {
        // lcs[i][j]: length of the longest common subsequence of a[i..], b[j..].
        let width = m + 1;
        let mut lcs = vec![0u32; (n + 1) * width];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i * width + j] = if a[i] == b[j] {
                    lcs[(i + 1) * width + j + 1] + 1
                } else {
                    lcs[(i + 1) * width + j].max(lcs[i * width + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n && j < m {
            if a[i] == b[j] {
                out.push(Edit::Keep);
                i += 1;
                j += 1;
            } else if lcs[(i + 1) * width + j] >= lcs[i * width + j + 1] {
                out.push(Edit::Remove);
                i += 1;
            } else {
                out.push(Edit::Add);
                j += 1;
            }
        }
        out.extend(std::iter::repeat_n(Edit::Remove, n - i));
        out.extend(std::iter::repeat_n(Edit::Add, m - j));
    }
    out.extend(std::iter::repeat_n(Edit::Keep, suffix));
    out
}

/// `start,len` of a hunk's side, as diff prints it: the length is left out
/// when it is 1, and an empty side starts at the line before it.
fn range(before: usize, len: usize) -> String {
    match len {
        0 => format!("{before},0"),
        1 => format!("{}", before + 1),
        _ => format!("{},{len}", before + 1),
    }
}

/// The hunks turning `old` into `new`, with `context` unchanged lines
/// around each change; empty when they are equal. Lines are compared as
/// `old`/`new` but printed as `show_old`/`show_new` (the same lines with
/// secrets masked, say), which must be as long as `old`/`new`.
pub fn unified<T: PartialEq>(
    old: &[T],
    new: &[T],
    show_old: &[&str],
    show_new: &[&str],
    context: usize,
) -> String {
    assert_eq!(old.len(), show_old.len(), "one shown line per old line");
    assert_eq!(new.len(), show_new.len(), "one shown line per new line");
    let edits = edits(old, new);
    // Where each edit stands in `old` and `new` (lines before it).
    let mut at = Vec::with_capacity(edits.len());
    let (mut o, mut n) = (0, 0);
    for e in &edits {
        at.push((o, n));
        match e {
            Edit::Keep => {
                o += 1;
                n += 1;
            }
            Edit::Remove => o += 1,
            Edit::Add => n += 1,
        }
    }
    let changed: Vec<usize> = (0..edits.len())
        .filter(|&i| edits[i] != Edit::Keep)
        .collect();
    let mut out = String::new();
    let mut k = 0;
    while k < changed.len() {
        // Changes closer than two contexts share a hunk.
        let first = changed[k];
        let mut last = first;
        while k + 1 < changed.len() && changed[k + 1] - last <= 2 * context + 1 {
            k += 1;
            last = changed[k];
        }
        k += 1;
        let start = first.saturating_sub(context);
        let end = (last + context + 1).min(edits.len());
        let span = &edits[start..end];
        let old_len = span.iter().filter(|e| **e != Edit::Add).count();
        let new_len = span.iter().filter(|e| **e != Edit::Remove).count();
        let (old_before, new_before) = at[start];
        out.push_str(&format!(
            "@@ -{} +{} @@\n",
            range(old_before, old_len),
            range(new_before, new_len)
        ));
        for (i, e) in span.iter().enumerate() {
            let (o, n) = at[start + i];
            let (mark, line) = match e {
                Edit::Keep => (' ', show_old[o]),
                Edit::Remove => ('-', show_old[o]),
                Edit::Add => ('+', show_new[n]),
            };
            out.push(mark);
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diff(old: &str, new: &str, context: usize) -> String {
        let a: Vec<&str> = old.lines().collect();
        let b: Vec<&str> = new.lines().collect();
        unified(&a, &b, &a, &b, context)
    }

    #[test]
    fn equal_texts_have_no_hunks() {
        assert_eq!(diff("a\nb\n", "a\nb\n", 3), "");
        assert_eq!(diff("", "", 3), "");
    }

    #[test]
    fn a_new_file_is_all_added() {
        assert_eq!(diff("", "x\ny\n", 3), "@@ -0,0 +1,2 @@\n+x\n+y\n");
        assert_eq!(diff("x\ny\n", "", 3), "@@ -1,2 +0,0 @@\n-x\n-y\n");
    }

    #[test]
    fn a_changed_line_has_context_and_one_line_ranges_drop_the_length() {
        assert_eq!(
            diff("a\nb\nc\n", "a\nB\nc\n", 1),
            "@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"
        );
        assert_eq!(diff("a\nb\nc\n", "a\nB\nc\n", 0), "@@ -2 +2 @@\n-b\n+B\n");
        assert_eq!(diff("a\n", "b\n", 3), "@@ -1 +1 @@\n-a\n+b\n");
    }

    #[test]
    fn distant_changes_get_their_own_hunks() {
        let old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
        let new = "one\n2\n3\n4\n5\n6\n7\n8\nnine\n";
        assert_eq!(
            diff(old, new, 1),
            "@@ -1,2 +1,2 @@\n-1\n+one\n 2\n@@ -8,2 +8,2 @@\n 8\n-9\n+nine\n"
        );
        // Close enough and they merge.
        assert_eq!(
            diff("1\n2\n3\n", "one\n2\nthree\n", 1),
            "@@ -1,3 +1,3 @@\n-1\n+one\n 2\n-3\n+three\n"
        );
    }

    #[test]
    fn insertions_and_removals_in_the_middle() {
        assert_eq!(
            diff("a\nb\nc\nd\n", "a\nc\nd\ne\n", 0),
            "@@ -2 +1,0 @@\n-b\n@@ -4,0 +4 @@\n+e\n"
        );
    }

    #[test]
    fn lines_are_compared_raw_but_shown_masked() {
        let old = ["k = \"secret1\"", "x"];
        let new = ["k = \"secret2\"", "x"];
        let masked = ["k = \"…\"", "x"];
        assert_eq!(
            unified(&old, &new, &masked, &masked, 0),
            "@@ -1 +1 @@\n-k = \"…\"\n+k = \"…\"\n"
        );
    }
}
