//! What the three reference servers (`chaukas-ingest-server`, `sre-backend`,
//! `mcp-adapter`) share, so each rule is written once:
//!
//! - [`shutdown_signal`]: SIGTERM (what orchestrators send) or SIGINT starts a drain;
//! - [`echo`]: how an error message repeats a caller's value (bounded, since a gRPC
//!   status message travels in an HTTP/2 header);
//! - [`flags`]: parsing the values of numeric flags.

pub mod flags;

/// Characters of a caller's value an error message repeats; the rest is cut and the
/// value's length named instead.
pub const MAX_ECHO_CHARS: usize = 64;

/// A caller's `value` as an error message repeats it: quoted, and cut after
/// [`MAX_ECHO_CHARS`] characters with an ellipsis and its full length. Every message
/// of the servers that names a caller's value goes through here, so no message grows
/// with the input.
///
/// ```
/// assert_eq!(server_kit::echo("acme"), r#""acme""#);
/// let long = "x".repeat(100_000);
/// assert!(server_kit::echo(&long).ends_with(" (100000 chars)"));
/// assert!(server_kit::echo(&long).len() < 100);
/// ```
pub fn echo(value: &str) -> String {
    match value.char_indices().nth(MAX_ECHO_CHARS) {
        None => format!("{value:?}"),
        Some((cut, _)) => {
            let chars = value.chars().count();
            format!("{:?} ({chars} chars)", format!("{}…", &value[..cut]))
        }
    }
}

/// A future completing on the first SIGTERM or SIGINT. The handlers are installed
/// when this is called, so call it before announcing the listening address: a
/// supervisor's signal is then never lost to the default action (which kills).
///
/// # Panics
///
/// When the signal handlers cannot be installed (the process cannot then be drained,
/// and starting it anyway would hide that).
pub fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).expect("a SIGTERM handler");
        let mut interrupt = signal(SignalKind::interrupt()).expect("a SIGINT handler");
        async move {
            tokio::select! {
                _ = term.recv() => {}
                _ = interrupt.recv() => {}
            }
        }
    }
    #[cfg(not(unix))]
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echo_keeps_short_values_and_cuts_long_ones() {
        assert_eq!(echo(""), r#""""#);
        let at = "é".repeat(MAX_ECHO_CHARS);
        assert_eq!(echo(&at), format!("{at:?}"));
        let past = "é".repeat(MAX_ECHO_CHARS + 1);
        assert_eq!(
            echo(&past),
            format!(
                "\"{}…\" ({} chars)",
                "é".repeat(MAX_ECHO_CHARS),
                MAX_ECHO_CHARS + 1
            )
        );
    }
}
