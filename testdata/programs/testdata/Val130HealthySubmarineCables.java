// hprofscan-dump: name=val130-healthy-submarinecables-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val130-healthy-submarinecables-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val130-healthy-submarinecables jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val130-healthy-submarinecables-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 130 (written blind), HEALTHY, a growth series (1 / 4 / 8 h): the network
 * operations centre (NOC) service of a submarine cable operator. Cable-segment reference data, the
 * network-element directory (repeaters, branching units, line-terminal equipment), a cache of
 * rendered OTDR traces at its cap, a cache of span-loss charts that warms up in stage 2, a pool of
 * TL1 buffers, a ring of poll results, a queue of maintenance tickets with a normal backlog, and
 * look-alikes of the set's leaks done right:
 * <ul>
 *   <li>every TL1 session to an element is registered in {@code SessionRegistry.active} (a
 *       {@code ConcurrentHashMap.newKeySet()}) when opened and removed in a {@code finally},
 *       failed ones (timeouts, DENY replies; about 1 in 8) included: only the sessions in flight
 *       stay (4 polls awaiting their reply, 3 operator commands on pool threads);</li>
 *   <li>the operator-command handler {@code NocService.current} (volatile) is rebuilt from the base
 *       ({@code ElementLink}) on every config reload, {@code new RateLimitingHandler(new
 *       AuditingHandler(base, cfg), cfg)}; at the dump three {@code noc-worker} threads are in the
 *       middle of a command, waiting for the element's reply in the base: one entered before the last
 *       reload (its stack still holds the previous generation), two after it.</li>
 * </ul>
 * See VALIDATION130.md.
 */
public final class Val130HealthySubmarineCables {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int SEGMENTS = 1_000, ELEMENTS = 20_000, TRACE_CAP = 2_000, CHART_CAP = 1_200, POOL = 8, RING = 8_192,
            POLLS_PER_HOUR = 4_000, WORKERS = 4, OPERATORS = 48, RELOAD_EVERY_MIN = 20, PENDING_POLLS = 4;
    static final String[] VERBS = {"RTRV-ALM-ALL", "RTRV-PM-OCH", "RTRV-OTDR", "ED-OCH", "ACT-LOOPBACK", "RLS-LOOPBACK", "ENT-ALMFILTER",
        "DLT-ALMFILTER", "RTRV-INV", "RTRV-COND-OMS", "SET-PMTHRESH", "OPR-PROTNSW", "RTRV-ROUTE", "ED-AMPGAIN", "RTRV-AMPGAIN", "INIT-SYS"};
    static final String[] KINDS = {"repeater", "branching-unit", "line-terminal", "power-feed", "wet-plant-monitor"};
    static final String[] CABLES = {"AURORA-1", "BOREAL-EX", "CORAL-LINK", "DELTA-SUD", "EQUINOX-2", "FJORD-NET", "GANNET", "HALCYON-3"};

    record Segment(String code, String cableSystem, double[] osnrByQuarterHour, long commissionedAt) {}
    record NetworkElement(String elementId, String segmentCode, String kind, byte[] inventory, long installedAt) {}
    record Trace(String key, byte[] rendered, long at) {}
    record SpanChart(String key, byte[] png, long at) {}
    record PollResult(long seq, String elementId, double osnrDb, int status, long at) {}
    record Ticket(long ticketId, String elementId, String summary, long openedAt) {}
    record OperatorLimit(String operator, int commandsPerMinute, int burst) {}
    record PendingPoll(String ctag, ElementSession session, long sentAt) {}

    static final class Lru<V> extends LinkedHashMap<String, V> {
        final int cap; long evicted;
        Lru(int cap) { super(cap * 2, 0.75f, true); this.cap = cap; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, V> e) { if (size() > cap) { evicted++; return true; } return false; }
    }

    static final class ElementException extends Exception {
        ElementException(String m) { super(m, null, false, false); }
    }

