// hprofscan-dump: name=val149-leak-carparkbarriers jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val149-leak-carparkbarriers-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 149 (written blind), LEAK: the barrier-control service of a city's multi-storey
 * car parks. Car-park reference data, the directory of permit holders, a cache of rendered tariff
 * boards at its cap, a ring of recent barrier events, and a pool of licence-plate parsers that
 * tracks the borrowed parsers in a set. When a plate fails validation (about 3% of the reads) the
 * handler throws and the error path skips release(): the borrowed set keeps those parsers forever
 * and the pool creates new ones when it runs dry. See VALIDATION149.md.
 */
public final class Val149LeakCarParkBarriers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int CAR_PARKS = 1_100, PERMITS = 25_000, BOARD_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, READS_PER_HOUR = 6_000;
    static boolean FIXED;

    record CarPark(String code, String district, double[] hourlyOccupancy) {}
    record Permit(String plate, String holderId, String carParkCode, byte[] vehicleRecord, long validFrom) {}
    record TariffBoard(String key, byte[] rendered, long at) {}
    record BarrierEvent(String carParkCode, String plate, boolean entry, long at) {}

    static final class PlateValidationException extends Exception {
        PlateValidationException(String m) { super(m, null, false, false); }
    }

    /** A reusable plate parser: OCR scratch space and glyph scores. */
    static final class PlateParser {
        final int id;
        final long createdAt;
        final byte[] scratch = new byte[4_096];
        final int[] glyphScores = new int[64];
        String lastPlate;
        int uses;
        PlateParser(int id, long createdAt) { this.id = id; this.createdAt = createdAt; }
        String parse(byte[] frame, int seq) {
            uses++;
            for (int k = 0; k < frame.length; k++) scratch[k] = frame[k];
            glyphScores[seq & 63] = seq;
            lastPlate = "PL" + (100_000 + (seq * 7919) % 900_000);
            return lastPlate;
        }
    }

    static final class ParserPool {
        final ArrayDeque<PlateParser> idle = new ArrayDeque<>();
        final Set<PlateParser> borrowed = new HashSet<>();
        long created, borrows, releases;
        PlateParser borrow(long now) {
            PlateParser p = idle.poll();
            if (p == null) p = new PlateParser((int) ++created, now);
            borrowed.add(p);
            borrows++;
            return p;
        }
        void release(PlateParser p) {
            if (borrowed.remove(p)) { idle.push(p); releases++; }
        }
    }

    static final class BoardCache extends LinkedHashMap<String, TariffBoard> {
        long evicted;
        BoardCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, TariffBoard> e) { if (size() > BOARD_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, CarPark> CAR_PARKS_BY_CODE = new HashMap<>();

    static final class BarrierService {
        final Map<String, Permit> permits = new HashMap<>();
        final BoardCache boards = new BoardCache();
        final ParserPool parsers = new ParserPool();
        final BarrierEvent[] recent = new BarrierEvent[RING];
        long events, rejected;

        /** Handles one camera read at a barrier: parse, validate, open. */
        void onCameraRead(String carParkCode, byte[] frame, int seq, boolean readable, long t) throws PlateValidationException {
            PlateParser p = parsers.borrow(t);
            if (FIXED) {
                try { process(p, carParkCode, frame, seq, readable, t); } finally { parsers.release(p); }
                return;
            }
            process(p, carParkCode, frame, seq, readable, t); // BUG: a validation failure throws past release()
            parsers.release(p);
        }

        void process(PlateParser p, String carParkCode, byte[] frame, int seq, boolean readable, long t) throws PlateValidationException {
            String plate = p.parse(frame, seq);
            if (!readable) throw new PlateValidationException("plate failed validation: " + plate);
            recent[(int) (events++ % RING)] = new BarrierEvent(carParkCode, plate, (seq & 1) == 0, t);
        }
    }

    static BarrierService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val149.fixed");
        int reads = READS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(149_020_001);
        String[] codes = new String[CAR_PARKS];
        for (int c = 0; c < CAR_PARKS; c++) {
            double[] occ = new double[64];
            for (int k = 0; k < occ.length; k++) occ[k] = rnd.nextDouble();
            String code = "CP-" + (4_000 + c);
            codes[c] = code;
            CAR_PARKS_BY_CODE.put(code, new CarPark(code, "District " + (c % 90), occ));
        }
        BarrierService svc = new BarrierService();
        SERVICE = svc;
        for (int p = 0; p < PERMITS; p++) {
            String plate = "PM" + (2_000_000 + p);
            svc.permits.put(plate, new Permit(plate, "H" + (600_000 + p), codes[rnd.nextInt(CAR_PARKS)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(700)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.parsers.idle.add(new PlateParser((int) ++svc.parsers.created, start));
        Random traffic = new Random(149_020_002);
        byte[] frame = new byte[2_048];
        int failures = 0;
        for (int i = 0; i < reads; i++) {
            long t = start + (end - MINUTE - start) * i / reads;
            String cp = codes[traffic.nextInt(CAR_PARKS)];
            boolean readable = traffic.nextInt(100) >= 3;
            traffic.nextBytes(frame);
            try {
                svc.onCameraRead(cp, frame, i, readable, t);
            } catch (PlateValidationException e) {
                failures++;
                svc.rejected++;
            }
            if (i % 3 == 0) {
                String key = "board-" + traffic.nextInt(5_000);
                if (svc.boards.get(key) == null) svc.boards.put(key, new TariffBoard(key, new byte[400 + traffic.nextInt(400)], t));
            }
        }
        ParserPool pool = svc.parsers;
        System.out.println((FIXED ? "FIXED " : "") + "carparks " + CAR_PARKS_BY_CODE.size() + " permits " + svc.permits.size() + " reads " + reads + " rejected " + failures
                + " borrowed " + pool.borrowed.size() + " idle " + pool.idle.size() + " created " + pool.created + " borrows " + pool.borrows + " releases " + pool.releases
                + " boards " + svc.boards.size() + " (evicted " + svc.boards.evicted + ") events " + svc.events);
        check(CAR_PARKS_BY_CODE.size() == CAR_PARKS && svc.permits.size() == PERMITS, "reference data / directory");
        check(pool.borrows == reads && pool.idle.size() + pool.borrowed.size() == pool.created, "pool accounting");
        if (FIXED) check(pool.borrowed.isEmpty() && pool.created == POOL, "pool releases in finally");
        else check(pool.borrowed.size() == failures && failures > 1_000, "borrowed set keeps the failed reads' parsers: " + pool.borrowed.size());
        check(svc.boards.size() == BOARD_CAP && svc.boards.evicted > 0, "tariff-board cache at cap");
        check(svc.events == reads - failures && svc.recent[RING - 1] != null, "ring");
        svc = null; pool = null; codes = null; frame = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
