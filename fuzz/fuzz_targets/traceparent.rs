//! W3C `traceparent` (`common_eventing::traceparent`): what parses prints back as a
//! header that parses to the same value.
#![no_main]

use common_eventing::TraceParent;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(tp) = text.parse::<TraceParent>() {
        let printed = tp.to_string();
        assert_eq!(printed.len(), 55, "{printed}");
        // Written as version 00 whatever version was read (documented).
        let expected = TraceParent { version: 0, ..tp };
        assert_eq!(printed.parse::<TraceParent>().unwrap(), expected);
        if tp.version == 0 {
            assert_eq!(
                printed,
                text.to_ascii_lowercase(),
                "version 00 prints back as read"
            );
        }
    }
});