    /** A TL1 session to a network element; holds its read buffer while open. */
    static final class ElementSession {
        final long id; final String elementId; final long openedAt; byte[] readBuffer; String state = "OPEN"; String lastError;
        ElementSession(long id, String elementId, long openedAt, byte[] readBuffer) { this.id = id; this.elementId = elementId; this.openedAt = openedAt; this.readBuffer = readBuffer; }
        void fail(String error) { state = "FAILED"; lastError = error; }
        void close() { if (!"FAILED".equals(state)) state = "CLOSED"; readBuffer = null; }
    }

    static final class SessionRegistry {
        final Set<ElementSession> active = ConcurrentHashMap.newKeySet();
        final AtomicLong opened = new AtomicLong(), released = new AtomicLong(), failed = new AtomicLong();
        ElementSession open(String elementId, int bufferBytes, long t) {
            ElementSession s = new ElementSession(7_300_000L + opened.getAndIncrement(), elementId, t, new byte[bufferBytes]);
            active.add(s);
            return s;
        }
        void release(ElementSession s) {
            if ("FAILED".equals(s.state)) failed.incrementAndGet();
            s.close();
            active.remove(s);
            released.incrementAndGet();
        }
    }

    /** An operator command; everything random about it is drawn on main before it is submitted. */
    static final class Command {
        final long seq; final String operator; final String verb; final String elementId; final String failure; final int bufferBytes; final long at;
        CountDownLatch reply; CountDownLatch entered; volatile Thread runner; String result;
        Command(long seq, String operator, String verb, String elementId, String failure, int bufferBytes, long at) { this.seq = seq; this.operator = operator; this.verb = verb; this.elementId = elementId; this.failure = failure; this.bufferBytes = bufferBytes; this.at = at; }
    }

    interface CommandHandler { String handle(Command c) throws ElementException; }

    /** The base: talks TL1 to the element over a session that is always released. */
    static final class ElementLink implements CommandHandler {
        final SessionRegistry registry;
        ElementLink(SessionRegistry registry) { this.registry = registry; }
        @Override public String handle(Command c) throws ElementException {
            ElementSession s = registry.open(c.elementId, c.bufferBytes, c.at);
            try {
                if (c.reply != null) {
                    c.runner = Thread.currentThread();
                    c.entered.countDown();
                    c.reply.await();
                }
                if (c.failure != null) {
                    s.fail(c.failure + " from " + c.elementId + " ctag " + c.seq);
                    throw new ElementException(s.lastError);
                }
                s.readBuffer[(int) (c.seq % s.readBuffer.length)] = (byte) c.verb.length();
                return "COMPLD " + c.verb + " " + c.elementId;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ElementException("interrupted");
            } finally {
                registry.release(s);
            }
        }
    }

    static final class NocConfig {
        final long version; final long loadedAt; final Map<String, OperatorLimit> limits = new HashMap<>(); final String[] maintenanceWindows;
        NocConfig(long version, long loadedAt, Random r) {
            this.version = version; this.loadedAt = loadedAt;
            for (int o = 0; o < OPERATORS; o++) { String op = "op" + (100 + o); limits.put(op, new OperatorLimit(op, 20 + r.nextInt(40), 5 + r.nextInt(10))); }
            maintenanceWindows = new String[6];
            for (int k = 0; k < maintenanceWindows.length; k++) maintenanceWindows[k] = CABLES[r.nextInt(CABLES.length)] + " segment " + r.nextInt(40) + " window " + r.nextInt(24) + ":00-" + r.nextInt(24) + ":00 UTC";
        }
    }

    static final class AuditingHandler implements CommandHandler {
        final CommandHandler next; final NocConfig config;
        final Map<String, long[]> byVerb = new HashMap<>(); final ArrayDeque<String> recent = new ArrayDeque<>();
        AuditingHandler(CommandHandler next, NocConfig config) { this.next = next; this.config = config; }
        @Override public String handle(Command c) throws ElementException {
            synchronized (this) {
                byVerb.computeIfAbsent(c.verb, v -> new long[3])[0]++;
                recent.addLast(c.operator + " " + c.verb + " " + c.elementId);
                if (recent.size() > 64) recent.removeFirst();
            }
            try {
                String r = next.handle(c);
                synchronized (this) { byVerb.get(c.verb)[1]++; }
                return r;
            } catch (ElementException e) {
                synchronized (this) { byVerb.get(c.verb)[2]++; }
                throw e;
            }
        }
    }

