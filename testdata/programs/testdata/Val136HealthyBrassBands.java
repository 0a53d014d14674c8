// hprofscan-dump: name=val136-healthy-brassbands-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val136-healthy-brassbands-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val136-healthy-brassbands jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val136-healthy-brassbands-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Validation set 136 (written blind), HEALTHY (growth series 1 / 4 / 8 h): the player registry and
 * contest service of a brass band association. Test-piece reference data, the player registry, a
 * cache of rendered contest programmes (warming in stage 1, at its cap from stage 2), a pool of
 * photo buffers, a ring of registry actions, a queue of player transfers with a normal backlog, and
 * look-alikes of the set's leaks done right: a transactional outbox whose relay marks records SENT,
 * whose broker acknowledgement marks them DELIVERED and whose cleanup deletes the delivered ones
 * (a small backlog that plateaus), and an asynchronous adjudication-remarks writer (an unbounded
 * LinkedBlockingQueue with one consumer thread) that keeps up. See VALIDATION136.md.
 */
public final class Val136HealthyBrassBands {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L;
    static final long RELAY_EVERY = 30 * SECOND, CLEANUP_EVERY = 5 * MINUTE, FLUSH_EVERY = 30 * SECOND, TRANSFER_DELAY = 20 * MINUTE;
    static final int PIECES = 1_000, BANDS = 600, PLAYERS = 20_000, PROGRAMME_CAP = 2_000, PROGRAMME_KEYS = 10_000, POOL = 8, RING = 8_192;
    static final int ACTIONS_PER_HOUR = 4_000, PAGES_PER_HOUR = 1_500, MAX_BATCH = 2_000;

    enum OutboxState { PENDING, SENT, DELIVERED }
    enum ActionKind { REGISTRATION, TRANSFER, CONTEST_ENTRY, RESULT, ADDRESS_CHANGE }

    record TestPiece(String code, String title, String composer, int section, double[] marksByYear) {}
    record Band(String code, String name, String region, int section) {}
    record Player(String registration, String name, String bandCode, String instrument, byte[] history, long registeredAt) {}
    record Programme(String key, byte[] rendered, long at) {}
    record RegistryAction(long id, ActionKind kind, String registration, String bandCode, long at) {}
    record TransferRequest(long id, String registration, String fromBand, String toBand, long requestedAt) {}
    record Remark(long id, String adjudicator, String bandCode, String pieceCode, byte[] text, long at) {}

    static final class OutboxRecord {
        final long id; final String aggregateId; final String topic; final byte[] payload; final long createdAt;
        OutboxState state = OutboxState.PENDING; long sentAt, deliveredAt;
        OutboxRecord(long id, String aggregateId, String topic, byte[] payload, long createdAt) {
            this.id = id; this.aggregateId = aggregateId; this.topic = topic; this.payload = payload; this.createdAt = createdAt;
        }
    }

    interface AckListener { void delivered(long recordId, long at); }

    /** The message broker: counts what it is given; acknowledges on its next poll. */
    static final class ResultsBroker {
        final Map<String, Long> publishedByTopic = new HashMap<>();
        final List<Long> unacked = new ArrayList<>();
        AckListener ackListener;
        long published, acked;
        void publish(OutboxRecord r) { publishedByTopic.merge(r.topic, 1L, Long::sum); published++; unacked.add(r.id); }
        void poll(long now) {
            for (Long id : unacked) { if (ackListener != null) ackListener.delivered(id, now); acked++; }
            unacked.clear();
        }
    }

