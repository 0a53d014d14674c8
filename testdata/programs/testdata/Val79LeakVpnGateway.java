// hprofscan-dump: name=val79-leak-vpngateway jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val79-leak-vpngateway-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 79 (written blind), LEAK: the TLS termination of a corporate VPN concentrator.
 * Office-site reference data, the user directory, a cache of rendered client policy bundles at its
 * cap, a pool of packet buffers, a ring of recent connection-log entries, and a static cache of
 * TLS session tickets keyed by the hex session id, used to resume sessions. Tickets have a 2-hour
 * lifetime that is checked on resumption, but nothing ever removes an expired ticket from the
 * cache. See VALIDATION79.md.
 */
public final class Val79LeakVpnGateway {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, TICKET_LIFETIME = 2 * HOUR;
    static final int SITES = 1_100, USERS = 22_000, POLICY_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, HANDSHAKES_PER_HOUR = 3_000;
    static boolean FIXED;

    record Site(String code, String city, double[] hourlyLoad) {}
    record User(String login, String department, byte[] certificate, long enrolledAt) {}
    record PolicyBundle(String key, byte[] rendered, long at) {}
    record ConnectionLog(String login, String sessionId, boolean resumed, long at) {}
    record SessionTicket(String sessionId, String login, String cipherSuite, byte[] masterSecret, long issuedAt) {}

    /** Session tickets by hex session id (static, process-wide). */
    static final class TicketCache {
        static final Map<String, SessionTicket> TICKETS = new HashMap<>();
        static long issued, resumed, expiredOnLookup, swept;
        static SessionTicket lookup(String sessionId, long at) {
            SessionTicket t = TICKETS.get(sessionId);
            if (t == null) return null;
            if (at - t.issuedAt() > TICKET_LIFETIME) { expiredOnLookup++; return null; } // BUG: stays in the map
            resumed++;
            return t;
        }
        static void issue(SessionTicket t) { TICKETS.put(t.sessionId(), t); issued++; }
        /** Run once a minute by the fixed version only. */
        static void sweep(long at) {
            int before = TICKETS.size();
            TICKETS.values().removeIf(t -> at - t.issuedAt() > TICKET_LIFETIME);
            swept += before - TICKETS.size();
        }
    }

    static final class PolicyCache extends LinkedHashMap<String, PolicyBundle> {
        long evicted;
        PolicyCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PolicyBundle> e) { if (size() > POLICY_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Site> SITES_BY_CODE = new HashMap<>();

    static final class Concentrator {
        final Map<String, User> users = new HashMap<>();
        final PolicyCache policies = new PolicyCache();
        final ArrayDeque<byte[]> packetBuffers = new ArrayDeque<>();
        final ConnectionLog[] connections = new ConnectionLog[RING];
        long handshakes;
    }

    static Concentrator SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String hex(Random r) {
        StringBuilder sb = new StringBuilder(32);
        for (int i = 0; i < 4; i++) sb.append(String.format("%08x", r.nextInt()));
        return sb.toString();
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val79.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(79_020_001);
        String[] siteCodes = new String[SITES];
        for (int s = 0; s < SITES; s++) {
            double[] load = new double[72];
            for (int k = 0; k < load.length; k++) load[k] = rnd.nextDouble() * 500;
            String code = "SITE-" + (4_000 + s);
            siteCodes[s] = code;
            SITES_BY_CODE.put(code, new Site(code, "City " + (s % 250), load));
        }
        Concentrator c = new Concentrator();
        SERVICE = c;
        String[] logins = new String[USERS];
        String[] departments = {"finance", "engineering", "sales", "legal", "support", "hr"};
        for (int u = 0; u < USERS; u++) {
            String login = "u" + (200_000 + u);
            logins[u] = login;
            c.users.put(login, new User(login, departments[u % departments.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) c.packetBuffers.add(new byte[65_536]);
        Random traffic = new Random(79_020_002);
        String[] ciphers = {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"};
        int handshakes = HANDSHAKES_PER_HOUR * HOURS;
        String[] lastTicketOf = new String[USERS];
        long lastSweep = start;
        for (int i = 0; i < handshakes; i++) {
            long t = start + (end - MINUTE - start) * i / handshakes;
            if (FIXED && t - lastSweep >= MINUTE) { TicketCache.sweep(t); lastSweep = t; }
            int u = traffic.nextInt(USERS);
            String login = logins[u];
            boolean resumedNow = false;
            String sid = null;
            if (lastTicketOf[u] != null && traffic.nextInt(3) == 0) {
                SessionTicket old = TicketCache.lookup(lastTicketOf[u], t);
                if (old != null) { resumedNow = true; sid = old.sessionId(); }
            }
            if (!resumedNow) {
                sid = hex(traffic);
                TicketCache.issue(new SessionTicket(sid, login, ciphers[traffic.nextInt(ciphers.length)], new byte[48], t));
                lastTicketOf[u] = sid;
            }
            c.connections[(int) (c.handshakes++ % RING)] = new ConnectionLog(login, sid, resumedNow, t);
            String pk = siteCodes[traffic.nextInt(SITES)] + "/" + departments[traffic.nextInt(departments.length)];
            if (c.policies.get(pk) == null) c.policies.put(pk, new PolicyBundle(pk, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = c.packetBuffers.poll();
            buf[i % buf.length] = (byte) i;
            c.packetBuffers.add(buf);
        }
        int tickets = TicketCache.TICKETS.size();
        long live = TicketCache.TICKETS.values().stream().filter(t -> end - t.issuedAt() <= TICKET_LIFETIME).count();
        System.out.println((FIXED ? "FIXED " : "") + "sites " + SITES_BY_CODE.size() + " users " + c.users.size() + " tickets " + tickets + " (within lifetime " + live + ") issued " + TicketCache.issued
                + " resumed " + TicketCache.resumed + " expiredOnLookup " + TicketCache.expiredOnLookup + " swept " + TicketCache.swept + " policies " + c.policies.size() + " (evicted " + c.policies.evicted + ") pool " + c.packetBuffers.size() + " handshakes " + c.handshakes);
        check(SITES_BY_CODE.size() == SITES && c.users.size() == USERS, "reference data / directory");
        check(TicketCache.issued + TicketCache.resumed == handshakes, "handshakes");
        if (FIXED) check(tickets < TicketCache.issued / 3 && tickets + TicketCache.swept == TicketCache.issued, "expired tickets swept: " + tickets);
        else check(tickets == TicketCache.issued && TicketCache.swept == 0, "every ticket kept: " + tickets);
        check(c.policies.size() == POLICY_CAP && c.policies.evicted > 0, "policy cache at cap");
        check(c.packetBuffers.size() == POOL, "pool");
        check(c.handshakes == handshakes && c.connections[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
