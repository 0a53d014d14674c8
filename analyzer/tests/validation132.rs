//! Blind validation set 132 (testdata/VALIDATION132.md), written during session 51 by a helper
//! that had not read the detector, and first measured with fda4f74's rules: no healthy run
//! flagged; 9 of 10 leak runs and the leak series flagged with the right holder at #1, all as
//! leaks. Missed: biogasplants-1 (the first stage, two hours of ticks that a retention job in
//! the wrong unit never evicts: undetermined, a second dump decides).

use crate::verdicts::{
    missed_or_only, no_suspects, no_suspects_in_series, only_leak, only_leak_in_series,
};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_132_healthy() {
    no_suspects(&[
        "val132-healthy-wastewaterworks-1.hprof",
        "val132-healthy-wastewaterworks-2.hprof",
        "val132-healthy-wastewaterworks.hprof",
        "val132-healthy-wastewaterworks-serial.jcmd.hprof",
        "val132-healthy-batterystorage.hprof",
        "val132-healthy-batterystorage-parallel.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val132-healthy-wastewaterworks-1.hprof",
        "val132-healthy-wastewaterworks-2.hprof",
        "val132-healthy-wastewaterworks.hprof",
    ]);
}

#[test]
fn validation_set_132_leaks() {
    use LeakKind::{Classloaders, ScheduledTasks, UnboundedMap};
    // A tick history whose retention cutoff is in the wrong unit.
    let ticks = "testdata.Val132LeakBiogasPlants$TickHistory.ticks";
    missed_or_only("val132-leak-biogasplants-1.hprof", ticks);
    only_leak(
        "val132-leak-biogasplants-2.hprof",
        ticks,
        UnboundedMap,
        57_600,
    );
    for name in [
        "val132-leak-biogasplants.hprof",
        "val132-leak-biogasplants-parallel.jcmd.hprof",
    ] {
        only_leak(name, ticks, UnboundedMap, 115_200);
    }
    only_leak_in_series(
        &[
            "val132-leak-biogasplants-1.hprof",
            "val132-leak-biogasplants-2.hprof",
            "val132-leak-biogasplants.hprof",
        ],
        ticks,
        UnboundedMap,
        115_200,
    );
    // Per-probe deques trimmed on one path only: 480 entries whose values grow.
    for name in [
        "val132-leak-compostsites.hprof",
        "val132-leak-compostsites-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val132LeakCompostSites$ProbeHistory.recent";
        only_leak(name, holder, UnboundedMap, 480);
    }
    // Health checks of every plugin generation never unregistered.
    for name in [
        "val132-leak-sewersurveys.jcmd.hprof",
        "val132-leak-sewersurveys-serial.hprof",
    ] {
        let holder = "testdata.Val132LeakSewerSurveys$HealthRegistry.CHECKS (static)";
        only_leak(name, holder, Classloaders, 60);
    }
    // Refresh tasks never cancelled when a panel closes.
    for name in [
        "val132-leak-substations.hprof",
        "val132-leak-substations-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val132LeakSubstations$PanelDirectory.scheduler";
        only_leak(name, holder, ScheduledTasks, 5_403);
    }
}