    /** Transactional outbox: written with the registry change, relayed every 30 s, cleaned every 5 minutes. */
    static final class ResultsOutbox {
        final LinkedHashMap<Long, OutboxRecord> records = new LinkedHashMap<>();
        final ResultsBroker broker;
        long nextId = 9_100_000, created, relayRuns, cleanups, deleted;
        ResultsOutbox(ResultsBroker broker) {
            this.broker = broker;
            broker.ackListener = (id, at) -> { OutboxRecord r = records.get(id); if (r != null && r.state == OutboxState.SENT) { r.state = OutboxState.DELIVERED; r.deliveredAt = at; } };
        }
        void append(String aggregateId, String topic, byte[] payload, long t) { long id = nextId++; records.put(id, new OutboxRecord(id, aggregateId, topic, payload, t)); created++; }
        void relay(long now) {
            relayRuns++;
            broker.poll(now);
            for (OutboxRecord r : records.values()) {
                if (r.state != OutboxState.PENDING) continue;
                broker.publish(r);
                r.state = OutboxState.SENT; r.sentAt = now;
            }
        }
        void cleanup(long now) {
            cleanups++;
            int before = records.size();
            records.values().removeIf(r -> r.state == OutboxState.DELIVERED);
            deleted += before - records.size();
        }
        int count(OutboxState s) { int n = 0; for (OutboxRecord r : records.values()) if (r.state == s) n++; return n; }
    }

    /** Where the remark batches end up: counts and a short history of batches. */
    static final class RemarkArchive {
        final ArrayDeque<String> lastBatches = new ArrayDeque<>();
        long remarks, bytes, batches;
        void write(List<Remark> batch) {
            for (Remark r : batch) { remarks++; bytes += r.text().length; }
            batches++;
            lastBatches.addLast("batch-" + batches + ":" + batch.size());
            if (lastBatches.size() > 64) lastBatches.removeFirst();
        }
    }

    /** Asynchronous writer of adjudicators' remarks: producers enqueue, one consumer thread writes a batch per flush. */
    static final class AdjudicationLog implements Runnable {
        final LinkedBlockingQueue<Remark> queue = new LinkedBlockingQueue<>();
        final RemarkArchive archive = new RemarkArchive();
        final Semaphore flushSignal = new Semaphore(0);
        final AtomicLong completed = new AtomicLong();
        long issued, enqueued;
        Thread worker;
        void start() { worker = new Thread(this, "adjudication-writer"); worker.setDaemon(true); worker.start(); }
        void log(Remark r) { queue.add(r); enqueued++; }
        /** The scheduler's flush tick; the writer drains and writes in well under the 30 s between ticks. */
        void flush() { issued++; flushSignal.release(); while (completed.get() < issued) LockSupport.parkNanos(20_000); }
        @Override public void run() {
            List<Remark> batch = new ArrayList<>(MAX_BATCH);
            while (true) {
                flushSignal.acquireUninterruptibly();
                queue.drainTo(batch, MAX_BATCH);
                archive.write(batch);
                batch.clear();
                completed.incrementAndGet();
            }
        }
    }

