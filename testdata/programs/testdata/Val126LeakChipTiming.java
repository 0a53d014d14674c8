// hprofscan-dump: name=val126-leak-chiptiming jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val126-leak-chiptiming-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 126 (written blind), LEAK: the results service of a race chip-timing company. Race
 * reference data, the entrant directory (by chip), a cache of finisher certificates at its cap, a
 * pool of certificate print buffers, a ring of recent chip reads, an SMS outbox with its normal
 * backlog, and the results database's session pool (two sessions leased for good by the live
 * exports). The timing mats post batches of chip reads; each batch is written with a pooled
 * session. After a database fail-over a session's prepared statements are gone
 * (StaleSessionException, 2.5% of batches): the writer retries on a fresh session and returns that
 * one, but the stale session is neither given back nor invalidated. The pool's leased list keeps
 * every one of them, each with its buffers, statement cache and the failed batch, and the pool
 * opens a new session whenever its idle list runs dry. See VALIDATION126.md.
 */
public final class Val126LeakChipTiming {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
    static final int RACES = 500, ENTRANTS = 22_000, CERT_CAP = 2_000, PRINT_POOL = 8, RING = 8_192, HOURS = 10,
            BATCHES_PER_HOUR = 4_000, STALE_PER_MILLE = 25, SMS_PER_MINUTE = 150;
    static boolean FIXED;

    static final String[] STATEMENTS = {
            "INSERT INTO chip_read (chip, mat, race, read_at, rssi) VALUES (?, ?, ?, ?, ?)",
            "UPDATE split SET elapsed_ms = ?, position = ? WHERE race = ? AND chip = ? AND split = ?",
            "SELECT bib, name, club, wave FROM entrant WHERE race = ? AND chip = ?",
            "INSERT INTO finish (race, chip, gun_ms, chip_ms, category_position) VALUES (?, ?, ?, ?, ?)"};
    static final String[] MATS = {"start", "5k", "10k", "half", "30k", "35k", "40k", "finish"};

    record Race(String code, String name, String distance, double[] finishTimeHistogram) {}
    record Entrant(String chipId, int bib, String name, String club, String ageCategory, byte[] profile) {}
    record Certificate(String key, byte[] pdf, long at) {}
    record ChipRead(String chipId, String raceCode, String mat, long readAt, int rssi) {}
    record ReadBatch(long batchId, String raceCode, String mat, List<ChipRead> reads, long postedAt) {}
    record SplitSms(String chipId, String phoneTail, String text, long queuedAt) {}
    record StatementHandle(String sql, long serverHandle, byte[] parameterBuffer) {}

    static final class StaleSessionException extends Exception {
        StaleSessionException(String m) { super(m, null, false, false); }
    }

    /** A session on the results database with its network buffers and its prepared statements. */
    static final class DbSession {
        final long id; final String serverSession; final long openedAt;
        final byte[] sendBuffer = new byte[2_048], receiveBuffer = new byte[4_096];
        final Map<String, StatementHandle> statements = new HashMap<>();
        long lastUsedAt, writes; ReadBatch lastBatch;
        DbSession(long id, String serverSession, long openedAt) {
            this.id = id; this.serverSession = serverSession; this.openedAt = openedAt;
            for (int k = 0; k < STATEMENTS.length; k++) statements.put(STATEMENTS[k], new StatementHandle(STATEMENTS[k], id * 16 + k, new byte[256]));
        }
        void write(ReadBatch b, boolean stale, long t) throws StaleSessionException {
            lastBatch = b; lastUsedAt = t;
            if (stale) throw new StaleSessionException("prepared statement handle " + (id * 16) + " unknown on " + serverSession + " (after fail-over)");
            writes++;
            sendBuffer[(int) (b.batchId() % sendBuffer.length)] = (byte) b.reads().size();
        }
    }

    /** The results database's session pool: idle sessions, and every session handed out. */
    static final class SessionPool {
        final ArrayDeque<DbSession> idle = new ArrayDeque<>();
        final List<DbSession> leased = new ArrayList<>();
        long opened, borrows, returns, invalidated;

