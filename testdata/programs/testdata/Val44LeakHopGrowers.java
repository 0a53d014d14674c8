// hprofscan-dump: name=val44-leak-hopgrowers-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val44-leak-hopgrowers-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val44-leak-hopgrowers jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val44-leak-hopgrowers-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 44 (written blind), LEAK: the harvest relay of a hop growers' cooperative. Every
 * weigh-bridge ticket of a hop bale is relayed to the brewery buyers' ERP. Variety reference data,
 * the grower-contract directory, a cache of rendered bale labels at its cap, a pool of send buffers,
 * a ring of recently relayed tickets, and a dead-letter store: a ticket whose delivery failed after
 * three attempts (4% of the traffic) is parked in memory "for operators to replay from the admin
 * console". Nobody replays them and the store has no cap and no expiry: it grows with the traffic.
 * See VALIDATION44.md.
 */
public final class Val44LeakHopGrowers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int VARIETIES = 1_200, CONTRACTS = 24_000, FARMS = 700, LABEL_CAP = 2_000, POOL = 8, RING = 4_096,
            MESSAGES_PER_HOUR = 20_000, FAIL_PERCENT = 4;
    static final String DESTINATION = "erp-brewery-buyers:/harvest/tickets";
    static boolean FIXED;

    record Variety(String code, String name, double[] alphaAcidByWeek) {}
    record Contract(String contractId, String farm, String varietyCode, byte[] terms, long signedAt) {}
    record BaleLabel(String key, byte[] rendered, long at) {}
    record RelayedTicket(String messageId, String contractId, int netKg, long at) {}

    /** A message whose delivery failed: the original body, its headers and the last error. */
    static final class DeadLetter {
        final String messageId, destination, error;
        final Map<String, String> headers;
        final byte[] body;
        final long firstFailedAt;
        final int attempts;
        DeadLetter(String messageId, String destination, Map<String, String> headers, byte[] body, String error, long firstFailedAt, int attempts) {
            this.messageId = messageId; this.destination = destination; this.headers = headers; this.body = body; this.error = error;
            this.firstFailedAt = firstFailedAt; this.attempts = attempts;
        }
    }

    /** Parked undeliverable messages, listed and replayed by operators from the admin console. */
    static final class DeadLetterStore {
        final LinkedHashMap<String, DeadLetter> parked = new LinkedHashMap<>();
        long parkedTotal, replayed, sweeps;
        void park(DeadLetter d) { parked.put(d.messageId, d); parkedTotal++; }
        /** The fix: redeliver (the ERP is back) and drop every letter parked at or before cutoff. */
        void replayParkedBefore(long cutoff) {
            sweeps++;
            for (Iterator<DeadLetter> it = parked.values().iterator(); it.hasNext(); ) {
                DeadLetter d = it.next();
                if (d.firstFailedAt > cutoff) break; // insertion order = failure order
                it.remove();
                replayed++;
            }
        }
    }

    static final class LabelCache extends LinkedHashMap<String, BaleLabel> {
        long evicted;
        LabelCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, BaleLabel> e) { if (size() > LABEL_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Variety> VARIETIES_BY_CODE = new HashMap<>();

    static final class RelayService {
        final Map<String, Contract> contracts = new HashMap<>();
        final LabelCache labels = new LabelCache();
        final ArrayDeque<byte[]> sendBuffers = new ArrayDeque<>();
        final RelayedTicket[] recent = new RelayedTicket[RING];
        long relayed, failed;
        final DeadLetterStore deadLetters = new DeadLetterStore();
    }

    static RelayService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val44.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int messages = MESSAGES_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(44_010_001);
        String[] varietyCodes = new String[VARIETIES];
        String[] names = {"Cascade", "Fuggle", "Saaz", "Hallertau", "Goldings", "Citra", "Nugget", "Centennial", "Perle", "Magnum"};
        for (int v = 0; v < VARIETIES; v++) {
            double[] alpha = new double[64];
            for (int k = 0; k < alpha.length; k++) alpha[k] = 2 + rnd.nextDouble() * 14;
            varietyCodes[v] = "HOP-" + (3_000 + v);
            VARIETIES_BY_CODE.put(varietyCodes[v], new Variety(varietyCodes[v], names[v % names.length] + " lot " + (v / names.length), alpha));
        }
        String[] farms = new String[FARMS];
        for (int f = 0; f < FARMS; f++) farms[f] = "Farm " + (f + 1) + " (Yakima " + (char) ('A' + f % 6) + ")";
        RelayService svc = new RelayService();
        SERVICE = svc;
        String[] contractIds = new String[CONTRACTS];
        for (int c = 0; c < CONTRACTS; c++) {
            contractIds[c] = "GC-" + (810_000 + c);
            svc.contracts.put(contractIds[c], new Contract(contractIds[c], farms[rnd.nextInt(FARMS)], varietyCodes[rnd.nextInt(VARIETIES)],
                    new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(1_800)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.sendBuffers.add(new byte[32_768]);
        Random traffic = new Random(44_010_002);
        long nextSweep = start + 10 * MINUTE;
        for (int i = 0; i < messages; i++) {
            long t = start + (end - MINUTE - start) * i / messages;
            if (FIXED) {
                while (nextSweep <= t) { svc.deadLetters.replayParkedBefore(nextSweep - 5 * MINUTE); nextSweep += 10 * MINUTE; }
            }
            String contractId = contractIds[traffic.nextInt(CONTRACTS)];
            String messageId = "HT-" + (40_000_000 + i);
            int netKg = 80 + traffic.nextInt(60);
            byte[] body = new byte[300 + traffic.nextInt(400)]; // the serialized ticket (JSON)
            byte[] buf = svc.sendBuffers.poll();
            System.arraycopy(body, 0, buf, (i * 7) % (buf.length - body.length), body.length);
            svc.sendBuffers.add(buf);
            if (traffic.nextInt(100) < FAIL_PERCENT) {
                Map<String, String> headers = new HashMap<>();
                headers.put("content-type", "application/json");
                headers.put("x-message-id", messageId);
                headers.put("x-contract", contractId);
                headers.put("x-attempts", "3");
                svc.deadLetters.park(new DeadLetter(messageId, DESTINATION, headers, body,
                        "ERP answered 503 Service Unavailable for POST /harvest/tickets/" + messageId + " after 3 attempts", t, 3));
                svc.failed++;
            } else {
                svc.recent[(int) (svc.relayed++ % RING)] = new RelayedTicket(messageId, contractId, netKg, t);
            }
            if (i % 2 == 0) {
                String key = "label-" + traffic.nextInt(5_000);
                if (svc.labels.get(key) == null) svc.labels.put(key, new BaleLabel(key, new byte[400 + traffic.nextInt(400)], t));
            }
        }
        contractIds = null; varietyCodes = null; farms = null; // main's big locals: dead from here on
        DeadLetterStore dl = svc.deadLetters;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " varieties " + VARIETIES_BY_CODE.size() + " contracts " + svc.contracts.size() + " relayed " + svc.relayed
                + " failed " + svc.failed + " dead letters " + dl.parked.size() + " (parked " + dl.parkedTotal + ", replayed " + dl.replayed + " in " + dl.sweeps + " sweeps) labels "
                + svc.labels.size() + " (evicted " + svc.labels.evicted + ") pool " + svc.sendBuffers.size());
        check(VARIETIES_BY_CODE.size() == VARIETIES && svc.contracts.size() == CONTRACTS, "reference data / directory");
        check(svc.relayed + svc.failed == messages && dl.parkedTotal == svc.failed, "traffic");
        check(svc.failed > messages * (FAIL_PERCENT - 1) / 100 && svc.failed < messages * (FAIL_PERCENT + 1) / 100, "failure rate: " + svc.failed);
        if (FIXED) check(dl.sweeps == hours * 6 - 1 && dl.parked.size() == dl.parkedTotal - dl.replayed && dl.parked.size() < svc.failed / 4, "dead letters replayed: " + dl.parked.size());
        else check(dl.parked.size() == svc.failed && dl.replayed == 0, "dead letters kept: " + dl.parked.size());
        check(svc.labels.size() == LABEL_CAP && svc.labels.evicted > 0, "label cache at cap");
        check(svc.sendBuffers.size() == POOL, "pool");
        check(svc.recent[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