    static final class ProgrammeCache extends LinkedHashMap<String, Programme> {
        long evicted;
        ProgrammeCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Programme> e) { if (size() > PROGRAMME_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, TestPiece> TEST_PIECES = new HashMap<>();

    static final class RegistryService {
        final Map<String, Band> bands = new HashMap<>();
        final String[] bandCodes = new String[BANDS];
        final Map<String, Player> players = new HashMap<>();
        final String[] registrations = new String[PLAYERS];
        final ProgrammeCache programmes = new ProgrammeCache();
        final ArrayDeque<byte[]> photoBuffers = new ArrayDeque<>();
        final RegistryAction[] recent = new RegistryAction[RING];
        final ArrayDeque<TransferRequest> transfers = new ArrayDeque<>();
        final ResultsBroker broker = new ResultsBroker();
        final ResultsOutbox outbox = new ResultsOutbox(broker);
        final AdjudicationLog adjudication = new AdjudicationLog();
        long actions, pages, transfersRequested, transfersDone, remarks;

        void action(Random r, long t) {
            ActionKind kind = ActionKind.values()[r.nextInt(100) < 30 ? 0 : r.nextInt(100) < 15 ? 1 : 2 + r.nextInt(3)];
            Player p = players.get(registrations[r.nextInt(PLAYERS)]);
            RegistryAction a = new RegistryAction(60_000_000L + actions, kind, p.registration(), p.bandCode(), t);
            recent[(int) (actions++ % RING)] = a;
            if (kind == ActionKind.TRANSFER) {
                transfers.addLast(new TransferRequest(a.id(), p.registration(), p.bandCode(), bandCodes[r.nextInt(BANDS)], t));
                transfersRequested++;
            }
            if (kind != ActionKind.ADDRESS_CHANGE) outbox.append(p.registration(), "registry." + kind.name().toLowerCase(), new byte[200 + r.nextInt(300)], t);
            if (kind == ActionKind.RESULT) {
                int n = 1 + r.nextInt(3);
                for (int k = 0; k < n; k++) {
                    adjudication.log(new Remark(70_000_000L + remarks++, "ADJ-" + (100 + r.nextInt(40)), p.bandCode(), "TP-" + (5_000 + r.nextInt(PIECES)), new byte[120 + r.nextInt(240)], t));
                }
            }
            byte[] buf = photoBuffers.poll();
            buf[(int) (actions % buf.length)] = (byte) kind.ordinal();
            photoBuffers.add(buf);
        }

        void page(Random r, long t) {
            String key = "programme-" + r.nextInt(PROGRAMME_KEYS);
            if (programmes.get(key) == null) programmes.put(key, new Programme(key, new byte[800 + r.nextInt(800)], t));
            pages++;
        }

        void processTransfers(long now) {
            while (!transfers.isEmpty() && transfers.peekFirst().requestedAt() <= now - TRANSFER_DELAY) { transfers.pollFirst(); transfersDone++; }
        }
    }

    static RegistryService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(136_060_001);
        for (int i = 0; i < PIECES; i++) {
            double[] marks = new double[48];
            for (int k = 0; k < marks.length; k++) marks[k] = 170 + rnd.nextDouble() * 30;
            String code = "TP-" + (5_000 + i);
            TEST_PIECES.put(code, new TestPiece(code, "Test piece " + i, "Composer " + (i % 170), 1 + i % 5, marks));
        }
        RegistryService svc = new RegistryService();
        SERVICE = svc;
        for (int b = 0; b < BANDS; b++) {
            svc.bandCodes[b] = "BND-" + (300 + b);
            svc.bands.put(svc.bandCodes[b], new Band(svc.bandCodes[b], "Band " + b, "Region " + (b % 12), 1 + b % 5));
        }
        String[] instruments = {"cornet", "soprano cornet", "flugelhorn", "tenor horn", "baritone", "euphonium", "tenor trombone", "bass trombone", "Eb bass", "Bb bass", "percussion"};
        for (int i = 0; i < PLAYERS; i++) {
            svc.registrations[i] = "BBR" + (4_200_000 + i * 7);
            svc.players.put(svc.registrations[i], new Player(svc.registrations[i], "Player " + i, svc.bandCodes[rnd.nextInt(BANDS)], instruments[rnd.nextInt(instruments.length)],
                    new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.photoBuffers.add(new byte[32_768]);
        svc.adjudication.start();
        Random traffic = new Random(136_060_002), pages = new Random(136_060_003);
        int actions = ACTIONS_PER_HOUR * hours, pageViews = PAGES_PER_HOUR * hours;
        long nextRelay = start + RELAY_EVERY, nextCleanup = start + CLEANUP_EVERY, nextFlush = start + FLUSH_EVERY, nextTransfer = start + MINUTE;
        int p = 0;
        for (int i = 0; i < actions; i++) {
            long t = start + (end - MINUTE - start) * i / actions;
            while (true) {
                long next = Math.min(Math.min(nextRelay, nextCleanup), Math.min(nextFlush, nextTransfer));
                if (next > t) break;
                if (next == nextRelay) { svc.outbox.relay(nextRelay); nextRelay += RELAY_EVERY; }
                else if (next == nextCleanup) { svc.outbox.cleanup(nextCleanup); nextCleanup += CLEANUP_EVERY; }
                else if (next == nextFlush) { svc.adjudication.flush(); nextFlush += FLUSH_EVERY; }
                else { svc.processTransfers(nextTransfer); nextTransfer += MINUTE; }
            }
            svc.action(traffic, t);
            while (p < pageViews && (long) p * actions <= (long) i * pageViews) { svc.page(pages, t); p++; }
        }
    }

    static String report(int stage, int hours) {
        RegistryService svc = SERVICE;
        ResultsOutbox ob = svc.outbox;
        AdjudicationLog log = svc.adjudication;
        int pending = ob.count(OutboxState.PENDING), sent = ob.count(OutboxState.SENT), delivered = ob.count(OutboxState.DELIVERED);
        String line = "stage " + stage + " pieces " + TEST_PIECES.size() + " bands " + svc.bands.size() + " players " + svc.players.size() + " actions " + svc.actions
                + " programmes " + svc.programmes.size() + " (evicted " + svc.programmes.evicted + ") transfers " + svc.transfersRequested + "/" + svc.transfersDone + " backlog " + svc.transfers.size()
                + " outbox created " + ob.created + " published " + svc.broker.published + " acked " + svc.broker.acked + " deleted " + ob.deleted + " held " + ob.records.size()
                + " (pending " + pending + " sent " + sent + " delivered " + delivered + ") relays " + ob.relayRuns + " cleanups " + ob.cleanups
                + " remarks " + log.enqueued + " written " + log.archive.remarks + " batches " + log.archive.batches + " queued " + log.queue.size() + " flushes " + log.issued;
        int actions = ACTIONS_PER_HOUR * hours;
        check(TEST_PIECES.size() == PIECES && svc.bands.size() == BANDS && svc.players.size() == PLAYERS, "reference data / directory");
        check(svc.actions == actions && svc.pages == (long) PAGES_PER_HOUR * hours, "traffic");
        check(svc.photoBuffers.size() == POOL && svc.recent[Math.min(actions, RING) - 1] != null, "pool / ring");
        check(stage == 1 ? svc.programmes.size() < PROGRAMME_CAP && svc.programmes.evicted == 0 : svc.programmes.size() == PROGRAMME_CAP && svc.programmes.evicted > 0, "programme cache");
        check(svc.transfersRequested - svc.transfersDone == svc.transfers.size() && svc.transfers.size() < 200, "transfer backlog");
        check(ob.created == ob.deleted + ob.records.size() && pending + sent + delivered == ob.records.size() && ob.records.size() < 600, "outbox backlog " + ob.records.size());
        check(svc.broker.published == ob.created - pending && svc.broker.acked == svc.broker.published - sent, "broker");
        check(log.completed.get() == log.issued && log.archive.remarks + log.queue.size() == log.enqueued && log.queue.size() < 100 && log.worker.isAlive(), "adjudication writer keeps up");
        return line;
    }

    /** Exact counts per stage (index 1-3): outbox created, held, pending, sent, delivered; remarks, queued; transfer backlog; programmes, evicted. */
    static final long[][] EXPECTED = {
        {},
        {3_195, 242, 28, 28, 186, 1_543, 16, 149, 1_394, 0},
        {12_739, 249, 26, 29, 194, 6_305, 17, 158, 2_000, 3_013},
        {25_565, 229, 23, 25, 181, 12_798, 16, 149, 2_000, 7_824},
    };

    static void checkExact(int stage) {
        RegistryService svc = SERVICE;
        ResultsOutbox ob = svc.outbox;
        long[] e = EXPECTED[stage];
        long[] got = {ob.created, ob.records.size(), ob.count(OutboxState.PENDING), ob.count(OutboxState.SENT), ob.count(OutboxState.DELIVERED),
            svc.adjudication.enqueued, svc.adjudication.queue.size(), svc.transfers.size(), svc.programmes.size(), svc.programmes.evicted};
        check(java.util.Arrays.equals(e, got), "stage " + stage + " counts " + java.util.Arrays.toString(got) + " expected " + java.util.Arrays.toString(e));
    }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        simulate(hours);
        System.out.println(report(stage, hours));
        checkExact(stage);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
