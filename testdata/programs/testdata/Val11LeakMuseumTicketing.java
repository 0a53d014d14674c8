// hprofscan-dump: name=val11-leak-museum jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val11-leak-museum-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 11 (written blind), LEAK (small): the online ticket shop of a museum after 10
 * simulated hours. Every checkout holds timed-entry seats at the inventory system and schedules a
 * periodic keep-alive task (every 2 minutes) that extends the hold while the visitor pays. When a
 * checkout is paid or abandoned, the holds are released and the session leaves the checkout
 * registry, but the keep-alive's {@code ScheduledFuture} is never cancelled: the task, and the
 * finished session it captures (visitor, ticket lines), stays in the scheduler's queue for ever
 * (it checks {@code finished} and does nothing). 4,000 finished checkouts' tasks stay; 150
 * checkouts are legitimately in progress and 2 service-wide periodic tasks run on the same
 * scheduler. Beside it, much bigger: the member directory and the timed-entry slot inventory
 * (loaded at startup), price rules, a ring of the last gate scans, a pool of PDF render buffers
 * and a fixed pool of 3 render threads. See testdata/VALIDATION11.md.
 */
public final class Val11LeakMuseumTicketing {
    static final int MEMBERS = 80_000;
    static final int DAYS_AHEAD = 120;
    static final int SLOTS_PER_DAY = 36;
    static final int PRICE_RULES = 800;
    static final int SCAN_RING = 20_000;
    static final int PDF_BUFFERS = 24;
    static final int RENDERERS = 3;
    static final int CHECKOUTS = 4_150;
    static final int IN_PROGRESS = 150;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final long SIM_MILLIS = 10 * HOUR;

    static TicketShop RUNNING;

    static final class Member {
        final long memberId; final String name; final String email; final String tier; final long memberSince; final long renewsAt; int visits;
        Member(long memberId, String name, String email, String tier, long memberSince, long renewsAt) { this.memberId = memberId; this.name = name; this.email = email; this.tier = tier; this.memberSince = memberSince; this.renewsAt = renewsAt; }
    }

    /** Reference data: every member of the museum, loaded from the CRM at startup. */
    static final class MemberDirectory {
        static final Map<Long, Member> BY_ID = new HashMap<>();
    }

    static final class TimeSlot {
        final String slotKey; final String gallery; final long startsAt; final int capacity; int sold; int held;
        TimeSlot(String slotKey, String gallery, long startsAt, int capacity) { this.slotKey = slotKey; this.gallery = gallery; this.startsAt = startsAt; this.capacity = capacity; }
    }

    static final class PriceRule {
        final String code; final String audience; final int priceCents; final int[] validWeekdays; final long validFrom;
        PriceRule(String code, String audience, int priceCents, int[] validWeekdays, long validFrom) { this.code = code; this.audience = audience; this.priceCents = priceCents; this.validWeekdays = validWeekdays; this.validFrom = validFrom; }
    }

    static final class TicketLine {
        final String slotKey; final String priceCode; final int quantity; final int amountCents;
        TicketLine(String slotKey, String priceCode, int quantity, int amountCents) { this.slotKey = slotKey; this.priceCode = priceCode; this.quantity = quantity; this.amountCents = amountCents; }
    }

    /** A visitor's checkout: the held seats and the visitor's details while they pay. */
    static final class CheckoutSession {
        final String checkoutId; final String visitorEmail; final String visitorName; final long startedAt; final List<TicketLine> lines = new ArrayList<>();
        final String holdToken; long finishedAt; boolean finished; String outcome; int keepAlives;
        ScheduledFuture<?> keepAlive;
        CheckoutSession(String checkoutId, String visitorEmail, String visitorName, long startedAt, String holdToken) { this.checkoutId = checkoutId; this.visitorEmail = visitorEmail; this.visitorName = visitorName; this.startedAt = startedAt; this.holdToken = holdToken; }
    }

