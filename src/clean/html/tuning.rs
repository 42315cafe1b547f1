//! Every threshold and weight the HTML extractor uses, in one table ([`TUNING`]), grouped
//! by the step that reads it, in the order the steps run.
//!
//! Units: "characters" are characters of whitespace-collapsed text (a run of whitespace
//! counts once) unless a field says bytes; a "link density" is the share (0 to 1) of an
//! element's characters that sit inside links; a "score" is a readability-style content
//! score (one point per paragraph, one per comma, up to three for length); a "class
//! weight" is readability's class/id weight (±25 per hinting attribute).
//!
//! Counts written inside word patterns stay with their pattern: `more (up to 3 words)
//! stories` in `prune.rs`, and the length bounds of the dates and names the JSON-LD
//! fallback finds in broken blocks in `jsonld.rs`.

/// Every number the HTML extractor is tuned by, step by step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tuning {
    /// Before parsing: the depth limit.
    pub depth: DepthLimit,
    /// Reading tags and attributes: readability's class/id weights.
    pub classes: ClassWeights,
    /// Page metadata: byline, title and JSON-LD.
    pub meta: Metadata,
    /// Telling a heading (or a `<title>` tail) names the page's title (or its site).
    pub headline: Headline,
    /// One pass's text facts: link text and pop-up link cards.
    pub facts: TextFacts,
    /// Scoring paragraphs and the containers that hold them.
    pub score: Scoring,
    /// Choosing the best container.
    pub choose: Choice,
    /// Adding the chosen container's siblings.
    pub siblings: Siblings,
    /// Dropping bylines, captions, promos, "More stories" and the headline from the content.
    pub prune: Pruning,
    /// Readability's "clean conditionally": dropping link lists, forms, image piles, embeds.
    pub conditional: Conditional,
    /// Running the passes, strict first.
    pub passes: Passes,
}

/// The depth limit applied to the source before parsing (`depth.rs`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DepthLimit {
    /// Deepest element nesting the parser is given, in levels; start and end tags deeper
    /// than this are cut (Chromium's parser stops nesting at 512 too). html5ever's tree
    /// builder is quadratic in nesting depth.
    pub max_nesting: usize,
}

/// Readability's class/id weights, read from each element's attributes (`classify.rs`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClassWeights {
    /// Class weight added for each of `class` and `id` that says "content" (`article`,
    /// `body`, `story`, ...).
    pub positive: i32,
    /// Class weight added (it is negative) for each of `class` and `id` that says "not
    /// content" (`sidebar`, `comment`, `share`, ...).
    pub negative: i32,
    /// Class weight added for `itemprop=articleBody`.
    pub article_body: i32,
}

/// Page metadata (`metadata.rs`, `jsonld.rs`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Metadata {
    /// A byline longer than this, in bytes (after "By" and any date are cut), is not one.
    pub byline_max_bytes: usize,
    /// A byline element's text with more than this many words is not a byline.
    pub byline_max_words: usize,
    /// A `<title>` tail after " | " or " - " is taken for a site name, without the site
    /// being known, when the head has at least this many words...
    pub site_suffix_min_head_words: usize,
    /// ...and the tail at most this many (and fewer than the head).
    pub site_suffix_max_tail_words: usize,
    /// How many ancestors are walked, at most, to tell a byline element is inside page
    /// chrome.
    pub chrome_max_steps: usize,
    /// JSON-LD objects read, at most, from one block (top-level arrays and `@graph`
    /// flattened); reading stops after one more than this.
    pub ld_max_objects: usize,
}

/// A heading that is the page's title, give or take a site name (`words.rs`, `similar`;
/// read by the headline drop in `prune.rs` and by the title and site name in `metadata.rs`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Headline {
    /// At least this share (0 to 1) of the heading's words are in the title...
    pub shared_words: f32,
    /// ...and the heading has at least this share (0 to 1) as many words as the title.
    pub min_word_ratio: f32,
}

/// One pass's text facts (`analyse.rs`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextFacts {
    /// Share (0 to 1) of a same-page link's (`href="#..."`) characters counted as link
    /// text: footnote and table-of-contents links are not navigation.
    pub hash_link_weight: f32,
    /// A phrase element (a `<span>` in running text) is a pop-up card of links, and is
    /// dropped, when it holds at least this many links...
    pub card_min_links: u32,
    /// ...and at least this many characters...
    pub card_min_chars: u32,
    /// ...of which more than this share (0 to 1) is link text.
    pub card_link_share: f32,
}

