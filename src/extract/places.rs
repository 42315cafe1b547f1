//! Places: the economies a figure of an economy (inflation, a base rate, unemployment) is
//! about, from `data/places.txt`, with the names that fold into each ("UK", "Britain").

use std::collections::HashMap;
use std::sync::LazyLock;

const BUILTIN_PLACES: &str = include_str!("../../data/places.txt");

/// Every name of a place, mapped to the place's canonical name.
static PLACES: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| parse(BUILTIN_PLACES));

fn parse(text: &'static str) -> HashMap<&'static str, &'static str> {
    let mut names = HashMap::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (canonical, aliases) = line.split_once(':').unwrap_or((line, ""));
        let canonical = canonical.trim();
        names.insert(canonical, canonical);
        for alias in aliases.split(',').map(str::trim).filter(|a| !a.is_empty()) {
            names.insert(alias, canonical);
        }
    }
    names
}

/// The place a name is, by its canonical name ("Britain" is "United Kingdom").
pub fn place_of(name: &str) -> Option<&'static str> {
    PLACES.get(name).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fold_into_their_place() {
        assert_eq!(place_of("Britain"), Some("United Kingdom"));
        assert_eq!(place_of("UK"), Some("United Kingdom"));
        assert_eq!(place_of("Japan"), Some("Japan"));
        assert_eq!(place_of("U.S."), Some("United States"));
        assert_eq!(place_of("Bank of England"), None);
        assert_eq!(place_of("Citigroup"), None);
    }
}
