// hprofscan-dump: name=val66-leak-horseracing jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val66-leak-horseracing-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 66 (written blind), LEAK: the live-odds service of a horse-racing tote. Racecourse
 * reference data, the punter account directory, a cache of rendered race cards at its cap, a pool
 * of encoder buffers, a ring of accepted bets, and a websocket broadcaster that pushes an odds
 * update to every connected client every 10 seconds. Each client has its own outbound queue of
 * frames (compressed per connection); the writer drains the queue of a live client. A client that
 * closes sends a close frame and is removed, but clients that vanish without a close frame (mobile
 * networks, laptops closed) are never detected (no ping / idle timeout): their sessions stay in the
 * broadcaster and their outbound queues grow by one frame per broadcast. See VALIDATION66.md.
 */
public final class Val66LeakHorseRacing {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, TICK = 10_000L, PONG_TIMEOUT = 90_000L;
    static final int COURSES = 1_200, ACCOUNTS = 25_000, CARD_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, CLIENTS = 400;
    static boolean FIXED;

    record Racecourse(String code, String country, double[] goingByMeeting) {}
    record Account(String accountId, String currency, byte[] kycRecord, long openedAt) {}
    record RaceCard(String key, byte[] rendered, long at) {}
    record Bet(String accountId, String race, int runner, long stakePence, long at) {}
    record OutboundFrame(long seq, long at, byte[] payload) {}

    static final class ClientSession {
        final long id; final String remoteAddr; final long connectedAt; long lastPongAt, sent; boolean vanished;
        final ArrayDeque<OutboundFrame> outbound = new ArrayDeque<>();
        ClientSession(long id, String remoteAddr, long at) { this.id = id; this.remoteAddr = remoteAddr; this.connectedAt = at; this.lastPongAt = at; }
    }

    static final class Broadcaster {
        final Map<Long, ClientSession> clients = new HashMap<>();
        long seq, broadcasts, closed, timedOut;
        void broadcast(long at, Random r) {
            seq++; broadcasts++;
            for (ClientSession c : clients.values()) {
                c.outbound.addLast(new OutboundFrame(seq, at, new byte[40 + r.nextInt(40)]));
                if (!c.vanished) { // the writer flushes a live connection; the client answers pings
                    while (!c.outbound.isEmpty()) { c.outbound.pollFirst(); c.sent++; }
                    c.lastPongAt = at;
                }
            }
        }
        /** The fix: close connections that have not answered a ping for 90 s. */
        void reapSilent(long at) {
            for (Iterator<ClientSession> it = clients.values().iterator(); it.hasNext(); ) {
                if (it.next().lastPongAt < at - PONG_TIMEOUT) { it.remove(); timedOut++; }
            }
        }
    }

