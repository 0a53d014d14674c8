// hprofscan-dump: name=val9-leak-emailrelay jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val9-leak-emailrelay-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 9 (written blind), LEAK (small): an outbound e-mail relay (SMTP submission,
 * routing, DKIM signing, delivery) after 6 simulated hours. The leak: for every message whose
 * sender asked for delivery status notifications, {@code DsnMonitor} schedules a fixed-delay poll
 * on its scheduler, a lambda capturing the whole request-scoped {@code RelaySession} (envelope,
 * headers, the message data). The poll is cancelled only when the remote server rejects the
 * message during the transaction; after a successful hand-off nothing ever cancels it, so the
 * scheduler's queue keeps 1,485 periodic tasks, each with its session. Beside it, much bigger: the
 * partner routing table and the IP-reputation table (both loaded at startup), the local mailbox
 * directory, a DKIM key LRU at capacity, a delivery log capped at 10,000 and a pool of 32 outbound
 * connections. See testdata/VALIDATION9.md.
 */
public final class Val9LeakEmailRelay {
    static final int ROUTES = 40_000;
    static final int REPUTATION = 60_000;
    static final int MAILBOXES = 40_000;
    static final int DKIM_CAP = 2_000;
    static final int DELIVERY_LOG_CAP = 10_000;
    static final int OUTBOUND_POOL = 32;
    static final int MESSAGES = 24_000;
    static final int DSN_EVERY = 15; // every 15th message asks for a DSN: 1,600 of them
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final long SIM_MILLIS = 6 * HOUR;

    static RelayServer RUNNING;

    static final class TransportRoute {
        final String domain; final String[] relayHosts; final int port; final boolean requireTls; final String dkimSelector; final long updatedAt;
        TransportRoute(String domain, String[] relayHosts, int port, boolean requireTls, String dkimSelector, long updatedAt) { this.domain = domain; this.relayHosts = relayHosts; this.port = port; this.requireTls = requireTls; this.dkimSelector = dkimSelector; this.updatedAt = updatedAt; }
    }

    /** Reference data: the partner transport map, loaded from the configuration database at startup. */
    static final class RoutingTable {
        static final Map<String, TransportRoute> PARTNER_ROUTES = new HashMap<>();
    }

    static final class ReputationEntry {
        final String ip; final int score; final String listName; final long listedAt;
        ReputationEntry(String ip, int score, String listName, long listedAt) { this.ip = ip; this.score = score; this.listName = listName; this.listedAt = listedAt; }
    }

    /** Reference data: a snapshot of the IP-reputation feed, loaded at startup. */
    static final class IpReputationTable {
        static final Map<String, ReputationEntry> ENTRIES = new HashMap<>();
    }

    static final class Mailbox {
        final String address; final String displayName; final long quotaBytes; long usedBytes; long lastDeliveryAt; final long createdAt;
        Mailbox(String address, String displayName, long quotaBytes, long createdAt) { this.address = address; this.displayName = displayName; this.quotaBytes = quotaBytes; this.createdAt = createdAt; }
    }

    /** Local mailboxes of the hosted domains, loaded at startup from the directory server. */
    static final class MailboxDirectory {
        final Map<String, Mailbox> mailboxes = new ConcurrentHashMap<>();
    }

    static final class DkimKey {
        final String selectorDomain; final byte[] privateKeyDer; final long loadedAt;
        DkimKey(String selectorDomain, byte[] privateKeyDer, long loadedAt) { this.selectorDomain = selectorDomain; this.privateKeyDer = privateKeyDer; this.loadedAt = loadedAt; }
    }

    static final class DkimKeyCache extends LinkedHashMap<String, DkimKey> {
        final int maxKeys;
        DkimKeyCache(int maxKeys) { super(4096, 0.75f, true); this.maxKeys = maxKeys; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, DkimKey> e) { return size() > maxKeys; }
    }

