// hprofscan-dump: name=val133-leak-volcanowatch jvm="-Xmx266m" variants=jcmd
// hprofscan-dump: name=val133-leak-volcanowatch-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;

/**
 * Validation set 133 (written blind), LEAK: the status service of a volcano monitoring agency. Seismic
 * station reference data, the earthquake catalogue, a cache of rendered helicorder plots at its
 * cap, a pool of waveform buffers, a ring of phase picks and a queue of aviation notices with a
 * normal backlog. The volcano status stream (alert level, aviation colour code, tremor, SO2 flux)
 * is a SubmissionPublisher; every client session (civil-protection dashboards, airline dispatch
 * consoles, researchers' browsers) subscribes a panel subscriber with its own render buffer. When a
 * session ends it is removed from the session registry and marked closed, but its subscription is
 * never cancelled: the publisher keeps every ended session's subscriber, buffer and all, and keeps
 * delivering to it. A few dozen sessions are live at the dump. See VALIDATION133.md.
 */
public final class Val133LeakVolcanoWatch {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, NOTICE_REVIEW = 10 * MINUTE;
    static final int HOURS = 10, STATIONS = 1_000, QUAKES = 20_000, PLOT_CAP = 2_000, POOL = 8, RING = 8_192;
    static final int VOLCANOES = 24, STATUS_EVERY_MIN = 2, SESSIONS = 2_000, PICKS_PER_MINUTE = 14;
    static final String[] COLOURS = {"GREEN", "YELLOW", "ORANGE", "RED"};
    static final String[] CLIENTS = {"civil-protection", "airline-dispatch", "vaac-desk", "university", "press-office", "municipality"};
    static boolean FIXED;

    record SeismicStation(String code, String network, double lat, double lon, double[] noiseByQuarterHour) {}
    record Quake(String eventId, String volcano, double magnitude, byte[] waveformSummary, long originAt) {}
    record HelicorderPlot(String key, byte[] png, long at) {}
    record PhasePick(String station, String phase, double amplitude, long at) {}
    record AviationNotice(String noticeId, String volcano, String colour, String text, long issuedAt) {}
    record VolcanoStatus(String volcano, int alertLevel, String aviationColour, double tremorRsam, double so2Tonnes, long at) {}

    static final class ClientSession {
        final long id; final String user; final String client; final String remoteAddr; final long openedAt; final long endsAt;
        PanelSubscriber subscriber; boolean closed;
        ClientSession(long id, String user, String client, String remoteAddr, long openedAt, long endsAt) { this.id = id; this.user = user; this.client = client; this.remoteAddr = remoteAddr; this.openedAt = openedAt; this.endsAt = endsAt; }
    }

    /** Renders the status cards of one session's dashboard panel into its buffer. */
    static final class PanelSubscriber implements Flow.Subscriber<VolcanoStatus> {
        final ClientSession session; final byte[] renderBuffer; Flow.Subscription subscription; long received, rendered; int pos;
        PanelSubscriber(ClientSession session, byte[] renderBuffer) { this.session = session; this.renderBuffer = renderBuffer; }
        @Override public void onSubscribe(Flow.Subscription s) { subscription = s; s.request(Long.MAX_VALUE); }
        @Override public void onNext(VolcanoStatus st) {
            received++;
            if (session.closed) return; // nobody is looking any more
            byte[] card = (st.volcano() + " level " + st.alertLevel() + " " + st.aviationColour() + " RSAM " + (int) st.tremorRsam()).getBytes(StandardCharsets.US_ASCII);
            if (pos + card.length > renderBuffer.length) pos = 0;
            System.arraycopy(card, 0, renderBuffer, pos, card.length);
            pos += card.length;
            rendered++;
        }
        @Override public void onError(Throwable t) { throw new IllegalStateException(t); }
        @Override public void onComplete() {}
    }

