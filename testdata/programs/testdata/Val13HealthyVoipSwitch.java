// hprofscan-dump: name=val13-healthy-voip jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val13-healthy-voip-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 13 (written blind), HEALTHY: the SIP call-routing switch of a VoIP carrier.
 * The number-portability table (loaded at startup, the biggest structure), the prefix routing
 * table, the calls in progress (a working set: 42,000 calls over 6 hours, 2,600 in progress at the
 * dump, each holding a jitter buffer leased from a warm pool of 4,096), the last 20,000 call detail
 * records (a capped history for the billing export), per-trunk counters and 8 media I/O threads
 * blocked on their queues. See testdata/VALIDATION13.md.
 */
public final class Val13HealthyVoipSwitch {
    static final int PORTED = 80_000;
    static final int PREFIXES = 5_000;
    static final int TRUNKS = 64;
    static final int CALLS = 42_000;
    static final int IN_PROGRESS = 2_600;
    static final int JITTER_POOL = 4_096;
    static final int CDR_CAP = 20_000;
    static final int MEDIA_THREADS = 8;
    static final long SECOND = 1_000L;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    static SwitchService RUNNING;

    static final class PortedNumber { final String msisdn; final String recipientOperator; final String routingNumber; final long portedAt;
        PortedNumber(String msisdn, String recipientOperator, String routingNumber, long portedAt) { this.msisdn = msisdn; this.recipientOperator = recipientOperator; this.routingNumber = routingNumber; this.portedAt = portedAt; } }

    /** Reference data: the national number-portability table, loaded at startup. */
    static final class Portability {
        static final Map<String, PortedNumber> BY_MSISDN = new HashMap<>();
    }

    static final class Route { final String prefix; final int[] trunkIds; final int costMicros;
        Route(String prefix, int[] trunkIds, int costMicros) { this.prefix = prefix; this.trunkIds = trunkIds; this.costMicros = costMicros; } }

    static final class JitterBuffer { final byte[] frames = new byte[2_048]; int depth; }

    /** A warm pool of jitter buffers: leased by a call while it is in progress. */
    static final class JitterPool {
        final ArrayBlockingQueue<JitterBuffer> idle = new ArrayBlockingQueue<>(JITTER_POOL);
        JitterPool() { for (int i = 0; i < JITTER_POOL; i++) idle.add(new JitterBuffer()); }
    }

    static final class Call { final String callId; final String from; final String to; final int trunk; final long startedAt; final JitterBuffer jitter; final String sdp;
        Call(String callId, String from, String to, int trunk, long startedAt, JitterBuffer jitter, String sdp) { this.callId = callId; this.from = from; this.to = to; this.trunk = trunk; this.startedAt = startedAt; this.jitter = jitter; this.sdp = sdp; } }

    static final class Cdr { final String callId; final String from; final String to; final long startedAt; final long endedAt; final int trunk; final int causeCode;
        Cdr(String callId, String from, String to, long startedAt, long endedAt, int trunk, int causeCode) { this.callId = callId; this.from = from; this.to = to; this.startedAt = startedAt; this.endedAt = endedAt; this.trunk = trunk; this.causeCode = causeCode; } }

