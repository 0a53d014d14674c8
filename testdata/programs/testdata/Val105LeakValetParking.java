// hprofscan-dump: name=val105-leak-valetparking-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val105-leak-valetparking-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val105-leak-valetparking jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val105-leak-valetparking-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 105 (written blind), LEAK: the car-retrieval service of a city valet-parking
 * operator. Garage reference data, the vehicle directory, a cache of rendered receipts at its cap,
 * a pool of bay-camera photo buffers, a ring of recent car moves, and a long-poll hub: the customer
 * app asks for its car and long-polls the ticket's status; each parked poll is a
 * CompletableFuture in PollHub.parked (keyed by a random request id) with a dependent stage that
 * answers through the request's PollContext. A status change completes the ticket's current poll.
 * When the client disconnects (app backgrounded, network switch) it re-polls with a new request
 * id, but the hub has no close handler: the abandoned future is never completed nor removed.
 * See VALIDATION105.md.
 */
public final class Val105LeakValetParking {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int GARAGES = 1_000, VEHICLES = 24_000, RECEIPT_CAP = 2_000, POOL = 8, RING = 1_024, TICKETS_PER_HOUR = 1_000;
    static final String[] STATUSES = {"RETRIEVING", "AT_DOOR", "HANDED_OVER"};
    static boolean FIXED;

    record Garage(String code, String district, double[] hourlyOccupancy) {}
    record Vehicle(String plate, String ownerId, String model, byte[] damageMap, long registeredAt) {}
    record Receipt(String key, byte[] rendered, long at) {}
    record CarMove(String ticket, String plate, String bay, long at) {}
    record CarStatus(String ticket, String status, long at) {}

    /** The context of one long-poll request: the answer is written into its response buffer. */
    static final class PollContext {
        final String requestId, ticket, deviceId;
        final long openedAt;
        final byte[] responseBuffer;
        int answered;
        PollContext(String requestId, String ticket, String deviceId, long openedAt, byte[] responseBuffer) {
            this.requestId = requestId; this.ticket = ticket; this.deviceId = deviceId; this.openedAt = openedAt; this.responseBuffer = responseBuffer;
        }
        void respond(CarStatus s) { responseBuffer[0] = (byte) s.status().length(); answered++; }
    }

    static final class PollHub {
        final ConcurrentHashMap<String, CompletableFuture<CarStatus>> parked = new ConcurrentHashMap<>();
        final Map<String, String> currentPollByTicket = new HashMap<>();
        long opened, completed, disconnects;
        void open(PollContext ctx) {
            CompletableFuture<CarStatus> f = new CompletableFuture<>();
            f.thenAccept(ctx::respond);
            parked.put(ctx.requestId, f);
            currentPollByTicket.put(ctx.ticket, ctx.requestId);
            opened++;
        }
        /** The client's connection dropped; the app will re-poll with a new request id. */
        void onDisconnect(String requestId) {
            disconnects++;
            if (FIXED) { // close handler: forget the abandoned poll
                CompletableFuture<CarStatus> f = parked.remove(requestId);
                if (f != null) f.cancel(false);
            }
            // BUG: no close handler; the abandoned future stays parked, never completed
        }
        void publish(CarStatus s) {
            String id = currentPollByTicket.remove(s.ticket());
            CompletableFuture<CarStatus> f = id == null ? null : parked.remove(id);
            if (f != null) { f.complete(s); completed++; }
        }
    }

