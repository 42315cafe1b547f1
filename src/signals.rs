//! Signals whose default action would end the process without a word.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use signal_hook::consts::SIGINT;

/// Makes a file-size limit (`ulimit -f`, `prlimit --fsize`) an ordinary write error.
///
/// By default the kernel kills a process with SIGXFSZ at its first write past the limit,
/// with no message and in the middle of whatever it was writing. With a handler
/// registered (one that only sets a flag nobody reads), the write fails with EFBIG
/// instead, and claimdex reports it like a full disk: the file named, exit code 1.
/// signal-hook registers the handler without `unsafe` in claimdex.
pub fn ignore_file_size_limit_signal() {
    // Failing to register (never expected for SIGXFSZ) only keeps the default action.
    let _ = signal_hook::flag::register(signal_hook::consts::SIGXFSZ, Arc::new(AtomicBool::new(false)));
}

/// The exit code of a run ended by Ctrl-C (128 + SIGINT), as shells report one.
pub const INTERRUPTED_EXIT: u8 = 130;

/// A flag that Ctrl-C (SIGINT) sets instead of ending the process, so that a long run
/// stops at its next safe point, keeps what it finished and says so. A second Ctrl-C,
/// with the flag already set, ends the process at once.
pub fn interrupt_flag() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    // Registered first, so it sees the flag as it was before this signal set it.
    let _ = signal_hook::flag::register_conditional_shutdown(SIGINT, i32::from(INTERRUPTED_EXIT), Arc::clone(&flag));
    let _ = signal_hook::flag::register(SIGINT, Arc::clone(&flag));
    flag
}