    static final class SwitchService {
        final TreeMap<String, Route> routes = new TreeMap<>();
        final Map<String, Call> inProgress = new ConcurrentHashMap<>();
        final JitterPool jitter = new JitterPool();
        final ArrayDeque<Cdr> cdrs = new ArrayDeque<>();
        long cdrsDropped;
        final LongAdder[] trunkMinutes = new LongAdder[TRUNKS];
        final List<LinkedBlockingQueue<byte[]>> mediaQueues = new ArrayList<>();
        final List<Thread> mediaThreads = new ArrayList<>();
        final Properties config = new Properties();
        SwitchService() { for (int i = 0; i < TRUNKS; i++) trunkMinutes[i] = new LongAdder(); }
        void end(Call c, long t, int cause) {
            inProgress.remove(c.callId);
            c.jitter.depth = 0;
            jitter.idle.add(c.jitter);
            trunkMinutes[c.trunk].add((t - c.startedAt) / MINUTE);
            cdrs.addLast(new Cdr(c.callId, c.from, c.to, c.startedAt, t, c.trunk, cause));
            while (cdrs.size() > CDR_CAP) { cdrs.removeFirst(); cdrsDropped++; }
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String msisdn(int i) { return "+4179" + (1_000_000 + i * 7); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - 6 * HOUR;
        Random rnd = new Random(13_030_001);
        SwitchService svc = new SwitchService();
        RUNNING = svc;
        for (int i = 0; i < 80; i++) svc.config.setProperty("sip.timer." + i, "ms=" + (500 * (1 + i % 8)));
        String[] ops = {"SWC", "SNR", "SLT", "QTL", "MVN1", "MVN2"};
        for (int i = 0; i < PORTED; i++) {
            String m = msisdn(i);
            Portability.BY_MSISDN.put(m, new PortedNumber(m, ops[rnd.nextInt(ops.length)], "98" + (100 + rnd.nextInt(800)), now - DAY * (1 + rnd.nextInt(4_000))));
        }
        for (int i = 0; i < PREFIXES; i++) {
            int[] tr = new int[1 + rnd.nextInt(4)];
            for (int k = 0; k < tr.length; k++) tr[k] = rnd.nextInt(TRUNKS);
            String p = "+" + (1 + rnd.nextInt(99)) + (i % 1_000);
            svc.routes.put(p + "#" + i, new Route(p, tr, 100 + rnd.nextInt(20_000)));
        }
        CountDownLatch blocked = new CountDownLatch(MEDIA_THREADS);
        for (int i = 0; i < MEDIA_THREADS; i++) {
            LinkedBlockingQueue<byte[]> q = new LinkedBlockingQueue<>();
            svc.mediaQueues.add(q);
            Thread th = new Thread(() -> { blocked.countDown(); try { while (true) q.take(); } catch (InterruptedException e) { Thread.currentThread().interrupt(); } }, "media-io-" + (i + 1));
            th.setDaemon(true);
            th.start();
            svc.mediaThreads.add(th);
        }
        blocked.await();
        // Traffic: 42,000 calls set up evenly over 6 hours; a call lasts 1-8 minutes; the last 2,600
        // calls set up are still in progress at the dump (set up in the last ~22 minutes).
        ArrayDeque<Call> active = new ArrayDeque<>();
        List<Call> open = new ArrayList<>();
        int ended = 0;
        for (int i = 0; i < CALLS; i++) {
            long t = start + (now - start) * i / CALLS;
            while (!active.isEmpty() && active.peekFirst().startedAt + 2 * MINUTE <= t && active.size() > 200) { svc.end(active.pollFirst(), t, 16); ended++; }
            JitterBuffer jb = svc.jitter.idle.poll();
            String from = msisdn(rnd.nextInt(PORTED * 2)), to = msisdn(rnd.nextInt(PORTED * 2));
            Call c = new Call("sip-" + Long.toHexString(rnd.nextLong()) + "@sbc1.carrier.example", from, to, rnd.nextInt(TRUNKS), t, jb,
                    "v=0\r\no=- " + i + " 1 IN IP4 10.0." + (i % 250) + ".1\r\nm=audio " + (10_000 + i % 20_000) + " RTP/AVP 0 8 101\r\n");
            svc.inProgress.put(c.callId, c);
            if (i < CALLS - IN_PROGRESS) active.addLast(c); else open.add(c);
        }
        while (!active.isEmpty()) { svc.end(active.pollFirst(), now - MINUTE, 16); ended++; }
        System.out.println("ported " + Portability.BY_MSISDN.size() + " routes " + svc.routes.size() + " in progress " + svc.inProgress.size() + " jitter idle " + svc.jitter.idle.size() + " cdrs " + svc.cdrs.size() + " (dropped " + svc.cdrsDropped + ") ended " + ended);
        check(Portability.BY_MSISDN.size() == PORTED && svc.routes.size() == PREFIXES, "reference data");
        check(svc.inProgress.size() == IN_PROGRESS && svc.jitter.idle.size() == JITTER_POOL - IN_PROGRESS && ended == CALLS - IN_PROGRESS, "calls/jitter");
        check(svc.cdrs.size() == CDR_CAP && svc.cdrsDropped == CALLS - IN_PROGRESS - CDR_CAP, "cdrs");
        for (Thread th : svc.mediaThreads) check(th.isAlive(), "media threads");
        open = null; active = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