    /** Extends seat holds at the inventory system while checkouts are in progress. */
    static final class HoldManager {
        /** THE LEAK (its queue): keep-alive tasks of finished checkouts are never cancelled. */
        final ScheduledThreadPoolExecutor keepAlive = new ScheduledThreadPoolExecutor(1, r -> { Thread t = new Thread(r, "hold-keepalive"); t.setDaemon(true); return t; });
        final Map<String, CheckoutSession> checkouts = new ConcurrentHashMap<>();
        long extended; long started; long finished;
        void begin(CheckoutSession s) {
            checkouts.put(s.checkoutId, s);
            s.keepAlive = keepAlive.scheduleAtFixedRate(() -> { if (!s.finished) { s.keepAlives++; extended++; } }, 2, 2, TimeUnit.MINUTES);
            started++;
        }
        void finish(CheckoutSession s, String outcome, long t, boolean fixed) {
            s.finished = true; s.outcome = outcome; s.finishedAt = t;
            checkouts.remove(s.checkoutId);
            if (fixed) s.keepAlive.cancel(false);
            finished++;
        }
    }

    /** A gate scan; the ring's slots are allocated once and overwritten. */
    static final class GateScan {
        long at; String barcode; String gate; int result;
    }

    static final class ScanRing {
        final GateScan[] slots = new GateScan[SCAN_RING];
        long written;
        ScanRing() { for (int i = 0; i < SCAN_RING; i++) slots[i] = new GateScan(); }
        void append(long t, String code, String gate, int result) { GateScan s = slots[(int) (written++ % SCAN_RING)]; s.at = t; s.barcode = code; s.gate = gate; s.result = result; }
    }

