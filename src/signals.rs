//! Signals whose default action would end the process without a word.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

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
