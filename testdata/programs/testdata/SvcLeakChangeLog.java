// hprofscan-dump: name=svc-leak-changelog jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=svc-leak-changelog-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Leak (extra, hand-made linked list): a sync service appends every change to its own singly linked
 * change log (head/tail/size), which is truncated up to the lowest sequence number acknowledged by
 * all connected clients. One client stopped acknowledging at sequence 0, so nothing is ever
 * truncated: 25,000 ChangeRecords in one chain. Beside it: a client registry by client id (40
 * clients), an entity store by entity id (15,000), static schema reference data, a bounded outbox
 * queue, a pool of delta buffers and metrics. See testdata/SERVICES.md.
 */
public final class SvcLeakChangeLog {
    static final int SCHEMAS = 200;
    static final int CLIENTS = 40;
    static final int ENTITIES = 15_000;
    static final int CHANGES = 25_000;
    static final int OUTBOX_CAPACITY = 2_048;
    static final int OUTBOX_PENDING = 512;
    static final int BUFFERS = 32;
    static final long STEP_MILLIS = 2_000;

    enum Op { INSERT, UPDATE, DELETE }

    static final class SimClock implements LongSupplier {
        long now;

        SimClock(long start) {
            now = start;
        }

        @Override
        public long getAsLong() {
            return now;
        }
    }

    static final class EntitySchema {
        final String name;
        final String[] fields;
        final int version;

        EntitySchema(String name, int i) {
            this.name = name;
            this.fields = new String[] {"id", "name", "updatedAt", "f" + (i % 10)};
            this.version = 1 + i % 4;
        }
    }

    static final class SchemaRegistry {
        static Map<String, EntitySchema> SCHEMAS;

        static void load() {
            Map<String, EntitySchema> m = new HashMap<>();
            for (int i = 0; i < SvcLeakChangeLog.SCHEMAS; i++) {
                String n = "Entity" + (1000 + i);
                m.put(n, new EntitySchema(n, i));
            }
            SCHEMAS = Collections.unmodifiableMap(m);
        }
    }

    static final class Entity {
        final long id;
        final EntitySchema schema;
        String name;
        long version;
        long updatedAt;

        Entity(long id, EntitySchema schema) {
            this.id = id;
            this.schema = schema;
            this.name = "entity " + id;
        }
    }

    static final class EntityStore {
        final Map<Long, Entity> byId = new ConcurrentHashMap<>();
    }

    static final class ChangeRecord {
        final long seq;
        final long entityId;
        final Op op;
        final byte[] delta;
        final long at;
        ChangeRecord next;

        ChangeRecord(long seq, long entityId, Op op, byte[] delta, long at) {
            this.seq = seq;
            this.entityId = entityId;
            this.op = op;
            this.delta = delta;
            this.at = at;
        }
    }

    /** Singly linked change log, truncated up to the minimum acknowledged sequence. */
    static final class ChangeLog {
        ChangeRecord head;
        ChangeRecord tail;
        int size;

        void append(ChangeRecord r) {
            if (tail == null) {
                head = r;
            } else {
                tail.next = r;
            }
            tail = r;
            size++;
        }

        void truncateUpTo(long ackedSeq) {
            while (head != null && head.seq <= ackedSeq) {
                head = head.next;
                size--;
            }
            if (head == null) {
                tail = null;
            }
        }
    }

    static final class SyncClient {
        final String clientId;
        final String deviceName;
        long lastAckSeq;
        long lastSeenAt;

        SyncClient(String clientId, String deviceName) {
            this.clientId = clientId;
            this.deviceName = deviceName;
            this.lastAckSeq = -1;
        }
    }

    static final class ClientRegistry {
        final Map<String, SyncClient> byClientId = new HashMap<>();

        long minAcked() {
            long min = Long.MAX_VALUE;
            for (SyncClient c : byClientId.values()) {
                min = Math.min(min, c.lastAckSeq);
            }
            return min;
        }
    }

