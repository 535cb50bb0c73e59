//! Typed reading of front-matter fields from a located YAML tree. Each reader records a
//! located diagnostic on a wrong type and returns `None`, so one file yields all its problems.

use super::yaml::{Node, Value};
use crate::diagnostics::{Diagnostic, Pos};
use crate::text::closest;

/// A value and the position it was written at, for checks that come later (registries).
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub pos: Pos,
}

pub struct Reader<'a> {
    pub rel: &'a str,
    pub diags: &'a mut Vec<Diagnostic>,
}

impl Reader<'_> {
    pub fn error(&mut self, pos: Pos, msg: impl Into<String>, hint: impl Into<String>) {
        self.diags
            .push(Diagnostic::error(self.rel, pos, msg).with_hint(hint));
    }

    /// The entries of a mapping, reporting unknown keys (with the closest known one).
    pub fn fields<'n>(
        &mut self,
        node: &'n Node,
        known: &[&str],
        what: &str,
        extra_hint: &str,
    ) -> Vec<(&'n str, &'n Node)> {
        let Value::Map(entries) = &node.value else {
            self.error(
                node.pos,
                format!(
                    "{what} must be fields (`name: value`), but it is {}",
                    node.kind()
                ),
                "",
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (k, v) in entries {
            let Value::Str(key) = &k.value else {
                self.error(
                    k.pos,
                    format!("`{}` is not a field name", k.key_text()),
                    "field names are words such as `acronym`",
                );
                continue;
            };
            if known.contains(&key.as_str()) {
                out.push((key.as_str(), v));
            } else {
                let hint = match closest(key, known.iter().copied()) {
                    Some(c) => format!("did you mean `{c}`?{extra_hint}"),
                    None => format!("known fields: {}{extra_hint}", known.join(", ")),
                };
                self.error(k.pos, format!("unknown field `{key}` in {what}"), hint);
            }
        }
        out
    }

    /// Text: strings, and numbers or booleans written where text was meant. Blank is `None`.
    pub fn text(&mut self, field: &str, n: &Node) -> Option<String> {
        if n.is_null() {
            return None;
        }
        match n.as_text() {
            Some(s) if s.trim().is_empty() => None,
            Some(s) => Some(s.trim().to_string()),
            None => {
                self.error(
                    n.pos,
                    format!("`{field}` must be text, but it is {}", n.kind()),
                    format!("write `{field}: some text`"),
                );
                None
            }
        }
    }

    pub fn located_text(&mut self, field: &str, n: &Node) -> Option<Located<String>> {
        let pos = n.pos;
        self.text(field, n).map(|value| Located { value, pos })
    }

    pub fn int(&mut self, field: &str, n: &Node) -> Option<i64> {
        match &n.value {
            Value::Null => None,
            Value::Int(i) => Some(*i),
            Value::Str(s) if s.trim().parse::<i64>().is_ok() => s.trim().parse().ok(),
            _ => {
                self.error(
                    n.pos,
                    format!("`{field}` must be a whole number, but it is {}", n.kind()),
                    format!("write e.g. `{field}: 2020`"),
                );
                None
            }
        }
    }

    /// A year in `min..=max`.
    pub fn year(&mut self, field: &str, n: &Node, min: i64, max: i64) -> Option<i32> {
        let y = self.int(field, n)?;
        if (min..=max).contains(&y) {
            Some(y as i32)
        } else {
            self.error(
                n.pos,
                format!("`{field}` {y} is out of range"),
                format!("a year from {min} to {max}"),
            );
            None
        }
    }

    pub fn bool(&mut self, field: &str, n: &Node) -> Option<bool> {
        match &n.value {
            Value::Null => None,
            Value::Bool(b) => Some(*b),
            _ => {
                self.error(
                    n.pos,
                    format!("`{field}` must be true or false, but it is {}", n.kind()),
                    format!("write `{field}: true` or `{field}: false`"),
                );
                None
            }
        }
    }

    /// A list; a single value is accepted as a list of one (editors often write `villages: Malangke`).
    pub fn list<'n>(&mut self, field: &str, n: &'n Node) -> Vec<&'n Node> {
        match &n.value {
            Value::Null => Vec::new(),
            Value::Seq(items) => items.iter().collect(),
            Value::Map(_) => {
                self.error(
                    n.pos,
                    format!("`{field}` must be a list, but it is {}", n.kind()),
                    format!("write `{field}: [a, b]` or one `- item` per line"),
                );
                Vec::new()
            }
            _ => vec![n],
        }
    }

    pub fn text_list(&mut self, field: &str, n: &Node) -> Vec<String> {
        self.list(field, n)
            .into_iter()
            .filter_map(|i| self.text(field, i))
            .collect()
    }

    /// One of a fixed set of values (compared case-insensitively), with the allowed values as hint.
    pub fn one_of(
        &mut self,
        field: &str,
        n: &Node,
        allowed: &[&'static str],
    ) -> Option<&'static str> {
        let t = self.text(field, n)?;
        let lower = t.to_lowercase();
        if let Some(a) = allowed.iter().find(|a| **a == lower) {
            return Some(a);
        }
        let hint = match closest(&lower, allowed.iter().copied()) {
            Some(c) => format!("did you mean `{c}`? allowed: {}", allowed.join(", ")),
            None => format!("allowed: {}", allowed.join(", ")),
        };
        self.error(n.pos, format!("`{t}` is not a valid `{field}`"), hint);
        None
    }
}

/// YAML → JSON, for the free-form `extra` data that themes read.
pub fn to_json(n: &Node) -> serde_json::Value {
    use serde_json::Value as J;
    match &n.value {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Int(i) => J::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
        Value::Str(s) => J::String(s.clone()),
        Value::Seq(items) => J::Array(items.iter().map(to_json).collect()),
        Value::Map(entries) => J::Object(
            entries
                .iter()
                .map(|(k, v)| (k.key_text(), to_json(v)))
                .collect(),
        ),
    }
}
