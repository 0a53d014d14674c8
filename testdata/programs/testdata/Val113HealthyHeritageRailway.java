// hprofscan-dump: name=val113-healthy-heritagerailway-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val113-healthy-heritagerailway-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val113-healthy-heritagerailway jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val113-healthy-heritagerailway-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.zip.Deflater;

/**
 * Validation set 113 (written blind), HEALTHY (growth series that warms up and plateaus): the
 * booking and live-tracking service of a consortium of heritage railways. Timetabled-service
 * reference data, the member directory, a seat-map cache at its cap, an e-ticket cache that fills
 * in stage 2, a pool of print buffers, a ring of journeys (filling in stage 1, wrapping from stage
 * 2), the postal-ticket dispatch queue, and look-alikes of the set's leaks done right: live-tracker
 * sessions subscribe a lambda to the train-position bus and unsubscribe it when they expire; the 3
 * ticket-issuing workers keep the ticket's audit trail in a ThreadLocal removed in a finally; fares
 * are memoised under a record key over a bounded key space (12 stations); every e-ticket's Deflater
 * is registered while in use and ended in a finally. Stage 1 / 2 / 3 = 1 / 4 / 8 hours.
 * See VALIDATION113.md.
 */
public final class Val113HealthyHeritageRailway {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int TRAIN_SERVICES = 1_000, MEMBERS = 22_000, STATIONS = 12, SEATMAP_CAP = 2_000, TICKET_CAP = 1_200, POOL = 8, RING = 8_192, WORKERS = 3,
            JOURNEYS_PER_HOUR = 3_000, TICKETS_PER_HOUR = 360, SESSIONS_PER_HOUR = 900, FARE_LOOKUPS_PER_HOUR = 3_000, DISPATCH_AFTER_MIN = 20, TRAINS = 24;
    static final String[] STATION_NAMES = {"Kingsbridge Road", "Abbey Halt", "Millford", "Coppice Junction", "Hollow Bank", "Wren's Crossing",
        "Saltmarsh", "Old Quarry", "Beacon Hill", "Farthing Lane", "Long Meadow", "Harbour Town"};
    static final String[] TICKET_TYPES = {"day-rover", "return", "single", "footplate-experience"};
    static final String[] CONCESSIONS = {"adult", "child", "senior"};

    record TrainService(String code, String railway, double[] loadByHalfHour) {}
    record Member(String memberNo, String name, byte[] profile, long joinedAt) {}
    record SeatMap(String key, byte[] svg, long at) {}
    record ETicket(String ticketNo, String memberNo, byte[] compressedPdf, byte[] aztecBarcode, long issuedAt) {}
    record Journey(String memberNo, String from, String to, String trainCode, long at) {}
    record PostalTicket(long id, String ticketNo, String memberNo, long issuedAt) {}
    record FareKey(String origin, String destination, String ticketType, String concession) {}
    record Fare(FareKey key, int pence, String validity) {}
    record AuditEntry(long at, String step, String detail) {}
    record TicketRequest(String ticketNo, String memberNo, FareKey fare, byte[] aztecBarcode, long at) {}

    interface TrackerEvent { long at(); }
    record TrainPosition(String trainCode, int station, int delayMinutes, long at) implements TrackerEvent {}

    record TrackerView(String visitorId, int fromStation, int toStation, String userAgent, long at) {}

    static final class TrackerSession {
        final String sessionId; final TrackerView view; final long expiresAt; final byte[] frame;
        final ArrayDeque<TrainPosition> shown = new ArrayDeque<>(8);
        long pushed; boolean closed; Consumer<TrackerEvent> subscription;
        TrackerSession(String sessionId, TrackerView view, long expiresAt, byte[] frame) { this.sessionId = sessionId; this.view = view; this.expiresAt = expiresAt; this.frame = frame; }
        void onPosition(TrainPosition p, TrackerView v) {
            if (closed || p.station() < v.fromStation() || p.station() > v.toStation()) return;
            if (shown.size() == 8) shown.removeFirst();
            shown.addLast(p);
            frame[(int) (pushed++ % frame.length)] = (byte) p.delayMinutes();
        }
    }

