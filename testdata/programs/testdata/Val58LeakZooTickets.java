// hprofscan-dump: name=val58-leak-zootickets jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val58-leak-zootickets-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 58 (written blind), LEAK: the online ticketing and membership portal of a zoo.
 * Exhibit reference data, the member directory, a cache of rendered ticket PDFs at its cap, a pool of
 * barcode buffers, a ring of gate scans, and a session store whose expiry sweeper thread runs every
 * minute. Four hours before the dump a partner-voucher checkout created a session without a member;
 * the sweeper's per-tier gauge dereferenced it, the NullPointerException escaped run() and the
 * thread died. Nothing restarts it, so since then no session expires. See VALIDATION58.md.
 */
public final class Val58LeakZooTickets {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, TIMEOUT = 30 * MINUTE;
    static final int EXHIBITS = 1_200, MEMBERS = 25_000, PDF_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, SESSIONS_PER_HOUR = 3_000, VOUCHER_AT_HOUR = 6;
    static boolean FIXED;

    record Exhibit(String code, String name, double[] visitorsByHour) {}
    record Member(String memberNo, String tier, byte[] household, long joinedAt) {}
    record TicketPdf(String key, byte[] rendered, long at) {}
    record GateScan(String ticketNo, String gate, long at) {}

    static final class Session {
        final String id; final Member member; final long createdAt; long lastAccessAt;
        final Map<String, Object> attributes = new HashMap<>(); byte[] cart;
        Session(String id, Member member, long createdAt) { this.id = id; this.member = member; this.createdAt = createdAt; this.lastAccessAt = createdAt; }
    }

    static final class SessionStore {
        final Map<String, Session> sessions = new ConcurrentHashMap<>();
        final Map<String, Integer> activeByTier = new HashMap<>();
        final SynchronousQueue<Long> ticks = new SynchronousQueue<>(), done = new SynchronousQueue<>();
        Thread sweeper;
        long sweeps, expired, lastSweepAt;

        void startSweeper() {
            sweeper = new Thread(() -> {
                try {
                    while (true) { long at = ticks.take(); sweep(at); done.put(at); } // stands in for sleep(60 s)
                } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
            }, "session-sweeper");
            sweeper.setDaemon(true);
            sweeper.start();
        }

        void sweep(long at) {
            activeByTier.clear();
            for (Session s : sessions.values()) {
                if (FIXED && s.member == null) { activeByTier.merge("guest", 1, Integer::sum); continue; }
                activeByTier.merge(s.member.tier(), 1, Integer::sum); // BUG: NPE for a member-less session
            }
            for (Iterator<Session> it = sessions.values().iterator(); it.hasNext(); ) {
                if (at - it.next().lastAccessAt > TIMEOUT) { it.remove(); expired++; }
            }
            sweeps++; lastSweepAt = at;
        }

        /** The scheduler's minute tick (a harness for the sweeper's sleep): hands it to the sweeper if it is alive. */
        void tick(long at) throws InterruptedException {
            if (!sweeper.isAlive()) return;
            ticks.put(at);
            while (done.poll(20, TimeUnit.MILLISECONDS) == null) if (!sweeper.isAlive()) return;
        }
    }

