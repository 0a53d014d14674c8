//! Blind validation set 123 (testdata/VALIDATION123.md), written during session 47 by a helper
//! that had not read the detector, and first measured with f8a4201's rules: no healthy run
//! flagged; 10 of 10 leak runs flagged with the right holder at #1, 8 of them as leaks
//! (energycertificates x2: possible leaks, four StringBuilders of ~1.9 M characters on four
//! pool threads), and the giftaid series. Asserted as first measured.

use crate::verdicts::{
    no_suspects, no_suspects_in_series, only_leak, only_leak_in_series, only_possible_leak,
};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_123_healthy() {
    no_suspects(&[
        "val123-healthy-sheepdogtrials-1.hprof",
        "val123-healthy-sheepdogtrials-2.hprof",
        "val123-healthy-sheepdogtrials.hprof",
        "val123-healthy-sheepdogtrials-parallel.jcmd.hprof",
        "val123-healthy-pigeonracing.hprof",
        "val123-healthy-pigeonracing-serial.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val123-healthy-sheepdogtrials-1.hprof",
        "val123-healthy-sheepdogtrials-2.hprof",
        "val123-healthy-sheepdogtrials.hprof",
    ]);
}

#[test]
fn validation_set_123_leaks() {
    use LeakKind::{Executors, Threadlocal, UnboundedMap};
    // A cache keyed by criteria objects without equals/hashCode.
    for name in [
        "val123-leak-apprenticeships.hprof",
        "val123-leak-apprenticeships-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val123LeakApprenticeships$ResultCache.pages";
        only_leak(name, holder, UnboundedMap, 40_000);
    }
    // A single-thread executor per claim, shut down, its job blocked for ever in take().
    let executors = "testdata.Val123LeakGiftAid$ClaimService.<executors>";
    for (name, n) in [
        ("val123-leak-giftaid-1.hprof", 113),
        ("val123-leak-giftaid-2.hprof", 200),
        ("val123-leak-giftaid.hprof", 375),
        ("val123-leak-giftaid-serial.hprof", 375),
    ] {
        only_leak(name, executors, Executors, n);
    }
    only_leak_in_series(
        &[
            "val123-leak-giftaid-1.hprof",
            "val123-leak-giftaid-2.hprof",
            "val123-leak-giftaid.hprof",
        ],
        executors,
        Executors,
        375,
    );
    // A static ThreadLocal<StringBuilder> appended to and never cleared: a possible leak.
    for name in [
        "val123-leak-energycertificates.hprof",
        "val123-leak-energycertificates-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val123LeakEnergyCertificates$LodgementValidator.TRACE (static)";
        only_possible_leak(name, holder, Threadlocal, 4);
    }
    // A WeakHashMap whose values capture their own keys.
    for name in [
        "val123-leak-musicexams.hprof",
        "val123-leak-musicexams-parallel.hprof",
    ] {
        let holder = "testdata.Val123LeakMusicExams$TimetableAnnotator.slots";
        only_leak(name, holder, UnboundedMap, 24_000);
    }
}