    static final class TrackerBus {
        final Map<Class<? extends TrackerEvent>, Set<Consumer<TrackerEvent>>> subscribers = new ConcurrentHashMap<>();
        long published;
        void subscribe(Class<? extends TrackerEvent> type, Consumer<TrackerEvent> c) { subscribers.computeIfAbsent(type, k -> ConcurrentHashMap.newKeySet()).add(c); }
        void unsubscribe(Class<? extends TrackerEvent> type, Consumer<TrackerEvent> c) { Set<Consumer<TrackerEvent>> s = subscribers.get(type); if (s != null) s.remove(c); }
        void publish(TrackerEvent e) { published++; Set<Consumer<TrackerEvent>> s = subscribers.get(e.getClass()); if (s != null) for (Consumer<TrackerEvent> c : s) c.accept(e); }
        int count(Class<? extends TrackerEvent> type) { Set<Consumer<TrackerEvent>> s = subscribers.get(type); return s == null ? 0 : s.size(); }
    }

    /** Station departure boards: the last position of each train. */
    static final class DepartureBoards implements Consumer<TrackerEvent> {
        final Map<String, TrainPosition> lastByTrain = new HashMap<>();
        @Override public void accept(TrackerEvent e) { TrainPosition p = (TrainPosition) e; lastByTrain.put(p.trainCode(), p); }
    }

    /** Delay-repay monitor: counts late arrivals. */
    static final class DelayMonitor implements Consumer<TrackerEvent> {
        long late;
        @Override public void accept(TrackerEvent e) { if (((TrainPosition) e).delayMinutes() >= 15) late++; }
    }

    /** The audit trail of the ticket being issued on this worker thread. */
    static final class IssueContext {
        final String ticketNo; final long at; final List<AuditEntry> trail = new ArrayList<>();
        IssueContext(String ticketNo, long at) { this.ticketNo = ticketNo; this.at = at; }
    }

    static final class TicketCompressor implements AutoCloseable {
        final Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        final Set<TicketCompressor> registry;
        TicketCompressor(Set<TicketCompressor> registry) { this.registry = registry; registry.add(this); }
        byte[] compress(byte[] pdf) {
            deflater.setInput(pdf);
            deflater.finish();
            byte[] out = new byte[pdf.length + 64];
            return Arrays.copyOf(out, deflater.deflate(out));
        }
        @Override public void close() { deflater.end(); registry.remove(this); }
    }

    static final class Cache<V> extends LinkedHashMap<String, V> {
        final int cap; long evicted;
        Cache(int cap) { super(4_096, 0.75f, true); this.cap = cap; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, V> e) { if (size() > cap) { evicted++; return true; } return false; }
    }

    static final Map<String, TrainService> TRAIN_SERVICES_BY_CODE = new HashMap<>();

    static final class BookingService {
        final Map<String, Member> members = new HashMap<>();
        final String[] memberNos = new String[MEMBERS];
        final Cache<SeatMap> seatMaps = new Cache<>(SEATMAP_CAP);
        final Cache<ETicket> eTickets = new Cache<>(TICKET_CAP);
        final ArrayDeque<byte[]> printBuffers = new ArrayDeque<>();
        final Journey[] journeys = new Journey[RING];
        /** Seat availability: train x day (60 days ahead) x seat; constant size. */
        final int[] seatInventory = new int[TRAINS * 60 * 300];
        final ArrayDeque<PostalTicket> dispatchQueue = new ArrayDeque<>();
        final Map<FareKey, Fare> fares = new ConcurrentHashMap<>();
        final TrackerBus bus = new TrackerBus();
        final DepartureBoards boards = new DepartureBoards();
        final DelayMonitor delays = new DelayMonitor();
        final Map<String, TrackerSession> sessions = new LinkedHashMap<>();
        final ThreadLocal<IssueContext> currentIssue = new ThreadLocal<>();
        final ThreadLocal<StringBuilder> scratch = ThreadLocal.withInitial(() -> new StringBuilder(1_024));
        final Set<TicketCompressor> openCompressors = ConcurrentHashMap.newKeySet();
        final AtomicInteger workerIds = new AtomicInteger();
        final ExecutorService ticketWorkers = Executors.newFixedThreadPool(WORKERS, r -> {
            Thread th = new Thread(r, "ticket-worker-" + workerIds.incrementAndGet());
            th.setDaemon(true);
            return th;
        });
        final AtomicLong auditEntries = new AtomicLong(), issued = new AtomicLong();
        long journeyCount, ticketSeq, sessionsOpened, sessionsExpired, fareLookups, fareComputed, postal, postalSent, seatMapRequests;

