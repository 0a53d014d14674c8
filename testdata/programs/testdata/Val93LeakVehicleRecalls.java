// hprofscan-dump: name=val93-leak-vehiclerecalls jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val93-leak-vehiclerecalls-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 93 (written blind), LEAK: the recall-lookup service of a car dealer network. Model
 * reference data, the dealer directory, a cache of rendered VIN lookups at its cap, a pool of
 * notice-letter buffers, a ring of recent lookups, and three nightly import jobs (one per
 * manufacturer feed, created at startup and reused every night) that load new recall campaigns and
 * the affected vehicles in chunks of 500 through a persistence session. The session flushes its
 * insert queue at every chunk commit, but is never cleared: its identity map (EntityKey -> managed
 * entity) keeps every record ever imported. See VALIDATION93.md.
 */
public final class Val93LeakVehicleRecalls {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int MODELS = 1_200, DEALERS = 20_000, LOOKUP_CAP = 2_000, POOL = 8, RING = 16_384, NIGHTS = 4, CHUNK = 500,
            CAMPAIGNS_PER_NIGHT = 8, VEHICLES_PER_CAMPAIGN = 250, LOOKUPS = 50_000;
    static final String[] SOURCES = {"feed-halvorsen-motors", "feed-kestrel-automotive", "feed-marrow-trucks"};
    static boolean FIXED;

    record VehicleModel(String code, String make, double[] defectRateByMonth) {}
    record Dealer(String code, String city, byte[] profile, long joinedAt) {}
    record VinLookup(String key, byte[] rendered, long at) {}
    record LookupEvent(String vin, String dealerCode, int openRecalls, long at) {}
    /** Primary key of a managed entity: entity name and surrogate id. */
    record EntityKey(String entity, long id) {}

    /** Entity: a recall campaign of a manufacturer. */
    static final class RecallCampaign {
        final long id; final String campaignNumber, source, component; String remedy; byte[] bulletin; long issuedAt, importedAt;
        RecallCampaign(long id, String campaignNumber, String source, String component) { this.id = id; this.campaignNumber = campaignNumber; this.source = source; this.component = component; }
    }

    /** Entity: one vehicle affected by a campaign. */
    static final class AffectedVehicle {
        final long id; final String vin; final long campaignId; String modelCode, dealerCode, status; int modelYear; byte[] notes; long importedAt;
        AffectedVehicle(long id, String vin, long campaignId) { this.id = id; this.vin = vin; this.campaignId = campaignId; }
    }

    /** Persistence session of one import job: managed entities by key, and the inserts not yet flushed. */
    static final class Session {
        final Map<EntityKey, Object> identityMap = new HashMap<>();
        final List<Object> insertQueue = new ArrayList<>();
        long flushedRows, commits, clears;
        Object find(EntityKey key) { return identityMap.get(key); }
        void persist(EntityKey key, Object entity) {
            identityMap.put(key, entity);
            insertQueue.add(entity);
        }
        /** Flushes the queued inserts and commits. */
        void commit() {
            flushedRows += insertQueue.size();
            insertQueue.clear();
            commits++;
        }
        /** Detaches every managed entity. */
        void clear() {
            identityMap.clear();
            insertQueue.clear();
            clears++;
        }
    }

    /** The nightly import of one manufacturer feed; one per feed, lives as long as the service. */
    static final class ImportJob {
        final String source;
        final Session session = new Session();
        long runs, imported, lastRunAt;
        int maxManaged;
        ImportJob(String source) { this.source = source; }

        void commitChunk() {
            session.commit();
            // BUG: the session is not cleared after the commit: every entity stays managed.
            if (FIXED) session.clear();
        }