    static final class TicketShop {
        final Map<String, TimeSlot> slots = new HashMap<>();
        final Map<String, PriceRule> priceRules = new HashMap<>();
        final HoldManager holds = new HoldManager();
        final ScanRing scans = new ScanRing();
        final ArrayBlockingQueue<byte[]> pdfBuffers = new ArrayBlockingQueue<>(PDF_BUFFERS);
        final AtomicInteger seq = new AtomicInteger();
        final ThreadPoolExecutor renderers = new ThreadPoolExecutor(RENDERERS, RENDERERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "ticket-render-" + seq.incrementAndGet()); t.setDaemon(true); return t; });
        final Properties config = new Properties();
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val11.fixed"); // only for measuring the leak's share
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        long today = now - now % DAY;
        Random rnd = new Random(11_030_001);
        TicketShop svc = new TicketShop();
        RUNNING = svc;
        for (int i = 0; i < 70; i++) svc.config.setProperty("shop.gallery." + i + ".capacity", Integer.toString(40 + i));
        String[] tiers = {"individual", "family", "patron", "student", "senior"};
        for (int i = 0; i < MEMBERS; i++) {
            long id = 880_000L + i * 3L;
            long since = now - DAY * rnd.nextInt(6000);
            MemberDirectory.BY_ID.put(id, new Member(id, "Member " + i + " Lastname" + (i % 911), "m" + id + "@mail.example", tiers[i % 5], since, now + DAY * rnd.nextInt(365)));
        }
        String[] galleries = {"main", "impressionists", "egypt", "modern", "sculpture", "planetarium"};
        String[] slotKeys = new String[DAYS_AHEAD * SLOTS_PER_DAY];
        for (int d = 0; d < DAYS_AHEAD; d++) {
            for (int s = 0; s < SLOTS_PER_DAY; s++) {
                String key = "D" + d + "-" + galleries[s % 6] + "-" + (9 * 60 + (s / 6) * 60);
                slotKeys[d * SLOTS_PER_DAY + s] = key;
                svc.slots.put(key, new TimeSlot(key, galleries[s % 6], today + d * DAY + 9 * HOUR + (s / 6) * HOUR, 60 + (s % 6) * 20));
            }
        }
        String[] audiences = {"adult", "child", "student", "senior", "member", "group"};
        for (int i = 0; i < PRICE_RULES; i++) {
            String code = "P" + i;
            svc.priceRules.put(code, new PriceRule(code, audiences[i % 6], 500 + 100 * (i % 25), new int[] {1, 2, 3, 4, 5, 6, 7}, now - DAY * (i % 400)));
        }
        for (int i = 0; i < PDF_BUFFERS; i++) svc.pdfBuffers.add(new byte[32 * 1024]);
        CyclicBarrier warm = new CyclicBarrier(RENDERERS);
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < RENDERERS; w++) fs.add(svc.renderers.submit(() -> { warm.await(); return null; }));
        for (Future<?> f : fs) f.get();
        if (fixed) svc.holds.keepAlive.setRemoveOnCancelPolicy(true);
        // service-wide periodic tasks on the same scheduler
        ScheduledFuture<?> inventorySync = svc.holds.keepAlive.scheduleAtFixedRate(() -> { }, 5, 5, TimeUnit.MINUTES);
        ScheduledFuture<?> metrics = svc.holds.keepAlive.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.MINUTES);
        // 10 hours: visitors check out (1-4 ticket lines); 80% pay, 20% abandon; the last 150 are paying.
        List<CheckoutSession> open = new ArrayList<>();
        long scansWritten = 0;
        for (int i = 0; i < CHECKOUTS; i++) {
            long t = start + SIM_MILLIS * i / CHECKOUTS;
            String id = "co-" + new java.util.UUID(rnd.nextLong(), rnd.nextLong());
            CheckoutSession s = new CheckoutSession(id, "visitor" + rnd.nextInt(500_000) + "@mail.example", "Visitor " + rnd.nextInt(100_000), t, "hold-" + Long.toHexString(rnd.nextLong()));
            int n = 1 + rnd.nextInt(4);
            for (int k = 0; k < n; k++) {
                String slot = slotKeys[rnd.nextInt(14 * SLOTS_PER_DAY)];
                int q = 1 + rnd.nextInt(4);
                PriceRule p = svc.priceRules.get("P" + rnd.nextInt(PRICE_RULES));
                s.lines.add(new TicketLine(slot, p.code, q, q * p.priceCents));
                svc.slots.get(slot).held += q;
            }
            svc.holds.begin(s);
            open.add(s);
            if (open.size() > IN_PROGRESS) {
                CheckoutSession done = open.remove(0);
                boolean paid = rnd.nextInt(5) != 0;
                for (TicketLine l : done.lines) { TimeSlot ts = svc.slots.get(l.slotKey); ts.held -= l.quantity; if (paid) ts.sold += l.quantity; }
                if (paid) { byte[] pdf = svc.pdfBuffers.poll(); pdf[0] = 1; svc.pdfBuffers.add(pdf); }
                svc.holds.finish(done, paid ? "PAID" : "ABANDONED", t, fixed);
            }
            for (int k = 0; k < 6; k++) { svc.scans.append(t + k * 1_000L, "MUS" + Long.toString(rnd.nextLong() & 0xFFFFFFFFFFL, 36), "gate-" + (k % 4), 0); scansWritten++; }
            if (i % 3 == 0) { Member m = MemberDirectory.BY_ID.get(880_000L + rnd.nextInt(MEMBERS) * 3L); m.visits++; }
        }
        int tasks = svc.holds.keepAlive.getQueue().size();
        int leaked = fixed ? 0 : CHECKOUTS - IN_PROGRESS;
        System.out.println("members " + MemberDirectory.BY_ID.size() + " slots " + svc.slots.size() + " price rules " + svc.priceRules.size() + " checkouts " + svc.holds.checkouts.size()
                + " (started " + svc.holds.started + ", finished " + svc.holds.finished + ") scheduled tasks " + tasks + " scans " + svc.scans.written);
        check(MemberDirectory.BY_ID.size() == MEMBERS && svc.slots.size() == DAYS_AHEAD * SLOTS_PER_DAY && svc.priceRules.size() == PRICE_RULES, "reference data");
        check(svc.holds.checkouts.size() == IN_PROGRESS && svc.holds.started == CHECKOUTS && svc.holds.finished == CHECKOUTS - IN_PROGRESS, "checkouts");
        check(tasks == leaked + IN_PROGRESS + 2 && !inventorySync.isDone() && !metrics.isDone(), "keep-alive tasks");
        check(svc.scans.written == scansWritten && scansWritten > SCAN_RING && svc.pdfBuffers.size() == PDF_BUFFERS && svc.renderers.getPoolSize() == RENDERERS, "ring/pool");
        LeakCheck.histogram("ScheduledFutureTask");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