        Fare fare(FareKey k) {
            fareLookups++;
            return fares.computeIfAbsent(k, key -> {
                fareComputed++;
                int hops = Math.abs(indexOf(key.origin()) - indexOf(key.destination()));
                int base = 450 + hops * 180 * (key.ticketType().equals("single") ? 1 : 2) + (key.ticketType().equals("footplate-experience") ? 9_500 : 0);
                int pence = key.concession().equals("adult") ? base : key.concession().equals("child") ? base / 2 : base * 3 / 4;
                return new Fare(key, pence, key.ticketType().equals("day-rover") ? "day of travel" : "3 days");
            });
        }

        static int indexOf(String station) { for (int i = 0; i < STATIONS; i++) if (STATION_NAMES[i].equals(station)) return i; return -1; }

        /** Runs on a ticket worker. */
        ETicket issue(TicketRequest req, int pdfSize) {
            IssueContext ctx = new IssueContext(req.ticketNo(), req.at());
            currentIssue.set(ctx);
            try {
                StringBuilder sb = scratch.get();
                sb.setLength(0);
                audit("reserve", "seat held for " + req.memberNo());
                audit("price", req.fare().origin() + " -> " + req.fare().destination() + " " + req.fare().ticketType() + " " + req.fare().concession());
                for (int i = 0; i < pdfSize / 24; i++) sb.append("BT /F1 9 Tf 72 ").append(700 - i % 600).append(" Td (").append(req.ticketNo()).append(") Tj ET\n");
                byte[] pdf = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
                byte[] compressed;
                try (TicketCompressor c = new TicketCompressor(openCompressors)) {
                    compressed = c.compress(pdf);
                }
                audit("render", pdf.length + " -> " + compressed.length + " bytes");
                issued.incrementAndGet();
                auditEntries.addAndGet(currentIssue.get().trail.size());
                return new ETicket(req.ticketNo(), req.memberNo(), compressed, req.aztecBarcode(), req.at());
            } finally {
                currentIssue.remove();
            }
        }

        void audit(String step, String detail) { IssueContext ctx = currentIssue.get(); ctx.trail.add(new AuditEntry(ctx.at, step, detail)); }

        void openSession(Random r, long t) {
            int a = r.nextInt(STATIONS), b = r.nextInt(STATIONS);
            TrackerView view = new TrackerView("v-" + Integer.toHexString(r.nextInt()), Math.min(a, b), Math.max(a, b), r.nextBoolean() ? "Mozilla/5.0 (iPhone)" : "Mozilla/5.0 (Linux; Android 14)", t);
            TrackerSession s = new TrackerSession("ts-" + Long.toHexString(0x4400_0000L + sessionsOpened++), view, t + (3 + r.nextInt(18)) * MINUTE, new byte[256 + r.nextInt(256)]);
            Consumer<TrackerEvent> c = e -> s.onPosition((TrainPosition) e, view);
            s.subscription = c;
            bus.subscribe(TrainPosition.class, c);
            sessions.put(s.sessionId, s);
        }

        void sweep(long t) {
            for (Iterator<TrackerSession> it = sessions.values().iterator(); it.hasNext(); ) {
                TrackerSession s = it.next();
                if (s.expiresAt > t) continue;
                it.remove();
                s.closed = true;
                bus.unsubscribe(TrainPosition.class, s.subscription);
                sessionsExpired++;
            }
        }