    static final class PdfCache extends LinkedHashMap<String, TicketPdf> {
        long evicted;
        PdfCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, TicketPdf> e) { if (size() > PDF_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Exhibit> EXHIBITS_BY_CODE = new HashMap<>();

    static final class TicketPortal {
        final Map<String, Member> members = new HashMap<>();
        final PdfCache ticketPdfs = new PdfCache();
        final ArrayDeque<byte[]> barcodeBuffers = new ArrayDeque<>();
        final GateScan[] gateScans = new GateScan[RING];
        long scans;
        final SessionStore sessions = new SessionStore();
    }

    static TicketPortal SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val58.fixed");
        int logins = SESSIONS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        long voucherAt = start + VOUCHER_AT_HOUR * HOUR + 17 * 1_000L;
        Random rnd = new Random(58_040_001);
        String[] animals = {"Red panda", "Okapi", "Snow leopard", "Komodo dragon", "Gorilla", "Penguin", "Giraffe", "Tapir"};
        for (int e = 0; e < EXHIBITS; e++) {
            double[] visitors = new double[72];
            for (int k = 0; k < visitors.length; k++) visitors[k] = rnd.nextDouble() * 400;
            String code = "EX-" + (800 + e);
            EXHIBITS_BY_CODE.put(code, new Exhibit(code, animals[e % animals.length] + " " + (e / 8), visitors));
        }
        TicketPortal svc = new TicketPortal();
        SERVICE = svc;
        Member[] members = new Member[MEMBERS];
        String[] tiers = {"Family", "Individual", "Patron", "Senior", "Student"};
        for (int m = 0; m < MEMBERS; m++) {
            members[m] = new Member("ZM" + (3_300_000 + m * 11), tiers[rnd.nextInt(tiers.length)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_000)) * 24 * HOUR);
            svc.members.put(members[m].memberNo(), members[m]);
        }
        for (int b = 0; b < POOL; b++) svc.barcodeBuffers.add(new byte[32_768]);
        SessionStore store = svc.sessions;
        store.startSweeper();
        Random traffic = new Random(58_040_002);
        long nextTick = start + MINUTE;
        boolean voucherDone = false;
        long sweeperDiedAfter = -1;
        for (int i = 0; i < logins; i++) {
            long t = start + (end - MINUTE - start) * i / logins;
            while (nextTick <= t) {
                store.tick(nextTick);
                if (sweeperDiedAfter < 0 && !store.sweeper.isAlive()) sweeperDiedAfter = nextTick;
                nextTick += MINUTE;
            }
            if (!voucherDone && t >= voucherAt) { // partner-voucher checkout: a session without a member
                Session v = new Session(String.format("%016x", 0x5eed_0000_0000L + i), null, t);
                v.attributes.put("voucher", "PARTNER-" + (90_000 + i));
                v.cart = new byte[120];
                store.sessions.put(v.id, v);
                voucherDone = true;
            }
            Member m = members[traffic.nextInt(MEMBERS)];
            Session s = new Session(String.format("%016x", 0x2a00_0000_0000L + (long) i * 7_919), m, t);
            s.attributes.put("locale", traffic.nextBoolean() ? "en-GB" : "de-DE");
            s.attributes.put("visitDate", Long.valueOf(end + (1 + traffic.nextInt(60)) * 24 * HOUR));
            s.attributes.put("csrf", Long.toHexString(traffic.nextLong()));
            s.cart = new byte[100 + traffic.nextInt(200)];
            s.lastAccessAt = Math.min(t + traffic.nextInt(40) * MINUTE, end - 1);
            store.sessions.put(s.id, s);
            String ticket = "T" + (60_000_000 + i);
            svc.gateScans[(int) (svc.scans++ % RING)] = new GateScan(ticket, "Gate " + (1 + traffic.nextInt(5)), t);
            String key = "pdf-" + traffic.nextInt(5_000);
            if (svc.ticketPdfs.get(key) == null) svc.ticketPdfs.put(key, new TicketPdf(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.barcodeBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.barcodeBuffers.add(buf);
        }
        while (nextTick <= end) {
            store.tick(nextTick);
            if (sweeperDiedAfter < 0 && !store.sweeper.isAlive()) sweeperDiedAfter = nextTick;
            nextTick += MINUTE;
        }
        long idle = 0;
        for (Session s : store.sessions.values()) if (end - s.lastAccessAt > TIMEOUT) idle++;
        System.out.println((FIXED ? "FIXED " : "") + "exhibits " + EXHIBITS_BY_CODE.size() + " members " + svc.members.size() + " sessions " + store.sessions.size() + " (idle past timeout " + idle
                + ") expired " + store.expired + " sweeps " + store.sweeps + " sweeper alive " + store.sweeper.isAlive() + " died at minute " + (sweeperDiedAfter < 0 ? -1 : (sweeperDiedAfter - start) / MINUTE)
                + " (" + (sweeperDiedAfter < 0 ? -1 : (end - sweeperDiedAfter) / MINUTE) + " min before the dump) pdfs " + svc.ticketPdfs.size() + " (evicted " + svc.ticketPdfs.evicted + ") pool " + svc.barcodeBuffers.size() + " scans " + svc.scans);
        check(EXHIBITS_BY_CODE.size() == EXHIBITS && svc.members.size() == MEMBERS, "reference data / directory");
        if (FIXED) check(store.sweeper.isAlive() && store.sweeps == HOURS * 60 && idle == 0 && store.lastSweepAt == end, "sweeper works");
        else check(!store.sweeper.isAlive() && store.sweeps == VOUCHER_AT_HOUR * 60 && idle > 10_000, "sweeper died: " + store.sweeps + " / " + idle);
        check(svc.ticketPdfs.size() == PDF_CAP && svc.ticketPdfs.evicted > 0, "pdf cache at cap");
        check(svc.barcodeBuffers.size() == POOL, "pool");
        check(svc.gateScans[RING - 1] != null, "scan ring full");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
