// hprofscan-dump: name=val14-leak-skilifts-1 jvm="-Xmx256m" variants=mxbean args="1"
// hprofscan-dump: name=val14-leak-skilifts-2 jvm="-Xmx256m" variants=mxbean args="2"
// hprofscan-dump: name=val14-leak-skilifts jvm="-Xmx256m" variants=mxbean args="3"
// hprofscan-dump: name=val14-leak-skilifts-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 14 (written blind), LEAK, series: the lift-gate access service of a ski resort.
 * Mobile passes show a rotating one-time QR token; the gate's replay guard remembers every token
 * it accepted for a 10-minute replay window and a sweeper drops older ones every minute. The bug:
 * the sweeper computes its cutoff in epoch SECONDS ({@code now / 1000 - REPLAY_WINDOW_SECONDS})
 * and compares it with the token's {@code scannedAt} in epoch MILLISECONDS, so nothing is ever
 * older than the cutoff and every accepted token (with its signature and the gate camera's face
 * crop kept for fraud review) stays. Stage 1 after 2 hours (3,000 mobile scans), stage 2 after 4
 * hours (6,000), stage 3 after 8 hours (12,000). Legitimate: the pass directory (the biggest
 * structure beside the leak), the lifts, a pass-photo LRU at its cap, a preallocated ring of the
 * last gate scans, per-lift ride counters and a fixed pool of verifier threads. See
 * testdata/VALIDATION14.md.
 */
public final class Val14LeakSkiLiftGates {
    static final int PASSES = 70_000;
    static final int LIFTS = 45;
    static final int PHOTO_CAP = 3_000;
    static final int SCAN_RING = 4_096;
    static final int VERIFIERS = 3;
    static final int MOBILE_SCANS_PER_HOUR = 1_500;
    static final int CARD_SCANS_PER_HOUR = 6_000;
    static final long REPLAY_WINDOW_SECONDS = 600;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    static GateService GATES;

    static final class SkiPass { final String passId; final String holderName; final String product; final long validFrom; final long validTo; final byte[] photoDigest; final int[] liftGroups; final boolean mobile;
        SkiPass(String passId, String holderName, String product, long validFrom, long validTo, byte[] photoDigest, int[] liftGroups, boolean mobile) { this.passId = passId; this.holderName = holderName; this.product = product; this.validFrom = validFrom; this.validTo = validTo; this.photoDigest = photoDigest; this.liftGroups = liftGroups; this.mobile = mobile; } }

    static final class Lift { final String liftId; final String name; final int gates; final int group; final double[] hourlyCapacity;
        Lift(String liftId, String name, int gates, int group, double[] hourlyCapacity) { this.liftId = liftId; this.name = name; this.gates = gates; this.group = group; this.hourlyCapacity = hourlyCapacity; } }

    /** Reference data: the resort's lifts. */
    static final class Resort {
        static final Map<String, Lift> LIFTS_BY_ID = new HashMap<>();
    }

    static final class SeenToken { final String token; final SkiPass pass; final String liftId; final int gateNo; final long scannedAt; final byte[] signature; final byte[] faceCrop;
        SeenToken(String token, SkiPass pass, String liftId, int gateNo, long scannedAt, byte[] signature, byte[] faceCrop) { this.token = token; this.pass = pass; this.liftId = liftId; this.gateNo = gateNo; this.scannedAt = scannedAt; this.signature = signature; this.faceCrop = faceCrop; } }

    /** Remembers accepted one-time tokens for the replay window. */
    static final class ReplayGuard {
        final Map<String, SeenToken> seenTokens = new HashMap<>();
        long swept;
        final boolean fixed;
        ReplayGuard(boolean fixed) { this.fixed = fixed; }
        boolean accept(SeenToken s) { if (seenTokens.containsKey(s.token)) return false; seenTokens.put(s.token, s); return true; }
        void sweep(long nowMillis) {
            // BUG: a cutoff in seconds against scannedAt in milliseconds (the fixed variant is only for measuring).
            long cutoff = fixed ? nowMillis - REPLAY_WINDOW_SECONDS * 1000 : nowMillis / 1000 - REPLAY_WINDOW_SECONDS;
            for (Iterator<SeenToken> it = seenTokens.values().iterator(); it.hasNext();) if (it.next().scannedAt < cutoff) { it.remove(); swept++; }
        }
    }

