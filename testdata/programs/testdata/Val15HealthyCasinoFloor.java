// hprofscan-dump: name=val15-healthy-casino jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val15-healthy-casino-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 15 (written blind), HEALTHY: the player-tracking system of a casino's slot floor.
 * A rated play session starts when a loyalty card is inserted and ends when it is removed; a card
 * left in an idle machine is closed by an idle-TTL sweep (15 minutes without a spin). Many players
 * play for hours, so many live sessions were opened hours ago but were touched in the last minute.
 * Personalised offers are computed once at the start of the shift (all created more than 9 hours
 * ago) and served from an LRU at its cap. 10 simulated hours, 9,000 sessions. Legitimate, all of
 * it: the loyalty-member directory (the biggest structure), the machine registry, the live
 * sessions, the offer LRU, a capped jackpot history, the currency-transaction reports awaiting
 * export (in flight) and a fixed pool of meter pollers. See testdata/VALIDATION15.md.
 */
public final class Val15HealthyCasinoFloor {
    static final int MEMBERS = 80_000;
    static final int MACHINES = 2_500;
    static final int SESSIONS = 9_000;
    static final int OFFER_CAP = 5_000;
    static final int JACKPOT_CAP = 1_500;
    static final int POLLERS = 4;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long IDLE_TTL = 15 * MINUTE;

    static SlotFloor FLOOR;

    static final class Member { final String cardNo; final String name; final String tier; final long points; final byte[] photoDigest;
        Member(String cardNo, String name, String tier, long points, byte[] photoDigest) { this.cardNo = cardNo; this.name = name; this.tier = tier; this.points = points; this.photoDigest = photoDigest; } }

    static final class Machine { final String assetNo; final String game; final int denomCents; final int[] paytable;
        Machine(String assetNo, String game, int denomCents, int[] paytable) { this.assetNo = assetNo; this.game = game; this.denomCents = denomCents; this.paytable = paytable; } }

    /** Reference data: the machines on the floor. */
    static final class MachineRegistry {
        static final Map<String, Machine> MACHINES_BY_ASSET = new HashMap<>();
    }

    static final class RatedSession { final long sessionId; final Member member; final Machine machine; final long startedAt; long lastSpinAt; long coinInCents; int spins; final int[] recentWagers = new int[200];
        RatedSession(long sessionId, Member member, Machine machine, long startedAt) { this.sessionId = sessionId; this.member = member; this.machine = machine; this.startedAt = startedAt; this.lastSpinAt = startedAt; } }

    static final class Offer { final String cardNo; final String text; final int freePlayCents; final long computedAt; final byte[] barcode;
        Offer(String cardNo, String text, int freePlayCents, long computedAt, byte[] barcode) { this.cardNo = cardNo; this.text = text; this.freePlayCents = freePlayCents; this.computedAt = computedAt; this.barcode = barcode; } }

    static final class OfferLru extends LinkedHashMap<String, Offer> {
        long evicted;
        OfferLru() { super(8_192, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Offer> e) { if (size() > OFFER_CAP) { evicted++; return true; } return false; }
    }

    static final class Jackpot { final String assetNo; final String cardNo; final long amountCents; final long hitAt;
        Jackpot(String assetNo, String cardNo, long amountCents, long hitAt) { this.assetNo = assetNo; this.cardNo = cardNo; this.amountCents = amountCents; this.hitAt = hitAt; } }

    static final class CtrReport { final String cardNo; final long cashCents; final long createdAt; final String narrative;
        CtrReport(String cardNo, long cashCents, long createdAt, String narrative) { this.cardNo = cardNo; this.cashCents = cashCents; this.createdAt = createdAt; this.narrative = narrative; } }

