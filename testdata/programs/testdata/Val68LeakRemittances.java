// hprofscan-dump: name=val68-leak-remittances jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val68-leak-remittances-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Validation set 68 (written blind), LEAK: the transfer API of a cross-border remittance company.
 * Corridor reference data (FX curves), the beneficiary directory, a cache of rendered FX quotes at
 * its cap, a pool of ISO 20022 encode buffers, a ring of recent transfers, and an IdempotencyStore
 * that remembers every POST /transfers request's Idempotency-Key (a UUID) with a summary of the
 * response, so that a client retry returns the same transfer. Entries carry expiresAt = storedAt +
 * 24 h and the store has a sweepExpired() method, but the sweep is never scheduled: after 48 h the
 * store holds every key ever seen. See VALIDATION68.md.
 */
public final class Val68LeakRemittances {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, TTL = 24 * HOUR;
    static final int CORRIDORS = 1_000, BENEFICIARIES = 24_000, QUOTE_CAP = 2_000, POOL = 8, RING = 16_384, REQUESTS_PER_HOUR = 800, HOURS = 48;
    static boolean FIXED;

    record Corridor(String code, String fromCountry, String toCountry, double[] rateCurve) {}
    record Beneficiary(String id, String corridorCode, String name, byte[] bankDetails, long addedAt) {}
    record Quote(String key, byte[] rendered, long at) {}
    record Transfer(String transferId, String beneficiaryId, long amountMinor, long at) {}

    static final class StoredResponse {
        final UUID key; final int status; final String transferId; final long storedAt, expiresAt; final byte[] summary;
        StoredResponse(UUID key, int status, String transferId, long storedAt, byte[] summary) { this.key = key; this.status = status; this.transferId = transferId; this.storedAt = storedAt; this.expiresAt = storedAt + TTL; this.summary = summary; }
    }

    static final class IdempotencyStore {
        final Map<UUID, StoredResponse> byKey = new HashMap<>();
        long stored, replayed, sweeps, expired;
        StoredResponse lookup(UUID key, long at) { StoredResponse r = byKey.get(key); if (r != null && r.expiresAt > at) { replayed++; return r; } return null; }
        void remember(StoredResponse r) { byKey.put(r.key, r); stored++; }
        /** Meant to run every 10 minutes from the scheduler. */
        void sweepExpired(long at) {
            sweeps++;
            for (Iterator<StoredResponse> it = byKey.values().iterator(); it.hasNext();) if (it.next().expiresAt <= at) { it.remove(); expired++; }
        }
    }

