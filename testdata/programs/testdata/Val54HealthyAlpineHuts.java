// hprofscan-dump: name=val54-healthy-alpinehuts jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val54-healthy-alpinehuts-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Validation set 54 (written blind), HEALTHY: the reservation service of an alpine club's mountain
 * huts. Hut reference data, the guest directory, a cache of rendered route-condition pages at its
 * cap, a ring of hut check-ins, a pool of voucher-printer buffers, one shared import executor (a
 * single daemon thread created once; each imported batch of partner bookings is validated on it
 * and dropped afterwards, only a small summary ring remains), and a memo of night quotes keyed by
 * (hut, weekday) only (bounded by the huts on sale). See VALIDATION54.md.
 */
public final class Val54HealthyAlpineHuts {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int HUTS = 900, GUESTS = 28_000, PAGE_CAP = 2_000, POOL = 10, RING = 16_384, JOB_RING = 64, HOURS = 10, EVENTS_PER_HOUR = 5_000, HUTS_ON_SALE = 200;

    record Hut(String code, String range, double[] occupancyByWeek) {}
    record Guest(String guestId, String club, byte[] emergencyContact, long joinedAt) {}
    record ConditionsPage(String key, byte[] rendered, long at) {}
    record CheckIn(String guestId, String hutCode, int bunks, long at) {}
    record NightQuote(String hutCode, int weekday, int[] priceByPartySize, long at) {}
    record PartnerBooking(String bookingRef, String guestId, String hutCode, long night, byte[] notes) {}
    record ImportSummary(String batchId, int bookings, int rejected, long at) {}

    static final class PageCache extends LinkedHashMap<String, ConditionsPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ConditionsPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Hut> HUTS_BY_CODE = new HashMap<>();

    static final class HutService {
        final Map<String, Guest> guests = new HashMap<>();
        final PageCache pages = new PageCache();
        final CheckIn[] checkIns = new CheckIn[RING];
        long checkInCount;
        final ArrayDeque<byte[]> voucherBuffers = new ArrayDeque<>();
        final ExecutorService importer = Executors.newSingleThreadExecutor(r -> { Thread th = new Thread(r, "partner-import"); th.setDaemon(true); return th; });
        final ImportSummary[] imports = new ImportSummary[JOB_RING];
        long batches, bookingsImported;
        final Map<String, NightQuote> quotes = new HashMap<>();
        long quoteLookups;

        void importBatch(String batchId, List<PartnerBooking> batch, long t) throws Exception {
            int rejected = importer.submit(() -> {
                int bad = 0;
                for (PartnerBooking b : batch) if (!HUTS_BY_CODE.containsKey(b.hutCode()) || !guests.containsKey(b.guestId())) bad++;
                return bad;
            }).get();
            imports[(int) (batches++ % JOB_RING)] = new ImportSummary(batchId, batch.size(), rejected, t);
            bookingsImported += batch.size();
        }
        NightQuote quote(String hutCode, int weekday, long t, Random r) {
            quoteLookups++;
            return quotes.computeIfAbsent(hutCode + "/" + weekday, k -> {
                int[] prices = new int[12];
                for (int p = 0; p < prices.length; p++) prices[p] = 3_000 + r.nextInt(5_000);
                return new NightQuote(hutCode, weekday, prices, t);
            });
        }
    }

    static HutService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(54_060_001);
        String[] hutCodes = new String[HUTS];
        for (int h = 0; h < HUTS; h++) {
            double[] occupancy = new double[96];
            for (int k = 0; k < occupancy.length; k++) occupancy[k] = rnd.nextDouble();
            String code = "HUT-" + (200 + h);
            hutCodes[h] = code;
            HUTS_BY_CODE.put(code, new Hut(code, "Range " + (h % 35), occupancy));
        }
        HutService svc = new HutService();
        SERVICE = svc;
        String[] guestIds = new String[GUESTS];
        for (int g = 0; g < GUESTS; g++) {
            String id = "G" + (4_400_000 + g);
            guestIds[g] = id;
            svc.guests.put(id, new Guest(id, "Section " + (g % 120), new byte[180 + rnd.nextInt(180)], now - (long) (1 + rnd.nextInt(4_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.voucherBuffers.add(new byte[32_768]);
        Random traffic = new Random(54_060_002);
        int events = HOURS * EVENTS_PER_HOUR;
        int batches = 0, bookings = 0;
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            String guest = guestIds[traffic.nextInt(GUESTS)];
            String hut = hutCodes[traffic.nextInt(HUTS)];
            svc.checkIns[(int) (svc.checkInCount++ % RING)] = new CheckIn(guest, hut, 1 + traffic.nextInt(6), t);
            String key = "cond-" + hutCodes[traffic.nextInt(HUTS)] + "-" + traffic.nextInt(8);
            if (svc.pages.get(key) == null) svc.pages.put(key, new ConditionsPage(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.voucherBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.voucherBuffers.add(buf);
            if (i % 2 == 0) svc.quote(hutCodes[traffic.nextInt(HUTS_ON_SALE)], traffic.nextInt(7), t, traffic);
            if (i % 250 == 0) {
                List<PartnerBooking> batch = new ArrayList<>();
                int n = 50 + traffic.nextInt(100);
                for (int k = 0; k < n; k++) batch.add(new PartnerBooking("PB" + (bookings++), guestIds[traffic.nextInt(GUESTS)], hutCodes[traffic.nextInt(HUTS)], t + (1 + traffic.nextInt(90)) * 24 * HOUR, new byte[100 + traffic.nextInt(100)]));
                svc.importBatch("batch-" + (20_000 + batches++), batch, t);
            }
        }
        int importThreads = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) if (th.getName().equals("partner-import") && th.isAlive()) importThreads++;
        System.out.println("huts " + HUTS_BY_CODE.size() + " guests " + svc.guests.size() + " check-ins " + svc.checkInCount + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.voucherBuffers.size()
                + " batches " + svc.batches + " bookings imported " + svc.bookingsImported + " import threads " + importThreads + " quotes " + svc.quotes.size() + " (lookups " + svc.quoteLookups + ")");
        check(HUTS_BY_CODE.size() == HUTS && svc.guests.size() == GUESTS, "reference data / directory");
        check(svc.checkInCount == events && svc.checkIns[RING - 1] != null, "ring");
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.voucherBuffers.size() == POOL, "pool");
        check(svc.batches == batches && batches == events / 250 && svc.bookingsImported == bookings && importThreads == 1 && svc.imports[JOB_RING - 1] != null, "imports on one shared thread");
        check(svc.quotes.size() == HUTS_ON_SALE * 7, "quote memo bounded by huts x weekdays: " + svc.quotes.size());
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
