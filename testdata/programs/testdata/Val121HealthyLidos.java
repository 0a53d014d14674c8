// hprofscan-dump: name=val121-healthy-lidos-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val121-healthy-lidos-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val121-healthy-lidos jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val121-healthy-lidos-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * Validation set 121 (written blind), HEALTHY (growth series that warms up and plateaus): the
 * booking and entry service of a city's outdoor lidos. Every lane keeps its last
 * {@link #RECENT_SWIMS} swims for the lane-occupancy board, trimmed on both the live turnstile
 * path and the offline-gate sync path (lanes held in an array and in a map by code); locker
 * allocations are futures that the locker controller completes a minute or three later, each
 * with a callback, removed from the pending map on completion; each lido's lane-schedule draft
 * keeps an undo history of full snapshots capped at {@link #UNDO_DEPTH}; input validation uses a
 * fixed set of six compiled patterns keyed by template name. Stage 1/2/3 simulate 1/4/8 hours:
 * the lane boards, the confirmations cache, the turnstile ring and the undo histories fill by
 * stage 2, then everything is flat. See VALIDATION121.md.
 */
public final class Val121HealthyLidos {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int LIDOS = 40, LANES_PER_LIDO = 25, TARIFFS = 1_000, MEMBERS = 22_000, RECENT_SWIMS = 16, CONFIRMATION_CAP = 2_000, POOL = 8,
            RING = 8_192, SWIMS_PER_MINUTE = 120, BOOKINGS_PER_MINUTE = 20, EDITS_PER_MINUTE = 6, UNDO_DEPTH = 20, SLOTS = 32, GATE_SYNC_MINUTES = 15,
            REFUND_MINUTES = 30, QUALITY_SAMPLES = 262_144;
    static final String[] CONCESSIONS = {"adult", "junior", "senior", "student", "family", "carer", "swim-school", "club", "early-bird", "season"};

    record Tariff(String code, String lido, String concession, double[] priceByHalfHour) {}
    record Member(String memberNo, String name, String postcode, byte[] healthDeclaration, long joinedAt) {}
    record LaneSwim(long seq, String memberNo, String laneCode, long enteredAt, boolean viaOfflineGate) {}
    record Confirmation(String bookingRef, byte[] pdf, long issuedAt) {}
    record LockerCode(String lido, int locker, String pin) {}
    record RefundRequest(String bookingRef, int pence, long requestedAt) {}
    record ScheduleSnapshot(long version, String label, byte[] slots, long takenAt) {}

    static final Map<String, Tariff> TARIFFS_BY_CODE = new HashMap<>();

    static final class Lane {
        final String code, lido;
        final int number;
        final ArrayDeque<LaneSwim> recentSwims = new ArrayDeque<>();
        long swims;
        Lane(String code, String lido, int number) { this.code = code; this.lido = lido; this.number = number; }
    }

    static final class Booking {
        final String bookingRef, memberNo, lido;
        final long bookedAt;
        LockerCode locker;
        Booking(String bookingRef, String memberNo, String lido, long bookedAt) { this.bookingRef = bookingRef; this.memberNo = memberNo; this.lido = lido; this.bookedAt = bookedAt; }
    }

    record PendingLocker(long dueAt, String bookingRef, int locker) {}

    /** The lockers' controller answers allocation requests asynchronously. */
    static final class LockerController {
        final Map<String, CompletableFuture<LockerCode>> pending = new HashMap<>();
        final PriorityQueue<PendingLocker> due = new PriorityQueue<>((a, b) -> a.dueAt() != b.dueAt() ? Long.compare(a.dueAt(), b.dueAt()) : a.bookingRef().compareTo(b.bookingRef()));
        long allocated, completed;

        CompletableFuture<LockerCode> allocate(Booking b, long at, Random r) {
            CompletableFuture<LockerCode> f = new CompletableFuture<>();
            pending.put(b.bookingRef, f);
            due.add(new PendingLocker(at + (1 + r.nextInt(3)) * MINUTE, b.bookingRef, 1 + r.nextInt(400)));
            allocated++;
            return f;
        }

        void poll(long t, Map<String, Booking> byRef) {
            while (!due.isEmpty() && due.peek().dueAt() <= t) {
                PendingLocker p = due.poll();
                CompletableFuture<LockerCode> f = pending.remove(p.bookingRef());
                Booking b = byRef.get(p.bookingRef());
                f.complete(new LockerCode(b.lido, p.locker(), Integer.toString(1_000 + (p.locker() * 7_919) % 9_000)));
                completed++;
            }
        }
    }

    /** One lido's lane-schedule draft; undo keeps at most UNDO_DEPTH full copies. */
    static final class ScheduleDraft {
        final String lido;
        final byte[] slots = new byte[LANES_PER_LIDO * SLOTS];
        final ArrayDeque<ScheduleSnapshot> undo = new ArrayDeque<>();
        long version, edits, trimmed;
        ScheduleDraft(String lido) { this.lido = lido; }

        void edit(int slot, byte use, String label, long at) {
            undo.addLast(new ScheduleSnapshot(version, label, slots.clone(), at));
            while (undo.size() > UNDO_DEPTH) { undo.removeFirst(); trimmed++; }
            slots[slot] = use;
            version++; edits++;
        }
    }

    static final class ConfirmationCache extends LinkedHashMap<String, Confirmation> {
        long evicted;
        ConfirmationCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Confirmation> e) { if (size() > CONFIRMATION_CAP) { evicted++; return true; } return false; }
    }

    static final class LidoService {
        final Map<String, Member> members = new HashMap<>();
        final String[] memberNos = new String[MEMBERS];
        final Lane[] lanes = new Lane[LIDOS * LANES_PER_LIDO];
        final Map<String, Lane> lanesByCode = new HashMap<>();
        final Map<String, Pattern> formats = new HashMap<>();
        final LockerController lockers = new LockerController();
        final Map<String, Booking> openBookings = new HashMap<>();
        final Map<String, ScheduleDraft> drafts = new HashMap<>();
        final ConfirmationCache confirmations = new ConfirmationCache();
        final ArrayDeque<byte[]> receiptBuffers = new ArrayDeque<>();
        final LaneSwim[] turnstileRing = new LaneSwim[RING];
        final ArrayDeque<RefundRequest> refunds = new ArrayDeque<>();
        final float[] waterQuality = new float[QUALITY_SAMPLES];
        long swimSeq, liveSwims, gateSwims, gateSyncs, bookings, lockerCallbacks, refundsQueued, refundsPaid, invalidInputs;

        LidoService() {
            formats.put("member-no", Pattern.compile("LM\\d{6}"));
            formats.put("booking-ref", Pattern.compile("BK-[0-9A-F]{8}"));
            formats.put("lane-code", Pattern.compile("LD\\d{2}-L\\d{2}"));
            formats.put("postcode", Pattern.compile("[A-Z]{1,2}\\d[A-Z\\d]? ?\\d[A-Z]{2}"));
            formats.put("phone", Pattern.compile("\\+?44\\s?7\\d{3}\\s?\\d{6}"));
            formats.put("voucher", Pattern.compile("SWIM-[A-Z]{4}-\\d{4}"));
        }

        boolean valid(String format, String value) { boolean ok = formats.get(format).matcher(value).matches(); if (!ok) invalidInputs++; return ok; }

        void remember(Lane lane, LaneSwim s) {
            lane.recentSwims.addLast(s);
            while (lane.recentSwims.size() > RECENT_SWIMS) lane.recentSwims.removeFirst();
            lane.swims++;
            turnstileRing[(int) (s.seq() % RING)] = s;
        }

        /** Live turnstile. */
        void onTurnstile(LaneSwim s) { if (valid("lane-code", s.laneCode())) { remember(lanesByCode.get(s.laneCode()), s); liveSwims++; } }

        /** An offline gate uploads the entries it buffered. */
        void onGateSync(List<LaneSwim> buffered) {
            for (LaneSwim s : buffered) { remember(lanesByCode.get(s.laneCode()), s); gateSwims++; }
            gateSyncs++;
        }

        void book(Booking b, long t, Random r) {
            if (!valid("member-no", b.memberNo) || !valid("booking-ref", b.bookingRef)) return;
            bookings++;
            openBookings.put(b.bookingRef, b);
            lockers.allocate(b, t, r).whenComplete((code, err) -> { if (err == null) { b.locker = code; lockerCallbacks++; } openBookings.remove(b.bookingRef); });
            byte[] buf = receiptBuffers.poll();
            int len = 400 + r.nextInt(400);
            for (int i = 0; i < len; i += 32) buf[i] = (byte) r.nextInt(256);
            confirmations.put(b.bookingRef, new Confirmation(b.bookingRef, java.util.Arrays.copyOf(buf, len), t));
            receiptBuffers.add(buf);
            if (r.nextInt(10) == 0) { refunds.addLast(new RefundRequest(b.bookingRef, 350 + r.nextInt(900), t)); refundsQueued++; }
        }

        void payRefunds(long t) {
            while (!refunds.isEmpty() && refunds.peekFirst().requestedAt() <= t - REFUND_MINUTES * MINUTE) { refunds.pollFirst(); refundsPaid++; }
        }
    }

    static LidoService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(121_050_001);
        String[] lidos = new String[LIDOS];
        for (int l = 0; l < LIDOS; l++) lidos[l] = "LD" + (l < 10 ? "0" : "") + l;
        for (int k = 0; k < TARIFFS; k++) {
            double[] prices = new double[48];
            for (int j = 0; j < prices.length; j++) prices[j] = 2 + rnd.nextDouble() * 6;
            String code = lidos[k % LIDOS] + "-" + CONCESSIONS[(k / LIDOS) % CONCESSIONS.length] + "-" + (k / (LIDOS * CONCESSIONS.length));
            TARIFFS_BY_CODE.put(code, new Tariff(code, lidos[k % LIDOS], CONCESSIONS[(k / LIDOS) % CONCESSIONS.length], prices));
        }
        LidoService svc = new LidoService();
        SERVICE = svc;
        for (int m = 0; m < MEMBERS; m++) {
            svc.memberNos[m] = "LM" + (300_000 + m * 7);
            svc.members.put(svc.memberNos[m], new Member(svc.memberNos[m], "Swimmer " + rnd.nextInt(1_000_000), "SE" + (1 + rnd.nextInt(28)) + " " + rnd.nextInt(10) + "AB",
                    new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * DAY));
        }
        for (int l = 0; l < LIDOS; l++) {
            for (int n = 0; n < LANES_PER_LIDO; n++) {
                Lane lane = new Lane(lidos[l] + "-L" + (n < 9 ? "0" : "") + (n + 1), lidos[l], n + 1);
                svc.lanes[l * LANES_PER_LIDO + n] = lane;
                svc.lanesByCode.put(lane.code, lane);
            }
            svc.drafts.put(lidos[l], new ScheduleDraft(lidos[l]));
        }
        for (int b = 0; b < POOL; b++) svc.receiptBuffers.add(new byte[32_768]);
        for (int q = 0; q < QUALITY_SAMPLES; q++) svc.waterQuality[q] = 7.0f + rnd.nextInt(100) / 100f;

        Random swims = new Random(121_050_002), bookings = new Random(121_050_003), edits = new Random(121_050_004);
        List<LaneSwim> gateBuffer = new ArrayList<>();
        long nextGateSync = start + GATE_SYNC_MINUTES * MINUTE, bookingSeq = 0;
        for (long t = start; t < end; t += MINUTE) {
            for (int k = 0; k < SWIMS_PER_MINUTE; k++) {
                Lane lane = svc.lanes[swims.nextInt(svc.lanes.length)];
                boolean offline = swims.nextInt(100) < 30;
                LaneSwim s = new LaneSwim(++svc.swimSeq, svc.memberNos[swims.nextInt(MEMBERS)], lane.code, t + k * 500L, offline);
                if (offline) gateBuffer.add(s); else svc.onTurnstile(s);
            }
            if (t >= nextGateSync) { svc.onGateSync(gateBuffer); gateBuffer = new ArrayList<>(); nextGateSync = t + GATE_SYNC_MINUTES * MINUTE; }
            for (int k = 0; k < BOOKINGS_PER_MINUTE; k++) {
                String ref = String.format(java.util.Locale.ROOT, "BK-%08X", 0x2B00_0000 + bookingSeq++);
                svc.book(new Booking(ref, svc.memberNos[bookings.nextInt(MEMBERS)], lidos[bookings.nextInt(LIDOS)], t + k * 3 * SECOND), t, bookings);
            }
            for (int k = 0; k < EDITS_PER_MINUTE; k++) {
                ScheduleDraft d = svc.drafts.get(lidos[edits.nextInt(LIDOS)]);
                int slot = edits.nextInt(d.slots.length);
                d.edit(slot, (byte) edits.nextInt(6), "lane " + (1 + slot / SLOTS) + " slot " + (slot % SLOTS) + " -> " + CONCESSIONS[edits.nextInt(CONCESSIONS.length)], t + k * 10 * SECOND);
            }
            svc.lockers.poll(t, svc.openBookings);
            svc.payRefunds(t);
        }
    }

    static void report(int stage, int hours) {
        LidoService svc = SERVICE;
        long minutes = hours * 60L;
        int held = 0, atCap = 0, maxHeld = 0, snapshots = 0, draftsAtDepth = 0;
        for (Lane lane : svc.lanes) { held += lane.recentSwims.size(); maxHeld = Math.max(maxHeld, lane.recentSwims.size()); if (lane.recentSwims.size() == RECENT_SWIMS) atCap++; }
        for (ScheduleDraft d : svc.drafts.values()) { snapshots += d.undo.size(); if (d.undo.size() == UNDO_DEPTH) draftsAtDepth++; }
        int dependents = 0;
        for (CompletableFuture<LockerCode> f : svc.lockers.pending.values()) dependents += f.getNumberOfDependents();
        System.out.println("stage " + stage + " tariffs " + TARIFFS_BY_CODE.size() + " members " + svc.members.size() + " lanes " + svc.lanes.length + "/" + svc.lanesByCode.size()
                + " swims " + svc.swimSeq + " (live " + svc.liveSwims + ", via gates " + svc.gateSwims + " in " + svc.gateSyncs + " syncs) lane boards " + held + " (at cap " + atCap
                + ", max " + maxHeld + ") bookings " + svc.bookings + " lockers pending " + svc.lockers.pending.size() + " (dependents " + dependents + ", completed "
                + svc.lockers.completed + ", callbacks " + svc.lockerCallbacks + ") open bookings " + svc.openBookings.size() + " drafts " + svc.drafts.size() + " undo snapshots "
                + snapshots + " (at depth " + draftsAtDepth + ") confirmations " + svc.confirmations.size() + " (evicted " + svc.confirmations.evicted + ") pool "
                + svc.receiptBuffers.size() + " refunds backlog " + svc.refunds.size() + " (queued " + svc.refundsQueued + ", paid " + svc.refundsPaid + ") formats "
                + svc.formats.size() + " invalid " + svc.invalidInputs);
        check(TARIFFS_BY_CODE.size() == TARIFFS && svc.members.size() == MEMBERS && svc.lanesByCode.size() == LIDOS * LANES_PER_LIDO, "reference data / directory / lanes");
        check(svc.swimSeq == SWIMS_PER_MINUTE * minutes && svc.liveSwims + svc.gateSwims <= svc.swimSeq && maxHeld <= RECENT_SWIMS, "lane boards");
        check(held == (stage == 1 ? 6_718 : stage == 2 ? 15_989 : 16_000) && atCap == (stage == 1 ? 3 : stage == 2 ? 994 : 1_000), "lane boards fill");
        check(svc.bookings == BOOKINGS_PER_MINUTE * minutes && svc.invalidInputs == 0, "bookings");
        check(svc.lockers.allocated == svc.lockers.completed + svc.lockers.pending.size() && svc.lockers.completed == svc.lockerCallbacks
                && svc.openBookings.size() == svc.lockers.pending.size() && dependents == svc.lockers.pending.size() && svc.lockers.pending.size() == (stage == 1 ? 39 : stage == 2 ? 40 : 41), "locker futures");
        check(snapshots == (stage == 1 ? 360 : LIDOS * UNDO_DEPTH) && draftsAtDepth == (stage == 1 ? 0 : LIDOS), "undo histories");
        check(svc.confirmations.size() == (stage == 1 ? (int) svc.bookings : CONFIRMATION_CAP), "confirmation cache");
        check(stage == 1 ? svc.turnstileRing[RING - 1] == null : svc.turnstileRing[RING - 1] != null, "turnstile ring");
        check(svc.receiptBuffers.size() == POOL && svc.formats.size() == 6, "pool / formats");
        check(svc.refunds.size() == (stage == 1 ? 56 : stage == 2 ? 51 : 66) && svc.refundsQueued == svc.refundsPaid + svc.refunds.size(), "refunds");
    }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        simulate(hours);
        report(stage, hours);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