    static final class QuoteCache extends LinkedHashMap<String, Quote> {
        long evicted;
        QuoteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Quote> e) { if (size() > QUOTE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Corridor> CORRIDORS_BY_CODE = new HashMap<>();

    static final class TransferApi {
        final Map<String, Beneficiary> beneficiaries = new HashMap<>();
        final QuoteCache quotes = new QuoteCache();
        final ArrayDeque<byte[]> encodeBuffers = new ArrayDeque<>();
        final Transfer[] recent = new Transfer[RING];
        long transfers;
        final IdempotencyStore idempotency = new IdempotencyStore();
        boolean sweepScheduled;
    }

    static TransferApi SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static UUID randomUuid(Random r) {
        long hi = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lo = (r.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(hi, lo);
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val68.fixed");
        int requests = REQUESTS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long last = end - MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(68_030_001);
        String[] countries = {"GB", "US", "DE", "PH", "IN", "MX", "NG", "KE", "PL", "VN", "PK", "BD", "FR", "ES", "CO", "GH"};
        String[] corridorCodes = new String[CORRIDORS];
        for (int c = 0; c < CORRIDORS; c++) {
            double[] curve = new double[96];
            for (int k = 0; k < curve.length; k++) curve[k] = 0.5 + rnd.nextDouble();
            corridorCodes[c] = "COR-" + (10_000 + c);
            CORRIDORS_BY_CODE.put(corridorCodes[c], new Corridor(corridorCodes[c], countries[c % 16], countries[(c / 16 + 1 + c) % 16], curve));
        }
        TransferApi api = new TransferApi();
        SERVICE = api;
        api.sweepScheduled = FIXED; // BUG: scheduleSweeps() is never called at startup
        String[] beneficiaryIds = new String[BENEFICIARIES];
        for (int b = 0; b < BENEFICIARIES; b++) {
            beneficiaryIds[b] = "BEN-" + (3_000_000 + b * 3);
            api.beneficiaries.put(beneficiaryIds[b], new Beneficiary(beneficiaryIds[b], corridorCodes[rnd.nextInt(CORRIDORS)], "Beneficiary " + b, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(900)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) api.encodeBuffers.add(new byte[32_768]);
        Random traffic = new Random(68_030_002);
        UUID[] recentKeys = new UUID[64];
        long nextSweep = start + 10 * MINUTE;
        int retries = 0;
        for (int i = 0; i < requests; i++) {
            long t = start + (last - start) * i / requests;
            while (nextSweep <= t) { if (api.sweepScheduled) api.idempotency.sweepExpired(nextSweep); nextSweep += 10 * MINUTE; }
            boolean retry = i >= 64 && traffic.nextInt(20) == 0; // a client retries a request of the last few minutes
            UUID key = retry ? recentKeys[traffic.nextInt(64)] : randomUuid(traffic);
            if (retry) {
                retries++;
                check(api.idempotency.lookup(key, t) != null, "retry finds its stored response");
                continue;
            }
            recentKeys[i % 64] = key;
            String ben = beneficiaryIds[traffic.nextInt(BENEFICIARIES)];
            String transferId = "TRF" + (700_000_000L + i);
            long amount = 1_000 + traffic.nextInt(250_000);
            api.recent[(int) (api.transfers++ % RING)] = new Transfer(transferId, ben, amount, t);
            api.idempotency.remember(new StoredResponse(key, 201, transferId, t, new byte[60 + traffic.nextInt(60)]));
            String qk = "q-" + traffic.nextInt(5_000);
            if (api.quotes.get(qk) == null) api.quotes.put(qk, new Quote(qk, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = api.encodeBuffers.poll();
            buf[i % buf.length] = (byte) i;
            api.encodeBuffers.add(buf);
        }
        IdempotencyStore st = api.idempotency;
        int live = 0;
        for (StoredResponse r : st.byKey.values()) if (r.expiresAt > last) live++;
        System.out.println((FIXED ? "FIXED " : "") + "corridors " + CORRIDORS_BY_CODE.size() + " beneficiaries " + api.beneficiaries.size() + " keys " + st.byKey.size() + " (unexpired " + live + ", stored " + st.stored + ", replayed " + st.replayed + ", retries " + retries
                + ", sweeps " + st.sweeps + ", expired " + st.expired + ") quotes " + api.quotes.size() + " (evicted " + api.quotes.evicted + ") pool " + api.encodeBuffers.size() + " transfers " + api.transfers);
        check(CORRIDORS_BY_CODE.size() == CORRIDORS && api.beneficiaries.size() == BENEFICIARIES, "reference data / directory");
        check(st.stored == api.transfers && st.replayed == retries && st.stored + retries == requests, "requests");
        if (FIXED) check(st.sweeps == HOURS * 6 - 1 && st.byKey.size() == st.stored - st.expired && st.byKey.size() < live + REQUESTS_PER_HOUR / 4, "swept store");
        else check(st.sweeps == 0 && st.byKey.size() == st.stored && live < st.stored / 2 + REQUESTS_PER_HOUR, "store keeps every key: " + st.byKey.size());
        check(api.quotes.size() == QUOTE_CAP && api.quotes.evicted > 0, "quote cache at cap");
        check(api.encodeBuffers.size() == POOL, "pool");
        check(api.transfers > RING && api.recent[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
