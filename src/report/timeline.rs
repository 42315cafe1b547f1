//! The HTML report's timeline: a group's values against their articles' dates, drawn
//! instead of the one-axis strip when the articles were published on different days
//! (a figure that moved over time reads as a line of dots, not as a disagreement).

use maud::{Markup, html};

use super::html::at;
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
fn mark(p: &Plot, day: f64, v: &ValueEntry) -> Markup {
    let a = &v.article;
    let who = a.publisher.as_deref().unwrap_or(&a.path);
    let tip = format!("{} ({}), {who}, {}:{}", v.text, v.qualifier.as_str(), a.path, v.line);
    let (x, c) = (p.x(day), v.cluster.min(5));
    match v.value_max.filter(|m| m.is_finite() && *m != v.value) {
        Some(m) => {
            let (top, bottom) = (p.y(v.value.max(m)), p.y(v.value.min(m)));
            html! {
                rect class={ "mark range c" (c) } x=(at(x - 5.0)) y=(at(top)) width="10" height=(at((bottom - top).max(2.0))) rx="5" {
                    title { (tip) }
                }
            }
        }
        None => html! {
            circle class={ "mark dot c" (c) } cx=(at(x)) cy=(at(p.y(v.value))) r="6" { title { (tip) } }
        },
    }
}

/// The axes: values on the left (lowest, highest and the preferred one, bold, with a
/// dashed line across), the first and last dates below.
fn axes(p: &Plot, g: &Disagreement, (lo, hi): (f64, f64), dates: (&str, &str)) -> Markup {
    let (x0, x1, y1) = (LEFT, W - RIGHT, H - BOTTOM);
    let py = p.y(g.preferred.value);
    let mut ticks = vec![(g.preferred.value, "tick preferred")];
    for end in [lo, hi] {
        if (p.y(end) - py).abs() > 14.0 && ticks.iter().all(|(t, _)| *t != end) {
            ticks.push((end, "tick"));
        }
    }
    html! {
        line class="axis" x1=(x0) y1=(TOP) x2=(x0) y2=(y1) {}
        line class="axis" x1=(x0) y1=(y1) x2=(x1) y2=(y1) {}
        line class="pref" x1=(x0) y1=(at(py)) x2=(x1) y2=(at(py)) {}
        @for (t, class) in ticks {
            text class=(class) x=(at(x0 - 6.0)) y=(at(p.y(t) + 4.0)) text-anchor="end" { (human_value(t, None, &g.unit)) }
        }
        text class="date" x=(x0) y=(at(y1 + 20.0)) text-anchor="start" { (dates.0) }
        text class="date" x=(x1) y=(at(y1 + 20.0)) text-anchor="end" { (dates.1) }
    }
}

/// The timeline of group `n`: each dated value at its article's date.
pub fn draw(n: usize, g: &Disagreement) -> Markup {
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
    let label = format!("{}: {} values against their articles' dates", title(g), points.len());
    let date_of = |d: f64| {
        (points.iter())
            .find(|(x, _)| *x == d)
            .and_then(|(_, v)| v.article.published.as_deref())
    };
    let dates = (date_of(first).unwrap_or(""), date_of(last).unwrap_or(""));
    let left_out = match g.values.len() - points.len() {
        0 => String::new(),
        1 => " One figure's article has no date and is left out.".into(),
        k => format!(" {k} figures whose articles have no date are left out."),
    };
    let preferred = human_value(g.preferred.value, g.preferred.value_max, &g.unit);
    html! {
        figure {
            svg class="chart timeline" id={ "chart-g" (n) } viewBox={ "0 0 " (W) " " (H) } role="img"
                aria-label=(label) xmlns="http://www.w3.org/2000/svg" {
                title { (label) }
                (axes(&plot, g, (lo, hi), dates))
                @for (d, v) in &points { (mark(&plot, *d, v)) }
            }
            figcaption {
                "Each figure at its article's publication date; dots are points, bars are ranges, colours are \
                 clusters of agreeing figures; the dashed line is the preferred value, " (preferred) "." (left_out)
            }
        }
    }
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
