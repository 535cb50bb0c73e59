//! Small text helpers shared by every stage: slugs, folded comparison keys, "did you mean".
//!
//! Not for Markdown or HTML: see `markdown` and the templates.

use unicode_normalization::UnicodeNormalization;

/// The address form of a label: lowercase ASCII, words joined by hyphens.
/// "Top 30" → "top-30", "Kesehatan & Gizi" → "kesehatan-gizi".
pub fn slugify(s: &str) -> String {
    slug::slugify(s)
}

/// True when `s` is already in address form (what `slugify` would produce).
pub fn is_slug(s: &str) -> bool {
    // What `slugify` leaves as it is: lowercase ASCII letters and digits in runs joined by
    // single hyphens (checked without slugifying: it runs for every file of every rebuild).
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

/// Case- and accent-folded key with spaces and punctuation removed, used to compare names:
/// "Si Mira", "SIMIRA" and "Sí-mira" all give "simira".
pub fn compact_key(s: &str) -> String {
    s.nfd()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The candidate closest to `input`, if it is close enough to be a plausible typo.
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let needle = input.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&needle, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_key_folds_case_space_and_accents() {
        assert_eq!(compact_key("Si Mira"), "simira");
        assert_eq!(compact_key("SIMIRA"), "simira");
        assert_eq!(compact_key("Sí-Mira!"), "simira");
        assert_eq!(compact_key("E-JAPERA"), "ejapera");
    }

    #[test]
    fn slugify_makes_addresses() {
        assert_eq!(slugify("Top 30"), "top-30");
        assert_eq!(
            slugify("Outstanding Achievement"),
            "outstanding-achievement"
        );
        assert!(is_slug("kampung-donor-darah"));
        assert!(!is_slug("Kampung Donor"));
        // The same answer as slugifying and comparing, on names editors give files.
        for name in [
            "a", "a-b", "-a", "a-", "a--b", "a_b", "é", "sipena2", "Sipena", "a b", "1-2-3", "",
            "ñandú", "a.b", "ａ",
        ] {
            assert_eq!(
                is_slug(name),
                !name.is_empty() && slugify(name) == name,
                "{name:?}"
            );
        }
    }

    #[test]
    fn closest_finds_typos_and_ignores_nonsense() {
        let keys = ["dinkes", "disdikbud", "bpbd"];
        assert_eq!(closest("dinkse", keys), Some("dinkes"));
        assert_eq!(closest("disdikbut", keys), Some("disdikbud"));
        assert_eq!(closest("zzzzqqq", keys), None);
    }
}
