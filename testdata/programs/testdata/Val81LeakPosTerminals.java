// hprofscan-dump: name=val81-leak-posterminals jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val81-leak-posterminals-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 81 (written blind), LEAK: the connection gateway of a card-payment terminal
 * network. Each terminal connection gets a health check scheduled at a 24-hour period on a shared
 * ScheduledThreadPoolExecutor; closing the connection cancels its task, but the executor keeps
 * cancelled tasks in its queue (removeOnCancel is off) until their next run time, 24 h away.
 * Beside it: merchant reference data, a terminal directory, a cache of rendered receipts at its
 * cap, a pool of frame buffers and a ring of recent authorisations. See VALIDATION81.md.
 */
public final class Val81LeakPosTerminals {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int MERCHANTS = 1_100, TERMINALS = 24_000, RECEIPT_CAP = 2_000, POOL = 8, RING = 16_384, CONNECTIONS = 36_000, HOURS = 10;
    static boolean FIXED;

    record Merchant(String code, String city, double[] hourlyVolume) {}
    record Terminal(String serial, String merchantCode, String model, byte[] config, long installedAt) {}
    record Receipt(String key, byte[] rendered, long at) {}
    record Authorisation(String terminalSerial, long amountCents, String result, long at) {}

    static final class Connection {
        final long id; final String terminalSerial; final long openedAt; long closedAt;
        final byte[] sessionKeys; ScheduledFuture<?> healthCheck;
        Connection(long id, String terminalSerial, long openedAt, byte[] sessionKeys) { this.id = id; this.terminalSerial = terminalSerial; this.openedAt = openedAt; this.sessionKeys = sessionKeys; }
    }

    static final class HealthCheck implements Runnable {
        final Connection conn;
        HealthCheck(Connection conn) { this.conn = conn; }
        @Override public void run() { /* would send an echo frame; never runs within the program's lifetime */ }
    }

    static final class ReceiptCache extends LinkedHashMap<String, Receipt> {
        long evicted;
        ReceiptCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Receipt> e) { if (size() > RECEIPT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Merchant> MERCHANTS_BY_CODE = new HashMap<>();

    static final class Gateway {
        final Map<String, Terminal> terminals = new HashMap<>();
        final Map<Long, Connection> open = new HashMap<>();
        final ScheduledThreadPoolExecutor health;
        final ReceiptCache receipts = new ReceiptCache();
        final ArrayDeque<byte[]> frameBuffers = new ArrayDeque<>();
        final Authorisation[] recent = new Authorisation[RING];
        long auths, opened, closed;
        Gateway() {
            health = new ScheduledThreadPoolExecutor(1, r -> { Thread t = new Thread(r, "terminal-health"); t.setDaemon(true); return t; });
            if (FIXED) health.setRemoveOnCancelPolicy(true);
            // BUG (not fixed): removeOnCancel stays false, cancelled 24 h tasks stay queued
        }
        void open(Connection c) {
            open.put(c.id, c);
            opened++;
            c.healthCheck = health.scheduleAtFixedRate(new HealthCheck(c), 24, 24, TimeUnit.HOURS);
        }
        void close(Connection c, long at) {
            c.closedAt = at;
            c.healthCheck.cancel(false);
            open.remove(c.id);
            closed++;
        }
    }

    static Gateway SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val81.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(81_020_001);
        String[] merchantCodes = new String[MERCHANTS];
        for (int m = 0; m < MERCHANTS; m++) {
            double[] vol = new double[72];
            for (int k = 0; k < vol.length; k++) vol[k] = rnd.nextDouble() * 250;
            merchantCodes[m] = "MER-" + (60_000 + m);
            MERCHANTS_BY_CODE.put(merchantCodes[m], new Merchant(merchantCodes[m], "City " + (m % 200), vol));
        }
        Gateway gw = new Gateway();
        SERVICE = gw;
        String[] serials = new String[TERMINALS];
        String[] models = {"V240m", "A920", "Move5000", "P400", "S1F2"};
        for (int t = 0; t < TERMINALS; t++) {
            serials[t] = "TRM" + (80_000_000 + t);
            gw.terminals.put(serials[t], new Terminal(serials[t], merchantCodes[rnd.nextInt(MERCHANTS)], models[t % models.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) gw.frameBuffers.add(new byte[32_768]);
        Random traffic = new Random(81_020_002);
        // connection i opens at t_i and lives 3-19 minutes (closed when a later connection's time passes its close time)
        ArrayDeque<Connection> byOpen = new ArrayDeque<>();
        String[] results = {"APPROVED", "DECLINED", "REFERRAL"};
        for (int i = 0; i < CONNECTIONS; i++) {
            long t = start + (end - MINUTE - start) * i / CONNECTIONS;
            // close every connection whose 10-minute session is over (FIFO: all sessions last the same)
            while (!byOpen.isEmpty() && byOpen.peekFirst().openedAt + 10 * MINUTE <= t) gw.close(byOpen.pollFirst(), t);
            Connection c = new Connection(i, serials[traffic.nextInt(TERMINALS)], t, new byte[200 + traffic.nextInt(200)]);
            gw.open(c);
            byOpen.addLast(c);
            for (int a = 0; a < 3; a++) {
                gw.recent[(int) (gw.auths++ % RING)] = new Authorisation(c.terminalSerial, 100 + traffic.nextInt(20_000), results[traffic.nextInt(results.length)], t + a * 1_000L);
            }
            String key = "rcpt-" + traffic.nextInt(6_000);
            if (gw.receipts.get(key) == null) gw.receipts.put(key, new Receipt(key, new byte[400 + traffic.nextInt(400)], t));
            byte[] buf = gw.frameBuffers.poll();
            buf[i % buf.length] = (byte) i;
            gw.frameBuffers.add(buf);
        }
        int queued = gw.health.getQueue().size();
        System.out.println((FIXED ? "FIXED " : "") + "merchants " + MERCHANTS_BY_CODE.size() + " terminals " + gw.terminals.size() + " opened " + gw.opened + " closed " + gw.closed + " open " + gw.open.size()
                + " queued health tasks " + queued + " receipts " + gw.receipts.size() + " (evicted " + gw.receipts.evicted + ") pool " + gw.frameBuffers.size() + " auths " + gw.auths);
        check(MERCHANTS_BY_CODE.size() == MERCHANTS && gw.terminals.size() == TERMINALS, "reference data / directory");
        check(gw.opened == CONNECTIONS && gw.opened == gw.closed + gw.open.size(), "connections");
        if (FIXED) check(queued == gw.open.size(), "only open connections' checks queued: " + queued);
        else check(queued == CONNECTIONS, "every check queued: " + queued);
        check(gw.receipts.size() == RECEIPT_CAP && gw.receipts.evicted > 0, "receipt cache at cap");
        check(gw.frameBuffers.size() == POOL, "pool");
        check(gw.recent[RING - 1] != null, "ring");
        LeakCheck.histogram("ScheduledFutureTask", "RunnableScheduledFuture");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