    static final class CardCache extends LinkedHashMap<String, RaceCard> {
        long evicted;
        CardCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RaceCard> e) { if (size() > CARD_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Racecourse> COURSES_BY_CODE = new HashMap<>();

    static final class OddsService {
        final Map<String, Account> accounts = new HashMap<>();
        final CardCache cards = new CardCache();
        final ArrayDeque<byte[]> encoderBuffers = new ArrayDeque<>();
        final Bet[] bets = new Bet[RING];
        long betsAccepted;
        final Broadcaster broadcaster = new Broadcaster();
    }

    static OddsService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val66.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(66_030_001);
        String[] courseCodes = new String[COURSES];
        for (int c = 0; c < COURSES; c++) {
            double[] going = new double[64];
            for (int k = 0; k < going.length; k++) going[k] = rnd.nextDouble() * 7;
            courseCodes[c] = "RC-" + (2_000 + c);
            COURSES_BY_CODE.put(courseCodes[c], new Racecourse(courseCodes[c], c % 3 == 0 ? "IE" : "GB", going));
        }
        OddsService svc = new OddsService();
        SERVICE = svc;
        String[] accountIds = new String[ACCOUNTS];
        for (int a = 0; a < ACCOUNTS; a++) {
            accountIds[a] = "PUN" + (8_000_000 + a * 11);
            svc.accounts.put(accountIds[a], new Account(accountIds[a], a % 5 == 0 ? "EUR" : "GBP", new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.encoderBuffers.add(new byte[32_768]);
        Broadcaster bc = svc.broadcaster;
        Random conn = new Random(66_030_002);
        Random frames = new Random(66_030_003);
        Random traffic = new Random(66_030_004);
        long clientSeq = 1;
        List<ClientSession> live = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            ClientSession s = new ClientSession(clientSeq++, "10." + conn.nextInt(256) + "." + conn.nextInt(256) + "." + conn.nextInt(256), start);
            bc.clients.put(s.id, s); live.add(s);
        }
        int ticks = (int) ((end - MINUTE - start) / TICK);
        long vanishedEver = 0;
        for (int k = 0; k < ticks; k++) {
            long t = start + k * TICK;
            // one client in twelve ticks leaves; one leaver in six vanishes without a close frame; a new client joins
            if (conn.nextInt(12) == 0) {
                ClientSession leaver = live.remove(conn.nextInt(live.size()));
                if (conn.nextInt(6) == 0) { leaver.vanished = true; vanishedEver++; } // BUG: stays in clients, nobody notices
                else { bc.clients.remove(leaver.id); bc.closed++; }
                ClientSession s = new ClientSession(clientSeq++, "10." + conn.nextInt(256) + "." + conn.nextInt(256) + "." + conn.nextInt(256), t);
                bc.clients.put(s.id, s); live.add(s);
            }
            bc.broadcast(t, frames);
            if (FIXED) bc.reapSilent(t);
            // bets, race cards, pool
            for (int j = 0; j < 5; j++) {
                svc.bets[(int) (svc.betsAccepted++ % RING)] = new Bet(accountIds[traffic.nextInt(ACCOUNTS)], courseCodes[traffic.nextInt(COURSES)] + "-R" + (1 + traffic.nextInt(8)), 1 + traffic.nextInt(14), 100 + traffic.nextInt(5_000), t);
            }
            String key = "card-" + traffic.nextInt(4_000);
            if (svc.cards.get(key) == null) svc.cards.put(key, new RaceCard(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.encoderBuffers.poll();
            buf[k % buf.length] = (byte) k;
            svc.encoderBuffers.add(buf);
        }
        long vanishedPresent = 0, queued = 0, maxQueue = 0;
        for (ClientSession c : bc.clients.values()) {
            if (c.vanished) vanishedPresent++;
            queued += c.outbound.size();
            maxQueue = Math.max(maxQueue, c.outbound.size());
        }
        System.out.println((FIXED ? "FIXED " : "") + "courses " + COURSES_BY_CODE.size() + " accounts " + svc.accounts.size() + " clients " + bc.clients.size() + " (live " + live.size() + ", vanished " + vanishedPresent + " of " + vanishedEver
                + ", closed " + bc.closed + ", timed out " + bc.timedOut + ") queued frames " + queued + " (max " + maxQueue + ") broadcasts " + bc.broadcasts + " cards " + svc.cards.size() + " (evicted " + svc.cards.evicted
                + ") pool " + svc.encoderBuffers.size() + " bets " + svc.betsAccepted);
        check(COURSES_BY_CODE.size() == COURSES && svc.accounts.size() == ACCOUNTS, "reference data / directory");
        check(live.size() == CLIENTS && bc.broadcasts == ticks, "live clients");
        check(vanishedPresent == (FIXED ? 0 : vanishedEver) && bc.clients.size() == CLIENTS + vanishedPresent, "vanished clients: " + vanishedPresent);
        check(FIXED ? queued == 0 : queued > 0, "queued frames");
        check(svc.cards.size() == CARD_CAP && svc.cards.evicted > 0, "card cache at cap");
        check(svc.encoderBuffers.size() == POOL, "pool");
        check(svc.betsAccepted == 5L * ticks && svc.bets[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
