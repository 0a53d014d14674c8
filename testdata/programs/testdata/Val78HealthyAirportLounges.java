// hprofscan-dump: name=val78-healthy-airportlounges-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val78-healthy-airportlounges-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val78-healthy-airportlounges jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val78-healthy-airportlounges-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 78 (written blind), HEALTHY: the visit service of an airport-lounge network. Lounge
 * reference data, the lounge-pass directory, an actor system with one VisitActor per visit that is
 * deregistered when the visit ends (registry = system actors + visits in progress), an access-event
 * projection whose de-duplication set holds only the ids after its last checkpoint (cleared at every
 * 5-minute checkpoint), a ring of visit events, a cache of rendered menu cards (at its cap from stage
 * 2) and a pool of boarding-pass scanner buffers. Series 1 / 4 / 8 h: warms up, then flat.
 * See VALIDATION78.md.
 */
public final class Val78HealthyAirportLounges {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int LOUNGES = 1_300, PASSES = 25_000, MENU_CAP = 2_000, POOL = 8, RING = 8_192, VISITS_PER_HOUR = 1_500, EVENTS_PER_VISIT = 3;
    static final int REDELIVER_EVERY = 50, REDELIVERY_LAG = 7;

    record Lounge(String code, String airport, double[] occupancyCurve) {}
    record LoungePass(String number, String tier, String homeAirport, byte[] profile, long issuedAt) {}
    record MenuCard(String key, byte[] rendered, long at) {}
    record AccessEvent(long id, String type, String passNo, String loungeCode, long at) {}
    record Message(String kind, long at) {}

    abstract static class Actor {
        final String path;
        final ArrayDeque<Message> mailbox = new ArrayDeque<>();
        boolean stopped;
        long processed;
        Actor(String path) { this.path = path; }
        void tell(Message m) { if (!stopped) mailbox.add(m); }
        void drain() { while (!mailbox.isEmpty()) { mailbox.poll(); processed++; } }
    }

    static final class SystemActor extends Actor { SystemActor(String path) { super(path); } }

    static final class VisitActor extends Actor {
        final String passNo, loungeCode;
        final long arrivedAt, leavesAt;
        final byte[] visitState;
        VisitActor(String path, String passNo, String loungeCode, long arrivedAt, long leavesAt, byte[] visitState) {
            super(path);
            this.passNo = passNo; this.loungeCode = loungeCode; this.arrivedAt = arrivedAt; this.leavesAt = leavesAt; this.visitState = visitState;
        }
    }

    static final class ActorSystem {
        final Map<String, Actor> registry = new HashMap<>();
        long created, stopped;
        <A extends Actor> A spawn(A a) { registry.put(a.path, a); created++; return a; }
        void stop(Actor a) { a.drain(); a.stopped = true; registry.remove(a.path); stopped++; }
    }

    /** De-duplication by checkpoint: ids at or below it are old; the set holds only ids after it. */
    static final class AccessProjection {
        final Set<Long> idsSinceCheckpoint = new HashSet<>();
        final Map<String, Integer> occupancy = new HashMap<>();
        long applied, duplicatesSkipped, checkpoints, lastCheckpointId = -1, maxIdSeen = -1;
        int maxWindow;
        void handle(AccessEvent e) {
            if (e.id() <= lastCheckpointId || idsSinceCheckpoint.contains(e.id())) { duplicatesSkipped++; return; }
            idsSinceCheckpoint.add(e.id());
            maxWindow = Math.max(maxWindow, idsSinceCheckpoint.size());
            maxIdSeen = Math.max(maxIdSeen, e.id());
            occupancy.merge(e.loungeCode(), e.type().equals("DEPART") ? -1 : e.type().equals("ARRIVE") ? 1 : 0, Integer::sum);
            applied++;
        }
        void checkpoint() { lastCheckpointId = maxIdSeen; idsSinceCheckpoint.clear(); checkpoints++; }
    }