    static final class DeliveryRecord {
        final String messageId; final String recipientDomain; final int smtpCode; final long deliveredAt; final int bytes;
        DeliveryRecord(String messageId, String recipientDomain, int smtpCode, long deliveredAt, int bytes) { this.messageId = messageId; this.recipientDomain = recipientDomain; this.smtpCode = smtpCode; this.deliveredAt = deliveredAt; this.bytes = bytes; }
    }

    static final class OutboundConnection {
        final String remoteHost; final byte[] writeBuffer = new byte[16 * 1024]; final long openedAt; long messages;
        OutboundConnection(String remoteHost, long openedAt) { this.remoteHost = remoteHost; this.openedAt = openedAt; }
    }

    /** State of one SMTP transaction (request scope). */
    static final class RelaySession {
        final String sessionId; final String clientIp; final String heloName; final String mailFrom; final String[] rcptTo; final Map<String, String> headers; final byte[] data; final long receivedAt;
        RelaySession(String sessionId, String clientIp, String heloName, String mailFrom, String[] rcptTo, Map<String, String> headers, byte[] data, long receivedAt) { this.sessionId = sessionId; this.clientIp = clientIp; this.heloName = heloName; this.mailFrom = mailFrom; this.rcptTo = rcptTo; this.headers = headers; this.data = data; this.receivedAt = receivedAt; }
    }

