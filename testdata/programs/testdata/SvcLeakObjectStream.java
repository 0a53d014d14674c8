// hprofscan-dump: name=svc-leak-objectstream jvm="-Xmx256m --add-opens java.base/java.io=ALL-UNNAMED" variants=mxbean args="--series=3 --series-dir=testdata/dumps"
// hprofscan-dump: name=svc-leak-objectstream-parallel jvm="-Xmx256m -XX:+UseParallelGC --add-opens java.base/java.io=ALL-UNNAMED" variants=mxbean
package testdata;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Leak (tuning set, session 6b; series): a key-value store that replicates its writes to a
 * follower over a long-lived {@code java.io.ObjectOutputStream}
 * ({@code ReplicationLink.out}, over a socket-like stream that sends and forgets the bytes). The
 * link never calls {@code reset()}, so the stream's handle table
 * ({@code ObjectOutputStream.handles}, a {@code ObjectOutputStream$HandleTable} whose
 * {@code objs} array holds every object written) keeps every {@link ReplicationEvent} sent and
 * its {@code byte[]} delta: 6,000 / 12,000 / 24,000 events in the three dumps (the single
 * Parallel dump: 24,000). Healthy counterpart: the audit shipper ({@code AuditShipper.out}, the
 * same stream class over the same sink class) resets after every message; its table is empty.
 * Also: the store itself (20,000 keys), a key-range routing table (static, 64), a read LRU at
 * capacity (2,500), metrics. See testdata/SCENARIOS.md, "Tuning set, session 6b".
 */
public final class SvcLeakObjectStream {
    static final int KEYS = 20_000;
    static final int[] EVENTS_AT_DUMP = {6_000, 12_000, 24_000};
    static final int AUDIT_MESSAGES = 30_000;
    static final int READ_CACHE = 2_500;
    static final int RANGES = 64;
    static final long UPTIME_MILLIS = 3L * 3600_000L;

    static Service RUNNING;

    /** A socket-like sink: counts the bytes it "sends" and keeps none. */
    static final class SocketSink extends OutputStream {
        final String peer; long bytesSent; int packets;
        SocketSink(String peer) { this.peer = peer; }
        @Override public void write(int b) { bytesSent++; }
        @Override public void write(byte[] b, int off, int len) { bytesSent += len; packets++; }
    }

    static final class ReplicationEvent implements Serializable {
        private static final long serialVersionUID = 1L;
        final long seq; final String key; final byte op; final long committedAt; final byte[] delta;
        ReplicationEvent(long seq, String key, byte op, long committedAt, byte[] delta) { this.seq = seq; this.key = key; this.op = op; this.committedAt = committedAt; this.delta = delta; }
    }

    static final class AuditMessage implements Serializable {
        private static final long serialVersionUID = 1L;
        final long id; final String principal; final String action; final long at;
        AuditMessage(long id, String principal, String action, long at) { this.id = id; this.principal = principal; this.action = action; this.at = at; }
    }

    /** Leaking: one stream for the life of the connection, never reset. */
    static final class ReplicationLink {
        final SocketSink sink = new SocketSink("follower-2:7400");
        final ObjectOutputStream out;
        long sent;
        ReplicationLink() throws IOException { out = new ObjectOutputStream(sink); }
        void send(ReplicationEvent e) throws IOException { out.writeObject(e); out.flush(); sent++; }
    }

    /** Healthy: the same stream class, reset after every message. */
    static final class AuditShipper {
        final SocketSink sink = new SocketSink("audit-collector:9400");
        final ObjectOutputStream out;
        long sent;
        AuditShipper() throws IOException { out = new ObjectOutputStream(sink); }
        void ship(AuditMessage m) throws IOException { out.writeObject(m); out.reset(); out.flush(); sent++; }
    }

    static final class Value {
        final byte[] bytes; long version;
        Value(byte[] bytes, long version) { this.bytes = bytes; this.version = version; }
    }

    static final class KeyRange {
        final String from; final String to; final String owner;
        KeyRange(String from, String to, String owner) { this.from = from; this.to = to; this.owner = owner; }
    }

    static final class Routing { static final Map<Integer, KeyRange> RANGES_BY_ID = new HashMap<>(); }