/// Readability-style scores of paragraphs and containers (`select.rs`, `score`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scoring {
    /// Starting score of a `<div>`, `<article>` or `<main>` that a paragraph scores for.
    pub container: f32,
    /// Starting score of a `<pre>`, `<td>` or `<blockquote>`.
    pub text_block: f32,
    /// Starting score of a list, list item, definition list, form or other block
    /// (negative).
    pub list_or_form: f32,
    /// Starting score of a heading or `<th>` (negative).
    pub heading: f32,
    /// A paragraph scores only when its own text has at least this many characters.
    pub min_para_chars: u32,
    /// Score of a paragraph before its commas and length: points.
    pub para_base: f32,
    /// A paragraph scores one more point per this many characters of its own text...
    pub chars_per_point: u32,
    /// ...up to this many points.
    pub max_length_points: u32,
    /// A paragraph's score goes to this many ancestors (parent first), stopping at `<html>`.
    pub ancestor_levels: usize,
    /// The parent gets the paragraph's score divided by this.
    pub parent_divisor: f32,
    /// The grandparent gets the paragraph's score divided by this.
    pub grandparent_divisor: f32,
    /// An ancestor `level` steps up (0 the parent, 2 and above) gets the score divided by
    /// `level` times this.
    pub level_divisor: f32,
}

/// Choosing the best container (`select.rs`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Choice {
    /// How many of the top-scoring candidates are looked at for strong alternatives.
    pub top_candidates: usize,
    /// An alternative is strong when it scores at least this share (0 to 1) of the best.
    pub strong_share: f32,
    /// When at least this many strong alternatives exist, the nearest ancestor of the best
    /// (below `<body>`) holding at least this many of them is chosen instead.
    pub strong_needed: usize,
    /// Climbing from the best candidate to a better-scoring ancestor stops at an ancestor
    /// scoring under the best's score divided by this.
    pub climb_floor_divisor: f32,
    /// A single chosen container is narrowed to a hinted element (`<article>`, `<main>`,
    /// `itemprop=articleBody`, `article-body`) inside it that holds at least this share
    /// (0 to 1) of its paragraph score mass.
    pub hint_mass_share: f32,
}

/// Which siblings of the chosen container join it (`select.rs`, `with_siblings`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Siblings {
    /// A sibling joins when it scores at least this share (0 to 1) of the best score...
    pub score_share: f32,
    /// ...or at least this score, whichever is higher.
    pub min_score: f32,
    /// Bonus, as a share (0 to 1) of the best score, for a sibling with a positive class
    /// weight beside a best candidate with one.
    pub class_bonus_share: f32,
    /// A sibling of the best's kind (same tag and class) with a link density under this
    /// scores as well as the best candidate it wraps.
    pub same_kind_max_link_density: f32,
    /// A sibling paragraph of more than this many characters is prose when its link
    /// density is under [`Siblings::prose_max_link_density`]; one of at most this many
    /// when it has no links and reads like a sentence.
    pub long_prose_chars: u32,
    /// See [`Siblings::long_prose_chars`].
    pub prose_max_link_density: f32,
}

/// What is dropped from inside the chosen content (`prune.rs`, `prune`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pruning {
    /// A byline element (not a `<p>`) of fewer than this many characters is dropped.
    pub byline_max_chars: u32,
    /// A share bar, promo or newsletter box of fewer than this many characters is dropped.
    pub junk_max_chars: u32,
    /// A caption, credit or dateline (not a `<p>`) of fewer than this many characters is
    /// dropped.
    pub caption_max_chars: u32,
    /// A heading with a link density above this is dropped.
    pub heading_max_link_density: f32,
    /// A heading or paragraph of at most this many characters is read for "More stories",
    /// "Related" and the like.
    pub related_max_chars: u32,
    /// The element after such a heading is dropped with it when it is a list, or when its
    /// link density is above this.
    pub related_list_link_density: f32,
}