        void minute(Random r, long t, int m) throws Exception {
            int sessionsNow = (int) (((long) (m + 1) * SESSIONS_PER_HOUR) / 60 - ((long) m * SESSIONS_PER_HOUR) / 60);
            for (int k = 0; k < sessionsNow; k++) openSession(r, t);
            for (int k = 0; k < TRAINS; k++) if (r.nextInt(4) == 0) bus.publish(new TrainPosition("2T" + (10 + k), r.nextInt(STATIONS), r.nextInt(10) == 0 ? 15 + r.nextInt(30) : r.nextInt(8), t));
            int lookups = (int) (((long) (m + 1) * FARE_LOOKUPS_PER_HOUR) / 60 - ((long) m * FARE_LOOKUPS_PER_HOUR) / 60);
            for (int k = 0; k < lookups; k++) fare(randomFare(r));
            int journeysNow = (int) (((long) (m + 1) * JOURNEYS_PER_HOUR) / 60 - ((long) m * JOURNEYS_PER_HOUR) / 60);
            for (int k = 0; k < journeysNow; k++) {
                int a = r.nextInt(STATIONS), b = (a + 1 + r.nextInt(STATIONS - 1)) % STATIONS;
                seatInventory[(int) ((journeyCount * 7_919) % seatInventory.length)]++;
                journeys[(int) (journeyCount++ % RING)] = new Journey(memberNos[r.nextInt(MEMBERS)], STATION_NAMES[a], STATION_NAMES[b], "2T" + (10 + r.nextInt(TRAINS)), t);
                seatMapRequests++;
                String key = "seats-2T" + (10 + r.nextInt(TRAINS)) + "-" + r.nextInt(300);
                if (seatMaps.get(key) == null) seatMaps.put(key, new SeatMap(key, new byte[500 + r.nextInt(500)], t));
            }
            int ticketsNow = (int) (((long) (m + 1) * TICKETS_PER_HOUR) / 60 - ((long) m * TICKETS_PER_HOUR) / 60);
            List<Callable<ETicket>> tasks = new ArrayList<>();
            for (int k = 0; k < ticketsNow; k++) {
                byte[] barcode = new byte[1_200 + r.nextInt(1_200)];
                r.nextBytes(barcode);
                TicketRequest req = new TicketRequest("HR" + (7_700_000L + ticketSeq++), memberNos[r.nextInt(MEMBERS)], randomFare(r), barcode, t);
                int pdfSize = 2_000 + r.nextInt(2_000);
                tasks.add(() -> issue(req, pdfSize));
            }
            for (Future<ETicket> f : ticketWorkers.invokeAll(tasks)) {
                ETicket ticket = f.get();
                eTickets.put(ticket.ticketNo(), ticket);
                byte[] buf = printBuffers.poll();
                buf[(int) (ticketSeq % buf.length)] = (byte) ticket.compressedPdf().length;
                printBuffers.add(buf);
                if (ticketSeq % 5 == 0) dispatchQueue.addLast(new PostalTicket(40_000L + postal++, ticket.ticketNo(), ticket.memberNo(), t));
            }
            while (!dispatchQueue.isEmpty() && dispatchQueue.peekFirst().issuedAt() + DISPATCH_AFTER_MIN * MINUTE <= t) { dispatchQueue.removeFirst(); postalSent++; }
            sweep(t);
        }

        FareKey randomFare(Random r) {
            int a = r.nextInt(STATIONS), b = (a + 1 + r.nextInt(STATIONS - 1)) % STATIONS;
            return new FareKey(STATION_NAMES[a], STATION_NAMES[b], TICKET_TYPES[r.nextInt(TICKET_TYPES.length)], CONCESSIONS[r.nextInt(CONCESSIONS.length)]);
        }