        void run(long at, Random feed, long[] ids, String[] modelCodes, String[] dealerCodes) {
            runs++;
            lastRunAt = at;
            int inChunk = 0;
            String[] components = {"AIRBAG INFLATOR", "FUEL PUMP", "BRAKE HOSE", "SEAT BELT PRETENSIONER", "STEERING RACK", "HV BATTERY", "WIPER MOTOR"};
            for (int c = 0; c < CAMPAIGNS_PER_NIGHT; c++) {
                long cid = ids[0]++;
                RecallCampaign campaign = new RecallCampaign(cid, source.substring(5, 8).toUpperCase() + "-" + (24_000 + cid), source, components[feed.nextInt(components.length)]);
                campaign.remedy = "Replace " + campaign.component.toLowerCase() + " (bulletin " + cid + ")";
                campaign.bulletin = new byte[800 + feed.nextInt(800)];
                campaign.issuedAt = at - (long) (1 + feed.nextInt(30)) * DAY;
                campaign.importedAt = at;
                EntityKey ck = new EntityKey("RecallCampaign", cid);
                if (session.find(ck) == null) session.persist(ck, campaign);
                for (int v = 0; v < VEHICLES_PER_CAMPAIGN; v++) {
                    long vid = ids[1]++;
                    AffectedVehicle av = new AffectedVehicle(vid, vin(feed), cid);
                    av.modelCode = modelCodes[feed.nextInt(modelCodes.length)];
                    av.dealerCode = dealerCodes[feed.nextInt(dealerCodes.length)];
                    av.status = "OPEN";
                    av.modelYear = 2014 + feed.nextInt(11);
                    av.notes = new byte[60 + feed.nextInt(60)];
                    av.importedAt = at + (long) v * 400;
                    EntityKey vk = new EntityKey("AffectedVehicle", vid);
                    if (session.find(vk) == null) session.persist(vk, av);
                    imported++;
                    if (++inChunk == CHUNK) { commitChunk(); inChunk = 0; }
                    maxManaged = Math.max(maxManaged, session.identityMap.size());
                }
            }
            if (inChunk > 0) commitChunk();
        }
    }

    static String vin(Random r) {
        String alphabet = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";
        char[] c = new char[17];
        for (int i = 0; i < c.length; i++) c[i] = alphabet.charAt(r.nextInt(alphabet.length()));
        return new String(c);
    }

