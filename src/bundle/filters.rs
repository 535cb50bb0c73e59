//! The filter files: one per filter, its values in byte order, each with its pages.

use super::Record;
use super::format::{self, MetaFilter, Names};
use std::collections::BTreeMap;

/// `kept`: the indexed records, by page number.
pub fn filters(
    records: &[&Record],
    kept: &[usize],
    lang: &str,
    level: u32,
) -> (Vec<MetaFilter>, Vec<(String, Vec<u8>)>) {
    let mut map: BTreeMap<&str, BTreeMap<&str, Vec<u64>>> = BTreeMap::new();
    for (page, &i) in kept.iter().enumerate() {
        for (filter, values) in &records[i].filters {
            for v in values {
                map.entry(filter)
                    .or_default()
                    .entry(v)
                    .or_default()
                    .push(page as u64);
            }
        }
    }
    let mut names = Names::for_chunks_and_filters();
    map.into_iter()
        .map(|(filter, values)| {
            let bytes = format::encode(&format::FilterIndex {
                filter: filter.to_string(),
                values: values
                    .into_iter()
                    .map(|(value, pages)| format::PackedValue {
                        value: value.to_string(),
                        pages,
                    })
                    .collect(),
            });
            let hash = names.take(lang, &format!("{lang}_{}", format::full_hash(&bytes)));
            (
                MetaFilter {
                    filter: filter.to_string(),
                    hash: hash.clone(),
                },
                (
                    format!("filter/{hash}.pf_filter"),
                    format::compress(&bytes, level),
                ),
            )
        })
        .unzip()
}
