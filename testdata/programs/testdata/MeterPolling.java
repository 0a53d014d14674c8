// hprofscan-dump: name=meter-polling jvm="-Xmx160m" variants=mxbean args="healthy"
// hprofscan-dump: name=meter-polling-parallel jvm="-Xmx160m -XX:+UseParallelGC" variants=jcmd args="healthy"
// hprofscan-dump: name=meter-polling-leak jvm="-Xmx160m" variants=mxbean args="leak"
// hprofscan-dump: name=meter-polling-leak-serial jvm="-Xmx160m -XX:+UseSerialGC" variants=mxbean args="leak"
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The head-end of a smart-meter network: each installed meter is polled every 30 minutes by a
 * {@code PollJob} (its serial number, a channel and a 384-byte frame buffer) scheduled with
 * {@code scheduleWithFixedDelay} on the shared {@code HeadEnd.poller}
 * ({@code ScheduledThreadPoolExecutor}, one daemon worker, remove-on-cancel set). The meters
 * live in {@code MeterRegistry.bySerial} (a {@code ConcurrentHashMap} keyed by serial, held by
 * {@code HeadEnd.registry}); beside them: tariffs loaded at startup ({@code TARIFFS}), a ring
 * of the latest readings, a capped LRU of recent alarms, and {@code HeadEnd.lastFailure}, the
 * serials of the meters whose last poll failed (a few percent of them, every one installed),
 * and a {@code TariffPublisher} publishing each tariff every 6 hours ({@code PublishJob}, its
 * tariff's code and a 512-byte snapshot) whose {@code pendingChanges} holds the 30% of the
 * tariffs with a price change pending: a subset, not the tariffs' directory.
 * Twelve hours of installs and decommissions: 10,000 meters installed, 6,000 of them removed
 * again (a replacement programme); two maintenance tasks are periodic too.
 * <ul>
 * <li>{@code healthy}: decommissioning cancels the meter's poll: the queue holds the 4,000
 * installed meters' jobs and the two maintenance tasks. No leak.
 * <li>{@code leak}: decommissioning removes the meter from the registry but forgets its
 * {@code ScheduledFuture}: the 6,000 removed meters' jobs stay queued and would run forever.
 * The leak is {@code HeadEnd.poller}'s queue: 6,000 of its 10,002 tasks.
 * </ul>
 * In one dump both queues are periodic tasks of one class, each with its own frame buffer and
 * serial; only which serials the registry still knows tells them apart. Fixed numbers
 * (printed). No poll runs before the dump (the first is 20 minutes after scheduling or more).
 */
public final class MeterPolling {
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final int INSTALLS = 10_000, DECOMMISSIONS = 6_000, TARIFF_COUNT = 2_500, RING = 8_192, ALARM_CAP = 1_500;

    record Tariff(String code, String name, double[] halfHourRates) {}

    static final class Meter {
        final String serial;
        final long premiseId;
        final long installedAt;
        final Tariff tariff;
        final double[] lastProfile = new double[48];
        ScheduledFuture<?> poll;

        Meter(String serial, long premiseId, long installedAt, Tariff tariff) {
            this.serial = serial;
            this.premiseId = premiseId;
            this.installedAt = installedAt;
            this.tariff = tariff;
        }
    }

    /** What polls one meter (never run before the dump). */
    static final class PollJob implements Runnable {
        final String serial;
        final int channel;
        final byte[] frame = new byte[384];
        long polls;

        PollJob(String serial, int channel) {
            this.serial = serial;
            this.channel = channel;
        }

        @Override
        public void run() {
            polls++;
        }
    }

    record Reading(String serial, long at, double kwh) {}

    static final class MeterRegistry {
        final Map<String, Meter> bySerial = new ConcurrentHashMap<>();
    }

    static final class HeadEnd {
        final MeterRegistry registry = new MeterRegistry();
        final ScheduledThreadPoolExecutor poller = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "meter-poller-1");
            t.setDaemon(true);
            return t;
        });
        final Map<String, Long> lastFailure = new HashMap<>();
        final Reading[] ring = new Reading[RING];
        long readings;
        final Map<Long, String> recentAlarms = new LinkedHashMap<>(2048, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, String> e) {
                return size() > ALARM_CAP;
            }
        };

        HeadEnd() {
            poller.setRemoveOnCancelPolicy(true);
        }

        void install(Meter m, Random rnd) {
            registry.bySerial.put(m.serial, m);
            long first = 20 + rnd.nextInt(30);
            m.poll = poller.scheduleWithFixedDelay(new PollJob(m.serial, rnd.nextInt(4)), first, 30, TimeUnit.MINUTES);
        }

        void decommission(String serial, boolean leak) {
            Meter m = registry.bySerial.remove(serial);
            lastFailure.remove(serial);
            if (!leak) m.poll.cancel(false);
        }
    }

    /** Publishes each tariff's prices to the meters every 6 hours (never run before the dump). */
    static final class PublishJob implements Runnable {
        final String tariffCode;
        final byte[] snapshot = new byte[512];

        PublishJob(String tariffCode) {
            this.tariffCode = tariffCode;
        }

        @Override
        public void run() {
            snapshot[0]++;
        }
    }

    /** One periodic publication per tariff; the tariffs with a price change not yet published. */
    static final class TariffPublisher {
        final ScheduledThreadPoolExecutor publisher = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "tariff-publisher-1");
            t.setDaemon(true);
            return t;
        });
        final Map<String, Long> pendingChanges = new HashMap<>();
    }

    static final Map<String, Tariff> TARIFFS = new HashMap<>();
    static HeadEnd HEAD_END;
    static TariffPublisher PUBLISHER;

    public static void main(String[] args) throws Exception {
        boolean leak = args.length > 2 && args[2].equals("leak");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - 12 * HOUR;
        Random rnd = new Random(41_001);
        for (int i = 0; i < TARIFF_COUNT; i++) {
            double[] rates = new double[96];
            for (int k = 0; k < rates.length; k++) rates[k] = 0.1 + rnd.nextDouble() / 5;
            String code = "TF-" + (1000 + i);
            TARIFFS.put(code, new Tariff(code, "Tariff " + i, rates));
        }
        List<Tariff> tariffs = new ArrayList<>(TARIFFS.values());
        // every tariff published every 6 hours; 30% have a price change pending (a subset of the
        // tariffs, whose directory is TARIFFS: the other tasks are no orphans)
        TariffPublisher pub = new TariffPublisher();
        PUBLISHER = pub;
        for (Tariff t : tariffs) {
            pub.publisher.scheduleAtFixedRate(new PublishJob(t.code()), 30 + rnd.nextInt(300), 360, TimeUnit.MINUTES);
            if (rnd.nextInt(10) < 3) pub.pendingChanges.put(t.code(), end - rnd.nextInt(100) * MINUTE);
        }
        HeadEnd h = new HeadEnd();
        HEAD_END = h;
        h.poller.scheduleAtFixedRate(() -> h.readings++, 25, 60, TimeUnit.MINUTES);
        h.poller.scheduleWithFixedDelay(h.lastFailure::clear, 40, 120, TimeUnit.MINUTES);
        // Installs spread over twelve hours; the replacement programme removes the older meters.
        List<String> removable = new ArrayList<>();
        int removed = 0;
        for (int i = 0; i < INSTALLS; i++) {
            long t = start + (end - start - MINUTE) * i / INSTALLS;
            String serial = "MTR-" + (30_000_000 + rnd.nextInt(9_000_000)) + "-" + i;
            Meter m = new Meter(serial, 700_000_000L + rnd.nextInt(50_000_000), t, tariffs.get(rnd.nextInt(tariffs.size())));
            for (int k = 0; k < m.lastProfile.length; k++) m.lastProfile[k] = rnd.nextDouble();
            h.install(m, rnd);
            removable.add(serial);
            if (rnd.nextInt(25) == 0) h.lastFailure.put(serial, t);
            h.ring[(int) (h.readings++ % RING)] = new Reading(serial, t, rnd.nextDouble() * 3);
            if (rnd.nextInt(4) == 0) h.recentAlarms.put((long) i, "tamper");
            // from the second hour on, a decommission for every install and a half, until 6,000
            while (removed < DECOMMISSIONS && removed * INSTALLS < (i - INSTALLS / 12) * DECOMMISSIONS * 11 / 10 && removable.size() > 1) {
                h.decommission(removable.remove(rnd.nextInt(removable.size() / 2)), leak);
                removed++;
            }
        }
        while (removed < DECOMMISSIONS) {
            h.decommission(removable.remove(rnd.nextInt(removable.size())), leak);
            removed++;
        }
        int queued = h.poller.getQueue().size();
        int meters = h.registry.bySerial.size();
        System.out.println((leak ? "leak" : "healthy") + " meters " + meters + " queued " + queued + " failures " + h.lastFailure.size()
 + " tariffs " + TARIFFS.size() + " publications " + pub.publisher.getQueue().size() + " pending " + pub.pendingChanges.size() + " alarms " + h.recentAlarms.size() + " completed " + h.poller.getCompletedTaskCount());
        if (meters != INSTALLS - DECOMMISSIONS || queued != (leak ? INSTALLS + 2 : meters + 2) || h.poller.getCompletedTaskCount() != 0
                || pub.publisher.getQueue().size() != TARIFF_COUNT || pub.publisher.getCompletedTaskCount() != 0) {
            throw new IllegalStateException("unexpected sizes: meters " + meters + " queued " + queued);
        }
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
