// hprofscan-dump: name=val18-leak-smsgateway jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val18-leak-smsgateway-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Validation set 18 (written blind), LEAK: an SMS gateway that takes messages from business
 * senders and submits them to the mobile carriers. Messages are partitioned by recipient over 8
 * single-thread partition workers {@code sms-partition-0..7}. Each worker de-duplicates retried
 * submissions with a per-thread "recently seen" map in the static {@code ThreadLocal}
 * {@code Dedup.RECENT} (idempotency key -> when it was first seen); the bug: the map is meant to
 * hold a 10-minute window but nothing ever removes an entry, so each long-lived worker thread
 * accumulates one entry per message it ever handled. Legitimate beside it, on the same threads:
 * a fixed 16 KiB encoding scratch buffer per thread in the static ThreadLocal
 * {@code Encoder.SCRATCH}. Legitimate, bigger: the carrier prefix routing table, the sender
 * accounts, the opt-out list (reference data), per-sender rate limiters (one per account), the
 * delivery-receipt ring (full, wrapping) and the outbound submit queue. See
 * testdata/VALIDATION18.md.
 */
public final class Val18LeakSmsGateway {
    static final int PREFIXES = 50_000;
    static final int SENDERS = 8_000;
    static final int OPT_OUTS = 60_000;
    static final int PARTITIONS = 8;
    static final int MESSAGES_PER_HOUR = 3_600;
    static final long SIM_HOURS = 10;
    static final int RECEIPT_SLOTS = 8_192;
    static final int SUBMIT_CAP = 4_000;
    static final int SCRATCH_BYTES = 16 * 1024;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DEDUP_WINDOW = 10 * MINUTE;

    static GatewayService GATEWAY;
    static boolean FIXED; // only for measuring: the fixed run evicts entries older than the window

    static final class CarrierRoute { final String prefix; final String carrier; final String smscHost; final int costMicros; final int[] hourlyCapacity;
        CarrierRoute(String prefix, String carrier, String smscHost, int costMicros, int[] hourlyCapacity) { this.prefix = prefix; this.carrier = carrier; this.smscHost = smscHost; this.costMicros = costMicros; this.hourlyCapacity = hourlyCapacity; } }

    /** Reference data: number-range prefix -> carrier route, loaded at startup. */
    static final class RoutingTable {
        static final Map<String, CarrierRoute> BY_PREFIX = new HashMap<>();
    }

    static final class Sender { final String id; final String name; final String callbackUrl; final String[] templates;
        Sender(String id, String name, String callbackUrl, String[] templates) { this.id = id; this.name = name; this.callbackUrl = callbackUrl; this.templates = templates; } }

    static final class TokenBucket { final String senderId; double tokens; long refilledAt; final int perSecond;
        TokenBucket(String senderId, int perSecond, long at) { this.senderId = senderId; this.perSecond = perSecond; this.tokens = perSecond; this.refilledAt = at; } }

    static final class SeenMessage { final String idempotencyKey; final String msisdn; final long firstSeenAt; final byte[] bodyHash;
        SeenMessage(String idempotencyKey, String msisdn, long firstSeenAt, byte[] bodyHash) { this.idempotencyKey = idempotencyKey; this.msisdn = msisdn; this.firstSeenAt = firstSeenAt; this.bodyHash = bodyHash; } }

    /** Per-thread de-duplication of retried submissions. */
    static final class Dedup {
        static final ThreadLocal<LinkedHashMap<String, SeenMessage>> RECENT = ThreadLocal.withInitial(LinkedHashMap::new);
        /** Returns true if the key was seen before on this partition. */
        static boolean seen(String key, String msisdn, long t, byte[] bodyHash) {
            LinkedHashMap<String, SeenMessage> m = RECENT.get();
            if (FIXED) {
                for (Iterator<SeenMessage> it = m.values().iterator(); it.hasNext();) { if (it.next().firstSeenAt < t - DEDUP_WINDOW) it.remove(); else break; }
            }
            // BUG: entries older than DEDUP_WINDOW are never evicted.
            if (m.containsKey(key)) return true;
            m.put(key, new SeenMessage(key, msisdn, t, bodyHash));
            return false;
        }
    }