    /** THE LEAK: a DSN poll per message, capturing the session; cancelled only on an immediate rejection. */
    static final class DsnMonitor {
        final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, r -> { Thread t = new Thread(r, "dsn-monitor"); t.setDaemon(true); return t; });
        long scheduled; long cancelled;
        DsnMonitor() { scheduler.setRemoveOnCancelPolicy(true); }
        ScheduledFuture<?> watch(RelaySession s) {
            scheduled++;
            return scheduler.scheduleWithFixedDelay(() -> pollStatus(s), 10, 10, TimeUnit.MINUTES);
        }
        void pollStatus(RelaySession s) { if (s.data.length == 0) System.err.println("empty message " + s.sessionId); }
    }

    static final class RelayServer {
        final MailboxDirectory mailboxes = new MailboxDirectory();
        final DkimKeyCache dkimKeys = new DkimKeyCache(DKIM_CAP);
        final ArrayDeque<DeliveryRecord> deliveryLog = new ArrayDeque<>();
        final ArrayBlockingQueue<OutboundConnection> outbound = new ArrayBlockingQueue<>(OUTBOUND_POOL);
        final DsnMonitor dsn = new DsnMonitor();
        final Properties config = new Properties();
        void log(DeliveryRecord r) { deliveryLog.addLast(r); if (deliveryLog.size() > DELIVERY_LOG_CAP) deliveryLog.removeFirst(); }
    }

    static String ip(int n) { return (10 + n % 200) + "." + (n / 200 % 250) + "." + (n / 50_000 % 250) + "." + (1 + n % 253); }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(9_070_001);
        RelayServer srv = new RelayServer();
        RUNNING = srv;
        for (int i = 0; i < 110; i++) srv.config.setProperty("relay.policy." + i + ".maxRecipients", Integer.toString(50 + i));
        String[] domains = new String[ROUTES];
        for (int i = 0; i < ROUTES; i++) {
            String d = "partner" + Integer.toString(i * 37 + 1000, 36) + (i % 3 == 0 ? ".example.com" : ".example.net");
            domains[i] = d;
            String[] hosts = new String[2 + i % 2];
            for (int k = 0; k < hosts.length; k++) hosts[k] = "mx" + k + "." + d;
            RoutingTable.PARTNER_ROUTES.put(d, new TransportRoute(d, hosts, i % 5 == 0 ? 587 : 25, i % 4 != 0, "s" + (i % 12), now - DAY * (10 + i % 900)));
        }
        String[] lists = {"spamhaus-sbl", "barracuda", "spamcop", "internal-block", "internal-allow"};
        for (int i = 0; i < REPUTATION; i++) {
            String a = ip(i * 7 + 3);
            IpReputationTable.ENTRIES.put(a, new ReputationEntry(a, rnd.nextInt(100), lists[i % lists.length], now - DAY * rnd.nextInt(700)));
        }
        for (int i = 0; i < MAILBOXES; i++) {
            String addr = "user" + Integer.toString(i * 11 + 500, 36) + "@hosted" + (i % 40) + ".example.org";
            Mailbox m = new Mailbox(addr, "User " + i, 5L << 30, now - DAY * (1 + rnd.nextInt(3000)));
            m.lastDeliveryAt = now - HOUR * rnd.nextInt(24 * 30);
            srv.mailboxes.mailboxes.put(addr, m);
        }
        for (int i = 0; i < OUTBOUND_POOL; i++) srv.outbound.add(new OutboundConnection("mx" + (i % 8) + ".upstream.example", start + i * 500L));
        int bounced = 0;
        for (int i = 0; i < MESSAGES; i++) {
            long t = start + SIM_MILLIS * i / MESSAGES;
            String domain = domains[rnd.nextInt(ROUTES)];
            TransportRoute route = RoutingTable.PARTNER_ROUTES.get(domain);
            Map<String, String> headers = new HashMap<>();
            String msgId = "<" + Long.toHexString(rnd.nextLong()) + "." + i + "@relay.example>";
            headers.put("Message-ID", msgId);
            headers.put("From", "billing@shop" + (i % 300) + ".example");
            headers.put("To", "customer" + i + "@" + domain);
            headers.put("Subject", "Your invoice " + (400_000 + i));
            headers.put("Date", Long.toString(t));
            headers.put("X-Campaign", "cmp-" + (i % 90));
            byte[] data = new byte[512 + rnd.nextInt(1024)];
            RelaySession s = new RelaySession(Long.toString(t, 36) + "-" + i, ip(rnd.nextInt(5_000_000)), "smtp-out" + (i % 40) + ".shop.example",
                    "billing@shop" + (i % 300) + ".example", new String[] {"customer" + i + "@" + domain}, headers, data, t);
            String selector = route.dkimSelector + "._domainkey.shop" + (i % 300) + ".example#" + (i / 4);
            if (srv.dkimKeys.get(selector) == null) srv.dkimKeys.put(selector, new DkimKey(selector, new byte[1_200], t));
            OutboundConnection c = srv.outbound.poll();
            c.messages++;
            srv.outbound.add(c);
            boolean rejected = rnd.nextInt(100) < 8;
            if (i % DSN_EVERY == DSN_EVERY - 1) {
                ScheduledFuture<?> watch = srv.dsn.watch(s);
                if (rejected) { watch.cancel(false); srv.dsn.cancelled++; bounced++; }
            }
            srv.log(new DeliveryRecord(msgId, domain, rejected ? 550 : 250, t + 200, data.length));
        }
        Mailbox any = srv.mailboxes.mailboxes.values().iterator().next();
        any.lastDeliveryAt = now;
        int queued = srv.dsn.scheduler.getQueue().size();
        System.out.println("routes " + RoutingTable.PARTNER_ROUTES.size() + " reputation " + IpReputationTable.ENTRIES.size() + " mailboxes " + srv.mailboxes.mailboxes.size()
                + " dkim " + srv.dkimKeys.size() + " log " + srv.deliveryLog.size() + " outbound " + srv.outbound.size()
                + " dsn scheduled " + srv.dsn.scheduled + " cancelled " + srv.dsn.cancelled + " queued " + queued);
        check(RoutingTable.PARTNER_ROUTES.size() == ROUTES && IpReputationTable.ENTRIES.size() == REPUTATION && srv.mailboxes.mailboxes.size() == MAILBOXES, "reference data");
        check(srv.dkimKeys.size() == DKIM_CAP && srv.deliveryLog.size() == DELIVERY_LOG_CAP && srv.outbound.size() == OUTBOUND_POOL, "caches");
        check(srv.dsn.scheduled == MESSAGES / DSN_EVERY && queued == srv.dsn.scheduled - bounced && srv.dsn.scheduler.getPoolSize() == 1, "dsn queue " + queued);
        LeakCheck.histogram("ScheduledThreadPoolExecutor$ScheduledFutureTask");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
