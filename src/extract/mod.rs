//! extract: numeric claims, footnote citations and the source list of one article.

use crate::clean::Cleaned;
use crate::model::{Citation, Claim, Source};
use crate::segment::Unit;

/// Everything extracted from one article. Offsets point into [`Cleaned::text`].
#[derive(Debug, Default, Clone)]
pub struct Extraction {
    pub claims: Vec<Claim>,
    pub citations: Vec<Citation>,
    pub sources: Vec<Source>,
    pub warnings: Vec<String>,
}

/// Extracts claims, citations and sources from a cleaned, segmented article.
pub fn extract(_cleaned: &Cleaned, _units: &[Unit]) -> Extraction {
    Extraction::default()
}
