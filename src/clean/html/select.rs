//! Scoring and choosing the article body: readability-style paragraph scores given to
//! ancestors, the best candidate, its ancestors and siblings, and the hinted element
//! (`<article>`, `itemprop=articleBody`) that holds nearly all of its paragraphs.

use super::analyse::{Analysis, Pass};
use super::arena::{Arena, El, Ev, F_BODY_HINT, NONE, Tag, children};
use super::tuning::TUNING;
use super::words::ends_sentence;

fn initial_score(a: &Arena, i: usize, pass: Pass) -> f32 {
    let el = &a.els[i];
    let tune = &TUNING.score;
    let base = match el.tag {
        Tag::Div | Tag::Article | Tag::Main => tune.container,
        Tag::Pre | Tag::Td | Tag::Blockquote => tune.text_block,
        Tag::Ol | Tag::Ul | Tag::Dl | Tag::Dd | Tag::Dt | Tag::Li | Tag::Form | Tag::Block => tune.list_or_form,
        Tag::H1 | Tag::H(_) | Tag::Th => tune.heading,
        _ => 0.0,
    };
    let w = if pass.weigh_classes { el.weight as f32 } else { 0.0 };
    base + w
}

/// Readability-style candidate scores (`-inf` for elements that are not candidates), and
/// the paragraph score mass of each subtree (the sum of its paragraphs' scores).
pub(super) fn score(a: &Arena, an: &Analysis, pass: Pass) -> (Vec<f32>, Vec<f32>) {
    let tune = &TUNING.score;
    let n = a.els.len();
    let mut score = vec![0f32; n];
    let mut init = vec![false; n];
    let mut mass = vec![0f32; n];
    for (i, el) in a.els.iter().enumerate() {
        if an.dead[i] {
            continue;
        }
        let len = an.own_chars[i];
        if len < tune.min_para_chars {
            continue;
        }
        // A paragraph: a `<p>`-like element, or a block whose text is not split by blocks.
        // Text loose in a container scores for the container itself.
        let para_like = el.tag.is_para() || !el.has_block_child;
        if !para_like && !matches!(el.tag, Tag::Div | Tag::Section | Tag::Article | Tag::Main | Tag::Td) {
            continue;
        }
        let s =
            tune.para_base + an.own_commas[i] as f32 + (len / tune.chars_per_point).min(tune.max_length_points) as f32;
        mass[i] += s;
        let mut anc = if para_like { el.parent } else { i };
        let mut level = 0;
        while anc != NONE && level < tune.ancestor_levels {
            if matches!(a.els[anc].tag, Tag::Html) {
                break;
            }
            if !init[anc] {
                init[anc] = true;
                score[anc] = initial_score(a, anc, pass);
            }
            let div = match level {
                0 => tune.parent_divisor,
                1 => tune.grandparent_divisor,
                l => l as f32 * tune.level_divisor,
            };
            score[anc] += s / div;
            anc = a.els[anc].parent;
            level += 1;
        }
    }
    for i in 0..n {
        if init[i] {
            score[i] *= 1.0 - an.link_density(i);
        } else {
            score[i] = f32::NEG_INFINITY;
        }
    }
    for i in (0..n).rev() {
        let p = a.els[i].parent;
        if p != NONE && !an.dead[i] {
            mass[p] += mass[i];
        }
    }
    (score, mass)
}

/// Elements that say they hold the article: `<article>`, `<main>`, `itemprop=articleBody`,
/// classes like `article-body` or `entry-content`.
fn is_hinted(el: &El) -> bool {
    matches!(el.tag, Tag::Article | Tag::Main) || el.flags & F_BODY_HINT != 0
}

/// A single chosen container that holds a hinted element with nearly all of its
/// paragraphs: the hinted element is the article, the rest is page around it.
pub(super) fn narrow(a: &Arena, an: &Analysis, mass: &[f32], roots: Vec<usize>) -> Vec<usize> {
    let [r] = roots.as_slice() else {
        return roots;
    };
    let r = *r;
    let total = mass[r];
    if total <= 0.0 {
        return roots;
    }
    let el = &a.els[r];
    let mut best = r;
    for ev in a.evs.get(el.start + 1..el.end).unwrap_or(&[]) {
        let Ev::Open(i) = *ev else { continue };
        if !an.dead[i] && is_hinted(&a.els[i]) && mass[i] >= TUNING.choose.hint_mass_share * total {
            best = i;
        }
    }
    vec![best]
}

/// The elements whose text makes the article, in document order.
pub(super) fn select(a: &Arena, an: &Analysis, scores: &[f32], pass: Pass) -> Vec<usize> {
    let n = a.els.len();
    let body = (0..n).find(|&i| a.els[i].tag == Tag::Body && !an.dead[i]);
    let best = top_candidate(a, an, scores);
    if best == NONE || Some(best) == body || a.els[best].tag == Tag::Html {
        return body.into_iter().collect();
    }
    let best = ancestor_of_strong_candidates(a, an, scores, best, body);
    let best = climb_while_scoring(a, scores, best, body);
    let best = climb_only_children(a, an, best, body);
    with_siblings(a, an, scores, best, pass)
}

/// The live candidate with the highest score (the first of equals), or `NONE`.
fn top_candidate(a: &Arena, an: &Analysis, scores: &[f32]) -> usize {
    let mut best = NONE;
    for i in 0..a.els.len() {
        if scores[i].is_finite() && !an.dead[i] && (best == NONE || scores[i] > scores[best]) {
            best = i;
        }
    }
    best
}