    static final class TokenBucket { double tokens; long lastAt; TokenBucket(double tokens, long lastAt) { this.tokens = tokens; this.lastAt = lastAt; } }

    static final class RateLimitingHandler implements CommandHandler {
        final CommandHandler next; final NocConfig config; final Map<String, TokenBucket> buckets = new HashMap<>(); long throttled;
        RateLimitingHandler(CommandHandler next, NocConfig config) { this.next = next; this.config = config; }
        @Override public String handle(Command c) throws ElementException {
            OperatorLimit lim = config.limits.get(c.operator);
            synchronized (this) {
                TokenBucket b = buckets.computeIfAbsent(c.operator, o -> new TokenBucket(lim.burst(), c.at));
                b.tokens = Math.min(lim.burst(), b.tokens + (c.at - b.lastAt) * lim.commandsPerMinute() / (double) MINUTE);
                b.lastAt = c.at;
                if (b.tokens >= 1) b.tokens -= 1; else throttled++; // advisory: logged, not rejected
            }
            return next.handle(c);
        }
    }

    static final Map<String, Segment> SEGMENTS_BY_CODE = new HashMap<>();

    static final class NocService {
        final Map<String, NetworkElement> elements = new HashMap<>();
        final String[] elementIds = new String[ELEMENTS];
        final Lru<Trace> traces = new Lru<>(TRACE_CAP);
        final Lru<SpanChart> charts = new Lru<>(CHART_CAP);
        final ArrayDeque<byte[]> tl1Buffers = new ArrayDeque<>();
        final PollResult[] polls = new PollResult[RING];
        final ArrayDeque<Ticket> tickets = new ArrayDeque<>();
        final SessionRegistry registry = new SessionRegistry();
        final Map<String, PendingPoll> pendingReplies = new ConcurrentHashMap<>();
        final ElementLink base = new ElementLink(registry);
        volatile CommandHandler current;
        ThreadPoolExecutor workers;
        long pollCount, pollFailures, traceViews, chartViews, ticketsOpened, ticketsClosed, reloads, commands, commandFailures;
        final AtomicInteger commandsDone = new AtomicInteger();

        void reload(long version, Random r, long t) {
            NocConfig cfg = new NocConfig(version, t, r);
            current = new RateLimitingHandler(new AuditingHandler(base, cfg), cfg); // rebuilt from the base
            reloads++;
        }

        void poll(Random r, long t) {
            String id = elementIds[r.nextInt(ELEMENTS)];
            int buf = 1_024 + r.nextInt(2_048);
            int roll = r.nextInt(16);
            ElementSession s = registry.open(id, buf, t);
            double osnr = 14 + r.nextDouble() * 8;
            int status = 0;
            try {
                if (roll == 0) { s.fail("TL1 response timeout (30 s) from " + id); throw new ElementException(s.lastError); }
                if (roll == 1) { s.fail("DENY IIAC input invalid access identifier " + id); throw new ElementException(s.lastError); }
                byte[] tl1 = tl1Buffers.poll();
                tl1[(int) (pollCount % tl1.length)] = (byte) buf;
                tl1Buffers.add(tl1);
                s.readBuffer[0] = (byte) osnr;
            } catch (ElementException e) {
                pollFailures++;
                status = 504;
            } finally {
                registry.release(s);
            }
            polls[(int) (pollCount++ % RING)] = new PollResult(pollCount, id, osnr, status, t);
            if (status == 0 && osnr < 14.2) tickets.addLast(new Ticket(910_000L + ticketsOpened++, id, "OSNR " + String.format("%.2f", osnr) + " dB below threshold on " + id, t));
            while (!tickets.isEmpty() && tickets.peekFirst().openedAt() <= t - 30 * MINUTE) { tickets.removeFirst(); ticketsClosed++; }
        }

        void viewTrace(Random r, long t) {
            traceViews++;
            String key = "otdr-" + r.nextInt(6_000);
            if (traces.get(key) == null) traces.put(key, new Trace(key, new byte[500 + r.nextInt(500)], t));
        }

