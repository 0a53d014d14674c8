// hprofscan-dump: name=val43-leak-bellfounders jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val43-leak-bellfounders-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 43 (written blind), LEAK: the casting-floor service of a bell foundry (church and
 * carillon bells, handbells, ships' bells). Bell-metal reference data, the customer directory, an LRU of
 * tuning profiles at its cap, a pool of mould-scan buffers, a ring of cast records, the castings in
 * progress, and a notification hub for the client sessions (foundry-floor tablets and customers
 * following their bell's casting): NotificationHub.sessions (the session directory) and
 * NotificationHub.outboxes, a ConcurrentHashMap of one ArrayDeque of notices per session, keyed by the
 * session id (a random UUID string). Clients poll and drain their outbox; when a session ends (logout or
 * idle timeout) endSession removes it from the session directory but not its outbox. One (mostly
 * drained, empty) ArrayDeque per session ever opened stays, some still holding 1-3 or more undelivered
 * notices (each with a 200-400 byte payload). No thread besides main. See VALIDATION43.md.
 */
public final class Val43LeakBellfounders {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int METALS = 500, CUSTOMERS = 15_000, PROFILE_CAP = 800, POOL = 8, RING = 1_024, HOURS = 10, IDLE_TIMEOUT_MINUTES = 15;
    static final String[] BELLS = {"treble", "tenor", "carillon", "handbell", "ship's bell", "sanctus", "clock bell", "school bell"};
    static final String[] NOTICE_KINDS = {"mould-closed", "pour-started", "pour-finished", "cooling", "core-out", "tuning", "tuning-finished", "crated"};
    static boolean FIXED;

    record BellMetal(String code, String name, double[] coolingCurve) {}
    record Customer(String id, String name, byte[] notes, long since) {}
    record TuningProfile(String castingId, byte[] partials, long at) {}
    record CastRecord(String castingId, String customerId, int weightKg, long finishedAt) {}
    record Casting(String castingId, Customer customer, String bell, BellMetal metal, int weightKg, long pouredAt, long readyAt) {}
    record Notice(String noticeId, String castingId, String kind, byte[] payload, long at) {}

    static final class ClientSession {
        final String sessionId, userId, castingId;
        final long openedAt;
        long lastPollAt;
        ClientSession(String sessionId, String userId, String castingId, long openedAt) { this.sessionId = sessionId; this.userId = userId; this.castingId = castingId; this.openedAt = openedAt; this.lastPollAt = openedAt; }
    }

    /** Per-session notification outboxes, polled and drained by the clients. */
    static final class NotificationHub {
        final ConcurrentHashMap<String, ClientSession> sessions = new ConcurrentHashMap<>();
        final ConcurrentHashMap<String, ArrayDeque<Notice>> outboxes = new ConcurrentHashMap<>();
        long published, delivered, dropped, ended;

        void openSession(ClientSession s) {
            sessions.put(s.sessionId, s);
            outboxes.put(s.sessionId, new ArrayDeque<>());
        }

        void publish(String sessionId, Notice n) {
            ArrayDeque<Notice> q = outboxes.get(sessionId);
            if (q != null) { q.add(n); published++; }
        }

        int poll(String sessionId, long at) {
            ClientSession s = sessions.get(sessionId);
            ArrayDeque<Notice> q = outboxes.get(sessionId);
            if (s == null || q == null) return 0;
            s.lastPollAt = at;
            int n = 0;
            while (q.poll() != null) n++;
            delivered += n;
            return n;
        }

        /** Logout or idle timeout. */
        void endSession(String sessionId) {
            sessions.remove(sessionId);
            if (FIXED) { // the fix; the service as deployed forgets the outbox
                ArrayDeque<Notice> q = outboxes.remove(sessionId);
                dropped += q.size();
            }
            ended++;
        }
    }

    /** An LRU of tuning profiles (the strike-note analysis of a finished bell). */
    static final class ProfileCache extends LinkedHashMap<String, TuningProfile> {
        long evicted;
        ProfileCache() { super(1_024, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, TuningProfile> e) { if (size() > PROFILE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, BellMetal> METALS_BY_CODE = new HashMap<>();

    static final class FoundryService {
        final Map<String, Customer> customers = new HashMap<>();
        final ProfileCache tuningProfiles = new ProfileCache();
        final ArrayDeque<byte[]> mouldBuffers = new ArrayDeque<>();
        final CastRecord[] castLog = new CastRecord[RING];
        final Map<String, Casting> castings = new HashMap<>();
        final NotificationHub hub = new NotificationHub();
        long castsWritten;
    }

    static FoundryService SERVICE;

    /** The client side of a session (the simulation's, not the service's). */
    record Client(String sessionId, long endsAt, long silentFrom, boolean logout) {}

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val43.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(43_030_001);
        BellMetal[] metals = new BellMetal[METALS];
        for (int m = 0; m < METALS; m++) {
            double[] c = new double[64];
            for (int k = 0; k < c.length; k++) c[k] = 1_100 - k * 15 + rnd.nextDouble() * 40;
            metals[m] = new BellMetal("BM-" + (600 + m), "bell metal heat " + m, c);
            METALS_BY_CODE.put(metals[m].code(), metals[m]);
        }
        FoundryService svc = new FoundryService();
        SERVICE = svc;
        NotificationHub hub = svc.hub;
        Customer[] customers = new Customer[CUSTOMERS];
        for (int c = 0; c < CUSTOMERS; c++) {
            String id = "BF-" + (300_000 + c * 7);
            customers[c] = new Customer(id, "Parish or customer " + c, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(8_000)) * DAY);
            svc.customers.put(id, customers[c]);
        }
        for (int b = 0; b < POOL; b++) svc.mouldBuffers.add(new byte[32_768]);

        Random traffic = new Random(43_030_002);
        Map<Long, List<Casting>> ready = new HashMap<>();
        List<String> castingIds = new ArrayList<>();
        List<Client> clients = new ArrayList<>();
        long poured = 0, finished = 0, opened = 0, noticeSeq = 0, logouts = 0, timeouts = 0;
        for (long minute = start; minute < end; minute += MINUTE) {
            // Castings: poured, then cooled, cored out and tuned; ready 60-239 minutes later.
            List<Casting> done = ready.remove(minute);
            if (done != null) for (Casting c : done) {
                svc.castings.remove(c.castingId());
                castingIds.remove(c.castingId());
                svc.castLog[(int) (svc.castsWritten++ % RING)] = new CastRecord(c.castingId(), c.customer().id(), c.weightKg(), minute);
                svc.tuningProfiles.put(c.castingId(), new TuningProfile(c.castingId(), new byte[1_000 + traffic.nextInt(1_000)], minute));
                finished++;
            }
            int pours = 1 + traffic.nextInt(4);
            for (int k = 0; k < pours; k++) {
                long at = minute + traffic.nextInt(60_000);
                Casting c = new Casting("CS-" + (70_000 + poured), customers[traffic.nextInt(CUSTOMERS)], BELLS[traffic.nextInt(BELLS.length)], metals[traffic.nextInt(METALS)],
                        5 + traffic.nextInt(4_000), at, minute + (long) (60 + traffic.nextInt(180)) * MINUTE);
                svc.castings.put(c.castingId(), c);
                castingIds.add(c.castingId());
                ready.computeIfAbsent(c.readyAt(), x -> new ArrayList<>()).add(c);
                byte[] buf = svc.mouldBuffers.poll();
                buf[(int) (poured % buf.length)] = (byte) poured;
                svc.mouldBuffers.add(buf);
                poured++;
            }
            // New client sessions.
            int logins = 30 + traffic.nextInt(20);
            for (int k = 0; k < logins; k++) {
                long at = minute + traffic.nextInt(60_000);
                String sid = new UUID(traffic.nextLong() & ~0xF000L | 0x4000L, traffic.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L).toString();
                String user = traffic.nextInt(5) == 0 ? "floor-" + traffic.nextInt(40) : customers[traffic.nextInt(CUSTOMERS)].id();
                hub.openSession(new ClientSession(sid, user, castingIds.get(traffic.nextInt(castingIds.size())), at));
                boolean logout = traffic.nextInt(4) != 0;
                int activeMinutes = 2 + traffic.nextInt(45);
                long silentFrom = minute + (long) activeMinutes * MINUTE;
                long endsAt = logout ? silentFrom : silentFrom + IDLE_TIMEOUT_MINUTES * MINUTE;
                clients.add(new Client(sid, endsAt, silentFrom, logout));
                opened++;
            }
            // Notices for the sessions, polls by the clients that are still active, session ends.
            for (int i = 0; i < clients.size(); ) {
                Client cl = clients.get(i);
                ClientSession s = hub.sessions.get(cl.sessionId());
                if (traffic.nextInt(100) < 8) {
                    Casting c = svc.castings.get(s.castingId);
                    String kind = c == null ? "crated" : NOTICE_KINDS[traffic.nextInt(NOTICE_KINDS.length)];
                    hub.publish(cl.sessionId(), new Notice("N-" + (5_000_000 + noticeSeq++), s.castingId, kind, new byte[200 + traffic.nextInt(201)], minute + traffic.nextInt(60_000)));
                }
                if (minute < cl.silentFrom() && traffic.nextBoolean()) hub.poll(cl.sessionId(), minute + 59_000);
                if (cl.endsAt() <= minute) {
                    if (cl.logout()) { hub.poll(cl.sessionId(), minute + 59_000); logouts++; } else timeouts++;
                    hub.endSession(cl.sessionId());
                    clients.set(i, clients.get(clients.size() - 1));
                    clients.remove(clients.size() - 1);
                } else {
                    i++;
                }
            }
        }
        ready = null;
        castingIds = null;
        clients = null;
        long leakedOutboxes = 0, nonEmpty = 0, undelivered = 0;
        long[] bySize = new long[5];
        for (Map.Entry<String, ArrayDeque<Notice>> e : hub.outboxes.entrySet()) {
            if (hub.sessions.containsKey(e.getKey())) continue;
            leakedOutboxes++;
            int n = e.getValue().size();
            bySize[Math.min(n, 4)]++;
            if (n > 0) { nonEmpty++; undelivered += n; }
        }
        long liveQueued = 0;
        for (ClientSession s : hub.sessions.values()) liveQueued += hub.outboxes.get(s.sessionId).size();
        System.gc();
        System.out.println((FIXED ? "FIXED " : "") + "metals " + METALS_BY_CODE.size() + " customers " + svc.customers.size() + " poured " + poured + " finished " + finished
                + " in progress " + svc.castings.size() + " profiles " + svc.tuningProfiles.size() + " (evicted " + svc.tuningProfiles.evicted + ") casts " + svc.castsWritten
                + " pool " + svc.mouldBuffers.size() + " sessions opened " + opened + " ended " + hub.ended + " (logouts " + logouts + ", timeouts " + timeouts + ") active " + hub.sessions.size()
                + " outboxes " + hub.outboxes.size() + " of ended sessions " + leakedOutboxes + " non-empty " + nonEmpty + " undelivered " + undelivered
                + " by size 0/1/2/3/4+ " + bySize[0] + "/" + bySize[1] + "/" + bySize[2] + "/" + bySize[3] + "/" + bySize[4]
                + " published " + hub.published + " delivered " + hub.delivered + " dropped " + hub.dropped + " queued for active sessions " + liveQueued);
        check(METALS_BY_CODE.size() == METALS && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(poured == EXPECTED_POURED && finished == EXPECTED_FINISHED && svc.castings.size() == poured - finished, "castings");
        check(svc.tuningProfiles.size() == PROFILE_CAP && svc.tuningProfiles.evicted == finished - PROFILE_CAP && svc.castsWritten == finished && svc.castLog[RING - 1] != null && svc.mouldBuffers.size() == POOL, "profiles / casts / pool");
        check(opened == EXPECTED_OPENED && hub.ended == EXPECTED_ENDED && hub.sessions.size() == opened - hub.ended && logouts + timeouts == hub.ended, "sessions");
        check(hub.published == hub.delivered + undelivered + liveQueued + hub.dropped, "notices");
        if (FIXED) {
            check(hub.outboxes.size() == hub.sessions.size() && leakedOutboxes == 0, "outboxes of the open sessions");
        } else {
            check(hub.outboxes.size() == opened && leakedOutboxes == hub.ended && nonEmpty == EXPECTED_NON_EMPTY && undelivered == EXPECTED_UNDELIVERED, "outboxes " + hub.outboxes.size());
        }
        LeakCheck.histogram("  [I ", "java.util.ArrayDeque ", "java.util.concurrent.ConcurrentHashMap$Node ", "java.lang.String ", "  [B ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static final long EXPECTED_POURED = 1_481, EXPECTED_FINISHED = 1_109, EXPECTED_OPENED = 23_947, EXPECTED_ENDED = 22_841, EXPECTED_NON_EMPTY = 4_244, EXPECTED_UNDELIVERED = 7_580;
}
