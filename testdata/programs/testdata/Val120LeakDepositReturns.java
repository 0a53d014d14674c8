// hprofscan-dump: name=val120-leak-depositreturns-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val120-leak-depositreturns-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val120-leak-depositreturns jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val120-leak-depositreturns-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 120 (written blind), LEAK (growth series): the clearing service of a bottle and can
 * deposit-return scheme. Reverse vending machines in supermarkets send one message per return
 * session (the containers' EANs and the deposit paid out); a consumer books them against the
 * store's payout. Store reference data, the container catalogue, the machine directory, an LRU of
 * printed vouchers at its cap, a pool of payout-file buffers, a ring of processed sessions and the
 * current quarter hour's store payouts. A message that fails is put back on an in-memory retry queue
 * and retried once a minute, with no attempt limit: transient clearing-house timeouts recover at the
 * next retry, but a truncated payload never parses, so those messages circle forever and accumulate.
 * Stage 1 / 2 / 3 = 2 / 4 / 8 simulated hours. See VALIDATION120.md.
 */
public final class Val120LeakDepositReturns {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 86_400_000L;
    static final int STORES = 1_100, PRODUCTS = 20_000, MACHINES = 3_000, VOUCHER_CAP = 2_000, POOL = 8, RING = 8_192, PER_MINUTE = 200, MAX_ATTEMPTS = 5;
    static boolean FIXED;

    record Store(String code, String chain, String postcode, double[] returnsByWeek) {}
    record ContainerProduct(String ean, String brand, String material, int volumeMl, int depositCents, byte[] shapeSignature) {}
    record Voucher(String key, byte[] rendered, long at) {}
    record ProcessedSession(String messageId, String machineId, int containers, int depositCents, long at) {}

    static final class Machine {
        final String id; final String storeCode; final String model; final String firmware; final long installedAt; long lastMessageAt;
        Machine(String id, String storeCode, String model, String firmware, long installedAt) { this.id = id; this.storeCode = storeCode; this.model = model; this.firmware = firmware; this.installedAt = installedAt; }
    }

    static final class StorePayout {
        final String storeCode; long cents; int sessions;
        StorePayout(String storeCode) { this.storeCode = storeCode; }
    }

    /** One return-session message as received from the broker. */
    static final class ReturnMessage {
        final String messageId; final String machineId; final String storeCode; final long receivedAt; final byte[] payload; final int containers;
        int attempts; long lastAttemptAt; String lastError;
        ReturnMessage(String messageId, String machineId, String storeCode, long receivedAt, byte[] payload, int containers) { this.messageId = messageId; this.machineId = machineId; this.storeCode = storeCode; this.receivedAt = receivedAt; this.payload = payload; this.containers = containers; }
    }

    static final class ClearingTimeout extends RuntimeException { ClearingTimeout(String m) { super(m, null, false, false); } }
    static final class MalformedPayload extends RuntimeException { MalformedPayload(String m) { super(m, null, false, false); } }

    static final class VoucherCache extends LinkedHashMap<String, Voucher> {
        long evicted;
        VoucherCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Voucher> e) { if (size() > VOUCHER_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Store> STORES_BY_CODE = new HashMap<>();

    static final class ClearingService {
        final Map<String, ContainerProduct> catalogue = new HashMap<>();
        final String[] eans = new String[PRODUCTS];
        final Map<String, Machine> machines = new HashMap<>();
        final Machine[] machineList = new Machine[MACHINES];
        final VoucherCache vouchers = new VoucherCache();
        final ArrayDeque<byte[]> payoutBuffers = new ArrayDeque<>();
        final ProcessedSession[] recent = new ProcessedSession[RING];
        final Map<String, StorePayout> pendingPayouts = new HashMap<>();
        final ReturnConsumer consumer = new ReturnConsumer(this);
        long processed, payoutFiles, payoutsSent;

        void book(ReturnMessage m, Random r, long t) {
            int cents = 0;
            for (int k = 0; k < m.containers; k++) cents += catalogue.get(eans[(int) ((m.payload.length * 31L + k * 7_919L) % PRODUCTS)]).depositCents();
            machines.get(m.machineId).lastMessageAt = t;
            pendingPayouts.computeIfAbsent(m.storeCode, StorePayout::new).cents += cents;
            pendingPayouts.get(m.storeCode).sessions++;
            recent[(int) (processed++ % RING)] = new ProcessedSession(m.messageId, m.machineId, m.containers, cents, t);
            String key = "V-" + r.nextInt(40_000);
            if (vouchers.get(key) == null) vouchers.put(key, new Voucher(key, new byte[400 + r.nextInt(400)], t));
        }

        void flushPayouts(long t) {
            byte[] buf = payoutBuffers.poll();
            for (StorePayout p : pendingPayouts.values()) { buf[(int) (p.cents % buf.length)] = (byte) p.sessions; payoutsSent++; }
            payoutBuffers.add(buf);
            pendingPayouts.clear();
            payoutFiles++;
        }
    }

    /** Consumes the return-session topic; failed messages go back on an in-memory retry queue. */
    static final class ReturnConsumer {
        final ClearingService svc;
        final ArrayDeque<ReturnMessage> retryQueue = new ArrayDeque<>();
        long received, failedFirst, retries, recovered, malformedSeen, deadLettered;
        ReturnConsumer(ClearingService svc) { this.svc = svc; }

        void process(ReturnMessage m, Random r, long t) {
            m.attempts++;
            m.lastAttemptAt = t;
            byte[] p = m.payload;
            if (p[0] != '{' || p[p.length - 1] != '}') throw new MalformedPayload("truncated payload of " + m.messageId + ": " + p.length + " bytes, " + m.containers + " containers declared");
            if (r.nextInt(100) < (m.attempts == 1 ? 4 : 10)) throw new ClearingTimeout("clearing house timeout after 3000 ms for " + m.storeCode);
            svc.book(m, r, t);
        }

        void onMessage(ReturnMessage m, Random r, long t) {
            received++;
            try {
                process(m, r, t);
            } catch (ClearingTimeout | MalformedPayload e) {
                failedFirst++;
                if (e instanceof MalformedPayload) malformedSeen++;
                m.lastError = e.getMessage();
                retryQueue.addLast(m);
            }
        }

        /** Once a minute: every queued message gets one more attempt. */
        void retryPass(Random r, long t) {
            int n = retryQueue.size();
            for (int i = 0; i < n; i++) {
                ReturnMessage m = retryQueue.pollFirst();
                retries++;
                try {
                    process(m, r, t);
                    recovered++;
                } catch (ClearingTimeout | MalformedPayload e) {
                    m.lastError = e.getMessage();
                    if (FIXED && m.attempts >= MAX_ATTEMPTS) { deadLettered++; continue; } // the fix: to the dead-letter topic
                    retryQueue.addLast(m);
                }
            }
        }
    }

    static ClearingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void expect(long actual, long expected, String what) { if (actual != expected) throw new IllegalStateException("unexpected " + what + ": " + actual + ", the truth table says " + expected); }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(120_020_001);
        String[] storeCodes = new String[STORES];
        String[] chains = {"Co-op", "Tesco", "Lidl", "Aldi", "Spar", "Sainsbury's", "Morrisons"};
        for (int s = 0; s < STORES; s++) {
            double[] weekly = new double[56];
            for (int k = 0; k < weekly.length; k++) weekly[k] = rnd.nextDouble() * 40_000;
            storeCodes[s] = "ST" + (41_000 + s * 3);
            STORES_BY_CODE.put(storeCodes[s], new Store(storeCodes[s], chains[s % chains.length], "EH" + (1 + s % 50) + " " + (s % 9) + (char) ('A' + s % 26) + (char) ('A' + s / 26 % 26), weekly));
        }
        ClearingService svc = new ClearingService();
        SERVICE = svc;
        String[] materials = {"PET", "ALU", "GLASS", "STEEL"};
        for (int i = 0; i < PRODUCTS; i++) {
            String ean = Long.toString(5_010_000_000_000L + i * 10_007L);
            svc.eans[i] = ean;
            svc.catalogue.put(ean, new ContainerProduct(ean, "Brand " + (i % 700), materials[rnd.nextInt(4)], 250 + 50 * rnd.nextInt(40), 10 + 10 * rnd.nextInt(3), new byte[150 + rnd.nextInt(150)]));
        }
        for (int i = 0; i < MACHINES; i++) {
            String id = "RVM-" + (880_000 + i);
            Machine m = new Machine(id, storeCodes[rnd.nextInt(STORES)], i % 3 == 0 ? "T-820" : "H11", "fw-3." + rnd.nextInt(9) + "." + rnd.nextInt(20), now - (long) (30 + rnd.nextInt(1_500)) * DAY);
            svc.machines.put(id, m);
            svc.machineList[i] = m;
        }
        for (int b = 0; b < POOL; b++) svc.payoutBuffers.add(new byte[32_768]);
        Random traffic = new Random(120_020_002), outcomes = new Random(120_020_003);
        int minutes = hours * 60;
        long seq = 0;
        for (int mi = 0; mi < minutes; mi++) {
            long t = start + mi * MINUTE;
            svc.consumer.retryPass(outcomes, t);
            for (int k = 0; k < PER_MINUTE; k++) {
                long at = t + k * 300L;
                Machine machine = svc.machineList[traffic.nextInt(MACHINES)];
                int containers = 5 + traffic.nextInt(76);
                byte[] payload = new byte[1_500 + traffic.nextInt(3_000)];
                boolean truncated = traffic.nextInt(1_000) < 20; // firmware bug: the upload is cut off
                payload[0] = '{';
                payload[payload.length - 1] = truncated ? (byte) '"' : (byte) '}';
                ReturnMessage m = new ReturnMessage("rvm-" + Long.toHexString(0x7a10_0000_0000L + seq++), machine.id, machine.storeCode, at, payload, containers);
                svc.consumer.onMessage(m, outcomes, at);
            }
            if (mi % 15 == 7) svc.flushPayouts(t + 59_000L); // a payout file every 15 minutes
        }
    }

    static int malformedQueued() {
        int n = 0;
        for (ReturnMessage m : SERVICE.consumer.retryQueue) if (m.payload[m.payload.length - 1] != '}') n++;
        return n;
    }

    static long queuedPayloadBytes() {
        long n = 0;
        for (ReturnMessage m : SERVICE.consumer.retryQueue) n += m.payload.length;
        return n;
    }

    static int maxAttempts() {
        int n = 0;
        for (ReturnMessage m : SERVICE.consumer.retryQueue) n = Math.max(n, m.attempts);
        return n;
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val120.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        simulate(hours);
        System.out.println(report(stage));
        verify(hours);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static String report(int stage) {
        ClearingService svc = SERVICE;
        ReturnConsumer c = svc.consumer;
        return (FIXED ? "FIXED " : "") + "stage " + stage + " stores " + STORES_BY_CODE.size() + " products " + svc.catalogue.size() + " machines " + svc.machines.size() + " received " + c.received + " processed " + svc.processed
                + " failed-first " + c.failedFirst + " malformed " + c.malformedSeen + " retries " + c.retries + " recovered " + c.recovered + " dead-lettered " + c.deadLettered + " retry-queue " + c.retryQueue.size()
                + " (malformed " + malformedQueued() + ", payload bytes " + queuedPayloadBytes() + ", max attempts " + maxAttempts() + ") vouchers " + svc.vouchers.size() + " (evicted " + svc.vouchers.evicted + ") pool " + svc.payoutBuffers.size()
                + " payout files " + svc.payoutFiles + " payouts " + svc.payoutsSent + " pending " + svc.pendingPayouts.size();
    }

    static void verify(int hours) {
        ClearingService svc = SERVICE;
        ReturnConsumer c = svc.consumer;
        check(STORES_BY_CODE.size() == STORES && svc.catalogue.size() == PRODUCTS && svc.machines.size() == MACHINES, "reference data / directories");
        check(c.received == (long) PER_MINUTE * 60 * hours, "messages");
        check(svc.processed + c.retryQueue.size() + c.deadLettered == c.received, "every message booked, queued or dead-lettered");
        check(FIXED ? malformedQueued() <= 20 * 5 : malformedQueued() == c.malformedSeen, "malformed messages in the retry queue");
        check(svc.vouchers.size() == VOUCHER_CAP && svc.vouchers.evicted > 0, "voucher cache at cap");
        check(svc.payoutBuffers.size() == POOL, "pool");
        check(svc.recent[RING - 1] != null, "ring");
        int stage = hours == 2 ? 0 : hours == 4 ? 1 : 2;
        expect(c.malformedSeen, new long[] {467, 956, 1_891}[stage], "malformed messages received");
        expect(svc.pendingPayouts.size(), new long[] {698, 687, FIXED ? 678 : 679}[stage], "stores with a pending payout");
        if (!FIXED) {
            expect(c.retryQueue.size(), new long[] {476, 963, 1_902}[stage], "retry queue");
            expect(malformedQueued(), new long[] {467, 956, 1_891}[stage], "malformed messages in the retry queue");
            expect(svc.processed, new long[] {23_524, 47_037, 94_098}[stage], "sessions booked");
            expect(queuedPayloadBytes(), new long[] {1_412_912, 2_889_629, 5_731_673}[stage], "payload bytes in the retry queue");
            expect(svc.vouchers.evicted, new long[] {20_442, 42_741, 87_520}[stage], "vouchers evicted");
        } else {
            expect(c.retryQueue.size(), new long[] {19, 21, 26}[stage], "retry queue (fixed)");
            expect(c.deadLettered, new long[] {458, 943, 1_878}[stage], "dead-lettered (fixed)");
        }
    }
}