/// Several strong candidates under one ancestor: take the ancestor. Three of the top
/// five score within 75% of `best` and share an ancestor below `body`: that ancestor
/// (the numbers are `TUNING.choose`).
fn ancestor_of_strong_candidates(a: &Arena, an: &Analysis, scores: &[f32], best: usize, body: Option<usize>) -> usize {
    let tune = &TUNING.choose;
    let n = a.els.len();
    let top_score = scores[best];
    let mut tops: Vec<usize> = (0..n).filter(|&i| scores[i].is_finite() && !an.dead[i]).collect();
    tops.sort_by(|x, y| scores[*y].total_cmp(&scores[*x]));
    tops.truncate(tune.top_candidates);
    let alts: Vec<usize> = tops
        .iter()
        .copied()
        .filter(|&i| i != best && scores[i] >= top_score * tune.strong_share)
        .collect();
    if alts.len() < tune.strong_needed {
        return best;
    }
    let mut p = a.els[best].parent;
    while p != NONE && Some(p) != body {
        let contains = alts
            .iter()
            .filter(|&&c| a.els[p].start < a.els[c].start && a.els[c].end <= a.els[p].end)
            .count();
        if contains >= tune.strong_needed {
            return p;
        }
        p = a.els[p].parent;
    }
    best
}

/// Climbs while the parent scores at least as well: the first ancestor scoring above
/// the last one seen, unless one on the way scores under a third of `best`.
fn climb_while_scoring(a: &Arena, scores: &[f32], best: usize, body: Option<usize>) -> usize {
    let mut last = scores[best];
    let threshold = last / TUNING.choose.climb_floor_divisor;
    let mut p = a.els[best].parent;
    while p != NONE && Some(p) != body && a.els[p].tag != Tag::Html {
        if !scores[p].is_finite() {
            p = a.els[p].parent;
            continue;
        }
        if scores[p] < threshold {
            break;
        }
        if scores[p] > last {
            return p;
        }
        last = scores[p];
        p = a.els[p].parent;
    }
    best
}

/// An only child: take the parent (up to `body`).
fn climb_only_children(a: &Arena, an: &Analysis, mut best: usize, body: Option<usize>) -> usize {
    loop {
        let p = a.els[best].parent;
        if p == NONE || Some(p) == body || a.els[p].tag == Tag::Html {
            break;
        }
        let live: Vec<usize> = children(a, p).into_iter().filter(|&c| !an.dead[c]).collect();
        if live.len() == 1 {
            best = p;
        } else {
            break;
        }
    }
    best
}

/// `best` with its siblings that score well, or read like prose, in document order.
fn with_siblings(a: &Arena, an: &Analysis, scores: &[f32], best: usize, pass: Pass) -> Vec<usize> {
    let top_score = if scores[best].is_finite() { scores[best] } else { 0.0 };
    let parent = a.els[best].parent;
    if parent == NONE {
        return vec![best];
    }
    let tune = &TUNING.siblings;
    let threshold = (top_score * tune.score_share).max(tune.min_score);
    let mut out = Vec::new();
    for s in children(a, parent) {
        if s == best {
            out.push(s);
            continue;
        }
        if an.dead[s] {
            continue;
        }
        let mut bonus = 0.0;
        if pass.weigh_classes && a.els[s].weight > 0 && a.els[best].weight > 0 {
            bonus = top_score * tune.class_bonus_share;
        }
        let sib_score = sibling_score(a, an, scores, s, best);
        if sib_score.is_finite() && sib_score + bonus >= threshold {
            out.push(s);
            continue;
        }
        if reads_as_prose(a, an, s) {
            out.push(s);
        }
    }
    out
}

/// A sibling's score; a sibling of `best`'s kind (same tag and class) with few links is
/// as good as the best candidate it wraps.
fn sibling_score(a: &Arena, an: &Analysis, scores: &[f32], s: usize, best: usize) -> f32 {
    // A wrapper around a good candidate is as good as the candidate.
    let sib = &a.els[s];
    let inner = a
        .evs
        .get(sib.start..sib.end)
        .unwrap_or(&[])
        .iter()
        .filter_map(|ev| match *ev {
            Ev::Open(d) if !an.dead[d] => Some(scores[d]),
            _ => None,
        })
        .fold(f32::NEG_INFINITY, f32::max);
    let same_kind = sib.class_hash != 0 && sib.tag == a.els[best].tag && sib.class_hash == a.els[best].class_hash;
    if same_kind && an.link_density(s) < TUNING.siblings.same_kind_max_link_density {
        inner.max(scores[s])
    } else {
        scores[s]
    }
}

/// A `<p>` (or a `<div>` holding no blocks) of prose: long with few links, or short,
/// linkless and sentence-like.
fn reads_as_prose(a: &Arena, an: &Analysis, s: usize) -> bool {
    if !(a.els[s].tag == Tag::P || (a.els[s].tag == Tag::Div && !a.els[s].has_block_child)) {
        return false;
    }
    let len = an.stats[s].chars;
    let ld = an.link_density(s);
    let tune = &TUNING.siblings;
    (len > tune.long_prose_chars && ld < tune.prose_max_link_density)
        || (len > 0 && len <= tune.long_prose_chars && ld == 0.0 && ends_sentence(a, s))
}
