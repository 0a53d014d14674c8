// hprofscan-dump: name=val125-healthy-pickyourown-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val125-healthy-pickyourown-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val125-healthy-pickyourown jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val125-healthy-pickyourown-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 125 (written blind), HEALTHY (growth series that warms up and plateaus): the
 * booking and till service of a group of pick-your-own fruit farms. Field reference data, the
 * season-ticket visitor directory, an LRU of slot-availability pages keyed by the query string
 * (below its cap in stage 1, at it from stage 2), a static list of card declines at the tills
 * trimmed to the last 200, live field-status requests that subscribe on the long-lived status
 * board and close their Subscription in a finally block (a few in flight at the dump), two
 * long-lived scale-sync worker threads fed through a queue, a pool of label buffers, a ring of
 * weigh-ins (filling in stage 1, wrapping from stage 2) and the car-park queue.
 * Stage 1/2/3 simulate 1/4/8 hours. See VALIDATION125.md.
 */
public final class Val125HealthyPickYourOwn {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int FIELDS = 1_000, FARMS = 40, VISITORS = 22_000, PAGE_CAP = 1_500, POOL = 8, RING = 12_288, SEARCHES_PER_MINUTE = 20, WEIGHINS_PER_MINUTE = 67,
            STATUS_PER_MINUTE = 12, DECLINES_KEPT = 200, WORKERS = 2, GATE_MINUTES = 3;
    static final String[] CROPS = {"strawberries", "raspberries", "blueberries", "gooseberries", "blackcurrants", "cherries", "plums", "sweetcorn", "pumpkins", "tayberries"};
    static final String[] SLOTS = {"am", "midday", "pm", "evening"};

    record Field(String code, String farm, String crop, double[] yieldForecastByHalfHour) {}
    record Visitor(String ticketNo, String name, String postcode, byte[] preferences, long since) {}
    record AvailabilityPage(String[] slotIds, String html, long computedAt) {}
    record WeighIn(String ticketNo, String fieldCode, int grams, int pence, long at) {}
    record CardDecline(String tillId, String maskedPan, String reason, long at) {}
    record Car(String plate, long arrivedAt) {}
    record FieldStatus(String fieldCode, int ripePct, boolean open, long at) {}

    static final Map<String, Field> FIELDS_BY_CODE = new HashMap<>();

    /** Utility of the tills: the last card declines, for the duty manager's screen. Trimmed. */
    static final class TillFailures {
        static final ArrayDeque<CardDecline> RECENT = new ArrayDeque<>();
        static long recorded;
        private TillFailures() {}
        static synchronized void record(CardDecline d) {
            RECENT.addLast(d);
            recorded++;
            while (RECENT.size() > DECLINES_KEPT) RECENT.pollFirst();
        }
    }

    static final class PageCache extends LinkedHashMap<String, AvailabilityPage> {
        long evicted;
        PageCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, AvailabilityPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    interface StatusListener { void onStatus(FieldStatus s); }

    /** Long-lived: the fields' live status; registrations by handle id, removed on close. */
    static final class StatusBoard {
        final LinkedHashMap<Long, Registration> registrations = new LinkedHashMap<>();
        long nextHandle = 1, published;
        record Registration(long handle, String fieldCode, StatusListener listener) {}
        final class Subscription implements AutoCloseable {
            final long handle;
            Subscription(long handle) { this.handle = handle; }
            @Override public void close() { registrations.remove(handle); }
        }
        Subscription subscribe(String fieldCode, StatusListener l) { long h = nextHandle++; registrations.put(h, new Registration(h, fieldCode, l)); return new Subscription(h); }
        void publish(FieldStatus s) { published++; for (Registration r : registrations.values()) if (r.fieldCode().equals(s.fieldCode())) r.listener().onStatus(s); }
    }

    static final class StatusRequest {
        final String requestId, fieldCode; final long finishesAt;
        final StringBuilder body = new StringBuilder(256);
        StatusBoard.Subscription subscription;
        StatusRequest(String requestId, String fieldCode, long finishesAt) { this.requestId = requestId; this.fieldCode = fieldCode; this.finishesAt = finishesAt; }
        void onStatus(FieldStatus s) { if (body.length() < 200) body.append(s.ripePct()).append(s.open() ? "o;" : "c;"); }
    }