/// Readability's "clean conditionally" (`prune.rs`, `clean_conditionally`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Conditional {
    /// Text of fewer than this many characters is short: a short `<div>` or `<p>` is
    /// looked at, a quotation is content only when not short, and short text with links
    /// is dropped.
    pub short_chars: u32,
    /// A `<p>` with a link density above this is looked at...
    pub para_max_link_density: f32,
    /// ...and so is one above this that does not end like a sentence.
    pub para_unfinished_link_density: f32,
    /// An element is a list when more than this share (0 to 1) of its characters is in
    /// list items.
    pub list_item_share: f32,
    /// A quotation or embedded post with a link density under this is content.
    pub quote_max_link_density: f32,
    /// A list with a link density above this is a list of links, dropped however long.
    pub list_max_link_density: f32,
    /// An element with at least this many commas is prose, kept.
    pub enough_commas: u32,
    /// List items beyond the element's paragraphs that are allowed before a non-list is
    /// dropped for holding more list items than paragraphs (readability's `li - 100`).
    pub list_item_allowance: f32,
    /// An element with more than this many images (outside a `<figure>`)...
    pub max_images: f32,
    /// ...and fewer than this many paragraphs per image is dropped.
    pub min_paras_per_image: f32,
    /// An element with more form fields than its paragraphs divided by this (rounded
    /// down) is dropped.
    pub paras_per_input: f32,
    /// Short text of a non-list with links is dropped when less than this share (0 to 1)
    /// of it is in headings...
    pub heading_share: f32,
    /// ...and when it has no image or more than this many images.
    pub many_images: f32,
    /// A class weight of at least this trusts the element: its link density may reach
    /// [`Conditional::trusted_max_link_density`] instead of
    /// [`Conditional::max_link_density`].
    pub trusted_weight: i32,
    /// A non-list element with a class weight under [`Conditional::trusted_weight`] and a
    /// link density above this is dropped.
    pub max_link_density: f32,
    /// An element with a class weight of at least [`Conditional::trusted_weight`] and a
    /// link density above this is dropped.
    pub trusted_max_link_density: f32,
    /// An element with more than this many embeds (video, iframe, ...) is dropped...
    pub max_embeds: u32,
    /// ...and so is one with exactly that many and fewer than this many characters.
    pub embed_min_chars: u32,
}

/// Running the passes (`mod.rs`, `extract_body`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Passes {
    /// A pass whose body has at least this many characters (of the laid-out text, blank
    /// lines between blocks left out) is taken at once; otherwise the next, looser pass
    /// runs, and when none reaches it the longest body wins.
    pub enough_chars: usize,
}

/// The numbers the HTML extractor uses.
pub const TUNING: Tuning = Tuning {
    depth: DepthLimit { max_nesting: 512 },
    classes: ClassWeights {
        positive: 25,
        negative: -25,
        article_body: 25,
    },
    meta: Metadata {
        byline_max_bytes: 100,
        byline_max_words: 12,
        site_suffix_min_head_words: 3,
        site_suffix_max_tail_words: 4,
        chrome_max_steps: 4096,
        ld_max_objects: 200,
    },
    headline: Headline {
        shared_words: 0.8,
        min_word_ratio: 0.6,
    },
    facts: TextFacts {
        hash_link_weight: 0.3,
        card_min_links: 3,
        card_min_chars: 100,
        card_link_share: 0.8,
    },
    score: Scoring {
        container: 5.0,
        text_block: 3.0,
        list_or_form: -3.0,
        heading: -5.0,
        min_para_chars: 25,
        para_base: 1.0,
        chars_per_point: 100,
        max_length_points: 3,
        ancestor_levels: 5,
        parent_divisor: 1.0,
        grandparent_divisor: 2.0,
        level_divisor: 3.0,
    },
    choose: Choice {
        top_candidates: 5,
        strong_share: 0.75,
        strong_needed: 3,
        climb_floor_divisor: 3.0,
        hint_mass_share: 0.85,
    },
    siblings: Siblings {
        score_share: 0.2,
        min_score: 10.0,
        class_bonus_share: 0.2,
        same_kind_max_link_density: 0.3,
        long_prose_chars: 80,
        prose_max_link_density: 0.25,
    },
    prune: Pruning {
        byline_max_chars: 100,
        junk_max_chars: 500,
        caption_max_chars: 250,
        heading_max_link_density: 0.33,
        related_max_chars: 60,
        related_list_link_density: 0.3,
    },
    conditional: Conditional {
        short_chars: 25,
        para_max_link_density: 0.9,
        para_unfinished_link_density: 0.5,
        list_item_share: 0.9,
        quote_max_link_density: 0.5,
        list_max_link_density: 0.5,
        enough_commas: 10,
        list_item_allowance: 100.0,
        max_images: 1.0,
        min_paras_per_image: 0.5,
        paras_per_input: 3.0,
        heading_share: 0.9,
        many_images: 2.0,
        trusted_weight: 25,
        max_link_density: 0.2,
        trusted_max_link_density: 0.5,
        max_embeds: 1,
        embed_min_chars: 75,
    },
    passes: Passes { enough_chars: 500 },
};