        void viewChart(Random r, long t) {
            chartViews++;
            String key = "spanloss-" + r.nextInt(3_000);
            if (charts.get(key) == null) charts.put(key, new SpanChart(key, new byte[1_500 + r.nextInt(1_000)], t));
        }

        Command newCommand(Random r, long t) {
            int roll = r.nextInt(8);
            String failure = roll == 0 ? (r.nextBoolean() ? "TL1 response timeout (30 s)" : "DENY SROF status, requested operation failed") : null;
            return new Command(commands++, "op" + (100 + r.nextInt(OPERATORS)), VERBS[r.nextInt(VERBS.length)], elementIds[r.nextInt(ELEMENTS)], failure, 1_024 + r.nextInt(2_048), t);
        }

        Future<?> submit(Command c) {
            return workers.submit(() -> {
                try { c.result = current.handle(c); } catch (ElementException e) { c.result = "FAILED " + e.getMessage(); }
                commandsDone.incrementAndGet();
            });
        }

        void runCommand(Random r, long t) throws InterruptedException, ExecutionException {
            Command c = newCommand(r, t);
            submit(c).get();
            if (c.result.startsWith("FAILED")) commandFailures++;
        }

        /** A command that waits for the element's reply at the dump (its latch is never counted down). */
        Command startInFlight(Random r, long t) throws InterruptedException {
            Command c = newCommand(r, t);
            c.reply = new CountDownLatch(1);
            c.entered = new CountDownLatch(1);
            submit(c);
            c.entered.await();
            while (c.runner.getState() != Thread.State.WAITING) Thread.sleep(1);
            return c;
        }
    }

