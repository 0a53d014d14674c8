// hprofscan-dump: name=val56-leak-pharmacyclaims-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val56-leak-pharmacyclaims-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val56-leak-pharmacyclaims jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val56-leak-pharmacyclaims-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Validation set 56 (written blind), LEAK: the claims switch of a pharmacy-benefit network. Pharmacy
 * reference data, the drug (NDC) directory, a cache of rendered formulary answers at its cap, a pool
 * of claim-encoding buffers, a ring of recent adjudications, and the payer link: every claim sent to
 * the payer is put in awaitingReply (keyed by a sequential correlation id; the value holds the claim
 * payload and no timestamp) until the payer's reply arrives. The reject path removes the entry; the
 * paid path (most claims) reads it with get() and forgets to remove it. See VALIDATION56.md.
 */
public final class Val56LeakPharmacyClaims {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int PHARMACIES = 1_300, DRUGS = 24_000, FORMULARY_CAP = 2_000, POOL = 8, RING = 4_096, CLAIMS_PER_HOUR = 3_000;
    static boolean FIXED;

    record Pharmacy(String ncpdpId, String chain, double[] weeklyVolume) {}
    record Drug(String ndc, String name, byte[] monograph, long listedAt) {}
    record FormularyAnswer(String key, byte[] rendered, long at) {}
    record Adjudication(long correlationId, String ndc, long memberNo, int paidCents, boolean paid, long at) {}

    /** A claim waiting for the payer's reply: the request as sent, no timestamp. */
    static final class PendingClaim {
        final long correlationId; final String pharmacyId; final String rxNumber; final String memberId; final String ndc; final byte[] payload;
        PendingClaim(long correlationId, String pharmacyId, String rxNumber, String memberId, String ndc, byte[] payload) {
            this.correlationId = correlationId; this.pharmacyId = pharmacyId; this.rxNumber = rxNumber; this.memberId = memberId; this.ndc = ndc; this.payload = payload;
        }
    }

    static final class PayerLink {
        final Map<Long, PendingClaim> awaitingReply = new HashMap<>();
        long nextCorrelation = 880_000_001L, sent, paid, rejected, unknownReplies;
        long send(String pharmacyId, String rx, String member, String ndc, byte[] payload) {
            long id = nextCorrelation++;
            awaitingReply.put(id, new PendingClaim(id, pharmacyId, rx, member, ndc, payload));
            sent++;
            return id;
        }
        /** Returns the claim the reply is for. */
        PendingClaim onReply(long id, boolean paidOk) {
            if (paidOk) {
                PendingClaim c = awaitingReply.get(id); // BUG: the paid path never removes the entry
                if (FIXED) awaitingReply.remove(id);
                if (c == null) unknownReplies++; else paid++;
                return c;
            }
            PendingClaim c = awaitingReply.remove(id);
            if (c == null) unknownReplies++; else rejected++;
            return c;
        }
    }

