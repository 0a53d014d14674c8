// hprofscan-dump: name=val78-leak-roadsideassist-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val78-leak-roadsideassist-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val78-leak-roadsideassist jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val78-leak-roadsideassist-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Validation set 78 (written blind), LEAK: the dispatch service of a roadside-assistance club. Depot
 * reference data, the membership directory, a cache of rendered route estimates at its cap, a pool of
 * ticket-printer buffers, a ring of completed jobs, and an in-process actor system: every assistance
 * request gets its own AssistanceActor, registered in the global actor registry under its path. When
 * the job completes the actor is stopped (its stopped flag is set, its mailbox drained), but it is
 * never deregistered, so the registry holds every actor ever created. See VALIDATION78.md.
 */
public final class Val78LeakRoadsideAssist {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int DEPOTS = 1_200, MEMBERS = 25_000, ROUTE_CAP = 2_000, POOL = 8, RING = 2_048, REQUESTS_PER_HOUR = 3_000;
    static boolean FIXED;

    record Depot(String code, String region, double[] responseModel) {}
    record Membership(String number, String depotCode, String vehicle, byte[] vehicleRecord, long joinedAt) {}
    record RouteEstimate(String key, byte[] rendered, long at) {}
    record CompletedJob(String membershipNo, String depotCode, long requestedAt, long completedAt) {}
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

    static final class AssistanceActor extends Actor {
        final String membershipNo, depotCode;
        final long requestedAt, etaAt;
        final byte[] jobState;
        long stoppedAt;
        AssistanceActor(String path, String membershipNo, String depotCode, long requestedAt, long etaAt, byte[] jobState) {
            super(path);
            this.membershipNo = membershipNo; this.depotCode = depotCode; this.requestedAt = requestedAt; this.etaAt = etaAt; this.jobState = jobState;
        }
    }

    static final class ActorSystem {
        final Map<String, Actor> registry = new HashMap<>();
        long created, stopped, deregistered;
        <A extends Actor> A spawn(A a) { registry.put(a.path, a); created++; return a; }
        void stop(Actor a, long at) {
            a.drain();
            a.stopped = true;
            if (a instanceof AssistanceActor x) x.stoppedAt = at;
            stopped++;
            if (FIXED) { registry.remove(a.path); deregistered++; }
            // BUG: the stopped actor stays in the registry forever
        }
    }

    static final class RouteCache extends LinkedHashMap<String, RouteEstimate> {
        long evicted;
        RouteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RouteEstimate> e) { if (size() > ROUTE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Depot> DEPOTS_BY_CODE = new HashMap<>();

    static final class DispatchService {
        final Map<String, Membership> members = new HashMap<>();
        final RouteCache routes = new RouteCache();
        final ArrayDeque<byte[]> ticketBuffers = new ArrayDeque<>();
        final CompletedJob[] recentJobs = new CompletedJob[RING];
        long completed;
        final ActorSystem actors = new ActorSystem();
        final PriorityQueue<AssistanceActor> board = new PriorityQueue<>(Comparator.comparingLong((AssistanceActor a) -> a.etaAt));
    }

    static DispatchService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void complete(DispatchService svc, AssistanceActor a) {
        a.tell(new Message("ON_SCENE", a.etaAt));
        a.tell(new Message("RESOLVED", a.etaAt));
        svc.actors.stop(a, a.etaAt);
        svc.recentJobs[(int) (svc.completed++ % RING)] = new CompletedJob(a.membershipNo, a.depotCode, a.requestedAt, a.etaAt);
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val78.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int requests = REQUESTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(78_010_001);
        String[] depotCodes = new String[DEPOTS];
        for (int d = 0; d < DEPOTS; d++) {
            double[] model = new double[64];
            for (int k = 0; k < model.length; k++) model[k] = 10 + rnd.nextDouble() * 80;
            String code = "DP-" + (3_000 + d);
            depotCodes[d] = code;
            DEPOTS_BY_CODE.put(code, new Depot(code, "Region " + (d % 40), model));
        }
        DispatchService svc = new DispatchService();
        SERVICE = svc;
        String[] vehicles = {"Hatchback", "Saloon", "Estate", "SUV", "Van", "Motorbike", "Camper", "EV"};
        String[] numbers = new String[MEMBERS];
        for (int m = 0; m < MEMBERS; m++) {
            String no = "RA" + (40_000_000 + m);
            numbers[m] = no;
            svc.members.put(no, new Membership(no, depotCodes[rnd.nextInt(DEPOTS)], vehicles[m % vehicles.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.ticketBuffers.add(new byte[32_768]);
        for (String p : new String[] {"/system/dispatcher", "/system/billing", "/system/telemetry"}) svc.actors.spawn(new SystemActor(p));
        Random traffic = new Random(78_010_002);
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            while (!svc.board.isEmpty() && svc.board.peek().etaAt <= t) complete(svc, svc.board.poll());
            String member = numbers[traffic.nextInt(MEMBERS)];
            String depot = svc.members.get(member).depotCode();
            long eta = t + (20 + traffic.nextInt(40)) * MINUTE;
            AssistanceActor a = svc.actors.spawn(new AssistanceActor("/user/assist-" + (5_000_000 + i), member, depot, t, eta, new byte[60 + traffic.nextInt(60)]));
            a.tell(new Message("LOCATE", t));
            a.tell(new Message("ASSIGN_PATROL", t));
            a.drain();
            svc.board.add(a);
            String key = depot + "/" + traffic.nextInt(4_000);
            if (svc.routes.get(key) == null) svc.routes.put(key, new RouteEstimate(key, new byte[400 + traffic.nextInt(400)], t));
            byte[] buf = svc.ticketBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.ticketBuffers.add(buf);
        }
        while (!svc.board.isEmpty() && svc.board.peek().etaAt <= end) complete(svc, svc.board.poll());
        ActorSystem as = svc.actors;
        int open = svc.board.size();
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " depots " + DEPOTS_BY_CODE.size() + " members " + svc.members.size() + " registry " + as.registry.size()
                + " created " + as.created + " stopped " + as.stopped + " open " + open + " routes " + svc.routes.size() + " (evicted " + svc.routes.evicted + ") pool " + svc.ticketBuffers.size() + " completed " + svc.completed);
        check(DEPOTS_BY_CODE.size() == DEPOTS && svc.members.size() == MEMBERS, "reference data / directory");
        check(as.created == requests + 3 && as.stopped == svc.completed && svc.completed + open == requests, "actor traffic");
        check(open > 0 && open < 3_000, "open jobs " + open);
        if (FIXED) check(as.registry.size() == 3 + open, "registry holds live actors only: " + as.registry.size());
        else check(as.registry.size() == 3 + requests, "registry keeps every actor: " + as.registry.size());
        check(svc.routes.size() == ROUTE_CAP && svc.routes.evicted > 0, "route cache at cap");
        check(svc.ticketBuffers.size() == POOL, "pool");
        check(svc.recentJobs[RING - 1] != null, "ring full");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