    static final class SlotFloor {
        final Map<String, Member> membersByCard = new HashMap<>();
        final Map<Long, RatedSession> sessions = new ConcurrentHashMap<>();
        long sessionsClosed, sessionsExpired;
        final OfferLru offers = new OfferLru();
        final ArrayDeque<Jackpot> jackpots = new ArrayDeque<>();
        long jackpotsRotated;
        final ArrayDeque<CtrReport> ctrAwaitingExport = new ArrayDeque<>();
        long ctrExported;
        final AtomicInteger pollerSeq = new AtomicInteger();
        final ThreadPoolExecutor pollers = new ThreadPoolExecutor(POLLERS, POLLERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "meter-poll-" + pollerSeq.incrementAndGet()); t.setDaemon(true); return t; });
        final Properties config = new Properties();
        void sweep(long now) {
            for (Iterator<RatedSession> it = sessions.values().iterator(); it.hasNext();) if (now - it.next().lastSpinAt > IDLE_TTL) { it.remove(); sessionsExpired++; }
        }
        void jackpot(Jackpot j) { jackpots.addLast(j); if (jackpots.size() > JACKPOT_CAP) { jackpots.removeFirst(); jackpotsRotated++; } }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - 10 * HOUR;
        Random rnd = new Random(15_050_005);
        SlotFloor floor = new SlotFloor();
        FLOOR = floor;
        for (int i = 0; i < 60; i++) floor.config.setProperty("floor.bank." + i + ".host", "smib-" + (i % 12) + ".floor.local");
        String[] tiers = {"Gold", "Platinum", "Diamond", "Seven Stars"};
        String[] cards = new String[MEMBERS];
        for (int m = 0; m < MEMBERS; m++) {
            byte[] dig = new byte[32];
            rnd.nextBytes(dig);
            cards[m] = "CARD" + (60_000_000 + m);
            floor.membersByCard.put(cards[m], new Member(cards[m], "Member " + m + " " + (char) ('A' + m % 26) + ".", tiers[m % tiers.length], rnd.nextInt(2_000_000), dig));
        }
        String[] assets = new String[MACHINES];
        for (int a = 0; a < MACHINES; a++) {
            int[] pay = new int[64];
            for (int k = 0; k < pay.length; k++) pay[k] = rnd.nextInt(5_000);
            assets[a] = "SM-" + (10_000 + a);
            MachineRegistry.MACHINES_BY_ASSET.put(assets[a], new Machine(assets[a], "Dragon Fortune " + (a % 30), a % 5 == 0 ? 100 : 1, pay));
        }
        // Offers computed in the first 30 minutes of the shift for 8,000 members; the LRU keeps 5,000.
        for (int o = 0; o < 8_000; o++) {
            String card = cards[(o * 10) % MEMBERS];
            byte[] code = new byte[96];
            rnd.nextBytes(code);
            floor.offers.put(card, new Offer(card, "Tonight only: $" + (10 + o % 90) + " free play when you play 2 hours at any Dragon Fortune machine", 1_000 + 100 * (o % 90), start + o * 225L, code));
        }
        CyclicBarrier ready = new CyclicBarrier(POLLERS);
        List<Future<?>> warm = new ArrayList<>();
        for (int w = 0; w < POLLERS; w++) warm.add(floor.pollers.submit(() -> { ready.await(); return null; }));
        for (Future<?> f : warm) f.get();
        // Sessions: session i starts at a random minute of the shift and lasts 20 minutes to 6
        // hours; 1 in 10 ends by abandonment (the card stays in an idle machine; the TTL sweep
        // closes it), the others by card-out. Every live session spins at least once a minute.
        long[] begin = new long[SESSIONS], end = new long[SESSIONS];
        boolean[] abandoned = new boolean[SESSIONS];
        Member[] who = new Member[SESSIONS];
        Machine[] where = new Machine[SESSIONS];
        for (int i = 0; i < SESSIONS; i++) {
            begin[i] = start + rnd.nextInt(600) * MINUTE;
            end[i] = begin[i] + (20 + rnd.nextInt(340)) * MINUTE;
            abandoned[i] = i % 10 == 0;
            who[i] = floor.membersByCard.get(cards[rnd.nextInt(MEMBERS)]);
            where[i] = MachineRegistry.MACHINES_BY_ASSET.get(assets[rnd.nextInt(MACHINES)]);
        }
        List<List<Integer>> startsAt = new ArrayList<>(), endsAt = new ArrayList<>();
        for (int m = 0; m <= 600 + 400; m++) { startsAt.add(new ArrayList<>()); endsAt.add(new ArrayList<>()); }
        for (int i = 0; i < SESSIONS; i++) { startsAt.get((int) ((begin[i] - start) / MINUTE)).add(i); endsAt.get((int) ((end[i] - start) / MINUTE)).add(i); }
        long ctrSeq = 0;
        for (int m = 0; m <= 600; m++) {
            long t = start + m * MINUTE;
            for (int i : endsAt.get(m)) if (!abandoned[i] && floor.sessions.remove((long) i) != null) floor.sessionsClosed++;
            for (int i : startsAt.get(m)) if (m < 600) floor.sessions.put((long) i, new RatedSession(i, who[i], where[i], begin[i]));
            for (RatedSession s : floor.sessions.values()) {
                int i = (int) s.sessionId;
                if (t >= end[i]) continue; // abandoned: no more spins
                s.lastSpinAt = t - rnd.nextInt(50_000);
                if (s.lastSpinAt < s.startedAt) s.lastSpinAt = s.startedAt;
                int wager = s.machine.denomCents * (1 + rnd.nextInt(5));
                s.recentWagers[s.spins % s.recentWagers.length] = wager;
                s.spins++;
                s.coinInCents += wager;
                Offer off = floor.offers.get(s.member.cardNo);
                if (off != null && off.freePlayCents < 0) throw new AssertionError();
                if (rnd.nextInt(4_000) == 0) floor.jackpot(new Jackpot(s.machine.assetNo, s.member.cardNo, 120_000 + rnd.nextInt(1_000_000), t));
            }
            for (int k = 0; k < 3; k++) floor.jackpot(new Jackpot(assets[rnd.nextInt(MACHINES)], null, 5_000 + rnd.nextInt(100_000), t - rnd.nextInt(60_000)));
            // CTR: cash-ins over $10,000, one every 20 seconds; exported in batches every 10 minutes.
            for (int k = 0; k < 3; k++) floor.ctrAwaitingExport.addLast(new CtrReport(cards[rnd.nextInt(MEMBERS)], 1_000_000 + rnd.nextInt(5_000_000), t + k * 20_000L - 60_000, "Cash-in at cage window " + (k + 1) + ", ID verified, source of funds on file #" + (++ctrSeq)));
            if (m % 10 == 0 && m < 600) { floor.ctrExported += floor.ctrAwaitingExport.size(); floor.ctrAwaitingExport.clear(); }
            if (m > 0) floor.sweep(t);
        }
        int live = 0, abandonedPending = 0, oldButFresh = 0;
        for (int i = 0; i < SESSIONS; i++) {
            if (begin[i] < now && end[i] > now) live++;
            else if (abandoned[i] && end[i] <= now && begin[i] < now && now - end[i] < IDLE_TTL) abandonedPending++;
        }
        for (RatedSession s : floor.sessions.values()) if (now - s.startedAt > 2 * HOUR && now - s.lastSpinAt < MINUTE) oldButFresh++;
        System.out.println("members " + floor.membersByCard.size() + " machines " + MachineRegistry.MACHINES_BY_ASSET.size() + " sessions " + floor.sessions.size() + " (live " + live + ", abandoned within TTL " + abandonedPending + ", older than 2 h but spun in the last minute " + oldButFresh + ", closed " + floor.sessionsClosed + ", expired " + floor.sessionsExpired + ") offers " + floor.offers.size() + " (evicted " + floor.offers.evicted + ") jackpots " + floor.jackpots.size() + " (rotated " + floor.jackpotsRotated + ") ctr awaiting " + floor.ctrAwaitingExport.size() + " (exported " + floor.ctrExported + ")");
        check(floor.membersByCard.size() == MEMBERS && MachineRegistry.MACHINES_BY_ASSET.size() == MACHINES, "reference data");
        check(floor.sessions.size() == live + abandonedPending && oldButFresh > 0, "sessions");
        for (RatedSession s : floor.sessions.values()) check(now - s.lastSpinAt <= IDLE_TTL, "session idle");
        check(floor.offers.size() == OFFER_CAP && floor.offers.evicted == 3_000, "offer lru");
        for (Offer o : floor.offers.values()) check(now - o.computedAt > 9 * HOUR, "offer age");
        check(floor.jackpots.size() == JACKPOT_CAP && floor.jackpotsRotated > 0, "jackpots");
        check(floor.ctrAwaitingExport.size() == 30 && floor.pollers.getPoolSize() == POLLERS, "ctr/pool");
        cards = null; assets = null; who = null; where = null; startsAt = null; endsAt = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
