//! Fault points for tests: nothing happens unless a test sets one of two variables.
//!
//! `CLAIMDEX_FAIL_AT=NAME` ends the process at once at the point called NAME, as a kill
//! would (exit code [`FAULT_EXIT`], no clean-up, no message); `CLAIMDEX_PAUSE_AT=NAME:MS`
//! waits MS milliseconds there (at most a minute), so that a test can look at the world
//! from outside at that moment. They are for claimdex's own tests only; no user needs them.
//!
//! Points: `create-before-rename` (a new index built and committed in its temporary
//! folder, not yet renamed into place).

/// The exit code of a process ended at a fault point.
pub const FAULT_EXIT: i32 = 86;

/// Runs fault point `name`: ends or pauses the process if a test asked for it.
pub fn point(name: &str) {
    if std::env::var_os("CLAIMDEX_FAIL_AT").is_some_and(|v| v == name) {
        std::process::exit(FAULT_EXIT);
    }
    if let Ok(v) = std::env::var("CLAIMDEX_PAUSE_AT")
        && let Some((at, ms)) = v.split_once(':')
        && at == name
        && let Ok(ms) = ms.parse::<u64>()
    {
        std::thread::sleep(std::time::Duration::from_millis(ms.min(60_000)));
    }
}
