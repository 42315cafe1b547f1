//! The HTML report's timeline: a group's values against their articles' dates, drawn
//! instead of the one-axis strip when the articles were published on different days
//! (a figure that moved over time reads as a line of dots, not as a disagreement).

use std::fmt::Write as _;

use super::html::escape;
use super::{human_value, title};
use crate::reconcile::{Disagreement, ValueEntry};

const W: f64 = 480.0;
const H: f64 = 200.0;
/// Room for the value labels on the left and the date labels below.
const LEFT: f64 = 110.0;
const RIGHT: f64 = 24.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 34.0;

/// The day number of a `YYYY-MM-DD` date (days since 1970-01-01), if it is one.
fn day(date: &str) -> Option<f64> {
    let d: jiff::civil::Date = date.parse().ok()?;
    let epoch = jiff::civil::date(1970, 1, 1);
    let days = d.since(epoch).ok()?.get_days();
    Some(f64::from(days))
}

/// The values that carry a publication date, with its day number.
fn dated(g: &Disagreement) -> Vec<(f64, &ValueEntry)> {
    (g.values.iter())
        .filter_map(|v| Some((day(v.article.published.as_deref()?)?, v)))
        .filter(|(_, v)| v.value.is_finite())
        .collect()
}

/// Whether a group is drawn as a timeline: its values come from at least two dates.
pub fn wanted(g: &Disagreement) -> bool {
    let days = dated(g);
    days.iter().any(|(d, _)| *d != days[0].0)
}

/// `lo..hi` padded by a twelfth on each side (a single value gets room around it).
fn padded(lo: f64, hi: f64) -> (f64, f64) {
    let pad = if hi > lo {
        (hi - lo) / 12.0
    } else {
        lo.abs().max(1.0) / 10.0
    };
    (lo - pad, hi + pad)
}

/// The lowest and highest of `xs`.
fn ends(xs: impl Iterator<Item = f64>) -> (f64, f64) {
    xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| (lo.min(x), hi.max(x)))
}

/// Maps days and values into the plot.
struct Plot {
    days: (f64, f64),
    values: (f64, f64),
}

impl Plot {
    fn x(&self, day: f64) -> f64 {
        LEFT + (day - self.days.0) / (self.days.1 - self.days.0) * (W - RIGHT - LEFT)
    }

    fn y(&self, v: f64) -> f64 {
        H - BOTTOM - (v - self.values.0) / (self.values.1 - self.values.0) * (H - BOTTOM - TOP)
    }
}

/// One figure: a dot at its date and value (a bar from its low to its high end for a
/// range), its source in a tooltip.
fn mark(s: &mut String, p: &Plot, day: f64, v: &ValueEntry) {
    let who = v.article.publisher.as_deref().unwrap_or(&v.article.path);
    let tip = format!(
        "{} ({}), {who}, {}:{}",
        v.text,
        v.qualifier.as_str(),
        v.article.path,
        v.line
    );
    let (x, c) = (p.x(day), v.cluster.min(5));
    match v.value_max.filter(|m| m.is_finite() && *m != v.value) {
        Some(m) => {
            let (top, bottom) = (p.y(v.value.max(m)), p.y(v.value.min(m)));
            let _ = writeln!(
                s,
                "<rect class=\"mark range c{c}\" x=\"{:.1}\" y=\"{top:.1}\" width=\"10\" height=\"{:.1}\" rx=\"5\">\
                 <title>{}</title></rect>",
                x - 5.0,
                (bottom - top).max(2.0),
                escape(&tip)
            );
        }
        None => {
            let _ = writeln!(
                s,
                "<circle class=\"mark dot c{c}\" cx=\"{x:.1}\" cy=\"{:.1}\" r=\"6\"><title>{}</title></circle>",
                p.y(v.value),
                escape(&tip)
            );
        }
    }
}

