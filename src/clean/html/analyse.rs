//! One pass's facts: which elements are dead, and the text of every live subtree
//! (characters, commas, links, paragraphs, list items, images, form fields).

use super::arena::{Arena, El, Ev, F_DROP, F_HAS_QUOTE, F_HASH_LINK, F_UNLIKELY, NONE, Tag};
use super::tuning::TUNING;

/// Per-pass facts about every element.
#[derive(Clone, Default)]
pub(super) struct Stats {
    /// Characters of (whitespace-collapsed) text in the subtree, without dead parts.
    pub(super) chars: u32,
    pub(super) link_chars: f32,
    pub(super) links: u32,
    pub(super) quotes: u32,
    pub(super) commas: u32,
    pub(super) paras: u32,
    pub(super) imgs: u32,
    pub(super) lis: u32,
    pub(super) li_chars: u32,
    pub(super) inputs: u32,
    pub(super) embeds: u32,
    pub(super) heading_chars: u32,
}

#[derive(Clone, Copy)]
pub(super) struct Pass {
    pub(super) strip_unlikely: bool,
    pub(super) weigh_classes: bool,
    pub(super) clean_conditionally: bool,
}

fn count_chars(s: &str) -> (u32, u32) {
    // Collapsed length: runs of whitespace count once.
    let mut n = 0u32;
    let mut commas = 0u32;
    let mut in_ws = true;
    for c in s.chars() {
        if c.is_whitespace() {
            if !in_ws {
                n += 1;
                in_ws = true;
            }
        } else {
            n += 1;
            in_ws = false;
            if matches!(
                c,
                ',' | '\u{060C}'
                    | '\u{FE50}'
                    | '\u{FE10}'
                    | '\u{FE11}'
                    | '\u{2E41}'
                    | '\u{2E34}'
                    | '\u{2E32}'
                    | '\u{FF0C}'
            ) {
                commas += 1;
            }
        }
    }
    (n, commas)
}

pub(super) struct Analysis {
    pub(super) dead: Vec<bool>,
    /// Inside a `<figure>`.
    pub(super) in_figure: Vec<bool>,
    pub(super) stats: Vec<Stats>,
    /// Own paragraph text length (text not inside a child block), per element.
    pub(super) own_chars: Vec<u32>,
    pub(super) own_commas: Vec<u32>,
}

/// One pass's view of the page: what is dead, and the text facts of every live subtree.
pub(super) fn analyse(a: &Arena, pass: Pass) -> Analysis {
    let (mut dead, in_figure) = mark_dead(a, pass);
    let (mut stats, own_chars, own_commas) = count_text(a, &dead);
    fold_stats(a, &mut dead, &mut stats);
    Analysis {
        dead,
        in_figure,
        stats,
        own_chars,
        own_commas,
    }
}

/// Which elements are dead in this pass (chrome, and unlikely ones in the strict pass,
/// with everything under them), and which sit inside a `<figure>`.
fn mark_dead(a: &Arena, pass: Pass) -> (Vec<bool>, Vec<bool>) {
    let n = a.els.len();
    let mut dead = vec![false; n];
    let mut in_figure = vec![false; n];
    for i in 0..n {
        let el = &a.els[i];
        let p = el.parent;
        let inherited = p != NONE && dead.get(p).copied().unwrap_or(false);
        dead[i] = inherited
            || el.flags & F_DROP != 0
            || (pass.strip_unlikely && el.flags & F_UNLIKELY != 0 && el.flags & F_HAS_QUOTE == 0);
        in_figure[i] = p != NONE && (a.els[p].tag == Tag::Figure || in_figure.get(p).copied().unwrap_or(false));
    }
    (dead, in_figure)
}

/// Live text counted where it sits: characters and commas per owning element, and per
/// nearest block ancestor (its own paragraph text).
fn count_text(a: &Arena, dead: &[bool]) -> (Vec<Stats>, Vec<u32>, Vec<u32>) {
    let n = a.els.len();
    let mut stats = vec![Stats::default(); n];
    let mut own_chars = vec![0u32; n];
    let mut own_commas = vec![0u32; n];
    for ev in &a.evs {
        if let Ev::Text(owner, s, e, _) = *ev {
            if dead.get(owner).copied().unwrap_or(true) {
                continue;
            }
            let (c, k) = count_chars(a.text.get(s..e).unwrap_or(""));
            if let Some(st) = stats.get_mut(owner) {
                st.chars += c;
                st.commas += k;
            }
            // Own text belongs to the nearest block ancestor.
            let mut b = owner;
            while b != NONE && !a.els[b].tag.is_block() {
                b = a.els[b].parent;
            }
            if b != NONE {
                own_chars[b] += c;
                own_commas[b] += k;
            }
        }
    }
    (stats, own_chars, own_commas)
}

/// Folds the subtree sums bottom-up (children come after their parents); a pop-up card
/// of links found on the way dies.
fn fold_stats(a: &Arena, dead: &mut [bool], stats: &mut [Stats]) {
    for i in (0..a.els.len()).rev() {
        if dead[i] {
            // Form fields are never text, but they tell a form from prose.
            let p = a.els[i].parent;
            if a.els[i].tag == Tag::Input && p != NONE && !dead[p] {
                stats[p].inputs += 1;
            }
            continue;
        }
        if !count_own_kind(&a.els[i], &mut stats[i]) {
            dead[i] = true;
            continue;
        }
        let p = a.els[i].parent;
        if p != NONE && !dead[p] {
            let s = stats[i].clone();
            stats[p].add(&s);
        }
    }
}

/// Counts what the element itself is (a link, a paragraph, an image, ...) into its
/// subtree facts; `false` for a pop-up card inside running text (a person's latest
/// stories, a definition box): a phrase element that is a pile of links.
fn count_own_kind(el: &El, st: &mut Stats) -> bool {
    let tune = &TUNING.facts;
    match el.tag {
        Tag::A => {
            let w = if el.flags & F_HASH_LINK != 0 {
                tune.hash_link_weight
            } else {
                1.0
            };
            st.link_chars = st.chars as f32 * w;
            st.links += 1;
        }
        Tag::Inline
            if st.links >= tune.card_min_links
                && st.chars >= tune.card_min_chars
                && st.link_chars > tune.card_link_share * st.chars as f32 =>
        {
            return false;
        }
        Tag::P => st.paras += 1,
        Tag::Blockquote => st.quotes += 1,
        Tag::Img => st.imgs += 1,
        Tag::Li => {
            st.lis += 1;
            st.li_chars = st.chars;
        }
        Tag::Embed => st.embeds += 1,
        t if t.is_heading() => st.heading_chars = st.chars,
        _ => {}
    }
    true
}

impl Stats {
    /// Adds a child's subtree facts to its parent's.
    fn add(&mut self, s: &Stats) {
        self.chars += s.chars;
        self.link_chars += s.link_chars;
        self.links += s.links;
        self.quotes += s.quotes;
        self.commas += s.commas;
        self.paras += s.paras;
        self.imgs += s.imgs;
        self.lis += s.lis;
        self.li_chars += s.li_chars;
        self.inputs += s.inputs;
        self.embeds += s.embeds;
        self.heading_chars += s.heading_chars;
    }
}

impl Analysis {
    pub(super) fn link_density(&self, i: usize) -> f32 {
        let s = &self.stats[i];
        if s.chars == 0 {
            0.0
        } else {
            (s.link_chars / s.chars as f32).min(1.0)
        }
    }
}