    /** Two long-lived workers that push weigh-ins to the farm-office scales ledger. */
    static final class ScaleSync {
        final LinkedBlockingQueue<WeighIn> queue = new LinkedBlockingQueue<>();
        final Map<String, LongAdder> gramsByField = new ConcurrentHashMap<>();
        final AtomicLong processed = new AtomicLong();
        final List<Thread> workers = new ArrayList<>();
        long submitted;
        ScaleSync() {
            for (int w = 1; w <= WORKERS; w++) {
                Thread th = new Thread(this::run, "scale-sync-" + w);
                th.setDaemon(true);
                workers.add(th);
                th.start();
            }
        }
        void run() {
            try {
                while (true) {
                    WeighIn in = queue.take();
                    gramsByField.computeIfAbsent(in.fieldCode(), k -> new LongAdder()).add(in.grams());
                    processed.incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        void submit(WeighIn in) { submitted++; queue.add(in); }
        void drain() throws InterruptedException { while (processed.get() < submitted) Thread.sleep(2); }
    }

    static final class FarmService {
        final Map<String, Visitor> visitors = new HashMap<>();
        final String[] ticketNos = new String[VISITORS];
        final PageCache pages = new PageCache();
        final StatusBoard board = new StatusBoard();
        final Map<String, StatusRequest> inFlight = new LinkedHashMap<>();
        final ScaleSync scales = new ScaleSync();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final WeighIn[] weighIns = new WeighIn[RING];
        final ArrayDeque<Car> gateQueue = new ArrayDeque<>();
        long searches, pageHits, statusRequests, statusDone, weighed, sales, cars, carsIn;

        void finish(StatusRequest r) {
            try {
                r.body.append("end");
            } finally {
                r.subscription.close();
                inFlight.remove(r.requestId);
                statusDone++;
            }
        }
    }

    static FarmService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) throws InterruptedException {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        long todayEpochDay = (end - end % DAY) / DAY; // dates in queries: whole days after the start of today (UTC)
        Random rnd = new Random(125_050_001);
        String[] fieldCodes = new String[FIELDS];
        for (int f = 0; f < FIELDS; f++) {
            double[] y = new double[48];
            for (int j = 0; j < y.length; j++) y[j] = rnd.nextDouble() * 60;
            fieldCodes[f] = "FLD" + (100 + f * 3);
            FIELDS_BY_CODE.put(fieldCodes[f], new Field(fieldCodes[f], "FARM" + (f % FARMS), CROPS[rnd.nextInt(CROPS.length)], y));
        }
        FarmService svc = new FarmService();
        SERVICE = svc;
        for (int v = 0; v < VISITORS; v++) {
            svc.ticketNos[v] = "PYO-" + (220_000 + v * 3);
            svc.visitors.put(svc.ticketNos[v], new Visitor(svc.ticketNos[v], "Visitor " + rnd.nextInt(1_000_000), "PY" + (1 + rnd.nextInt(40)) + " " + rnd.nextInt(10) + "AB",
                    new byte[150 + rnd.nextInt(150)], end - (long) (1 + rnd.nextInt(700)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);

        Random search = new Random(125_050_002), till = new Random(125_050_003), status = new Random(125_050_004), gate = new Random(125_050_005);
        String[] recentQueries = new String[32];
        long req = 0;
        for (long t = start; t < end; t += MINUTE) {
            for (int k = 0; k < SEARCHES_PER_MINUTE; k++) {
                String query;
                if (svc.searches > 0 && search.nextInt(100) < 15) query = recentQueries[search.nextInt((int) Math.min(32, svc.searches))];
                else query = "farm=FARM" + search.nextInt(FARMS) + "&date=" + LocalDate.ofEpochDay(todayEpochDay + search.nextInt(21)) + "&crop=" + CROPS[search.nextInt(CROPS.length)]
                        + "&party=" + (1 + search.nextInt(8)) + "&slot=" + SLOTS[search.nextInt(SLOTS.length)] + "&page=1";
                recentQueries[(int) (svc.searches++ % 32)] = query;
                AvailabilityPage p = svc.pages.get(query);
                if (p != null) { svc.pageHits++; continue; }
                String[] slots = new String[3 + search.nextInt(6)];
                StringBuilder html = new StringBuilder("<ul class=\"slots\">");
                for (int s = 0; s < slots.length; s++) {
                    slots[s] = "SL" + (search.nextInt(900_000) + 100_000);
                    html.append("<li data-slot=\"").append(slots[s]).append("\">").append(SLOTS[s % SLOTS.length]).append(" &middot; ").append(search.nextInt(40)).append(" places left</li>");
                }
                svc.pages.put(query, new AvailabilityPage(slots, html.append("</ul>").toString(), t));
            }
            for (int k = 0; k < WEIGHINS_PER_MINUTE; k++) {
                String ticket = svc.ticketNos[till.nextInt(VISITORS)], field = fieldCodes[till.nextInt(FIELDS)];
                int grams = 200 + till.nextInt(4_000);
                WeighIn in = new WeighIn(ticket, field, grams, grams * (5 + till.nextInt(4)) / 10, t + k * 800L);
                svc.weighIns[(int) (svc.weighed++ % RING)] = in;
                svc.scales.submit(in);
                if (till.nextInt(100) < 3) {
                    TillFailures.record(new CardDecline("TILL-" + (1 + till.nextInt(60)), "**** **** **** " + (1_000 + till.nextInt(9_000)),
                            till.nextBoolean() ? "05 do not honour" : "51 insufficient funds", in.at()));
                } else svc.sales++;
                byte[] buf = svc.labelBuffers.poll();
                buf[till.nextInt(buf.length)] = (byte) in.pence();
                svc.labelBuffers.add(buf);
            }
            for (Iterator<StatusRequest> it = new ArrayList<>(svc.inFlight.values()).iterator(); it.hasNext(); ) {
                StatusRequest r = it.next();
                if (r.finishesAt <= t) svc.finish(r);
            }
            for (int k = 0; k < STATUS_PER_MINUTE; k++) {
                StatusRequest r = new StatusRequest("fs-" + (300_000 + req++), fieldCodes[status.nextInt(FIELDS)], t + (5 + status.nextInt(100)) * SECOND);
                r.subscription = svc.board.subscribe(r.fieldCode, r::onStatus);
                svc.inFlight.put(r.requestId, r);
                svc.statusRequests++;
            }
            for (int k = 0; k < 30; k++) svc.board.publish(new FieldStatus(fieldCodes[status.nextInt(FIELDS)], status.nextInt(101), status.nextInt(10) != 0, t));
            int arrivals = gate.nextInt(9);
            for (int k = 0; k < arrivals; k++) { svc.gateQueue.addLast(new Car("PY" + gate.nextInt(80) + " " + (char) ('A' + gate.nextInt(26)) + (char) ('A' + gate.nextInt(26)) + (char) ('A' + gate.nextInt(26)), t)); svc.cars++; }
            while (!svc.gateQueue.isEmpty() && svc.gateQueue.peekFirst().arrivedAt() <= t - GATE_MINUTES * MINUTE) { svc.gateQueue.pollFirst(); svc.carsIn++; }
        }
        svc.scales.drain();
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
    }

    static void run(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        simulate(hours);
        settle();
        report(stage, hours);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    /** Waits until both scale workers are parked in take(). */
    static void settle() throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (Thread th : SERVICE.scales.workers) if (th.getState() != Thread.State.WAITING) all = false;
            if (all) return;
            Thread.sleep(10);
        }
        throw new IllegalStateException("scale workers did not settle");
    }

    static void report(int stage, int hours) {
        FarmService svc = SERVICE;
        int minutes = hours * 60;
        long grams = 0;
        for (LongAdder a : svc.scales.gramsByField.values()) grams += a.sum();
        System.out.println("stage " + stage + " fields " + FIELDS_BY_CODE.size() + " visitors " + svc.visitors.size() + " searches " + svc.searches + " (hits " + svc.pageHits + ") pages "
                + svc.pages.size() + " (evicted " + svc.pages.evicted + ") weigh-ins " + svc.weighed + " synced " + svc.scales.processed.get() + " grams " + grams + " fields weighed "
                + svc.scales.gramsByField.size() + " declines " + TillFailures.recorded + " kept " + TillFailures.RECENT.size() + " status requests " + svc.statusRequests + " done "
                + svc.statusDone + " in flight " + svc.inFlight.size() + " registrations " + svc.board.registrations.size() + " published " + svc.board.published + " pool "
                + svc.labelBuffers.size() + " cars " + svc.cars + " in " + svc.carsIn + " queue " + svc.gateQueue.size());
        check(FIELDS_BY_CODE.size() == FIELDS && svc.visitors.size() == VISITORS, "reference data / directory");
        check(svc.searches == (long) SEARCHES_PER_MINUTE * minutes && svc.pages.size() == Math.min(PAGE_CAP, svc.searches - svc.pageHits), "page cache");
        check(stage == 1 ? svc.pages.evicted == 0 : svc.pages.size() == PAGE_CAP, "page cache warm");
        check(svc.weighed == (long) WEIGHINS_PER_MINUTE * minutes && svc.scales.processed.get() == svc.weighed && svc.scales.queue.isEmpty(), "scale sync");
        check(svc.weighIns[(int) Math.min(RING, svc.weighed) - 1] != null && (stage == 1) == (svc.weighed < RING), "weigh-in ring");
        check(TillFailures.RECENT.size() == Math.min(DECLINES_KEPT, TillFailures.recorded), "till declines");
        check(svc.statusRequests == svc.statusDone + svc.inFlight.size() && svc.board.registrations.size() == svc.inFlight.size() && svc.inFlight.size() > 0, "status board");
        check(svc.inFlight.size() == (stage == 1 ? 17 : 19) && svc.pages.size() == (stage == 1 ? 1_009 : PAGE_CAP), "in flight / pages");
        check(svc.labelBuffers.size() == POOL, "label pool");
        check(svc.cars == svc.carsIn + svc.gateQueue.size(), "gate queue");
    }
}
