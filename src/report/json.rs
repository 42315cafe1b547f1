//! `--format json`: an array of groups with the SPEC's fields (plus `counterpart`, `key`,
//! `articles`, and per value `title`, `published`, `cluster`), pretty-printed for people and
//! `jq` alike.

use std::io::{self, Write};

use rayon::prelude::*;

use super::Groups;
use crate::reconcile::Disagreement;

/// The bytes of `serde_json::to_writer_pretty(groups)` and a newline, written a few groups
/// per core at a time, each group serialised in parallel: never the whole report in memory.
pub fn render(groups: &dyn Groups, out: &mut dyn Write) -> io::Result<()> {
    if groups.counts().total() == 0 {
        return out.write_all(b"[]\n");
    }
    out.write_all(b"[")?;
    let window = rayon::current_num_threads().max(1) * 4;
    let mut first = true;
    groups.each_batch(&mut |batch| {
        for run in batch.chunks(window) {
            let parts = run.par_iter().map(element).collect::<io::Result<Vec<_>>>()?;
            for part in parts {
                out.write_all(if first { b"\n" } else { b",\n" })?;
                out.write_all(&part)?;
                first = false;
            }
        }
        Ok(())
    })?;
    out.write_all(b"\n]\n")
}

/// One group per line, compact (`--format jsonl`), serialised a few groups per core at a
/// time like [`render`].
pub fn render_lines(groups: &dyn Groups, out: &mut dyn Write) -> io::Result<()> {
    let window = rayon::current_num_threads().max(1) * 4;
    groups.each_batch(&mut |batch| {
        for run in batch.chunks(window) {
            let lines = run.par_iter().map(line).collect::<io::Result<Vec<_>>>()?;
            for l in lines {
                out.write_all(&l)?;
            }
        }
        Ok(())
    })
}

fn line(g: &Disagreement) -> io::Result<Vec<u8>> {
    let mut l = Vec::new();
    crate::printable::write_json(&mut l, g, false).map_err(io::Error::other)?;
    l.push(b'\n');
    Ok(l)
}

/// One group as an element of the pretty-printed array: its own pretty JSON indented one
/// level (every newline in pretty JSON is between tokens: strings escape theirs).
fn element(g: &Disagreement) -> io::Result<Vec<u8>> {
    let mut plain = Vec::new();
    crate::printable::write_json(&mut plain, g, true).map_err(io::Error::other)?;
    let mut out = Vec::with_capacity(plain.len() + plain.len() / 4);
    for (i, line) in plain.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            out.push(b'\n');
        }
        out.extend_from_slice(b"  ");
        out.extend_from_slice(line);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use crate::report::tests::sample_report;

    #[test]
    fn the_array_is_serde_jsons_pretty_print_byte_for_byte() {
        let one = sample_report();
        let many: Vec<_> = (0..37).flat_map(|_| one.clone()).collect();
        for groups in [&one[..], &many[..], &[]] {
            let mut buf = Vec::new();
            super::render(&groups, &mut buf).unwrap_or_default();
            let mut expected = serde_json::to_vec_pretty(groups).unwrap_or_default();
            expected.push(b'\n');
            assert!(buf == expected, "{}", String::from_utf8_lossy(&buf));
        }
    }

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