    static final class FormularyCache extends LinkedHashMap<String, FormularyAnswer> {
        long evicted;
        FormularyCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, FormularyAnswer> e) { if (size() > FORMULARY_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Pharmacy> PHARMACIES_BY_ID = new HashMap<>();

    static final class ClaimSwitch {
        final Map<String, Drug> drugs = new HashMap<>();
        final FormularyCache formulary = new FormularyCache();
        final ArrayDeque<byte[]> encodeBuffers = new ArrayDeque<>();
        final Adjudication[] recent = new Adjudication[RING];
        long adjudications;
        final PayerLink payer = new PayerLink();
    }

    static ClaimSwitch SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val56.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int claims = CLAIMS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(56_010_001);
        String[] pharmacyIds = new String[PHARMACIES];
        String[] chains = {"Independent", "Corner Rx", "HealthMart", "CityCare", "Prairie Drug"};
        for (int p = 0; p < PHARMACIES; p++) {
            double[] vol = new double[64];
            for (int k = 0; k < vol.length; k++) vol[k] = rnd.nextDouble() * 400;
            pharmacyIds[p] = Integer.toString(1_400_000 + p * 13);
            PHARMACIES_BY_ID.put(pharmacyIds[p], new Pharmacy(pharmacyIds[p], chains[p % chains.length], vol));
        }
        ClaimSwitch svc = new ClaimSwitch();
        SERVICE = svc;
        String[] ndcs = new String[DRUGS];
        String[] names = {"atorvastatin 20mg", "metformin 500mg", "lisinopril 10mg", "amoxicillin 500mg", "levothyroxine 50mcg", "omeprazole 20mg", "sertraline 50mg", "albuterol HFA"};
        for (int d = 0; d < DRUGS; d++) {
            ndcs[d] = String.format("%05d-%04d-%02d", 10_000 + d / 90, d % 9_000, d % 97);
            svc.drugs.put(ndcs[d], new Drug(ndcs[d], names[d % names.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.encodeBuffers.add(new byte[32_768]);
        Random traffic = new Random(56_010_002);
        // replies in arrival order: {replyAt, correlationId, paid(1/0)}
        PriorityQueue<long[]> inFlight = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        for (int i = 0; i < claims; i++) {
            long t = start + (end - start) * i / claims;
            while (!inFlight.isEmpty() && inFlight.peek()[0] <= t) deliver(svc, inFlight.poll());
            String pharmacy = pharmacyIds[traffic.nextInt(PHARMACIES)];
            String ndc = ndcs[traffic.nextInt(DRUGS)];
            String member = "MBR" + (30_000_000 + traffic.nextInt(900_000));
            String rx = "RX" + (6_000_000 + i * 3 + traffic.nextInt(3));
            byte[] buf = svc.encodeBuffers.poll();
            int len = 200 + traffic.nextInt(200);
            byte[] payload = new byte[len];
            System.arraycopy(buf, 0, payload, 0, len);
            buf[i % buf.length] = (byte) i;
            svc.encodeBuffers.add(buf);
            long id = svc.payer.send(pharmacy, rx, member, ndc, payload);
            boolean paid = traffic.nextInt(100) >= 8;
            inFlight.add(new long[] {t + 1_000 + traffic.nextInt(7_000), id, paid ? 1 : 0});
            String key = "fm-" + traffic.nextInt(6_000);
            if (svc.formulary.get(key) == null) svc.formulary.put(key, new FormularyAnswer(key, new byte[400 + traffic.nextInt(400)], t));
        }
        while (!inFlight.isEmpty() && inFlight.peek()[0] <= end) deliver(svc, inFlight.poll());
        PayerLink p = svc.payer;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " pharmacies " + PHARMACIES_BY_ID.size() + " drugs " + svc.drugs.size() + " sent " + p.sent + " paid " + p.paid + " rejected " + p.rejected
                + " still in flight " + inFlight.size() + " awaitingReply " + p.awaitingReply.size() + " formulary " + svc.formulary.size() + " (evicted " + svc.formulary.evicted + ") pool " + svc.encodeBuffers.size() + " adjudications " + svc.adjudications);
        check(PHARMACIES_BY_ID.size() == PHARMACIES && svc.drugs.size() == DRUGS, "reference data / directory");
        check(p.sent == claims && p.unknownReplies == 0 && p.paid + p.rejected + inFlight.size() == claims, "payer traffic");
        if (FIXED) check(p.awaitingReply.size() == inFlight.size(), "only in-flight claims await a reply");
        else check(p.awaitingReply.size() == p.paid + inFlight.size(), "paid claims never removed: " + p.awaitingReply.size());
        check(inFlight.size() > 0 && inFlight.size() < 20, "a few claims in flight at the dump");
        check(svc.formulary.size() == FORMULARY_CAP && svc.formulary.evicted > 0, "formulary cache at cap");
        check(svc.encodeBuffers.size() == POOL, "pool");
        check(svc.adjudications == p.paid + p.rejected && svc.recent[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void deliver(ClaimSwitch svc, long[] reply) {
        boolean paid = reply[2] == 1;
        PendingClaim c = svc.payer.onReply(reply[1], paid);
        long memberNo = Long.parseLong(c.memberId.substring(3));
        svc.recent[(int) (svc.adjudications++ % RING)] = new Adjudication(c.correlationId, c.ndc, memberNo, paid ? 500 + (int) (reply[1] % 9_000) : 0, paid, reply[0]);
    }
}