        /** One probe per worker (they wait for each other): is an issue context left on any worker? */
        int contextsLeft() throws Exception {
            CyclicBarrier barrier = new CyclicBarrier(WORKERS);
            List<Callable<Integer>> probes = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) probes.add(() -> { int left = currentIssue.get() == null ? 0 : 1; barrier.await(); return left; });
            int left = 0;
            for (Future<Integer> f : ticketWorkers.invokeAll(probes)) left += f.get();
            return left;
        }
    }

    static BookingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(113_050_001);
        for (int s = 0; s < TRAIN_SERVICES; s++) {
            double[] load = new double[48];
            for (int k = 0; k < load.length; k++) load[k] = rnd.nextDouble();
            String code = "HR-" + (s % 60) + "-" + (100 + s);
            TRAIN_SERVICES_BY_CODE.put(code, new TrainService(code, "Heritage railway " + (s % 60), load));
        }
        BookingService svc = new BookingService();
        SERVICE = svc;
        for (int i = 0; i < MEMBERS; i++) {
            svc.memberNos[i] = "M" + (300_000 + i * 7);
            svc.members.put(svc.memberNos[i], new Member(svc.memberNos[i], "Member " + i, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.printBuffers.add(new byte[32_768]);
        svc.bus.subscribe(TrainPosition.class, svc.boards);
        svc.bus.subscribe(TrainPosition.class, svc.delays);
        Random traffic = new Random(113_050_002);
        int minutes = hours * 60;
        for (int m = 0; m < minutes; m++) svc.minute(traffic, start + m * MINUTE, m);
    }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        simulate(hours);
        report(stage, hours);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report(int stage, int hours) throws Exception {
        BookingService svc = SERVICE;
        int left = svc.contextsLeft();
        int live = svc.sessions.size();
        System.out.println("stage " + stage + " train services " + TRAIN_SERVICES_BY_CODE.size() + " members " + svc.members.size() + " journeys " + svc.journeyCount + " tickets " + svc.issued.get()
                + " audit entries " + svc.auditEntries.get() + " contexts left " + left + " open compressors " + svc.openCompressors.size() + " fares " + svc.fares.size() + " (lookups " + svc.fareLookups
                + ", computed " + svc.fareComputed + ") sessions opened " + svc.sessionsOpened + " expired " + svc.sessionsExpired + " live " + live + " tracker subscribers " + svc.bus.count(TrainPosition.class)
                + " positions " + svc.bus.published + " seat maps " + svc.seatMaps.size() + " (evicted " + svc.seatMaps.evicted + ") e-tickets " + svc.eTickets.size() + " (evicted " + svc.eTickets.evicted
                + ") postal " + svc.postal + " sent " + svc.postalSent + " backlog " + svc.dispatchQueue.size() + " pool " + svc.printBuffers.size());
        check(TRAIN_SERVICES_BY_CODE.size() == TRAIN_SERVICES && svc.members.size() == MEMBERS, "reference data / directory");
        check(svc.issued.get() == (long) TICKETS_PER_HOUR * hours && svc.auditEntries.get() == 3L * svc.issued.get(), "tickets");
        check(left == 0 && svc.openCompressors.isEmpty(), "no context or compressor left");
        check(svc.sessionsOpened == (long) SESSIONS_PER_HOUR * hours && svc.sessionsExpired + live == svc.sessionsOpened && svc.bus.count(TrainPosition.class) == live + 2, "tracker sessions");
        check(svc.fares.size() == svc.fareComputed && svc.fares.size() <= STATIONS * (STATIONS - 1) * TICKET_TYPES.length * CONCESSIONS.length, "fare memo bounded");
        check(svc.seatMaps.size() == SEATMAP_CAP && svc.seatMaps.evicted > 0, "seat-map cache at cap");
        check(svc.eTickets.size() == Math.min(TICKET_CAP, TICKETS_PER_HOUR * hours), "e-ticket cache");
        check(svc.printBuffers.size() == POOL, "pool");
        check(svc.journeys[Math.min(RING, JOURNEYS_PER_HOUR * hours) - 1] != null, "ring");
        check(!svc.dispatchQueue.isEmpty(), "dispatch backlog");
    }
}
