// hprofscan-dump: name=val147-leak-stampauctions jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val147-leak-stampauctions-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * Validation set 147 (written blind), LEAK: the bidding service of a philatelic (stamp) auction
 * house. Lot catalogue (reference data), the bidder directory by paddle number, a cache of rendered
 * lot pages at its cap, a pool of scan buffers, a ring of the last accepted bids, and a replication
 * stream to the hot standby: one long-lived ObjectOutputStream over a ByteArrayOutputStream that is
 * drained to the standby link after every batch of 200 bids (or once a second of auction time).
 * The stream is never reset(), so its handle table keeps every Bid (and its signature byte[]) ever
 * written. See VALIDATION147.md.
 */
public final class Val147LeakStampAuctions {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int LOTS = 12_000, BIDDERS = 20_000, PAGE_CAP = 1_500, POOL = 8, RING = 4_096, HOURS = 10, BIDS_PER_HOUR = 7_000, BATCH = 200;
    static boolean FIXED;

    record Lot(int lotNo, String title, String catalogueRef, byte[] description, long reservePence) {}
    record Bidder(int paddle, String name, String country, byte[] kyc, long registeredAt) {}
    record LotPage(String key, byte[] rendered, long at) {}

    /** A bid as shipped to the standby. */
    static final class Bid implements Serializable {
        private static final long serialVersionUID = 1L;
        final long bidId;
        final int lotNo, paddle;
        final long amountPence, at;
        final String channel;
        final byte[] signature;
        Bid(long bidId, int lotNo, int paddle, long amountPence, long at, String channel, byte[] signature) {
            this.bidId = bidId; this.lotNo = lotNo; this.paddle = paddle; this.amountPence = amountPence; this.at = at; this.channel = channel; this.signature = signature;
        }
    }

    /** The standby link: counts and checksums what is shipped. */
    static final class StandbyLink extends OutputStream {
        final CRC32 crc = new CRC32();
        long bytes;
        @Override public void write(int b) { crc.update(b); bytes++; }
        @Override public void write(byte[] b, int off, int len) { crc.update(b, off, len); bytes += len; }
    }

    /** Replication to the hot standby: one ObjectOutputStream for the life of the service. */
    static final class ReplicationStream {
        final ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 * 1024);
        final ObjectOutputStream out;
        final StandbyLink link = new StandbyLink();
        long written, batches, unflushed, resets;
        ReplicationStream() throws IOException { out = new ObjectOutputStream(buffer); }
        void replicate(Bid b) throws IOException {
            out.writeObject(b);
            written++;
            if (++unflushed >= BATCH) ship();
        }
        void ship() throws IOException {
            if (unflushed == 0) return;
            if (FIXED) { out.reset(); resets++; } // the fix: forget the objects written so far
            // BUG: no out.reset(): the handle table keeps every object ever written
            out.flush();
            buffer.writeTo(link);
            buffer.reset();
            unflushed = 0;
            batches++;
        }
    }

    static final class PageCache extends LinkedHashMap<String, LotPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, LotPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<Integer, Lot> LOTS_BY_NUMBER = new HashMap<>();

    static final class BiddingService {
        final Map<Integer, Bidder> bidders = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> scanBuffers = new ArrayDeque<>();
        final Bid[] recentBids = new Bid[RING];
        final Map<Integer, Long> highBidPence = new HashMap<>();
        long accepted;
        ReplicationStream replication;
    }

    static BiddingService SERVICE;
    static long END;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void build() throws IOException {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        END = end;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(147_030_001);
        String[] titles = {"Penny Black", "Inverted Jenny", "Basel Dove", "Treskilling Yellow", "Mauritius Post Office", "Z Grill", "Hawaiian Missionary", "Red Revenue"};
        for (int l = 0; l < LOTS; l++) {
            int lotNo = 1 + l;
            LOTS_BY_NUMBER.put(lotNo, new Lot(lotNo, titles[l % titles.length] + " lot " + lotNo, "SG " + (100 + l % 3_000), new byte[200 + rnd.nextInt(200)], 5_000L + rnd.nextInt(500_000)));
        }
        BiddingService svc = new BiddingService();
        SERVICE = svc;
        String[] countries = {"GB", "DE", "CH", "US", "JP", "FR", "NL", "SE"};
        for (int p = 0; p < BIDDERS; p++) {
            int paddle = 1_000 + p;
            svc.bidders.put(paddle, new Bidder(paddle, "Bidder " + paddle, countries[p % countries.length], new byte[120 + rnd.nextInt(120)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int i = 0; i < POOL; i++) svc.scanBuffers.add(new byte[32_768]);
        svc.replication = new ReplicationStream();
        Random traffic = new Random(147_030_002);
        String[] channels = {"room", "online", "phone", "absentee"};
        int bids = BIDS_PER_HOUR * HOURS;
        long lastShip = start;
        for (int i = 0; i < bids; i++) {
            long t = start + (end - MINUTE - start) * i / bids;
            if (t - lastShip >= 1_000L) { svc.replication.ship(); lastShip = t; } // at least once a second of auction time
            int lotNo = 1 + traffic.nextInt(LOTS);
            int paddle = 1_000 + traffic.nextInt(BIDDERS);
            long amount = svc.highBidPence.getOrDefault(lotNo, LOTS_BY_NUMBER.get(lotNo).reservePence()) + 500 + traffic.nextInt(5_000);
            svc.highBidPence.put(lotNo, amount);
            byte[] sig = new byte[32];
            traffic.nextBytes(sig);
            Bid b = new Bid(60_000_000L + i, lotNo, paddle, amount, t, channels[traffic.nextInt(channels.length)], sig);
            svc.recentBids[(int) (svc.accepted++ % RING)] = b;
            svc.replication.replicate(b);
            if (i % 3 == 0) {
                String key = "lot-" + traffic.nextInt(5_000);
                if (svc.pages.get(key) == null) svc.pages.put(key, new LotPage(key, new byte[500 + traffic.nextInt(500)], t));
                byte[] buf = svc.scanBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.scanBuffers.add(buf);
            }
        }
        svc.replication.ship();
    }

    static void verify() {
        BiddingService svc = SERVICE;
        ReplicationStream r = svc.replication;
        System.out.println((FIXED ? "FIXED " : "") + "lots " + LOTS_BY_NUMBER.size() + " bidders " + svc.bidders.size() + " accepted " + svc.accepted + " replicated " + r.written
                + " batches " + r.batches + " resets " + r.resets + " shipped bytes " + r.link.bytes + " buffer " + r.buffer.size() + " lots with bids " + svc.highBidPence.size()
                + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.scanBuffers.size());
        check(LOTS_BY_NUMBER.size() == LOTS && svc.bidders.size() == BIDDERS, "reference data / directory");
        check(svc.accepted == (long) BIDS_PER_HOUR * HOURS && r.written == svc.accepted, "bid traffic");
        check(r.buffer.size() == 0 && r.unflushed == 0, "drained");
        check(FIXED ? r.resets == r.batches : r.resets == 0, "resets");
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.scanBuffers.size() == POOL, "pool");
        check(svc.recentBids[RING - 1] != null, "ring");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val147.fixed");
        build();
        verify();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