    static final class LookupCache extends LinkedHashMap<String, VinLookup> {
        long evicted;
        LookupCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, VinLookup> e) { if (size() > LOOKUP_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, VehicleModel> MODELS_BY_CODE = new HashMap<>();

    static final class RecallService {
        final Map<String, Dealer> dealers = new HashMap<>();
        final LookupCache lookups = new LookupCache();
        final ArrayDeque<byte[]> letterBuffers = new ArrayDeque<>();
        final LookupEvent[] recentLookups = new LookupEvent[RING];
        long lookupsServed;
        final Map<String, ImportJob> importJobs = new LinkedHashMap<>();
    }

    static RecallService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val93.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        // the imports start at 02:00 UTC and are done within 30 minutes; the last one is the latest that is done
        long lastNight = end - end % DAY + 2 * HOUR;
        if (lastNight + 30 * MINUTE > end) lastNight -= DAY;
        long start = end - NIGHTS * DAY - HOUR;
        Random rnd = new Random(93_030_001);
        String[] makes = {"Halvorsen", "Kestrel", "Marrow", "Ostrava", "Pellucid"};
        String[] modelCodes = new String[MODELS];
        for (int m = 0; m < MODELS; m++) {
            double[] rate = new double[64];
            for (int k = 0; k < rate.length; k++) rate[k] = rnd.nextDouble() / 100;
            modelCodes[m] = "MDL-" + (4_000 + m);
            MODELS_BY_CODE.put(modelCodes[m], new VehicleModel(modelCodes[m], makes[m % makes.length], rate));
        }
        RecallService svc = new RecallService();
        SERVICE = svc;
        String[] dealerCodes = new String[DEALERS];
        for (int d = 0; d < DEALERS; d++) {
            dealerCodes[d] = "DLR" + (600_000 + d * 11);
            svc.dealers.put(dealerCodes[d], new Dealer(dealerCodes[d], "Town " + (d % 700), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.letterBuffers.add(new byte[32_768]);
        for (String s : SOURCES) svc.importJobs.put(s, new ImportJob(s));
        Random feed = new Random(93_030_002);
        Random traffic = new Random(93_030_003);
        long[] ids = {1_000, 5_000_000};
        long nextNight = lastNight - (NIGHTS - 1) * DAY;
        int nights = 0;
        for (int i = 0; i < LOOKUPS; i++) {
            long t = start + (end - MINUTE - start) * i / LOOKUPS;
            while (nextNight <= t) {
                int s = 0;
                for (ImportJob job : svc.importJobs.values()) job.run(nextNight + (s++) * 9 * MINUTE, feed, ids, modelCodes, dealerCodes);
                nights++;
                nextNight += DAY;
            }
            String vin = vin(traffic);
            String dealer = dealerCodes[traffic.nextInt(DEALERS)];
            svc.recentLookups[(int) (svc.lookupsServed++ % RING)] = new LookupEvent(vin, dealer, traffic.nextInt(3), t);
            String key = "vin-page-" + traffic.nextInt(5_000);
            if (svc.lookups.get(key) == null) svc.lookups.put(key, new VinLookup(key, new byte[400 + traffic.nextInt(400)], t));
            if (i % 4 == 0) {
                byte[] buf = svc.letterBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.letterBuffers.add(buf);
            }
        }
        modelCodes = null; dealerCodes = null; // the id arrays of the simulation are not part of the service
        long managed = 0, flushed = 0, commits = 0, imported = 0, insertQueued = 0;
        int maxManaged = 0;
        for (ImportJob job : svc.importJobs.values()) {
            managed += job.session.identityMap.size();
            flushed += job.session.flushedRows;
            commits += job.session.commits;
            imported += job.imported;
            insertQueued += job.session.insertQueue.size();
            maxManaged = Math.max(maxManaged, job.maxManaged);
        }
        int perJobVehicles = NIGHTS * CAMPAIGNS_PER_NIGHT * VEHICLES_PER_CAMPAIGN, perJobCampaigns = NIGHTS * CAMPAIGNS_PER_NIGHT;
        System.out.println((FIXED ? "FIXED " : "") + "models " + MODELS_BY_CODE.size() + " dealers " + svc.dealers.size() + " nights " + nights + " (last import " + (end - lastNight) / MINUTE + " min ago) jobs " + svc.importJobs.size()
                + " managed entities " + managed + " (max per job " + maxManaged + ", imported vehicles " + imported + ", flushed rows " + flushed + " in " + commits + " commits, queued " + insertQueued + ") lookups " + svc.lookups.size()
                + " (evicted " + svc.lookups.evicted + ") pool " + svc.letterBuffers.size() + " served " + svc.lookupsServed);
        check(MODELS_BY_CODE.size() == MODELS && svc.dealers.size() == DEALERS, "reference data / directory");
        check(nights == NIGHTS && svc.importJobs.size() == SOURCES.length && imported == (long) SOURCES.length * perJobVehicles, "nightly imports");
        check(insertQueued == 0 && flushed == (long) SOURCES.length * (perJobVehicles + perJobCampaigns), "every insert flushed: " + flushed);
        if (FIXED) check(managed == 0 && maxManaged <= CHUNK + CAMPAIGNS_PER_NIGHT, "sessions cleared: " + managed);
        else check(managed == (long) SOURCES.length * (perJobVehicles + perJobCampaigns), "sessions keep every entity: " + managed);
        check(svc.lookups.size() == LOOKUP_CAP && svc.lookups.evicted > 0, "lookup cache at cap");
        check(svc.letterBuffers.size() == POOL, "pool");
        check(svc.lookupsServed == LOOKUPS && svc.recentLookups[RING - 1] != null, "ring");
        LeakCheck.histogram("[I (");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
