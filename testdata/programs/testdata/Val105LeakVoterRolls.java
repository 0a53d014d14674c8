// hprofscan-dump: name=val105-leak-voterrolls jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val105-leak-voterrolls-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 105 (written blind), LEAK: the electoral-roll service of a county elections
 * office. Precinct reference data, the voter directory, a cache of rendered poll cards at its cap, a
 * pool of print buffers, a ring of recent roll changes, and a replication link to three peer
 * replicas (state mirror, audit office, disaster-recovery site). The link keeps one
 * ObjectOutputStream per peer open for the life of the service, over a ByteArrayOutputStream that
 * it ships and resets after each flush, and writes every change object to every peer's stream
 * without ever calling oos.reset(): each stream's handle table keeps every object it ever wrote.
 * See VALIDATION105.md.
 */
public final class Val105LeakVoterRolls {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int PRECINCTS = 1_100, VOTERS = 25_000, CARD_CAP = 2_000, POOL = 8, RING = 4_096, HOURS = 10, CHANGES_PER_HOUR = 2_400, BATCH = 50;
    static final String[] FIELDS = {"address", "party", "status", "name", "mailingAddress", "precinct"};
    static final String[] PEERS = {"state-mirror", "audit-office", "dr-site"};
    static boolean FIXED;

    record Precinct(String code, String county, double[] turnoutHistory) {}
    record Voter(String voterId, String precinctCode, String surname, byte[] registration, long registeredAt) {}
    record PollCard(String key, byte[] rendered, long at) {}

    /** One change of one voter's roll record, replicated to every peer. */
    static final class RollChange implements Serializable {
        private static final long serialVersionUID = 1L;
        final long changeId; final String voterId, field, newValue; final long at; final byte[] clerkSignature;
        RollChange(long changeId, String voterId, String field, String newValue, long at, byte[] clerkSignature) {
            this.changeId = changeId; this.voterId = voterId; this.field = field; this.newValue = newValue; this.at = at; this.clerkSignature = clerkSignature;
        }
    }

    static final class PeerChannel {
        final String peerId;
        final ByteArrayOutputStream buffer = new ByteArrayOutputStream(16_384);
        final ObjectOutputStream out;
        long written, flushes, bytesShipped;
        PeerChannel(String peerId) throws IOException { this.peerId = peerId; this.out = new ObjectOutputStream(buffer); }
        void write(RollChange c) throws IOException { out.writeObject(c); written++; }
        void flushBatch() throws IOException {
            if (FIXED) out.reset(); // forget the back-references of the shipped batch
            // BUG: never out.reset(): the handle table keeps every object ever written
            out.flush();
            bytesShipped += buffer.size(); // handed to the peer's socket
            buffer.reset();
            flushes++;
        }
    }

    static final class ReplicationLink {
        final Map<String, PeerChannel> peers = new LinkedHashMap<>();
        int unflushed;
        void replicate(RollChange c) throws IOException {
            for (PeerChannel p : peers.values()) p.write(c);
            if (++unflushed == BATCH) { for (PeerChannel p : peers.values()) p.flushBatch(); unflushed = 0; }
        }
    }

    static final class CardCache extends LinkedHashMap<String, PollCard> {
        long evicted;
        CardCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PollCard> e) { if (size() > CARD_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Precinct> PRECINCTS_BY_CODE = new HashMap<>();

    static final class RollService {
        final Map<String, Voter> voters = new HashMap<>();
        final CardCache cards = new CardCache();
        final ArrayDeque<byte[]> printBuffers = new ArrayDeque<>();
        final RollChange[] recentChanges = new RollChange[RING];
        long changes;
        final ReplicationLink link = new ReplicationLink();
    }

    static RollService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run() throws IOException {
        int changes = CHANGES_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(105_030_001);
        String[] precinctCodes = new String[PRECINCTS];
        for (int p = 0; p < PRECINCTS; p++) {
            double[] turnout = new double[64];
            for (int k = 0; k < turnout.length; k++) turnout[k] = rnd.nextDouble();
            precinctCodes[p] = "PCT-" + (7_000 + p);
            PRECINCTS_BY_CODE.put(precinctCodes[p], new Precinct(precinctCodes[p], "County " + (p % 12), turnout));
        }
        RollService svc = new RollService();
        SERVICE = svc;
        String[] voterIds = new String[VOTERS];
        for (int v = 0; v < VOTERS; v++) {
            voterIds[v] = "VR" + (81_000_000 + v * 3);
            svc.voters.put(voterIds[v], new Voter(voterIds[v], precinctCodes[rnd.nextInt(PRECINCTS)], "Surname" + rnd.nextInt(9_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(9_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.printBuffers.add(new byte[32_768]);
        for (String peer : PEERS) svc.link.peers.put(peer, new PeerChannel(peer));
        Random traffic = new Random(105_030_002);
        for (int i = 0; i < changes; i++) {
            long t = start + (end - MINUTE - start) * i / changes;
            String voterId = voterIds[traffic.nextInt(VOTERS)];
            String field = FIELDS[traffic.nextInt(FIELDS.length)];
            String value = field + ":" + Long.toString(traffic.nextLong() & 0xFFFFFFFFFFFFL, 36) + "/" + (t / 1000);
            byte[] sig = new byte[64];
            traffic.nextBytes(sig);
            RollChange c = new RollChange(5_000_000L + i, voterId, field, value, t, sig);
            svc.recentChanges[(int) (svc.changes++ % RING)] = c;
            svc.link.replicate(c);
            if (i % 2 == 0) {
                String key = "card-" + traffic.nextInt(5_000);
                if (svc.cards.get(key) == null) svc.cards.put(key, new PollCard(key, new byte[400 + traffic.nextInt(400)], t));
                byte[] buf = svc.printBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.printBuffers.add(buf);
            }
        }
        StringBuilder peers = new StringBuilder();
        for (PeerChannel p : svc.link.peers.values()) {
            peers.append(' ').append(p.peerId).append(" written ").append(p.written).append(" flushes ").append(p.flushes).append(" shipped ").append(p.bytesShipped).append(" buffered ").append(p.buffer.size());
            check(p.written == changes && p.flushes == changes / BATCH && p.buffer.size() == 0, "peer " + p.peerId);
        }
        System.out.println((FIXED ? "FIXED " : "") + "precincts " + PRECINCTS_BY_CODE.size() + " voters " + svc.voters.size() + " changes " + svc.changes + peers
                + " cards " + svc.cards.size() + " (evicted " + svc.cards.evicted + ") pool " + svc.printBuffers.size());
        check(PRECINCTS_BY_CODE.size() == PRECINCTS && svc.voters.size() == VOTERS, "reference data / directory");
        check(svc.link.peers.size() == PEERS.length && svc.link.unflushed == 0, "link");
        check(svc.cards.size() == CARD_CAP && svc.cards.evicted > 0, "card cache at cap");
        check(svc.printBuffers.size() == POOL && svc.changes == changes && svc.recentChanges[RING - 1] != null, "pool / ring");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val105.fixed");
        run();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