    static final class ReadCache extends LinkedHashMap<String, byte[]> {
        final int capacity;
        ReadCache(int capacity) { super(capacity * 2, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, byte[]> e) { return size() > capacity; }
    }

    static final class Service {
        final Map<String, Value> store = new HashMap<>();
        final ReplicationLink replication;
        final AuditShipper audit;
        final ReadCache reads = new ReadCache(READ_CACHE);
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        long seq;
        Service() throws IOException { replication = new ReplicationLink(); audit = new AuditShipper(); }
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }
    }

    static final Random RND = new Random(60_631);
    static final String[] KEY_NAMES = new String[KEYS];

    static void write(Service s, long t) throws IOException {
        String key = KEY_NAMES[RND.nextInt(KEYS)];
        byte[] delta = new byte[200 + RND.nextInt(400)];
        RND.nextBytes(delta);
        Value v = s.store.get(key);
        v.version++;
        System.arraycopy(delta, 0, v.bytes, 0, Math.min(delta.length, v.bytes.length));
        s.replication.send(new ReplicationEvent(++s.seq, key, (byte) 1, t, delta));
        s.count("writes");
    }

    static int handleCount(ObjectOutputStream out) throws ReflectiveOperationException {
        Field hf = ObjectOutputStream.class.getDeclaredField("handles");
        hf.setAccessible(true);
        Object table = hf.get(out);
        Field size = table.getClass().getDeclaredField("size");
        size.setAccessible(true);
        return size.getInt(table);
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static Service build(long now) throws IOException {
        long start = now - UPTIME_MILLIS;
        Service s = new Service();
        for (int i = 0; i < KEYS; i++) {
            KEY_NAMES[i] = "user:" + (1_000_000 + i) + ":profile";
            byte[] b = new byte[300 + RND.nextInt(300)];
            RND.nextBytes(b);
            s.store.put(KEY_NAMES[i], new Value(b, 1));
        }
        for (int i = 0; i < RANGES; i++) Routing.RANGES_BY_ID.put(i, new KeyRange("user:" + (1_000_000 + i * 312), "user:" + (1_000_000 + (i + 1) * 312), "node-" + (i % 4)));
        String[] actions = {"login", "logout", "read", "update", "delete", "grant"};
        for (int i = 0; i < AUDIT_MESSAGES; i++) {
            s.audit.ship(new AuditMessage(i, "svc-" + (i % 40), actions[i % actions.length], start + (UPTIME_MILLIS - 2_000) * i / AUDIT_MESSAGES));
            String k = KEY_NAMES[RND.nextInt(KEYS)];
            s.reads.put(k, s.store.get(k).bytes.clone());
        }
        return s;
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String base = args[1];
        Object[] series = LeakCheck.seriesArgs(args, 1);
        int count = (Integer) series[0];
        String dir = (String) series[1];
        long now = System.currentTimeMillis();
        RUNNING = build(now);
        long from = now - UPTIME_MILLIS;
        for (int d = 1; d <= count; d++) {
            if (d > 1) Thread.sleep(1_100);
            long to = System.currentTimeMillis();
            int target = EVENTS_AT_DUMP[count == 1 ? 2 : d - 1];
            int have = (int) RUNNING.replication.sent;
            for (int i = have; i < target; i++) write(RUNNING, from + (to - from) * (i - have + 1) / (target - have));
            from = to;
            // handles: per event the event and its delta, each distinct key String once (the keys
            // are the store's own), plus the class descriptors and their type strings
            int handles = handleCount(RUNNING.replication.out);
            check(RUNNING.replication.sent == target, "sent " + RUNNING.replication.sent);
            check(handleCount(RUNNING.audit.out) == 0, "audit handles");
            check(RUNNING.store.size() == KEYS && RUNNING.reads.size() == READ_CACHE && Routing.RANGES_BY_ID.size() == RANGES, "store");
            long distinctKeys = RUNNING.store.values().stream().filter(v -> v.version > 1).count();
            System.out.println("handles " + handles + " after " + target + " events, " + distinctKeys + " distinct keys");
            System.gc();
            String path = LeakCheck.seriesPath(base, d, count, dir);
            DumpUtil.dump(variant, path);
            if (d < count) new java.io.File(path).setReadable(true, false);
            System.out.println("dumped " + path);
        }
        System.exit(0);
    }
}