    static final class PhotoLru extends LinkedHashMap<String, byte[]> {
        long evicted;
        PhotoLru() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, byte[]> e) { if (size() > PHOTO_CAP) { evicted++; return true; } return false; }
    }

    static final class GateScan { String passId; String liftId; int gateNo; long at; boolean admitted; }

    static final class GateService {
        final Map<String, SkiPass> passesById = new HashMap<>();
        final ReplayGuard replayGuard;
        final PhotoLru passPhotos = new PhotoLru();
        final GateScan[] recentScans = new GateScan[SCAN_RING];
        int scanCursor;
        long scansTotal;
        final Map<String, LongAdder> ridesByLift = new HashMap<>();
        final AtomicInteger verifierSeq = new AtomicInteger();
        final ThreadPoolExecutor verifiers = new ThreadPoolExecutor(VERIFIERS, VERIFIERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "gate-verify-" + verifierSeq.incrementAndGet()); t.setDaemon(true); return t; });
        final Properties gateConfig = new Properties();
        GateService(boolean fixed) { replayGuard = new ReplayGuard(fixed); for (int i = 0; i < SCAN_RING; i++) recentScans[i] = new GateScan(); }
        void logScan(String passId, String liftId, int gate, long t, boolean ok) {
            GateScan s = recentScans[scanCursor]; s.passId = passId; s.liftId = liftId; s.gateNo = gate; s.at = t; s.admitted = ok;
            scanCursor = (scanCursor + 1) % SCAN_RING; scansTotal++;
            if (ok) ridesByLift.get(liftId).increment();
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val14.fixed"); // only for measuring the leak's share
        int stage = Integer.parseInt(args[2]);
        long hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long start = now - hours * HOUR;
        Random rnd = new Random(14_040_001);
        GateService svc = new GateService(fixed);
        GATES = svc;
        for (int i = 0; i < 60; i++) svc.gateConfig.setProperty("gate.turnstile." + i, "timeout=" + (2 + i % 5) + "s");
        for (int l = 0; l < LIFTS; l++) {
            double[] cap = new double[24];
            for (int h = 0; h < 24; h++) cap[h] = 800 + rnd.nextInt(2_400);
            String id = "L" + (l + 1);
            Resort.LIFTS_BY_ID.put(id, new Lift(id, "Chair " + (l + 1) + " Sunny Ridge", 2 + rnd.nextInt(8), l % 6, cap));
            svc.ridesByLift.put(id, new LongAdder());
        }
        String[] products = {"season-adult", "season-youth", "day-adult", "day-child", "3day-adult", "week-family"};
        String[] passIds = new String[PASSES];
        for (int i = 0; i < PASSES; i++) {
            byte[] dig = new byte[32];
            rnd.nextBytes(dig);
            int[] groups = new int[1 + rnd.nextInt(6)];
            for (int g = 0; g < groups.length; g++) groups[g] = g;
            String id = "SKI-" + (4_000_000 + i);
            passIds[i] = id;
            svc.passesById.put(id, new SkiPass(id, "Guest " + i + " " + (char) ('A' + i % 26) + ".", products[i % products.length], now - DAY * rnd.nextInt(100), now + DAY * (1 + rnd.nextInt(120)), dig, groups, i % 3 == 0));
        }
        CyclicBarrier ready = new CyclicBarrier(VERIFIERS);
        List<Future<?>> warm = new ArrayList<>();
        for (int w = 0; w < VERIFIERS; w++) warm.add(svc.verifiers.submit(() -> { ready.await(); return null; }));
        for (Future<?> f : warm) f.get();
        // Scans: card (RFID) scans and mobile (QR token) scans interleaved, evenly spread up to the
        // dump; the sweeper runs every simulated minute and once at the end.
        int mobileScans = (int) (MOBILE_SCANS_PER_HOUR * hours), cardScans = (int) (CARD_SCANS_PER_HOUR * hours);
        int total = mobileScans + cardScans;
        int fresh = 0;
        long lastSweep = start;
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        for (int i = 0; i < total; i++) {
            long t = start + (now - start) * i / total;
            if (t - lastSweep >= MINUTE) { svc.replayGuard.sweep(t); lastSweep = t; }
            String liftId = "L" + (1 + rnd.nextInt(LIFTS));
            int gate = rnd.nextInt(Resort.LIFTS_BY_ID.get(liftId).gates);
            if (i % 5 == 0) {
                SkiPass p = svc.passesById.get(passIds[3 * rnd.nextInt(PASSES / 3)]);
                byte[] nonce = new byte[32];
                rnd.nextBytes(nonce);
                byte[] sig = new byte[64];
                rnd.nextBytes(sig);
                byte[] face = new byte[1_024 + rnd.nextInt(1_024)];
                face[0] = (byte) i;
                boolean ok = svc.replayGuard.accept(new SeenToken(b64.encodeToString(nonce), p, liftId, gate, t, sig, face));
                if (t >= now - REPLAY_WINDOW_SECONDS * 1000) fresh++;
                svc.logScan(p.passId, liftId, gate, t, ok);
            } else {
                String pid = passIds[rnd.nextInt(PASSES)];
                byte[] photo = svc.passPhotos.get(pid);
                if (photo == null) { photo = new byte[1_536]; photo[0] = (byte) i; svc.passPhotos.put(pid, photo); }
                svc.logScan(pid, liftId, gate, t, true);
            }
        }
        svc.replayGuard.sweep(now);
        int leaked = fixed ? 0 : mobileScans - fresh;
        System.out.println("stage " + stage + (fixed ? " FIXED" : "") + " passes " + svc.passesById.size() + " lifts " + Resort.LIFTS_BY_ID.size() + " seen tokens " + svc.replayGuard.seenTokens.size() + " (fresh " + fresh + ", swept " + svc.replayGuard.swept + ") photos " + svc.passPhotos.size() + " (evicted " + svc.passPhotos.evicted + ") scans " + svc.scansTotal);
        check(svc.passesById.size() == PASSES && Resort.LIFTS_BY_ID.size() == LIFTS, "reference data");
        check(mobileScans == 1_500 * hours && svc.replayGuard.seenTokens.size() == fresh + leaked && svc.replayGuard.swept == (fixed ? mobileScans - fresh : 0), "replay guard");
        int old = 0;
        for (SeenToken s : svc.replayGuard.seenTokens.values()) if (s.scannedAt < now - REPLAY_WINDOW_SECONDS * 1000) old++;
        check(old == leaked && fresh == 250, "replay guard ages");
        check(svc.passPhotos.size() == PHOTO_CAP && svc.passPhotos.evicted > 0, "photo lru");
        check(svc.scansTotal == total && total > SCAN_RING && svc.verifiers.getPoolSize() == VERIFIERS, "scan ring/pool");
        passIds = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
