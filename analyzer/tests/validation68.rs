//! Blind validation set 68 (testdata/VALIDATION68.md), written during session 35 by a helper
//! that had not read the detector, and first measured with session 34's rules (6e42cf8): 2 of
//! 7 healthy runs flagged (seedlibraries x2: one current rule loader per branch read as
//! redeploy generations); 10 of 11 leak runs found at #1 with the right holder. Missed: the
//! chat topics' first stage (2 h). Session 35 then counted as generations only loaders whose
//! names differ in their last number alone.

use crate::verdicts::{
    holders, leaks, no_suspects, no_suspects_in_series, only_leak, only_leak_in_series,
};

use analyzer::leaks::LeakKind;

use crate::common::analyse;

#[test]
fn validation_set_68_healthy() {
    no_suspects(&[
        "val68-healthy-dogwalkers-1.hprof",
        "val68-healthy-dogwalkers-2.hprof",
        "val68-healthy-dogwalkers.hprof",
        "val68-healthy-dogwalkers-serial.jcmd.hprof",
        "val68-healthy-seedlibraries.hprof",
        "val68-healthy-seedlibraries-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val68-healthy-dogwalkers-1.hprof",
        "val68-healthy-dogwalkers-2.hprof",
        "val68-healthy-dogwalkers.hprof",
    ]);
}

#[test]
fn validation_set_68_leaks() {
    use LeakKind::{Classloaders, Collection, UnboundedMap};
    // A topic per conversation, never removed when the conversation ends.
    let topics = "testdata.Val68LeakTutoringChat$TopicRegistry.topics";
    for (name, n) in [
        ("val68-leak-tutoringchat-2.hprof", 6_000),
        ("val68-leak-tutoringchat.hprof", 12_000),
        ("val68-leak-tutoringchat-parallel.hprof", 12_000),
    ] {
        only_leak(name, topics, UnboundedMap, n);
    }
    only_leak_in_series(
        &[
            "val68-leak-tutoringchat-1.hprof",
            "val68-leak-tutoringchat-2.hprof",
            "val68-leak-tutoringchat.hprof",
        ],
        topics,
        UnboundedMap,
        12_000,
    );
    // Upload file handles kept open after the upload.
    for name in [
        "val68-leak-visaapplications.hprof",
        "val68-leak-visaapplications-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val68LeakVisaApplications$UploadManager.handles";
        only_leak(name, holder, Collection, 180);
    }
    // Idempotency keys whose expiry sweep never runs.
    for name in [
        "val68-leak-remittances.hprof",
        "val68-leak-remittances-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val68LeakRemittances$IdempotencyStore.byKey";
        only_leak(name, holder, UnboundedMap, 36_512);
    }
    // Every reload's rule loader, kept by a static listener list: 746 loaders (counted in
    // loaders since session 40; 5,968 listeners hold them).
    for name in [
        "val68-leak-warrantyclaims.hprof",
        "val68-leak-warrantyclaims-serial.hprof",
    ] {
        let holder = "testdata.Val68LeakWarrantyClaims$ClaimEvents.LISTENERS (static)";
        only_leak(name, holder, Classloaders, 746);
    }
    // Missed: the chat topics' first stage.
    let r = leaks(&analyse("val68-leak-tutoringchat-1.hprof"));
    assert!(r.suspects.is_empty(), "{:?}", holders(&r));
}