        DbSession borrow(long t) {
            borrows++;
            DbSession s = idle.pollFirst();
            if (s == null) { opened++; s = new DbSession(opened, "results-primary/" + Long.toHexString(0x5e_0000L + opened * 37), t); }
            leased.add(s);
            return s;
        }

        void giveBack(DbSession s) {
            returns++;
            leased.remove(s);
            idle.addFirst(s);
        }

        void invalidate(DbSession s) {
            invalidated++;
            leased.remove(s);
        }
    }

    static final class CertificateCache extends LinkedHashMap<String, Certificate> {
        long evicted;
        CertificateCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Certificate> e) { if (size() > CERT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Race> RACES_BY_CODE = new HashMap<>();

    static final class ResultsService {
        final Map<String, Entrant> entrants = new HashMap<>();
        final String[] chipIds = new String[ENTRANTS];
        final CertificateCache certificates = new CertificateCache();
        final ArrayDeque<byte[]> printBuffers = new ArrayDeque<>();
        final ChipRead[] recentReads = new ChipRead[RING];
        final ArrayDeque<SplitSms> smsOutbox = new ArrayDeque<>();
        final SessionPool db = new SessionPool();
        /** The live results feed to the broadcaster and the federation upload: each holds its session for good. */
        final List<DbSession> exportSessions = new ArrayList<>();
        String[] raceCodes;
        long batches, reads, staleErrors, retried, smsQueued, smsSent, certHits, certRenders;

        void persist(ReadBatch b, boolean stale, long t) {
            DbSession s = db.borrow(t);
            try {
                s.write(b, stale, t);
                db.giveBack(s);
            } catch (StaleSessionException e) {
                staleErrors++;
                // retry once on a fresh session
                DbSession fresh = db.borrow(t);
                try { fresh.write(b, false, t); } catch (StaleSessionException never) { throw new IllegalStateException(never); }
                db.giveBack(fresh);
                retried++;
                if (FIXED) db.invalidate(s); // the fix: drop the stale session from the pool
            }
        }

        void post(Random r, long t) {
            String race = raceCodes[r.nextInt(RACES)];
            String mat = MATS[r.nextInt(MATS.length)];
            int n = 5 + r.nextInt(11);
            List<ChipRead> list = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                ChipRead c = new ChipRead(chipIds[r.nextInt(ENTRANTS)], race, mat, t - r.nextInt(8_000), -40 - r.nextInt(40));
                list.add(c);
                recentReads[(int) (reads++ % RING)] = c;
                if (mat.equals("finish") || r.nextInt(40) == 0) {
                    smsQueued++;
                    smsOutbox.add(new SplitSms(c.chipId(), String.format("%04d", r.nextInt(10_000)), mat + " split " + (1_200 + r.nextInt(12_000)) + "s, position " + (1 + r.nextInt(8_000)), t));
                }
            }
            batches++;
            persist(new ReadBatch(1_900_000_000L + batches, race, mat, list, t), r.nextInt(1_000) < STALE_PER_MILLE, t);
            if (mat.equals("finish")) {
                String key = "cert-" + list.get(0).chipId();
                if (certificates.get(key) != null) certHits++;
                else {
                    certRenders++;
                    certificates.put(key, new Certificate(key, new byte[400 + r.nextInt(400)], t));
                    byte[] buf = printBuffers.poll();
                    buf[(int) (certRenders % buf.length)] = (byte) n;
                    printBuffers.add(buf);
                }
            }
        }

        /** The SMS gateway takes up to 150 messages a minute. */
        void sendSms(int minutes) {
            for (int k = 0; k < SMS_PER_MINUTE * minutes && !smsOutbox.isEmpty(); k++) { smsOutbox.poll(); smsSent++; }
        }
    }

    static ResultsService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(126_040_001);
        String[] raceCodes = new String[RACES];
        String[] distances = {"5K", "10K", "half marathon", "marathon", "ultra 50K", "trail 21K"};
        for (int g = 0; g < RACES; g++) {
            double[] hist = new double[100];
            for (int k = 0; k < hist.length; k++) hist[k] = rnd.nextDouble() * 300;
            raceCodes[g] = "RC" + (24_000 + g);
            RACES_BY_CODE.put(raceCodes[g], new Race(raceCodes[g], "Race " + g, distances[g % distances.length], hist));
        }
        ResultsService svc = new ResultsService();
        SERVICE = svc;
        svc.raceCodes = raceCodes;
        String[] clubs = {"Harriers", "Striders", "Road Runners", "Athletic Club", "Tri Club", "Jogging Group"};
        String[] cats = {"SEN", "V35", "V40", "V45", "V50", "V55", "V60", "V65", "U20"};
        for (int i = 0; i < ENTRANTS; i++) {
            svc.chipIds[i] = "CH" + Long.toHexString(0xA1_0000_0000L + i * 7919L).toUpperCase();
            svc.entrants.put(svc.chipIds[i], new Entrant(svc.chipIds[i], 1 + i, "Runner " + i, "Town " + (i % 400) + " " + clubs[i % clubs.length],
                    cats[rnd.nextInt(cats.length)], new byte[150 + rnd.nextInt(150)]));
        }
        for (int b = 0; b < PRINT_POOL; b++) svc.printBuffers.add(new byte[32_768]);
        for (int k = 0; k < 8; k++) svc.db.giveBack(new DbSession(++svc.db.opened, "results-primary/" + Long.toHexString(0x5e_0000L + svc.db.opened * 37), start));
        svc.db.returns = 0;
        svc.exportSessions.add(svc.db.borrow(start));
        svc.exportSessions.add(svc.db.borrow(start));
        Random traffic = new Random(126_040_002);
        int total = BATCHES_PER_HOUR * HOURS;
        long minute = start;
        for (int i = 0; i < total; i++) {
            long t = start + (end - MINUTE - start) * i / total;
            if (t >= minute + MINUTE) { int m = (int) ((t - minute) / MINUTE); svc.sendSms(m); minute += m * MINUTE; }
            svc.post(traffic, t);
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val126.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report() {
        ResultsService svc = SERVICE;
        SessionPool db = svc.db;
        System.out.println((FIXED ? "FIXED " : "") + "races " + RACES_BY_CODE.size() + " entrants " + svc.entrants.size() + " batches " + svc.batches + " reads " + svc.reads
                + " stale " + svc.staleErrors + " retried " + svc.retried + " sessions opened " + db.opened + " idle " + db.idle.size() + " leased " + db.leased.size()
                + " (borrows " + db.borrows + ", returns " + db.returns + ", invalidated " + db.invalidated + ") sms " + svc.smsQueued + " sent " + svc.smsSent + " backlog " + svc.smsOutbox.size()
                + " certificates " + svc.certificates.size() + " (evicted " + svc.certificates.evicted + ", hits " + svc.certHits + ") pool " + svc.printBuffers.size());
        check(RACES_BY_CODE.size() == RACES && svc.entrants.size() == ENTRANTS, "reference data / directory");
        check(svc.batches == (long) BATCHES_PER_HOUR * HOURS && svc.reads == EXPECT_READS && svc.staleErrors == EXPECT_STALE && svc.retried == svc.staleErrors, "traffic");
        check(db.borrows == 2 + svc.batches + svc.staleErrors && db.returns == svc.batches, "borrows and returns");
        if (FIXED) check(db.leased.size() == 2 && db.invalidated == svc.staleErrors, "only the two export sessions leased");
        else check(db.leased.size() == 2 + svc.staleErrors && db.opened == EXPECT_OPENED, "leased: the exports and every stale session");
        check(svc.smsOutbox.size() == EXPECT_SMS_BACKLOG, "sms backlog");
        check(svc.certificates.size() == CERT_CAP && svc.certificates.evicted > 0, "certificate cache at cap");
        check(svc.printBuffers.size() == PRINT_POOL, "print pool");
        check(svc.recentReads[RING - 1] != null, "ring");
    }

    static final long EXPECT_READS = 399_803, EXPECT_STALE = 1_004, EXPECT_OPENED = 1_007, EXPECT_SMS_BACKLOG = 56;
}