    static NocService SERVICE;
    static final List<Command> IN_FLIGHT = new ArrayList<>();

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(130_050_001);
        String[] segmentCodes = new String[SEGMENTS];
        for (int g = 0; g < SEGMENTS; g++) {
            double[] osnr = new double[96];
            for (int k = 0; k < osnr.length; k++) osnr[k] = 15 + rnd.nextDouble() * 6;
            String cable = CABLES[g % CABLES.length];
            segmentCodes[g] = "SEG-" + cable + "-" + (g / CABLES.length);
            SEGMENTS_BY_CODE.put(segmentCodes[g], new Segment(segmentCodes[g], cable, osnr, now - (long) (400 + rnd.nextInt(6_000)) * DAY));
        }
        NocService svc = new NocService();
        SERVICE = svc;
        for (int i = 0; i < ELEMENTS; i++) {
            svc.elementIds[i] = "NE-" + (4_100_000 + i * 7);
            svc.elements.put(svc.elementIds[i], new NetworkElement(svc.elementIds[i], segmentCodes[rnd.nextInt(SEGMENTS)], KINDS[rnd.nextInt(KINDS.length)], new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(5_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.tl1Buffers.add(new byte[32_768]);
        AtomicInteger threadNo = new AtomicInteger();
        svc.workers = new ThreadPoolExecutor(WORKERS, WORKERS, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), run -> {
            Thread th = new Thread(run, "noc-worker-" + threadNo.incrementAndGet());
            th.setDaemon(true);
            return th;
        });
        svc.workers.prestartAllCoreThreads();
        Random config = new Random(130_050_002), traffic = new Random(130_050_003), ops = new Random(130_050_004);
        long version = 1;
        svc.reload(version++, config, start);
        int polls = POLLS_PER_HOUR * hours;
        long nextReload = start + RELOAD_EVERY_MIN * MINUTE;
        for (int i = 0; i < polls; i++) {
            long t = start + (end - 2 * MINUTE - start) * i / polls;
            while (nextReload <= t) { svc.reload(version++, config, nextReload); nextReload += RELOAD_EVERY_MIN * MINUTE; }
            svc.poll(traffic, t);
            int roll = traffic.nextInt(40);
            if (roll < 30) svc.viewTrace(traffic, t);
            else if (roll < 35) svc.viewChart(traffic, t);
            if (ops.nextInt(20) < 3) svc.runCommand(ops, t);
        }
        // in flight at the dump: polls whose reply has not come back yet ...
        Random last = new Random(130_050_005);
        for (int p = 0; p < PENDING_POLLS; p++) {
            String id = svc.elementIds[last.nextInt(ELEMENTS)];
            ElementSession s = svc.registry.open(id, 1_024 + last.nextInt(2_048), end - MINUTE);
            String ctag = "P" + (svc.pollCount + p);
            svc.pendingReplies.put(ctag, new PendingPoll(ctag, s, end - MINUTE));
        }
        // ... and three operator commands: one entered before the last reload, two after it
        IN_FLIGHT.add(svc.startInFlight(ops, end - MINUTE));
        svc.reload(version++, config, end - MINUTE);
        IN_FLIGHT.add(svc.startInFlight(ops, end - MINUTE / 2));
        IN_FLIGHT.add(svc.startInFlight(ops, end - MINUTE / 3));
    }

    static final long[] POLL_FAILURES = {491, 1_970, 3_953}, COMMANDS = {599, 2_452, 4_831}, COMMAND_FAILURES = {68, 273, 557}, TICKETS = {84, 336, 701}, BACKLOG = {46, 42, 45},
            TRACE_EVICTED = {380, 6_478, 14_582}, CHARTS = {457, 1_200, 1_200}, CHART_EVICTED = {0, 298, 1_417}, RELOADS = {4, 13, 25};

    static void report(int stage, int hours) {
        NocService svc = SERVICE;
        int k = stage - 1;
        long polls = (long) POLLS_PER_HOUR * hours;
        System.out.println("stage " + stage + " segments " + SEGMENTS_BY_CODE.size() + " elements " + svc.elements.size() + " polls " + svc.pollCount + " (failed " + svc.pollFailures + ") commands " + svc.commands
                + " (done " + svc.commandsDone.get() + ", failed " + svc.commandFailures + ") sessions opened " + svc.registry.opened.get() + " released " + svc.registry.released.get() + " (failed " + svc.registry.failed.get() + ") active " + svc.registry.active.size()
                + " pending polls " + svc.pendingReplies.size() + " reloads " + svc.reloads + " traces " + svc.traces.size() + " (views " + svc.traceViews + ", evicted " + svc.traces.evicted + ") charts " + svc.charts.size() + " (views " + svc.chartViews + ", evicted " + svc.charts.evicted
                + ") tickets " + svc.ticketsOpened + " closed " + svc.ticketsClosed + " backlog " + svc.tickets.size() + " pool " + svc.tl1Buffers.size());
        check(SEGMENTS_BY_CODE.size() == SEGMENTS && svc.elements.size() == ELEMENTS, "reference data / directory");
        check(svc.pollCount == polls && svc.pollFailures == POLL_FAILURES[k], "polls " + svc.pollFailures);
        check(svc.commands == COMMANDS[k] && svc.commandsDone.get() == COMMANDS[k] - 3 && svc.commandFailures == COMMAND_FAILURES[k], "commands");
        check(svc.registry.opened.get() == polls + PENDING_POLLS + COMMANDS[k] && svc.registry.released.get() == polls + COMMANDS[k] - 3, "sessions");
        check(svc.registry.failed.get() == POLL_FAILURES[k] + COMMAND_FAILURES[k], "failed sessions");
        check(svc.registry.active.size() == PENDING_POLLS + 3 && svc.pendingReplies.size() == PENDING_POLLS, "active = in flight only");
        check(svc.reloads == RELOADS[k], "reloads " + svc.reloads);
        check(svc.traces.size() == TRACE_CAP && svc.traces.evicted == TRACE_EVICTED[k], "trace cache at cap");
        check(svc.charts.size() == CHARTS[k] && svc.charts.evicted == CHART_EVICTED[k], "chart cache");
        check(svc.ticketsOpened == TICKETS[k] && svc.tickets.size() == BACKLOG[k], "tickets");
        check(svc.tl1Buffers.size() == POOL, "pool");
        check(svc.polls[(int) Math.min(polls, RING) - 1] != null, "ring");
        for (Command c : IN_FLIGHT) check(c.runner.getState() == Thread.State.WAITING && c.result == null, "in flight");
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
        System.out.flush();
        Runtime.getRuntime().halt(0); // the three commands are still waiting for their replies
    }
}