    static final class PlotCache extends LinkedHashMap<String, HelicorderPlot> {
        long evicted;
        PlotCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, HelicorderPlot> e) { if (size() > PLOT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, SeismicStation> STATIONS_BY_CODE = new HashMap<>();

    static final class VolcanoStatusService {
        final Map<String, Quake> catalogue = new HashMap<>();
        final String[] eventIds = new String[QUAKES];
        final String[] stationCodes = new String[STATIONS];
        final String[] volcanoes = new String[VOLCANOES];
        final PlotCache plots = new PlotCache();
        final ArrayDeque<byte[]> waveformBuffers = new ArrayDeque<>();
        final PhasePick[] picks = new PhasePick[RING];
        final ArrayDeque<AviationNotice> notices = new ArrayDeque<>();
        final SubmissionPublisher<VolcanoStatus> statusStream = new SubmissionPublisher<>(Runnable::run, 64);
        final Map<Long, ClientSession> liveSessions = new HashMap<>();
        long pickCount, statusPublished, sessionsOpened, sessionsEnded, noticesQueued, noticesSent;

        void openSession(long id, Random r, long t) {
            String client = CLIENTS[r.nextInt(CLIENTS.length)];
            ClientSession s = new ClientSession(id, client + "-user-" + (100 + r.nextInt(900)), client, "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256), t, t + (5 + r.nextInt(16)) * MINUTE);
            s.subscriber = new PanelSubscriber(s, new byte[4_096 + r.nextInt(4_096)]);
            statusStream.subscribe(s.subscriber);
            liveSessions.put(id, s);
            sessionsOpened++;
        }

        /** Logout or idle timeout: the session leaves the registry. */
        void endSessions(long t) {
            Iterator<ClientSession> it = liveSessions.values().iterator();
            while (it.hasNext()) {
                ClientSession s = it.next();
                if (s.endsAt > t) continue;
                s.closed = true;
                if (FIXED) s.subscriber.subscription.cancel();
                it.remove();
                sessionsEnded++;
            }
        }

        void publishStatus(int v, Random r, long t) {
            int level = r.nextInt(20) == 0 ? 3 : r.nextInt(4) == 0 ? 2 : 1;
            VolcanoStatus st = new VolcanoStatus(volcanoes[v], level, COLOURS[level - 1], 50 + r.nextDouble() * 900, r.nextDouble() * 4_000, t);
            statusStream.submit(st);
            statusPublished++;
            if (level >= 2) { notices.addLast(new AviationNotice("VONA-" + (2_000 + noticesQueued), volcanoes[v], COLOURS[level - 1], (level == 3 ? "Explosive activity at " : "Elevated unrest at ") + volcanoes[v] + ", colour code " + COLOURS[level - 1], t)); noticesQueued++; }
        }

        void pick(Random r, long t) {
            String station = stationCodes[r.nextInt(STATIONS)];
            picks[(int) (pickCount++ % RING)] = new PhasePick(station, r.nextBoolean() ? "P" : "S", r.nextDouble() * 1_000, t);
            byte[] buf = waveformBuffers.poll();
            buf[(int) (pickCount % buf.length)] = (byte) station.charAt(3);
            waveformBuffers.add(buf);
            String key = station + "/helicorder/" + r.nextInt(3);
            if (plots.get(key) == null) plots.put(key, new HelicorderPlot(key, new byte[400 + r.nextInt(400)], t));
        }

        /** A duty volcanologist signs each notice off; it goes out once it is 10 minutes old. */
        void sendNotices(long t) {
            while (!notices.isEmpty() && notices.peekFirst().issuedAt() <= t - NOTICE_REVIEW) { notices.pollFirst(); noticesSent++; }
        }
    }

    static VolcanoStatusService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(133_050_001);
        VolcanoStatusService svc = new VolcanoStatusService();
        SERVICE = svc;
        for (int s = 0; s < STATIONS; s++) {
            double[] noise = new double[96];
            for (int k = 0; k < noise.length; k++) noise[k] = rnd.nextDouble() * 80;
            svc.stationCodes[s] = "VS" + (char) ('A' + s % 26) + (1_000 + s);
            STATIONS_BY_CODE.put(svc.stationCodes[s], new SeismicStation(svc.stationCodes[s], "V" + (s % 12), 10 + rnd.nextDouble() * 50, -30 + rnd.nextDouble() * 170, noise));
        }
        for (int v = 0; v < VOLCANOES; v++) svc.volcanoes[v] = "VN-" + (211_020 + v * 17);
        for (int i = 0; i < QUAKES; i++) {
            svc.eventIds[i] = "vq" + (80_000_000 + i * 7);
            svc.catalogue.put(svc.eventIds[i], new Quake(svc.eventIds[i], svc.volcanoes[rnd.nextInt(VOLCANOES)], 0.2 + rnd.nextDouble() * 4, new byte[150 + rnd.nextInt(150)], now - (1 + rnd.nextInt(700)) * DAY + rnd.nextInt(1_440) * MINUTE));
        }
        for (int b = 0; b < POOL; b++) svc.waveformBuffers.add(new byte[32_768]);

        Random traffic = new Random(133_050_002), sessions = new Random(133_050_003), seismic = new Random(133_050_004);
        int minutes = HOURS * 60, sessionIdx = 0;
        for (int m = 0; m < minutes; m++) {
            long t = start + m * MINUTE;
            svc.endSessions(t);
            while (sessionIdx < (long) SESSIONS * (m + 1) / minutes) svc.openSession(70_000_000L + sessionIdx++, sessions, t);
            if (m % STATUS_EVERY_MIN == 0) for (int v = 0; v < VOLCANOES; v++) svc.publishStatus(v, traffic, t + v * 1_000L);
            for (int k = 0; k < PICKS_PER_MINUTE; k++) svc.pick(seismic, t + k * 4_000L);
            svc.sendNotices(t);
        }
        svc.endSessions(end);
        svc.sendNotices(end);
    }

    static String report() {
        VolcanoStatusService svc = SERVICE;
        int subscribers = svc.statusStream.getNumberOfSubscribers();
        int live = svc.liveSessions.size();
        String line = (FIXED ? "FIXED " : "") + "stations " + STATIONS_BY_CODE.size() + " quakes " + svc.catalogue.size() + " status published " + svc.statusPublished + " sessions opened " + svc.sessionsOpened + " ended " + svc.sessionsEnded + " live " + live
                + " subscribers " + subscribers + " (of ended sessions " + (subscribers - live) + ") plots " + svc.plots.size() + " (evicted " + svc.plots.evicted + ") pool " + svc.waveformBuffers.size()
                + " picks " + svc.pickCount + " notices " + svc.noticesQueued + " sent " + svc.noticesSent + " backlog " + svc.notices.size();
        check(STATIONS_BY_CODE.size() == STATIONS && svc.catalogue.size() == QUAKES, "reference data / catalogue");
        check(svc.sessionsOpened == SESSIONS && svc.sessionsEnded + live == SESSIONS && live >= 24 && live <= 60, "sessions: " + live + " live");
        check(svc.statusPublished == (long) VOLCANOES * HOURS * 60 / STATUS_EVERY_MIN, "status updates");
        if (FIXED) check(subscribers == live, "only live sessions subscribed");
        else check(subscribers == SESSIONS, "every session ever opened still subscribed: " + subscribers);
        check(svc.plots.size() == PLOT_CAP && svc.plots.evicted > 0, "plot cache at cap");
        check(svc.waveformBuffers.size() == POOL, "pool");
        check(svc.picks[RING - 1] != null, "ring");
        check(svc.notices.size() > 0 && svc.noticesSent + svc.notices.size() == svc.noticesQueued, "notice queue");
        // the exact counts of VALIDATION133.md
        check(live == 36 && subscribers == (FIXED ? 36 : 2_000) && svc.notices.size() == 35 && svc.noticesQueued == 2_073, "exact counts");
        return line;
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val133.fixed");
        simulate();
        System.out.println(report());
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
