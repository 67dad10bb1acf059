//! Finding the line of a JSON pointer in a JSON or YAML file, so that a
//! schema error in a generated file can be shown where it is.
//!
//! Both finders read the text as written and return the line of the deepest
//! part of the pointer they could follow (the value itself when all of it).

use crate::lines::SourceLines;

/// The segments of a JSON pointer, unescaped (`~1` → `/`, `~0` → `~`).
fn segments(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// The line and column of the value at `pointer` in JSON `text` (of its
/// key, for an object member).
pub(crate) fn json_place(text: &str, pointer: &str) -> (u32, u32) {
    let mut walker = JsonWalker {
        bytes: text.as_bytes(),
        at: 0,
    };
    walker.skip_space();
    let mut found = walker.at;
    for segment in segments(pointer) {
        walker.skip_space();
        match walker.child(&segment) {
            Some((shown, value)) => {
                found = shown;
                walker.at = value;
            }
            None => break,
        }
    }
    SourceLines::new(text).position(found)
}

struct JsonWalker<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl JsonWalker<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.at += 1;
        }
    }

    /// Offsets of the member `segment` of the object or array at the cursor:
    /// where to show it (an object member's key) and where its value starts.
    fn child(&mut self, segment: &str) -> Option<(usize, usize)> {
        let (open, close) = match self.peek()? {
            b'{' => (b'{', b'}'),
            b'[' => (b'[', b']'),
            _ => return None,
        };
        self.at += 1;
        let mut index = 0usize;
        loop {
            self.skip_space();
            if self.peek()? == close {
                return None;
            }
            let start = self.at;
            let matches = if open == b'{' {
                let key_start = self.at;
                self.skip_value()?;
                let key: String = serde_json::from_slice(&self.bytes[key_start..self.at]).ok()?;
                self.skip_space();
                if self.peek()? != b':' {
                    return None;
                }
                self.at += 1;
                self.skip_space();
                key == segment
            } else {
                segment.parse::<usize>().ok() == Some(index)
            };
            if matches {
                return Some((start, self.at));
            }
            self.skip_value()?;
            self.skip_space();
            match self.peek()? {
                b',' => self.at += 1,
                _ => return None,
            }
            index += 1;
        }
    }

    /// Moves past the value at the cursor.
    fn skip_value(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => {
                self.at += 1;
                loop {
                    match self.peek()? {
                        b'\\' => self.at += 2,
                        b'"' => {
                            self.at += 1;
                            return Some(());
                        }
                        _ => self.at += 1,
                    }
                }
            }
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.peek()? {
                        b'"' => {
                            self.skip_value()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.at += 1;
                                return Some(());
                            }
                        }
                        _ => {}
                    }
                    self.at += 1;
                }
            }
            _ => {
                while self
                    .peek()
                    .is_some_and(|b| !matches!(b, b',' | b'}' | b']') && !b.is_ascii_whitespace())
                {
                    self.at += 1;
                }
                Some(())
            }
        }
    }
}

/// The line and column of the value at `pointer` in block-style YAML `text`
/// (as qingdan writes it), found by following the indentation.
pub(crate) fn yaml_place(text: &str, pointer: &str) -> (u32, u32) {
    let lines: Vec<&str> = text.split('\n').collect();
    // The node being searched: its first line and the column of its entries.
    let (mut line, mut column) = (0usize, 0usize);
    let (mut found, mut found_column) = (0usize, 0usize);
    'segments: for segment in segments(pointer) {
        let index = segment.parse::<usize>().ok();
        let mut seen = 0usize;
        for (i, raw) in lines.iter().enumerate().skip(line) {
            let entries = entries(raw);
            let Some(&(indent, first)) = entries.first() else {
                continue;
            };
            if first.starts_with('#') {
                continue;
            }
            if i > line && indent < column {
                break;
            }
            for &(col, text) in &entries {
                if col != column {
                    continue;
                }
                let is_item = text == "-" || text.starts_with("- ");
                match index {
                    Some(n) if is_item => {
                        if seen == n {
                            found = i;
                            found_column = col;
                            line = i;
                            column = col + 2;
                            continue 'segments;
                        }
                        seen += 1;
                    }
                    _ if !is_item && is_key(text, &segment) => {
                        found = i;
                        found_column = col;
                        // The value: a nested node starts on the next line
                        // that has content, at that line's indentation.
                        let Some(next) = (i + 1..lines.len()).find(|&j| {
                            entries_start(lines[j])
                                .is_some_and(|(c, t)| !t.starts_with('#') && c >= col)
                        }) else {
                            break 'segments;
                        };
                        line = next;
                        column = entries_start(lines[next]).map_or(col, |(c, _)| c);
                        continue 'segments;
                    }
                    _ => {}
                }
            }
        }
        break;
    }
    let column = lines[found][..found_column].chars().count() + 1;
    (found as u32 + 1, column as u32)
}

/// Does `text` begin with `key:` (bare or quoted)?
fn is_key(text: &str, key: &str) -> bool {
    let bare = text.strip_prefix(key).is_some_and(|r| r.starts_with(':'));
    let quoted = serde_json::to_string(key)
        .ok()
        .and_then(|q| text.strip_prefix(q.as_str()).map(|r| r.starts_with(':')))
        .unwrap_or(false);
    bare || quoted
}

/// The column and text of a line's content after its indentation.
fn entries_start(line: &str) -> Option<(usize, &str)> {
    let text = line.trim_start_matches(' ');
    (!text.trim().is_empty()).then_some((line.len() - text.len(), text))
}

/// Every place an entry can start on a line: after the indentation, and
/// after each `- ` sequence marker.
fn entries(line: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let Some((mut col, mut text)) = entries_start(line) else {
        return out;
    };
    out.push((col, text));
    while let Some(rest) = text.strip_prefix("- ") {
        let after = rest.trim_start_matches(' ');
        col += 2 + (rest.len() - after.len());
        text = after;
        if text.is_empty() {
            break;
        }
        out.push((col, text));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const JSON: &str = "{\n  \"a\": 1,\n  \"items\": [\n    {\n      \"name\": \"x\"\n    },\n    {\n      \"name\": \"y\",\n      \"seq\": \"2\"\n    }\n  ]\n}\n";

    #[test]
    fn json_pointers_find_their_lines() {
        assert_eq!(json_place(JSON, ""), (1, 1));
        assert_eq!(json_place(JSON, "/a"), (2, 3));
        assert_eq!(json_place(JSON, "/items/1"), (7, 5));
        assert_eq!(json_place(JSON, "/items/1/seq"), (9, 7));
        // Lost on the way: the deepest part found.
        assert_eq!(json_place(JSON, "/items/1/missing"), (7, 5));
    }

    const YAML: &str = "a: 1\nitems:\n- name: x\n  steps:\n  - one\n- name: y\n  seq: '2'\n  source:\n    first_line: 3\n";

    #[test]
    fn yaml_pointers_find_their_lines() {
        assert_eq!(yaml_place(YAML, ""), (1, 1));
        assert_eq!(yaml_place(YAML, "/items"), (2, 1));
        assert_eq!(yaml_place(YAML, "/items/0/steps/0"), (5, 3));
        assert_eq!(yaml_place(YAML, "/items/1"), (6, 1));
        assert_eq!(yaml_place(YAML, "/items/1/seq"), (7, 3));
        assert_eq!(yaml_place(YAML, "/items/1/source/first_line"), (9, 5));
        assert_eq!(yaml_place(YAML, "/items/0/name"), (3, 3));
    }
}
