// hprofscan-dump: name=val78-leak-pagergateway jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val78-leak-pagergateway-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Timer;
import java.util.TimerTask;

/**
 * Validation set 78 (written blind), LEAK: the paging gateway of a hospital group. Ward reference
 * data, the pager directory, a cache of rendered message templates at its cap, a pool of encoder
 * buffers, a ring of sent pages, the map of open client connections, and one java.util.Timer per
 * client connection (keep-alive and idle-timeout tasks). When a connection closes it cancels its two
 * tasks and purges the timer, but never cancels the Timer itself: its TimerThread keeps waiting on an
 * empty queue forever. The thread was created while the gateway's InheritableThreadLocal call context
 * held the connection, so each timer thread keeps its closed connection (with its Timer and receive
 * buffer) reachable, and the JDK's cleaner for unreachable Timers never runs. See VALIDATION78.md.
 *
 * This program starts threads besides main: the cause requires them (one Timer thread per client
 * connection). Their tasks run at real-time delays of 30 s / 10 min, so none fires before the dump.
 */
public final class Val78LeakPagerGateway {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int WARDS = 1_100, PAGERS = 24_000, TEMPLATE_CAP = 2_000, POOL = 8, RING = 16_384, PAGES_PER_HOUR = 12_000;
    static final int STATIONS = 40, CONSOLE_SESSIONS_PER_HOUR = 60, HOURS = 10, RX_BUFFER = 8_192;
    static final String THREAD_PREFIX = "pager-conn-";
    static boolean FIXED;

    record Ward(String code, String hospital, double[] staffingCurve) {}
    record Pager(String capCode, String wardCode, String holderRole, byte[] profile, long issuedAt) {}
    record Template(String key, byte[] rendered, long at) {}
    record SentPage(String capCode, String wardCode, int priority, long at) {}

    /** Call context of the connection being handled: inherited by threads created while handling it. */
    static final InheritableThreadLocal<ClientConnection> CALL_CONTEXT = new InheritableThreadLocal<>();

    static final class KeepAlive extends TimerTask {
        final ClientConnection conn;
        KeepAlive(ClientConnection conn) { this.conn = conn; }
        @Override public void run() { conn.lastKeepAlive = System.currentTimeMillis(); }
    }

    static final class IdleTimeout extends TimerTask {
        final ClientConnection conn;
        IdleTimeout(ClientConnection conn) { this.conn = conn; }
        @Override public void run() { conn.idleExpired = true; }
    }

    static final class ClientConnection {
        final String id, kind, wardCode;
        final long openedAt;
        long closedAt, lastKeepAlive;
        boolean closed, idleExpired;
        final byte[] rxBuffer = new byte[RX_BUFFER];
        Timer timer;
        KeepAlive keepAlive;
        IdleTimeout idle;
        ClientConnection(String id, String kind, String wardCode, long openedAt) { this.id = id; this.kind = kind; this.wardCode = wardCode; this.openedAt = openedAt; }
    }

