//! Inside the chosen content, what to drop: bylines, captions, share bars, "More
//! stories" lists, the headline, and readability's "clean conditionally".

use std::sync::LazyLock;

use regex::Regex;

use super::analyse::{Analysis, Pass};
use super::arena::{Arena, Ev, F_BODY_HINT, F_BYLINE, F_CAPTION, F_HAS_QUOTE, F_JUNK, Tag, next_sibling};
use super::tuning::TUNING;
use super::words::{ends_with_stop, raw_text, similar};

/// Inside the content: which elements to drop (readability's "clean conditionally").
pub(super) fn prune(
    a: &Arena,
    an: &Analysis,
    scores: &[f32],
    roots: &[usize],
    pass: Pass,
    title: Option<&str>,
) -> Vec<bool> {
    let tune = &TUNING.prune;
    let mut drop = vec![false; a.els.len()];
    let mut title_seen = false;
    for &r in roots {
        let el = &a.els[r];
        for ev in a.evs.get(el.start..el.end).unwrap_or(&[]) {
            let Ev::Open(i) = *ev else { continue };
            if an.dead[i] {
                continue;
            }
            let e = &a.els[i];
            let is_root = roots.contains(&i);
            let mut d = is_short_chrome(a, an, i, is_root);
            if e.tag.is_heading() && drops_heading(a, an, i, pass, (title, &mut title_seen)) {
                d = true;
            }
            // "More stories", "Related", "You may also like" and the list under it.
            if !d && !is_root && is_related_label(a, an, i) {
                d = true;
                if let Some(n) = next_sibling(a, i)
                    && !an.dead[n]
                    && (matches!(a.els[n].tag, Tag::Ul | Tag::Ol)
                        || an.link_density(n) > tune.related_list_link_density)
                {
                    drop[n] = true;
                }
            }
            if pass.clean_conditionally && !is_root && !d {
                d = clean_conditionally(a, an, scores, i, pass);
            }
            if d {
                drop[i] = true;
            }
        }
    }
    drop
}

/// Short bylines, captions, share bars and promos (an embedded post quotes someone: that
/// is content, whatever its class says).
fn is_short_chrome(a: &Arena, an: &Analysis, i: usize, is_root: bool) -> bool {
    let tune = &TUNING.prune;
    let (e, st) = (&a.els[i], &an.stats[i]);
    let byline = e.flags & F_BYLINE != 0 && st.chars < tune.byline_max_chars && e.tag != Tag::P;
    let junk = e.flags & F_JUNK != 0
        && st.chars < tune.junk_max_chars
        && !is_root
        && e.flags & F_BODY_HINT == 0
        && st.quotes == 0;
    let caption = e.flags & F_CAPTION != 0 && st.chars < tune.caption_max_chars && !is_root && e.tag != Tag::P;
    byline || junk || caption || e.tag == Tag::Figcaption
}

/// A heading that is chrome (a negative class weight, mostly links) or the page's title,
/// dropped the first time it comes.
fn drops_heading(a: &Arena, an: &Analysis, i: usize, pass: Pass, (title, seen): (Option<&str>, &mut bool)) -> bool {
    let w = if pass.weigh_classes { a.els[i].weight } else { 0 };
    if w < 0 || an.link_density(i) > TUNING.prune.heading_max_link_density {
        return true;
    }
    if !*seen
        && let Some(title) = title
        && similar(&raw_text(a, i), title)
    {
        *seen = true;
        return true;
    }
    false
}

/// A short heading or leaf block that says "More stories", "Related", "You may also like".
fn is_related_label(a: &Arena, an: &Analysis, i: usize) -> bool {
    let (e, st) = (&a.els[i], &an.stats[i]);
    st.chars > 0
        && st.chars <= TUNING.prune.related_max_chars
        && (e.tag.is_heading() || (e.tag.is_block() && !e.has_block_child))
        && RELATED_TEXT.is_match(&raw_text(a, i))
}

static RELATED_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:related(?:\s+\w+)?|more\s+(?:\w+\s+){0,3}(?:stories|articles|news|reading|coverage|from\s+.*)|read\s+(?:more|next|also)|you\s+(?:may|might)\s+also\s+like|recommended(?:\s+\w+)?|most\s+(?:popular|read)|trending(?:\s+now)?|see\s+also|also\s+read)\W*$")
        .expect("static regex")
});

fn clean_conditionally(a: &Arena, an: &Analysis, scores: &[f32], i: usize, pass: Pass) -> bool {
    let tune = &TUNING.conditional;
    let e = &a.els[i];
    let st = &an.stats[i];
    let candidate = match e.tag {
        Tag::Form | Tag::Table | Tag::Ul | Tag::Ol | Tag::Section | Tag::Block => true,
        Tag::Div => e.has_block_child || st.chars < tune.short_chars,
        // A link-heavy paragraph is a "read more" line unless it reads as a sentence.
        Tag::P => {
            let ld = an.link_density(i);
            st.chars < tune.short_chars
                || ld > tune.para_max_link_density
                || (ld > tune.para_unfinished_link_density && !ends_with_stop(a, i))
        }
        Tag::Li => false,
        _ => false,
    };
    if !candidate {
        return false;
    }
    let is_list = matches!(e.tag, Tag::Ul | Tag::Ol)
        || (st.chars > 0 && st.li_chars as f32 / st.chars as f32 > tune.list_item_share);
    let weight = if pass.weigh_classes { e.weight } else { 0 };
    // An embedded post or a quotation, mostly text: content.
    if e.flags & F_HAS_QUOTE != 0 && an.link_density(i) < tune.quote_max_link_density && st.chars >= tune.short_chars {
        return false;
    }
    let content_score = if scores[i].is_finite() { scores[i] } else { 0.0 };
    if weight as f32 + content_score < 0.0 {
        return true;
    }
    // A list of links ("more stories") however long.
    if is_list && an.link_density(i) > tune.list_max_link_density {
        return true;
    }
    if st.commas >= tune.enough_commas {
        return false;
    }
    if st.chars == 0 {
        return st.imgs == 0 && st.embeds == 0;
    }
    let p = st.paras as f32;
    let img = st.imgs as f32;
    let li = st.lis as f32 - tune.list_item_allowance;
    let input = st.inputs as f32;
    let heading_density = st.heading_chars as f32 / st.chars as f32;
    let ld = an.link_density(i);
    let len = st.chars;
    let in_figure = an.in_figure[i];
    (img > tune.max_images && p / img < tune.min_paras_per_image && !in_figure)
        || (!is_list && li > p)
        || (input > (p / tune.paras_per_input).floor())
        || (!is_list
            && heading_density < tune.heading_share
            && len < tune.short_chars
            && (img == 0.0 || img > tune.many_images)
            && ld > 0.0)
        || (!is_list && weight < tune.trusted_weight && ld > tune.max_link_density)
        || (weight >= tune.trusted_weight && ld > tune.trusted_max_link_density)
        || ((st.embeds == tune.max_embeds && len < tune.embed_min_chars) || st.embeds > tune.max_embeds)
        || (is_list && ld > tune.list_max_link_density)
}
