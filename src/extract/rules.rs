//! The shape of every rule table of extraction (Duckling's): a rule is a value with a
//! name, the examples it covers, the negatives it must not decide, and a small function.
//! [`decide`] is the engine that applies a table in order and says which rule decided, so
//! that a reading can name it (`extract --explain`); the tables whose engine must do more
//! (periods scan a sentence, a subject's topic names what made it the topic) apply the
//! same rules in loops of their own.

/// A named rule: `applies` is a function of a figure and its neighbourhood (a `fn(&C) ->
/// R` for a context `C`, `R` a [`Fires`]); `E` is what an example holds: a sentence, a
/// figure in it and what the rule gives for it ([`Example`]), or what a table's test
/// reads.
pub struct Rule<F, E: 'static> {
    pub name: &'static str,
    /// Read by the test that runs every table.
    #[cfg_attr(not(test), allow(dead_code))]
    pub examples: &'static [E],
    /// Sentences and a figure in each that the rule must not decide.
    #[cfg_attr(not(test), allow(dead_code))]
    pub negatives: &'static [(&'static str, &'static str)],
    pub applies: F,
}

/// An example: a sentence, a figure in it (as its claim's text reads), and what the rule
/// gives for it.
pub type Example<V> = (&'static str, &'static str, V);

/// What a rule's function returns: whether it fires, and what it gives then.
pub trait Fires {
    type Value;
    fn fires(self) -> Option<Self::Value>;
}

/// A rule that only fires or not (it gives nothing more).
impl Fires for bool {
    type Value = ();
    fn fires(self) -> Option<()> {
        self.then_some(())
    }
}

impl<V> Fires for Option<V> {
    type Value = V;
    fn fires(self) -> Option<V> {
        self
    }
}

/// Words read by a rule: it fires when it finds some.
impl Fires for Vec<String> {
    type Value = Vec<String>;
    fn fires(self) -> Option<Vec<String>> {
        (!self.is_empty()).then_some(self)
    }
}

/// A table of rules over a context `C`, each returning an `R`, with examples `E`.
pub type Table<C, R, E> = [Rule<fn(&C) -> R, E>];

/// The first rule of `rules` that fires on `c`: what it gives and its name.
pub fn decide<C, R: Fires, E>(rules: &Table<C, R, E>, c: &C) -> Option<(R::Value, &'static str)> {
    rules.iter().find_map(|r| (r.applies)(c).fires().map(|v| (v, r.name)))
}
