//! `--format json`: an array of groups with the SPEC's fields (plus `counterpart`, `key`,
//! `articles`, and per value `title`, `published`, `cluster`), pretty-printed for people and
//! `jq` alike.

use std::io::{self, Write};

use crate::reconcile::Disagreement;

pub fn render(groups: &[Disagreement], out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, groups).map_err(io::Error::other)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use crate::report::tests::sample_report;

    #[test]
    fn spec_fields_are_all_there() {
        let mut buf = Vec::new();
        super::render(&sample_report(), &mut buf).unwrap_or_default();
        let v: serde_json::Value = serde_json::from_slice(&buf).unwrap_or_default();
        let g = &v[0];
        for f in ["subject", "metric", "unit", "verdict", "reason", "preferred", "values"] {
            assert!(g.get(f).is_some(), "{f}");
        }
        for f in ["value", "sources", "confidence"] {
            assert!(g["preferred"].get(f).is_some(), "{f}");
        }
        let val = &g["values"][0];
        for f in [
            "value",
            "value_max",
            "text",
            "qualifier",
            "period",
            "path",
            "line",
            "sentence",
            "citations",
        ] {
            assert!(val.get(f).is_some(), "{f}");
        }
        assert_eq!(val["citations"][0]["n"], 1);
        assert!(val["citations"][0]["title"].is_string());
        assert_eq!(g["verdict"], "conflict");
        assert_eq!(val["qualifier"], "exact");
    }
}