/// The axes: values on the left (lowest, highest and the preferred one, bold, with a
/// dashed line across), the first and last dates below.
fn axes(s: &mut String, p: &Plot, g: &Disagreement, (lo, hi): (f64, f64), dates: (&str, &str)) {
    let (x0, x1, y1) = (LEFT, W - RIGHT, H - BOTTOM);
    let py = p.y(g.preferred.value);
    let _ = write!(
        s,
        "<line class=\"axis\" x1=\"{x0}\" y1=\"{TOP}\" x2=\"{x0}\" y2=\"{y1}\"/>\
         <line class=\"axis\" x1=\"{x0}\" y1=\"{y1}\" x2=\"{x1}\" y2=\"{y1}\"/>\
         <line class=\"pref\" x1=\"{x0}\" y1=\"{py:.1}\" x2=\"{x1}\" y2=\"{py:.1}\"/>"
    );
    let mut ticks = vec![(g.preferred.value, "tick preferred")];
    for end in [lo, hi] {
        if (p.y(end) - py).abs() > 14.0 && ticks.iter().all(|(t, _)| *t != end) {
            ticks.push((end, "tick"));
        }
    }
    for (t, class) in ticks {
        let _ = write!(
            s,
            "<text class=\"{class}\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            x0 - 6.0,
            p.y(t) + 4.0,
            escape(&human_value(t, None, &g.unit))
        );
    }
    let _ = write!(
        s,
        "<text class=\"date\" x=\"{x0}\" y=\"{:.1}\" text-anchor=\"start\">{}</text>\
         <text class=\"date\" x=\"{x1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
        y1 + 20.0,
        escape(dates.0),
        y1 + 20.0,
        escape(dates.1)
    );
}

/// The timeline of group `n`: each dated value at its article's date.
pub fn draw(s: &mut String, n: usize, g: &Disagreement) {
    let points = dated(g);
    let (first, last) = ends(points.iter().map(|(d, _)| *d));
    let (lo, hi) = ends(
        (points.iter())
            .flat_map(|(_, v)| [v.value, v.value_max.unwrap_or(v.value)])
            .chain([g.preferred.value])
            .filter(|x| x.is_finite()),
    );
    let plot = Plot {
        days: padded(first, last),
        values: padded(lo, hi),
    };
    let undated = g.values.len() - points.len();
    let label = format!("{}: {} values against their articles' dates", title(g), points.len());
    let _ = write!(
        s,
        "<figure><svg class=\"chart timeline\" id=\"chart-g{n}\" viewBox=\"0 0 {W} {H}\" role=\"img\" \
         aria-label=\"{0}\" xmlns=\"http://www.w3.org/2000/svg\">\n<title>{0}</title>\n",
        escape(&label)
    );
    let date_of = |d: f64| {
        (points.iter())
            .find(|(x, _)| *x == d)
            .and_then(|(_, v)| v.article.published.as_deref())
    };
    axes(
        s,
        &plot,
        g,
        (lo, hi),
        (date_of(first).unwrap_or(""), date_of(last).unwrap_or("")),
    );
    for (d, v) in &points {
        mark(s, &plot, *d, v);
    }
    let left_out = match undated {
        0 => String::new(),
        1 => " One figure's article has no date and is left out.".into(),
        k => format!(" {k} figures whose articles have no date are left out."),
    };
    let _ = writeln!(
        s,
        "\n</svg><figcaption>Each figure at its article's publication date; dots are points, bars are \
         ranges, colours are clusters of agreeing figures; the dashed line is the preferred value, {}.{left_out}\
         </figcaption></figure>",
        escape(&human_value(g.preferred.value, g.preferred.value_max, &g.unit))
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_days() {
        assert_eq!(day("1970-01-02"), Some(1.0));
        assert_eq!(day("2026-03-01").zip(day("2026-02-28")).map(|(a, b)| a - b), Some(1.0));
        assert_eq!(day("2026-02-30"), None);
        assert_eq!(day("soon"), None);
    }
}
