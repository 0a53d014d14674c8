// hprofscan-dump: name=val43-healthy-plasterers jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val43-healthy-plasterers-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Validation set 43 (written blind), HEALTHY: the estimating and job service of a plastering contractor
 * (lime and gypsum plastering, run cornices, ceiling roses and fibrous mouldings). Plaster-mix
 * reference data, the client directory, a size-capped LRU of mould profiles at its capacity (2,000), a
 * ring buffer of site-diary entries, a large pool of 320 render buffers (16 KiB each) borrowed per
 * estimate and returned, the jobs booked or on site, and the look-alikes of set 43's leaks done right: an
 * export journal (a ByteArrayOutputStream preallocated to 512 KiB) sent to the accounts system every 5
 * minutes and reset after every send, six system properties set once at startup, a notification hub
 * whose per-session outboxes are removed with their estimate sessions, and a lime and gypsum price feed
 * whose subscriptions are removed by the handle kept at subscribe time. No leak. No thread besides main.
 * See VALIDATION43.md.
 */
public final class Val43HealthyPlasterers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int MIXES = 500, CLIENTS = 14_000, MOULD_CAP = 2_000, MOULDS = 6_000, DIARY = 4_096, RENDER_POOL = 320, FLUSH_MINUTES = 5, JOURNAL_INITIAL = 512 * 1_024, HOURS = 10;
    static final String[] TRADES = {"lime render", "gypsum skim", "run cornice", "ceiling rose", "fibrous moulding", "lath and plaster", "Venetian polish", "dry lining"};
    static final String[] NOTICE_KINDS = {"estimate-ready", "survey-booked", "price-changed", "plasterer-assigned", "job-started", "snagging"};

    record PlasterMix(String code, String binder, double[] setCurve) {}
    record Client(String id, String name, byte[] notes, long since) {}
    record MouldProfile(String code, byte[] profile, long drawnAt) {}
    record DiaryEntry(String jobId, String plasterer, String text, long at) {}
    record Job(String jobId, Client client, String trade, String mixCode, int squareMetres, int priceCents, long bookedAt, long dueAt) {}
    record Notice(String noticeId, String jobId, String kind, byte[] payload, long at) {}
    record PriceTick(String mixCode, int pricePerTonneCents, long at) {}

    /** Export of booked jobs to the accounts system every 5 minutes; the buffer is reset after each send. */
    static final class ExportJournal {
        final ByteArrayOutputStream buffer = new ByteArrayOutputStream(JOURNAL_INITIAL);
        long records, flushes, bytesSent, peak;
        void append(byte[] line) { buffer.write(line, 0, line.length); records++; peak = Math.max(peak, buffer.size()); }
        void flushToAccounts() { bytesSent += buffer.toByteArray().length; flushes++; buffer.reset(); }
    }

    static final class NotificationHub {
        final ConcurrentHashMap<String, EstimateSession> sessions = new ConcurrentHashMap<>();
        final ConcurrentHashMap<String, ArrayDeque<Notice>> outboxes = new ConcurrentHashMap<>();
        long published, delivered, dropped, ended;
        void openSession(EstimateSession s) { sessions.put(s.sessionId, s); outboxes.put(s.sessionId, new ArrayDeque<>()); }
        void publish(String sessionId, Notice n) { ArrayDeque<Notice> q = outboxes.get(sessionId); if (q != null) { q.add(n); published++; } }
        void poll(String sessionId) { ArrayDeque<Notice> q = outboxes.get(sessionId); while (q.poll() != null) delivered++; }
        void endSession(String sessionId) { sessions.remove(sessionId); dropped += outboxes.remove(sessionId).size(); ended++; }
    }

    static final class PriceFeed {
        final CopyOnWriteArrayList<Consumer<PriceTick>> subscribers = new CopyOnWriteArrayList<>();
        long ticks;
        Consumer<PriceTick> subscribe(Consumer<PriceTick> c) { subscribers.add(c); return c; }
        boolean unsubscribe(Consumer<PriceTick> handle) { return subscribers.remove(handle); }
        void publish(PriceTick t) { ticks++; for (Consumer<PriceTick> c : subscribers) c.accept(t); }
    }

    /** A client's estimate being drafted (online), repriced when its mix's price moves. */
    static final class EstimateSession {
        final String sessionId, clientId, mixCode;
        final byte[] draft;
        final long openedAt;
        Consumer<PriceTick> subscription;
        int repricings;
        EstimateSession(String sessionId, String clientId, String mixCode, byte[] draft, long openedAt) { this.sessionId = sessionId; this.clientId = clientId; this.mixCode = mixCode; this.draft = draft; this.openedAt = openedAt; }
        void onTick(PriceTick t) { if (t.mixCode().equals(mixCode)) draft[++repricings % draft.length] = (byte) t.pricePerTonneCents(); }
    }

    static final class MouldCache extends LinkedHashMap<String, MouldProfile> {
        long evicted;
        MouldCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, MouldProfile> e) { if (size() > MOULD_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, PlasterMix> MIXES_BY_CODE = new HashMap<>();

    static final class EstimatingService {
        final Map<String, Client> clients = new HashMap<>();
        final MouldCache mouldProfiles = new MouldCache();
        final DiaryEntry[] siteDiary = new DiaryEntry[DIARY];
        final ArrayDeque<byte[]> renderPool = new ArrayDeque<>();
        final Map<String, Job> openJobs = new HashMap<>();
        final ExportJournal journal = new ExportJournal();
        final NotificationHub hub = new NotificationHub();
        final PriceFeed feed = new PriceFeed();
        long diaryWritten, mouldLoads;

        MouldProfile mould(int m, long at) {
            String code = "MP-" + (10_000 + m);
            MouldProfile mp = mouldProfiles.get(code);
            if (mp == null) {
                Random r = new Random(43_060_100L + m);
                mp = new MouldProfile(code, new byte[1_000 + r.nextInt(1_000)], at - (long) (10 + r.nextInt(9_000)) * DAY);
                mouldProfiles.put(code, mp);
                mouldLoads++;
            }
            return mp;
        }

        static byte[] exportRecord(Job j, int length) {
            StringBuilder sb = new StringBuilder(length);
            sb.append("JOB|").append(j.jobId()).append('|').append(j.client().id()).append('|').append(j.trade()).append('|').append(j.mixCode()).append("|m2=").append(j.squareMetres())
                    .append("|price=").append(j.priceCents()).append("|booked=").append(j.bookedAt()).append("|due=").append(j.dueAt()).append("|note=");
            String filler = " scaffold by others, dust sheets and protection included, two coats plus finish;";
            while (sb.length() < length - 1) sb.append(filler, 0, Math.min(filler.length(), length - 1 - sb.length()));
            sb.append('\n');
            return sb.toString().getBytes(StandardCharsets.US_ASCII);
        }
    }

    static EstimatingService SERVICE;

    record Visitor(String sessionId, long endsAt) {}

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long jdkProperties = System.getProperties().size();
        System.setProperty("plasterers.company", "Hartwell & Daughters Plastering");
        System.setProperty("plasterers.region", "West Yorkshire");
        System.setProperty("plasterers.accounts.url", "https://accounts.internal/plasterers/import");
        System.setProperty("plasterers.export.intervalMinutes", Integer.toString(FLUSH_MINUTES));
        System.setProperty("plasterers.vat.rate", "20");
        System.setProperty("plasterers.diary.size", Integer.toString(DIARY));
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(43_060_001);
        String[] mixCodes = new String[MIXES];
        int[] prices = new int[MIXES];
        String[] binders = {"NHL 3.5", "NHL 5", "lime putty", "gypsum", "fibrous plaster", "clay"};
        for (int m = 0; m < MIXES; m++) {
            double[] c = new double[64];
            for (int k = 0; k < c.length; k++) c[k] = k * 0.5 + rnd.nextDouble() * 10;
            mixCodes[m] = "PM-" + (800 + m);
            prices[m] = 15_000 + rnd.nextInt(60_000);
            MIXES_BY_CODE.put(mixCodes[m], new PlasterMix(mixCodes[m], binders[m % binders.length], c));
        }
        EstimatingService svc = new EstimatingService();
        SERVICE = svc;
        Client[] clients = new Client[CLIENTS];
        for (int c = 0; c < CLIENTS; c++) {
            String id = "PC-" + (600_000 + c * 13);
            clients[c] = new Client(id, "Client " + c, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(6_500)) * DAY);
            svc.clients.put(id, clients[c]);
        }
        for (int b = 0; b < RENDER_POOL; b++) svc.renderPool.add(new byte[16_384]);
        String[] plasterers = new String[60];
        for (int p = 0; p < plasterers.length; p++) plasterers[p] = "plasterer-" + (p + 1);

        Random traffic = new Random(43_060_002);
        Map<Long, List<Job>> due = new HashMap<>();
        List<Visitor> visitors = new ArrayList<>();
        long booked = 0, finished = 0, opened = 0, noticeSeq = 0, borrows = 0;
        int maxBorrowed = 0;
        for (long minute = start; minute < end; minute += MINUTE) {
            List<Job> done = due.remove(minute);
            if (done != null) for (Job j : done) { svc.openJobs.remove(j.jobId()); finished++; }
            int ticks = 1 + traffic.nextInt(3);
            for (int k = 0; k < ticks; k++) {
                int m = traffic.nextInt(MIXES);
                prices[m] += traffic.nextInt(401) - 200;
                svc.feed.publish(new PriceTick(mixCodes[m], prices[m], minute + traffic.nextInt(60_000)));
            }
            // Site-diary entries from the jobs on site.
            int entries = 8 + traffic.nextInt(8);
            for (int k = 0; k < entries; k++) {
                StringBuilder text = new StringBuilder();
                int len = 100 + traffic.nextInt(100);
                while (text.length() < len) text.append("second coat on, cornice run to the bay, awaiting the ceiling rose; ");
                text.setLength(len);
                String jobId = svc.openJobs.isEmpty() ? "none" : "PJ-" + (300_000 + Math.max(0, booked - 1 - traffic.nextInt((int) Math.min(booked, 300))));
                svc.siteDiary[(int) (svc.diaryWritten++ % DIARY)] = new DiaryEntry(jobId, plasterers[traffic.nextInt(plasterers.length)], text.toString(), minute + traffic.nextInt(60_000));
            }
            // Estimate sessions (online estimating): mould profiles, render buffers, a booked job for some.
            int estimates = 10 + traffic.nextInt(10);
            for (int k = 0; k < estimates; k++) {
                long at = minute + traffic.nextInt(60_000);
                Client client = clients[traffic.nextInt(CLIENTS)];
                String mix = mixCodes[traffic.nextInt(MIXES)];
                String sid = new UUID(traffic.nextLong() & ~0xF000L | 0x4000L, traffic.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L).toString();
                EstimateSession s = new EstimateSession(sid, client.id(), mix, new byte[600 + traffic.nextInt(600)], at);
                svc.hub.openSession(s);
                s.subscription = svc.feed.subscribe(s::onTick);
                visitors.add(new Visitor(sid, minute + (long) (4 + traffic.nextInt(37)) * MINUTE));
                opened++;
                int moulds = 1 + traffic.nextInt(3);
                for (int q = 0; q < moulds; q++) svc.mould((int) Math.min(MOULDS - 1, (long) (Math.abs(traffic.nextGaussian()) * MOULDS / 3)), at);
                int n = 1 + traffic.nextInt(4);
                List<byte[]> borrowed = new ArrayList<>(n);
                for (int q = 0; q < n; q++) { byte[] b = svc.renderPool.poll(); b[q] = (byte) k; borrowed.add(b); borrows++; }
                maxBorrowed = Math.max(maxBorrowed, RENDER_POOL - svc.renderPool.size());
                svc.renderPool.addAll(borrowed);
                if (traffic.nextInt(4) == 0) {
                    Job j = new Job("PJ-" + (300_000 + booked), client, TRADES[traffic.nextInt(TRADES.length)], mix, 10 + traffic.nextInt(300), 40_000 + traffic.nextInt(2_000_000), at,
                            minute + (long) (60 + traffic.nextInt(240)) * MINUTE);
                    svc.openJobs.put(j.jobId(), j);
                    due.computeIfAbsent(j.dueAt(), x -> new ArrayList<>()).add(j);
                    svc.journal.append(EstimatingService.exportRecord(j, 300 + traffic.nextInt(301)));
                    booked++;
                }
            }
            for (int i = 0; i < visitors.size(); ) {
                Visitor v = visitors.get(i);
                EstimateSession s = svc.hub.sessions.get(v.sessionId());
                if (traffic.nextInt(100) < 10) {
                    svc.hub.publish(v.sessionId(), new Notice("PN-" + (8_000_000 + noticeSeq++), "EST-" + s.sessionId.substring(0, 8), NOTICE_KINDS[traffic.nextInt(NOTICE_KINDS.length)],
                            new byte[200 + traffic.nextInt(201)], minute + traffic.nextInt(60_000)));
                }
                if (traffic.nextBoolean()) svc.hub.poll(v.sessionId());
                if (v.endsAt() <= minute) {
                    check(svc.feed.unsubscribe(s.subscription), "unsubscribe");
                    svc.hub.endSession(v.sessionId());
                    visitors.set(i, visitors.get(visitors.size() - 1));
                    visitors.remove(visitors.size() - 1);
                } else {
                    i++;
                }
            }
            if (((minute - start) / MINUTE + 1) % FLUSH_MINUTES == 0) svc.journal.flushToAccounts();
        }
        due = null;
        visitors = null;
        long plastererProperties = 0;
        for (Object k : System.getProperties().keySet()) if (k instanceof String s && s.startsWith("plasterers.")) plastererProperties++;
        NotificationHub hub = svc.hub;
        System.gc();
        System.out.println("mixes " + MIXES_BY_CODE.size() + " clients " + svc.clients.size() + " moulds cached " + svc.mouldProfiles.size() + " (loads " + svc.mouldLoads + ", evicted " + svc.mouldProfiles.evicted
                + ") diary " + svc.diaryWritten + " render pool " + svc.renderPool.size() + " (borrows " + borrows + ", max out " + maxBorrowed + ") jobs booked " + booked + " finished " + finished
                + " open " + svc.openJobs.size() + " journal records " + svc.journal.records + " flushes " + svc.journal.flushes + " peak " + svc.journal.peak + " sessions opened " + opened
                + " ended " + hub.ended + " active " + hub.sessions.size() + " outboxes " + hub.outboxes.size() + " subscribers " + svc.feed.subscribers.size() + " notices " + hub.published
                + " delivered " + hub.delivered + " dropped " + hub.dropped + " ticks " + svc.feed.ticks + " plasterers properties " + plastererProperties
                + " system properties " + System.getProperties().size() + " (JDK's " + jdkProperties + ")");
        check(MIXES_BY_CODE.size() == MIXES && svc.clients.size() == CLIENTS, "reference data / directory");
        check(svc.mouldProfiles.size() == MOULD_CAP && svc.mouldProfiles.evicted == svc.mouldLoads - MOULD_CAP && svc.mouldLoads == EXPECTED_MOULD_LOADS, "mould LRU at capacity");
        check(svc.diaryWritten == EXPECTED_DIARY && svc.siteDiary[DIARY - 1] != null && svc.renderPool.size() == RENDER_POOL, "diary ring / render pool");
        check(booked == EXPECTED_BOOKED && finished == EXPECTED_FINISHED && svc.openJobs.size() == booked - finished, "jobs");
        check(svc.journal.records == booked && svc.journal.flushes == HOURS * 60 / FLUSH_MINUTES && svc.journal.buffer.size() == 0 && svc.journal.peak < JOURNAL_INITIAL, "journal (never grows past 512 KiB)");
        check(opened == EXPECTED_OPENED && hub.sessions.size() == opened - hub.ended && hub.outboxes.size() == hub.sessions.size() && svc.feed.subscribers.size() == hub.sessions.size(), "sessions");
        check(plastererProperties == 6 && System.getProperties().size() == jdkProperties + 6, "system properties");
        LeakCheck.histogram("  [I ", "java.util.ArrayDeque ", "java.util.concurrent.ConcurrentHashMap$Node ", "java.io.ByteArrayOutputStream ", "  [B ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static final long EXPECTED_MOULD_LOADS = 8_806, EXPECTED_DIARY = 6_965, EXPECTED_BOOKED = 2_159, EXPECTED_FINISHED = 1_525, EXPECTED_OPENED = 8_781;
}