    /** Per-thread GSM-7 / UCS-2 encoding scratch, fixed size, zeroed per message. */
    static final class Encoder {
        static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[SCRATCH_BYTES]);
        static int encode(String text) {
            byte[] buf = SCRATCH.get();
            Arrays.fill(buf, 0, 1_024, (byte) 0);
            int n = Math.min(text.length(), 1_024);
            for (int i = 0; i < n; i++) buf[i] = (byte) text.charAt(i);
            return n <= 160 ? 1 : (n + 152) / 153;
        }
    }

    static final class Receipt { String messageId; String status; long at; int segments; }

    static final class SubmitPdu { final String messageId; final String smscHost; final String msisdn; final int segments; final long queuedAt;
        SubmitPdu(String messageId, String smscHost, String msisdn, int segments, long queuedAt) { this.messageId = messageId; this.smscHost = smscHost; this.msisdn = msisdn; this.segments = segments; this.queuedAt = queuedAt; } }

    static final class GatewayService {
        final Map<String, Sender> senders = new HashMap<>();
        final Set<String> optOuts = new HashSet<>();
        final Map<String, TokenBucket> limiters = new ConcurrentHashMap<>();
        final Receipt[] receipts = new Receipt[RECEIPT_SLOTS];
        long receiptsWritten;
        final ArrayBlockingQueue<SubmitPdu> submitQueue = new ArrayBlockingQueue<>(SUBMIT_CAP);
        final ExecutorService[] partitions = new ExecutorService[PARTITIONS];
        final Properties config = new Properties();
        long submitted, duplicates, optedOut, sentToSmsc;

        GatewayService() {
            for (int p = 0; p < PARTITIONS; p++) {
                final int n = p;
                partitions[p] = Executors.newSingleThreadExecutor(r -> { Thread t = new Thread(r, "sms-partition-" + n); t.setDaemon(true); return t; });
            }
        }

        /** Runs on the partition thread of the recipient. Returns 0 new, 1 duplicate, 2 opted out. */
        int handle(String senderId, String key, String msisdn, String text, long t, byte[] bodyHash) {
            if (Dedup.seen(key, msisdn, t, bodyHash)) return 1;
            if (optOuts.contains(msisdn)) return 2;
            TokenBucket b = limiters.computeIfAbsent(senderId, s -> new TokenBucket(s, 20, t));
            b.tokens = Math.min(b.perSecond, b.tokens + (t - b.refilledAt) / 1000.0 * b.perSecond) - 1;
            b.refilledAt = t;
            CarrierRoute route = RoutingTable.BY_PREFIX.get(msisdn.substring(0, 8));
            int segments = Encoder.encode(text);
            synchronized (this) {
                submitQueue.add(new SubmitPdu(key, route == null ? "smsc-default" : route.smscHost, msisdn, segments, t));
                int slot = (int) (receiptsWritten++ % RECEIPT_SLOTS);
                Receipt r = receipts[slot];
                if (r == null) { r = new Receipt(); receipts[slot] = r; }
                r.messageId = key; r.status = "ACCEPTED"; r.at = t; r.segments = segments;
            }
            return 0;
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val18.fixed"); // only for measuring the leak's share
        FIXED = fixed;
        long now = System.currentTimeMillis();
        long start = now - SIM_HOURS * HOUR;
        Random rnd = new Random(18_040_004);
        GatewayService svc = new GatewayService();
        GATEWAY = svc;
        for (int i = 0; i < 30; i++) svc.config.setProperty("sms.carrier." + i + ".window", Integer.toString(50 + i * 10));
        String[] carriers = {"NorthTel", "Vodaline", "SkyMobile", "Orbit", "TeleOne", "ZetaNet"};
        for (int i = 0; i < PREFIXES; i++) {
            int[] cap = new int[24];
            for (int k = 0; k < cap.length; k++) cap[k] = 100 + rnd.nextInt(5_000);
            String prefix = "447" + (10_000 + i);
            String carrier = carriers[rnd.nextInt(carriers.length)];
            RoutingTable.BY_PREFIX.put(prefix, new CarrierRoute(prefix, carrier, "smsc-" + carrier.toLowerCase() + "-" + (i % 4) + ".example.net", 800 + rnd.nextInt(4_000), cap));
        }
        for (int i = 0; i < SENDERS; i++) {
            String id = "snd-" + (30_000 + i);
            String[] tpl = new String[2 + rnd.nextInt(4)];
            for (int k = 0; k < tpl.length; k++) tpl[k] = "Your code for " + ("Company " + i) + " is {code}. It expires in " + (5 + k) + " minutes. Do not share it.";
            svc.senders.put(id, new Sender(id, "Company " + i, "https://hooks.company" + i + ".example.com/sms/dlr", tpl));
        }
        while (svc.optOuts.size() < OPT_OUTS) svc.optOuts.add("447" + (100_000_000 + rnd.nextInt(900_000_000)));
        String[] optOutList = svc.optOuts.toArray(new String[0]);
        // Start every partition thread and create its per-thread state.
        List<Future<?>> warm = new ArrayList<>();
        for (ExecutorService p : svc.partitions) warm.add(p.submit(() -> { Encoder.SCRATCH.get(); Dedup.RECENT.get(); return null; }));
        for (Future<?> f : warm) f.get();

        // Messages spread evenly; 1 in 12 is a client retry of an earlier message (same key)
        // within a few minutes. A partition is chosen by the recipient, so a retry reaches the
        // same thread. The SMSC link drains the submit queue every minute.
        int messages = (int) (MESSAGES_PER_HOUR * SIM_HOURS);
        String[] keys = new String[messages];
        String[] msisdns = new String[messages];
        String[] sndOf = new String[messages];
        int[] outcome = new int[3];
        Set<String> distinctKeys = new HashSet<>();
        long nextDrain = start + MINUTE;
        List<Future<Integer>> pending = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            long t = start + (now - start) * i / messages;
            while (nextDrain <= t) {
                for (Future<Integer> f : pending) outcome[f.get()]++;
                pending.clear();
                svc.sentToSmsc += svc.submitQueue.size();
                svc.submitQueue.clear();
                nextDrain += MINUTE;
            }
            String key, msisdn, sender;
            if (i > 200 && rnd.nextInt(12) == 0) {
                int j = i - 1 - rnd.nextInt(200);
                key = keys[j]; msisdn = msisdns[j]; sender = sndOf[j];
            } else {
                key = Long.toHexString(rnd.nextLong()) + "-" + Integer.toHexString(i);
                msisdn = rnd.nextInt(40) == 0 ? optOutList[rnd.nextInt(OPT_OUTS)] : "447" + (100_000_000 + rnd.nextInt(900_000_000));
                sender = "snd-" + (30_000 + rnd.nextInt(SENDERS));
            }
            keys[i] = key; msisdns[i] = msisdn; sndOf[i] = sender;
            distinctKeys.add(key);
            final String k = key, m = msisdn, s = sender;
            final byte[] hash = new byte[20];
            rnd.nextBytes(hash);
            final String text = svc.senders.get(s).templates[0].replace("{code}", Integer.toString(100_000 + rnd.nextInt(900_000)));
            int part = Math.floorMod(m.hashCode(), PARTITIONS);
            pending.add(svc.partitions[part].submit(() -> svc.handle(s, k, m, text, t, hash)));
            svc.submitted++;
        }
        for (Future<Integer> f : pending) outcome[f.get()]++;
        pending.clear();
        // Count the per-thread dedup maps (on the partition threads themselves).
        int[] perThread = new int[PARTITIONS];
        for (int p = 0; p < PARTITIONS; p++) { perThread[p] = svc.partitions[p].submit(() -> Dedup.RECENT.get().size()).get(); }
        int recentTotal = 0;
        for (int n : perThread) recentTotal += n;
        int queued = svc.submitQueue.size();
        System.out.println((fixed ? "FIXED " : "") + "prefixes " + RoutingTable.BY_PREFIX.size() + " senders " + svc.senders.size() + " opt-outs " + svc.optOuts.size() + " messages " + messages + " distinct keys " + distinctKeys.size() + " new " + outcome[0] + " duplicates " + outcome[1] + " opted out " + outcome[2] + " dedup entries " + recentTotal + " per thread " + Arrays.toString(perThread) + " limiters " + svc.limiters.size() + " receipts written " + svc.receiptsWritten + " submit queue " + queued + " sent " + svc.sentToSmsc);
        check(RoutingTable.BY_PREFIX.size() == PREFIXES && svc.senders.size() == SENDERS && svc.optOuts.size() == OPT_OUTS, "reference data");
        check(outcome[0] + outcome[1] + outcome[2] == messages && outcome[1] == messages - distinctKeys.size() && outcome[2] > 0, "outcomes");
        check(fixed ? recentTotal < distinctKeys.size() / 10 : recentTotal == distinctKeys.size(), "dedup maps");
        check(svc.receiptsWritten == outcome[0] && svc.receiptsWritten > RECEIPT_SLOTS, "receipt ring");
        check(queued + svc.sentToSmsc == outcome[0] && queued > 0, "submit queue");
        check(svc.limiters.size() <= SENDERS && svc.limiters.size() > SENDERS * 9 / 10, "limiters");
        keys = null; msisdns = null; sndOf = null; distinctKeys = null; optOutList = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