    static final class TemplateCache extends LinkedHashMap<String, Template> {
        long evicted;
        TemplateCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Template> e) { if (size() > TEMPLATE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Ward> WARDS_BY_CODE = new HashMap<>();

    static final class GatewayService {
        final Map<String, Pager> pagers = new HashMap<>();
        final TemplateCache templates = new TemplateCache();
        final ArrayDeque<byte[]> encodeBuffers = new ArrayDeque<>();
        final SentPage[] sentPages = new SentPage[RING];
        long sent;
        final Map<String, ClientConnection> connections = new HashMap<>();
        long opened, closed, timersCancelled;

        ClientConnection open(String id, String kind, String wardCode, long at) {
            ClientConnection c = new ClientConnection(id, kind, wardCode, at);
            CALL_CONTEXT.set(c);
            try {
                c.timer = new Timer(THREAD_PREFIX + id, true);
                c.keepAlive = new KeepAlive(c);
                c.idle = new IdleTimeout(c);
                c.timer.schedule(c.keepAlive, 30_000L, 30_000L);
                c.timer.schedule(c.idle, 10 * MINUTE);
            } finally {
                CALL_CONTEXT.remove();
            }
            connections.put(id, c);
            opened++;
            return c;
        }

        void close(ClientConnection c, long at) {
            c.keepAlive.cancel();
            c.idle.cancel();
            c.timer.purge();
            c.closed = true;
            c.closedAt = at;
            connections.remove(c.id);
            closed++;
            if (FIXED) { c.timer.cancel(); timersCancelled++; }
            // BUG: the Timer itself is never cancelled; its thread lives on
        }
    }

    static GatewayService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static int timerThreads() {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) if (t.isAlive() && t.getName().startsWith(THREAD_PREFIX)) n++;
        return n;
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val78.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(78_020_001);
        String[] wardCodes = new String[WARDS];
        for (int w = 0; w < WARDS; w++) {
            double[] curve = new double[64];
            for (int k = 0; k < curve.length; k++) curve[k] = rnd.nextDouble() * 30;
            String code = "WD-" + (2_000 + w);
            wardCodes[w] = code;
            WARDS_BY_CODE.put(code, new Ward(code, "Hospital " + (w % 12), curve));
        }
        GatewayService svc = new GatewayService();
        SERVICE = svc;
        String[] roles = {"Registrar", "Charge nurse", "Porter", "Anaesthetist", "Pharmacist", "Cardiac arrest team"};
        String[] caps = new String[PAGERS];
        for (int p = 0; p < PAGERS; p++) {
            String cap = "CAP" + (1_200_000 + p);
            caps[p] = cap;
            svc.pagers.put(cap, new Pager(cap, wardCodes[rnd.nextInt(WARDS)], roles[p % roles.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.encodeBuffers.add(new byte[32_768]);
        // Base-station links: opened at start-up, still open at the dump.
        for (int s = 0; s < STATIONS; s++) svc.open("bs-" + (100 + s), "BASE_STATION", wardCodes[rnd.nextInt(WARDS)], start);
        Random traffic = new Random(78_020_002);
        int sessions = CONSOLE_SESSIONS_PER_HOUR * HOURS;
        long[] sessionStart = new long[sessions], sessionEnd = new long[sessions];
        for (int s = 0; s < sessions; s++) {
            sessionStart[s] = start + (end - MINUTE - start) * s / sessions;
            sessionEnd[s] = sessionStart[s] + (2 + traffic.nextInt(29)) * MINUTE;
        }
        ClientConnection[] consoles = new ClientConnection[sessions];
        int nextOpen = 0, pages = PAGES_PER_HOUR * HOURS;
        for (int i = 0; i < pages; i++) {
            long t = start + (end - MINUTE - start) * i / pages;
            while (nextOpen < sessions && sessionStart[nextOpen] <= t) {
                consoles[nextOpen] = svc.open("nc-" + (700_000 + nextOpen), "NURSE_CONSOLE", wardCodes[traffic.nextInt(WARDS)], sessionStart[nextOpen]);
                nextOpen++;
            }
            for (int s = Math.max(0, nextOpen - 40); s < nextOpen; s++)
                if (consoles[s] != null && !consoles[s].closed && sessionEnd[s] <= t) svc.close(consoles[s], sessionEnd[s]);
            String cap = caps[traffic.nextInt(PAGERS)];
            Pager pager = svc.pagers.get(cap);
            svc.sentPages[(int) (svc.sent++ % RING)] = new SentPage(cap, pager.wardCode(), 1 + traffic.nextInt(3), t);
            String key = pager.holderRole() + "/" + traffic.nextInt(5_000);
            if (svc.templates.get(key) == null) svc.templates.put(key, new Template(key, new byte[300 + traffic.nextInt(300)], t));
            byte[] buf = svc.encodeBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.encodeBuffers.add(buf);
        }
        for (int s = 0; s < sessions; s++) if (consoles[s] != null && !consoles[s].closed && sessionEnd[s] <= end) svc.close(consoles[s], sessionEnd[s]);
        consoles = null; // the console sessions are reachable only through the gateway (open) or their timer threads
        int open = svc.connections.size();
        int expectedThreads = FIXED ? open : STATIONS + sessions;
        int threads = timerThreads();
        for (int tries = 0; threads != expectedThreads && tries < 500; tries++) { Thread.sleep(10); threads = timerThreads(); }
        System.out.println((FIXED ? "FIXED " : "") + "wards " + WARDS_BY_CODE.size() + " pagers " + svc.pagers.size() + " opened " + svc.opened + " closed " + svc.closed + " open " + open
                + " timer threads " + threads + " templates " + svc.templates.size() + " (evicted " + svc.templates.evicted + ") pool " + svc.encodeBuffers.size() + " sent " + svc.sent);
        check(WARDS_BY_CODE.size() == WARDS && svc.pagers.size() == PAGERS, "reference data / directory");
        check(svc.opened == STATIONS + sessions && svc.opened == svc.closed + open && open > STATIONS && open < STATIONS + 40, "connections: open " + open);
        check(threads == expectedThreads, "timer threads " + threads + " expected " + expectedThreads);
        check(svc.templates.size() == TEMPLATE_CAP && svc.templates.evicted > 0, "template cache at cap");
        check(svc.encodeBuffers.size() == POOL, "pool");
        check(svc.sent == pages && svc.sentPages[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        Thread.sleep(200); // the JDK's cleaner would stop the thread of an unreachable Timer: none is unreachable
        check(timerThreads() == expectedThreads, "timer threads after GC");
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