    static final class OutboxMessage {
        final String clientId;
        final long seq;

        OutboxMessage(String clientId, long seq) {
            this.clientId = clientId;
            this.seq = seq;
        }
    }

    static final class DeltaEncoder {
        final ArrayDeque<byte[]> buffers = new ArrayDeque<>();

        DeltaEncoder() {
            for (int i = 0; i < BUFFERS; i++) {
                buffers.add(new byte[4_096]);
            }
        }

        byte[] encode(Entity e) {
            byte[] buf = buffers.pop();
            try {
                buf[0] = (byte) e.version;
                byte[] out = new byte[48];
                System.arraycopy(buf, 0, out, 0, out.length);
                return out;
            } finally {
                buffers.push(buf);
            }
        }
    }

    static final class MetricsRegistry {
        final Map<String, long[]> counters = new ConcurrentHashMap<>();

        void inc(String name) {
            counters.computeIfAbsent(name, k -> new long[1])[0]++;
        }
    }

    static final class SyncService {
        final SimClock clock;
        final EntityStore entities = new EntityStore();
        final ClientRegistry clients = new ClientRegistry();
        final ChangeLog changeLog = new ChangeLog();
        final ArrayBlockingQueue<OutboxMessage> outbox = new ArrayBlockingQueue<>(OUTBOX_CAPACITY);
        final DeltaEncoder encoder = new DeltaEncoder();
        final MetricsRegistry metrics = new MetricsRegistry();
        long seq;

        SyncService(SimClock clock) {
            this.clock = clock;
            for (int i = 0; i < CLIENTS; i++) {
                String id = "client-" + (1000 + i);
                clients.byClientId.put(id, new SyncClient(id, "device " + i));
            }
            // The tablet of client-1000 went offline after acknowledging only the first change.
            clients.byClientId.get("client-1000").lastAckSeq = 0;
        }

        void change(int n) {
            long now = clock.getAsLong();
            long id = 3_000_000L + (n * 7L) % ENTITIES;
            Entity e = entities.byId.computeIfAbsent(id, k -> new Entity(k, SchemaRegistry.SCHEMAS.get("Entity" + (1000 + (int) (k % SCHEMAS)))));
            e.version++;
            e.updatedAt = now;
            long s = ++seq;
            changeLog.append(new ChangeRecord(s, id, e.version == 1 ? Op.INSERT : Op.UPDATE, encoder.encode(e), now));
            for (SyncClient c : clients.byClientId.values()) {
                if (!c.clientId.equals("client-1000")) {
                    c.lastAckSeq = s;
                    c.lastSeenAt = now;
                }
            }
            outbox.add(new OutboxMessage("client-" + (1000 + n % CLIENTS), s));
            if (outbox.size() > OUTBOX_PENDING) {
                outbox.poll();
            }
            if (n % 50 == 49) {
                changeLog.truncateUpTo(clients.minAcked());
            }
            metrics.inc("sync.changes");
        }
    }

    static SyncService RUNNING;

    static void build() {
        long end = System.currentTimeMillis();
        long start = end - CHANGES * STEP_MILLIS;
        SchemaRegistry.load();
        SimClock clock = new SimClock(start);
        SyncService s = new SyncService(clock);
        for (int n = 0; n < CHANGES; n++) {
            clock.now = start + (n + 1) * STEP_MILLIS;
            s.change(n);
        }
        // client-1000 acknowledged only sequence 0 and sequences start at 1: truncation never removes anything.
        if (s.changeLog.size != CHANGES || s.entities.byId.size() != ENTITIES || s.clients.byClientId.size() != CLIENTS
                || s.outbox.size() != OUTBOX_PENDING || s.encoder.buffers.size() != BUFFERS) {
            throw new IllegalStateException("unexpected sizes " + s.changeLog.size);
        }
        RUNNING = s;
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String out = args[1];
        build();
        System.gc();
        DumpUtil.dump(variant, out);
        System.out.println("dumped " + out);
        System.exit(0);
    }
}