    static final class ReceiptCache extends LinkedHashMap<String, Receipt> {
        long evicted;
        ReceiptCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Receipt> e) { if (size() > RECEIPT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Garage> GARAGES_BY_CODE = new HashMap<>();

    static final class ValetService {
        final Map<String, Vehicle> vehicles = new HashMap<>();
        final ReceiptCache receipts = new ReceiptCache();
        final ArrayDeque<byte[]> photoBuffers = new ArrayDeque<>();
        final CarMove[] recentMoves = new CarMove[RING];
        long moves;
        final PollHub polls = new PollHub();
    }

    static ValetService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run(int stage) {
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int tickets = TICKETS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(105_010_001);
        String[] garageCodes = new String[GARAGES];
        for (int g = 0; g < GARAGES; g++) {
            double[] occ = new double[64];
            for (int k = 0; k < occ.length; k++) occ[k] = rnd.nextDouble();
            garageCodes[g] = "GAR-" + (3_000 + g);
            GARAGES_BY_CODE.put(garageCodes[g], new Garage(garageCodes[g], "District " + (g % 40), occ));
        }
        ValetService svc = new ValetService();
        SERVICE = svc;
        String[] plates = new String[VEHICLES];
        String[] models = {"Saloon", "Estate", "SUV", "Coupe", "Van", "Convertible"};
        for (int v = 0; v < VEHICLES; v++) {
            plates[v] = "VP" + (4_000_000 + v * 7);
            svc.vehicles.put(plates[v], new Vehicle(plates[v], "OWN-" + (200_000 + rnd.nextInt(90_000)), models[v % models.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.photoBuffers.add(new byte[32_768]);
        Random traffic = new Random(105_010_002);
        PollHub hub = svc.polls;
        long abandoned = 0, live = 0, finished = 0;
        for (int i = 0; i < tickets; i++) {
            long t = start + (end - MINUTE - start) * i / tickets;
            String ticket = "TK-" + (60_000_000 + i);
            String device = "dev-" + Long.toHexString(traffic.nextLong() & 0xFFFFFFFFFFL);
            String plate = plates[traffic.nextInt(VEHICLES)];
            svc.recentMoves[(int) (svc.moves++ % RING)] = new CarMove(ticket, plate, "B" + traffic.nextInt(400), t);
            for (int r = 0; r < 3; r++) { // parking receipt, fee estimate, final receipt
                String key = "rcpt-" + traffic.nextInt(4_000);
                if (svc.receipts.get(key) == null) svc.receipts.put(key, new Receipt(key, new byte[400 + traffic.nextInt(400)], t));
            }
            byte[] photo = svc.photoBuffers.poll();
            photo[i % photo.length] = (byte) i;
            svc.photoBuffers.add(photo);
            long at = t;
            boolean open = false;
            for (int s = 0; s < STATUSES.length; s++) {
                PollContext ctx = new PollContext(new UUID(traffic.nextLong(), traffic.nextLong()).toString(), ticket, device, at, new byte[256 + traffic.nextInt(256)]);
                hub.open(ctx);
                open = true;
                long next = at + (s == 0 ? 1 + traffic.nextInt(3) : s == 1 ? 4 + traffic.nextInt(6) : 1 + traffic.nextInt(4)) * MINUTE;
                boolean reached = next < end;
                while (traffic.nextDouble() < 0.4) {
                    long dropAt = at + (next - at) / 2;
                    if (dropAt >= end) break;
                    hub.onDisconnect(ctx.requestId);
                    abandoned++;
                    ctx = new PollContext(new UUID(traffic.nextLong(), traffic.nextLong()).toString(), ticket, device, dropAt, new byte[256 + traffic.nextInt(256)]);
                    hub.open(ctx);
                    at = dropAt;
                }
                if (!reached) break;
                hub.publish(new CarStatus(ticket, STATUSES[s], next));
                open = false;
                at = next;
            }
            if (open) live++; else finished++;
        }
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " garages " + GARAGES_BY_CODE.size() + " vehicles " + svc.vehicles.size() + " tickets " + tickets + " finished " + finished + " live " + live
                + " polls opened " + hub.opened + " completed " + hub.completed + " disconnects " + hub.disconnects + " parked " + hub.parked.size() + " receipts " + svc.receipts.size() + " (evicted " + svc.receipts.evicted + ") moves " + svc.moves);
        check(GARAGES_BY_CODE.size() == GARAGES && svc.vehicles.size() == VEHICLES, "reference data / directory");
        check(hub.disconnects == abandoned && finished + live == tickets && hub.currentPollByTicket.size() == live, "poll traffic");
        check(hub.parked.size() == (FIXED ? live : live + abandoned), "parked polls: " + hub.parked.size());
        check(svc.receipts.size() == RECEIPT_CAP && svc.receipts.evicted > 0, "receipt cache at cap");
        check(svc.photoBuffers.size() == POOL && svc.moves == tickets && svc.recentMoves[RING - 1] != null, "pool / ring");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val105.fixed");
        run(Integer.parseInt(args[2]));
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
