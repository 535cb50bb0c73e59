//! The registries `content/agencies.yaml` and `content/competitions.yaml`: canonical keys,
//! names and short forms, and the aliases that resolve to them.

use super::fields::Reader;
use super::yaml::{Node, Value};
use crate::diagnostics::{Diagnostic, Pos};
use crate::text::{closest, compact_key, is_slug, slugify};
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, Serialize)]
pub struct RegistryItem {
    pub key: String,
    pub name: String,
    pub short: Option<String>,
    pub aliases: Vec<String>,
    pub description: Option<String>,
}

/// Items in file order plus a lookup from every key and alias (compacted) to the item's index.
#[derive(Debug, Default)]
pub struct Registry {
    pub items: Vec<RegistryItem>,
    lookup: HashMap<String, usize>,
    /// "agency" or "competition", for messages.
    what: &'static str,
    file: &'static str,
}

pub enum Resolved<'a> {
    Found(&'a RegistryItem),
    Unknown(Diagnostic),
}

impl Registry {
    pub fn parse(
        what: &'static str,
        file: &'static str,
        src: Option<&(String, Node)>,
        diags: &mut Vec<Diagnostic>,
    ) -> Registry {
        let mut reg = Registry {
            what,
            file,
            ..Default::default()
        };
        let Some((rel, node)) = src else { return reg };
        let mut r = Reader { rel, diags };
        let entries = match &node.value {
            Value::Map(m) => m,
            Value::Null => return reg,
            _ => {
                r.error(
                    node.pos,
                    format!(
                        "{file} must map keys to {what} records, but it is {}",
                        node.kind()
                    ),
                    "write `key:` on its own line, then `  name: ...` indented below",
                );
                return reg;
            }
        };
        for (k, v) in entries {
            let key = k.key_text();
            if !is_slug(&key) {
                r.error(
                    k.pos,
                    format!("`{key}` is not a valid key"),
                    format!(
                        "keys are lowercase letters, digits and hyphens, e.g. `{}`",
                        slugify(&key)
                    ),
                );
                continue;
            }
            let fields = r.fields(
                v,
                &["name", "short", "aliases", "description"],
                &format!("{what} `{key}`"),
                "",
            );
            let mut item = RegistryItem {
                key: key.clone(),
                name: String::new(),
                short: None,
                aliases: Vec::new(),
                description: None,
            };
            for (f, n) in fields {
                match f {
                    "name" => item.name = r.text(f, n).unwrap_or_default(),
                    "short" => item.short = r.text(f, n),
                    "aliases" => item.aliases = r.text_list(f, n),
                    "description" => item.description = r.text(f, n),
                    _ => unreachable!(),
                }
            }
            if item.name.is_empty() {
                r.error(
                    k.pos,
                    format!("{what} `{key}` has no `name`"),
                    "add `name: <full official name>` under it",
                );
                item.name = key.clone();
            }
            let idx = reg.items.len();
            let mut names = vec![(key.clone(), k.pos)];
            names.extend(item.aliases.iter().map(|a| (a.clone(), k.pos)));
            for (name, pos) in names {
                let c = compact_key(&name);
                match reg.lookup.get(&c) {
                    Some(&other) if other != idx => {
                        let other_key = reg.items[other].key.clone();
                        r.error(
                            pos,
                            format!("`{name}` is already a key or alias of {what} `{other_key}`"),
                            "each key and alias must name one record only",
                        );
                    }
                    _ => {
                        reg.lookup.insert(c, idx);
                    }
                }
            }
            reg.items.push(item);
        }
        reg
    }

    pub fn get(&self, key: &str) -> Option<&RegistryItem> {
        self.lookup.get(&compact_key(key)).map(|&i| &self.items[i])
    }

    /// "agencies", "competitions": for hints that list them.
    fn plural(&self) -> String {
        match self.what.strip_suffix('y') {
            Some(stem) => format!("{stem}ies"),
            None => format!("{}s", self.what),
        }
    }

    /// Resolve a key or alias written at `pos` in `rel`, or explain what is known.
    pub fn resolve(&self, value: &str, rel: &str, pos: Pos) -> Resolved<'_> {
        if let Some(item) = self.get(value) {
            return Resolved::Found(item);
        }
        let candidates = self.items.iter().flat_map(|i| {
            std::iter::once(i.key.as_str()).chain(i.aliases.iter().map(String::as_str))
        });
        let hint = match closest(value, candidates) {
            Some(c) => {
                let key = &self.get(c).map_or(c, |i| i.key.as_str());
                format!(
                    "did you mean `{key}`? the keys and aliases are in {}",
                    self.file
                )
            }
            None if self.items.is_empty() => {
                format!("{} defines no {} yet", self.file, self.plural())
            }
            None => {
                let keys: Vec<&str> = self.items.iter().take(12).map(|i| i.key.as_str()).collect();
                format!(
                    "known {}: {}{}; add a new one to {}",
                    self.plural(),
                    keys.join(", "),
                    if self.items.len() > 12 { ", ..." } else { "" },
                    self.file
                )
            }
        };
        Resolved::Unknown(
            Diagnostic::error(rel, pos, format!("unknown {} `{value}`", self.what)).with_hint(hint),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::yaml::parse;

    fn reg(text: &str) -> (Registry, Vec<Diagnostic>) {
        let src = ("content/agencies.yaml".to_string(), parse(text).unwrap());
        let mut d = Vec::new();
        (
            Registry::parse("agency", "content/agencies.yaml", Some(&src), &mut d),
            d,
        )
    }

    #[test]
    fn aliases_resolve_to_the_canonical_key() {
        let (r, d) = reg("bappelitbangda:\n  name: Badan X\n  aliases: [Bappeda]\n");
        assert!(d.is_empty());
        assert_eq!(r.get("Bappeda").unwrap().key, "bappelitbangda");
        assert_eq!(r.get("BAPPEDA").unwrap().key, "bappelitbangda");
    }

    #[test]
    fn unknown_key_gets_the_closest_as_hint() {
        let (r, _) = reg("dinkes:\n  name: Dinas Kesehatan\n");
        let Resolved::Unknown(d) = r.resolve("dinkse", "e.md", Pos::new(3, 9)) else {
            panic!()
        };
        assert_eq!(d.message, "unknown agency `dinkse`");
        assert!(d.hint.unwrap().starts_with("did you mean `dinkes`?"));
    }

    #[test]
    fn duplicate_alias_is_an_error() {
        let (_, d) = reg("a:\n  name: A\n  aliases: [X]\nb:\n  name: B\n  aliases: [x]\n");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].message
                .contains("already a key or alias of agency `a`")
        );
    }
}