    static final class MenuCache extends LinkedHashMap<String, MenuCard> {
        long evicted;
        MenuCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, MenuCard> e) { if (size() > MENU_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Lounge> LOUNGES_BY_CODE = new HashMap<>();

    static final class VisitService {
        final Map<String, LoungePass> passes = new HashMap<>();
        final ActorSystem actors = new ActorSystem();
        final PriorityQueue<VisitActor> inLounge = new PriorityQueue<>(Comparator.comparingLong((VisitActor a) -> a.leavesAt));
        final AccessProjection projection = new AccessProjection();
        final AccessEvent[] visitLog = new AccessEvent[RING];
        long logged;
        final MenuCache menus = new MenuCache();
        final ArrayDeque<byte[]> scannerBuffers = new ArrayDeque<>();
    }

    static VisitService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    record Redelivery(long due, AccessEvent event) {}

    static long nextId = 770_000_000L;
    static long eventsEmitted;
    static ArrayDeque<Redelivery> redeliveries = new ArrayDeque<>();

    static void emit(VisitService svc, Random traffic, String type, String passNo, String lounge, long t) {
        while (!redeliveries.isEmpty() && redeliveries.peek().due() <= eventsEmitted) svc.projection.handle(redeliveries.poll().event());
        nextId += 1 + traffic.nextInt(3);
        AccessEvent e = new AccessEvent(nextId, type, passNo, lounge, t);
        svc.projection.handle(e);
        if (eventsEmitted % REDELIVER_EVERY == 0) redeliveries.add(new Redelivery(eventsEmitted + REDELIVERY_LAG, e));
        svc.visitLog[(int) (svc.logged++ % RING)] = e;
        eventsEmitted++;
    }

    static void leave(VisitService svc, Random traffic, VisitActor a) {
        a.tell(new Message("DEPART", a.leavesAt));
        svc.actors.stop(a);
        emit(svc, traffic, "DEPART", a.passNo, a.loungeCode, a.leavesAt);
    }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int visits = VISITS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(78_050_001);
        String[] loungeCodes = new String[LOUNGES];
        for (int l = 0; l < LOUNGES; l++) {
            double[] curve = new double[64];
            for (int k = 0; k < curve.length; k++) curve[k] = rnd.nextDouble();
            String code = "LG-" + (4_000 + l);
            loungeCodes[l] = code;
            LOUNGES_BY_CODE.put(code, new Lounge(code, "Airport " + (l % 180), curve));
        }
        VisitService svc = new VisitService();
        SERVICE = svc;
        String[] tiers = {"Classic", "Silver", "Gold", "Platinum"};
        String[] passNos = new String[PASSES];
        for (int p = 0; p < PASSES; p++) {
            String no = "LP" + (55_000_000 + p);
            passNos[p] = no;
            svc.passes.put(no, new LoungePass(no, tiers[p % tiers.length], loungeCodes[rnd.nextInt(LOUNGES)].substring(3), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.scannerBuffers.add(new byte[32_768]);
        for (String p : new String[] {"/system/gate-scanner", "/system/billing", "/system/occupancy"}) svc.actors.spawn(new SystemActor(p));
        Random traffic = new Random(78_050_002);
        long nextCheckpoint = start + 5 * MINUTE;
        for (int i = 0; i < visits; i++) {
            long t = start + (end - MINUTE - start) * i / visits;
            while (nextCheckpoint <= t) { svc.projection.checkpoint(); nextCheckpoint += 5 * MINUTE; }
            while (!svc.inLounge.isEmpty() && svc.inLounge.peek().leavesAt <= t) leave(svc, traffic, svc.inLounge.poll());
            String pass = passNos[traffic.nextInt(PASSES)];
            String lounge = loungeCodes[traffic.nextInt(LOUNGES)];
            VisitActor a = svc.actors.spawn(new VisitActor("/user/visit-" + (9_000_000 + i), pass, lounge, t, t + (30 + traffic.nextInt(121)) * MINUTE, new byte[60 + traffic.nextInt(60)]));
            a.tell(new Message("ARRIVE", t));
            a.drain();
            svc.inLounge.add(a);
            emit(svc, traffic, "ARRIVE", pass, lounge, t);
            emit(svc, traffic, traffic.nextBoolean() ? "ORDER" : "SHOWER_BOOKED", pass, lounge, t);
            String key = lounge + "/" + traffic.nextInt(4);
            if (svc.menus.get(key) == null) svc.menus.put(key, new MenuCard(key, new byte[400 + traffic.nextInt(400)], t));
            byte[] buf = svc.scannerBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.scannerBuffers.add(buf);
        }
        while (!svc.inLounge.isEmpty() && svc.inLounge.peek().leavesAt <= end) leave(svc, traffic, svc.inLounge.poll());
        while (!redeliveries.isEmpty()) svc.projection.handle(redeliveries.poll().event());
        int inLounge = svc.inLounge.size();
        AccessProjection p = svc.projection;
        System.out.println("stage " + stage + " lounges " + LOUNGES_BY_CODE.size() + " passes " + svc.passes.size() + " registry " + svc.actors.registry.size() + " created " + svc.actors.created
                + " stopped " + svc.actors.stopped + " inLounge " + inLounge + " events " + eventsEmitted + " applied " + p.applied + " duplicates " + p.duplicatesSkipped + " window " + p.idsSinceCheckpoint.size()
                + " (max " + p.maxWindow + ") checkpoints " + p.checkpoints + " menus " + svc.menus.size() + " (evicted " + svc.menus.evicted + ") pool " + svc.scannerBuffers.size() + " logged " + svc.logged);
        check(LOUNGES_BY_CODE.size() == LOUNGES && svc.passes.size() == PASSES, "reference data / directory");
        check(svc.actors.created == visits + 3 && svc.actors.registry.size() == 3 + inLounge && svc.actors.stopped + inLounge == visits, "actor registry = live visits");
        check(inLounge > 1_000 && inLounge < 3_000, "visits in progress " + inLounge);
        check(p.applied == eventsEmitted && p.duplicatesSkipped == (eventsEmitted + REDELIVER_EVERY - 1) / REDELIVER_EVERY && p.checkpoints == hours * 12 - 1 && p.idsSinceCheckpoint.size() <= p.maxWindow && p.maxWindow < 1_000, "projection window");
        check(svc.logged == eventsEmitted && (stage == 1 ? svc.visitLog[RING - 1] == null : svc.visitLog[RING - 1] != null), "ring");
        check(stage == 1 ? svc.menus.size() < MENU_CAP : svc.menus.size() == MENU_CAP && svc.menus.evicted > 0, "menu cache");
        check(svc.scannerBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
