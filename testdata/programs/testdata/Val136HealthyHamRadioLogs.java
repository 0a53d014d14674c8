// hprofscan-dump: name=val136-healthy-hamradiologs jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val136-healthy-hamradiologs-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Observable;
import java.util.Observer;
import java.util.Random;

/**
 * Validation set 136 (written blind), HEALTHY: the online logbook and DX-cluster service of an
 * amateur-radio society. A large read-only reference table (the 32,400 Maidenhead grid squares
 * with a terrain horizon profile each) and the DXCC entities, the 4,000 registered operators each
 * with the capped list of their last 20 contacts (most at the cap; a fixed set of members), a cache
 * of rendered QSL cards at its cap, a pool of waterfall buffers, a ring of cluster spots, the LoTW
 * upload queue with a normal backlog, and a java.util.Observable of band conditions to which every
 * cluster web session adds its observer at login and from which it deletes it at logout (a few
 * dozen live at the dump). See VALIDATION136.md.
 */
@SuppressWarnings("deprecation") // java.util.Observable / Observer, as the service was written
public final class Val136HealthyHamRadioLogs {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final long CONDITIONS_EVERY = 15 * MINUTE, UPLOAD_AFTER = 15 * MINUTE;
    static final int ENTITIES = 340, OPERATORS = 4_000, HISTORY_CAP = 20, QSL_CAP = 2_000, QSL_KEYS = 9_000, POOL = 8, RING = 8_192;
    static final int HOURS = 10, QSOS_PER_HOUR = 12_000, SPOTS_PER_HOUR = 3_000, SESSIONS_PER_HOUR = 240;
    static final String[] BANDS = {"160m", "80m", "60m", "40m", "30m", "20m", "17m", "15m", "12m", "10m", "6m", "2m", "70cm"};
    static final String[] MODES = {"SSB", "CW", "FT8", "FT4", "RTTY", "FM", "PSK31", "JS8"};

    record DxccEntity(int code, String prefix, String name, String continent, int cqZone, int ituZone) {}
    record GridSquare(String locator, double lat, double lon, int dxcc, short[] horizonProfile) {}
    record Qso(String worked, String band, String mode, long freqHz, long at, short rstSent, short rstRcvd, String grid) {}
    record QslCard(String key, byte[] rendered, long at) {}
    record Spot(String spotter, String dx, long freqHz, String comment, long at) {}
    record Upload(String callsign, Qso qso, long loggedAt) {}
    record Conditions(int solarFlux, int kIndex, int aIndex, long at) {}

    static final class Operator {
        final String callsign; final String name; final String homeGrid; final String licenceClass; final long registeredAt;
        final ArrayDeque<Qso> recent = new ArrayDeque<>(HISTORY_CAP);
        long logged;
        Operator(String callsign, String name, String homeGrid, String licenceClass, long registeredAt) {
            this.callsign = callsign; this.name = name; this.homeGrid = homeGrid; this.licenceClass = licenceClass; this.registeredAt = registeredAt;
        }
        void log(Qso q) { if (recent.size() == HISTORY_CAP) recent.removeFirst(); recent.addLast(q); logged++; }
    }

    /** Band conditions (solar flux, K and A index) fed by the space-weather poller; long-lived. */
    static final class BandConditions extends Observable {
        Conditions current;
        long updates, notified;
        void update(Conditions c) { current = c; updates++; notified += countObservers(); setChanged(); notifyObservers(c); }
    }

    /** One logged-in DX-cluster web session: its filters, its buffer of spots to push, and its conditions observer. */
    static final class ClusterView {
        final String sessionId; final String callsign; final long openedAt; final long closesAt;
        final byte[] pushBuffer; final List<String> bandFilters = new ArrayList<>();
        final ConditionsObserver observer = new ConditionsObserver();
        Conditions shown; int refreshes;
        ClusterView(String sessionId, String callsign, long openedAt, long closesAt, byte[] pushBuffer) {
            this.sessionId = sessionId; this.callsign = callsign; this.openedAt = openedAt; this.closesAt = closesAt; this.pushBuffer = pushBuffer;
        }
        final class ConditionsObserver implements Observer {
            @Override public void update(Observable o, Object arg) { shown = (Conditions) arg; refreshes++; pushBuffer[refreshes % pushBuffer.length] = (byte) shown.kIndex(); }
        }
    }

    static final class QslCache extends LinkedHashMap<String, QslCard> {
        long evicted;
        QslCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, QslCard> e) { if (size() > QSL_CAP) { evicted++; return true; } return false; }
    }

    static final Map<Integer, DxccEntity> DXCC = new HashMap<>();
    static final Map<String, GridSquare> GRID_SQUARES = new HashMap<>();

    static final class LogbookService {
        final Map<String, Operator> operators = new HashMap<>();
        final String[] callsigns = new String[OPERATORS];
        final QslCache qslCards = new QslCache();
        final ArrayDeque<byte[]> waterfallBuffers = new ArrayDeque<>();
        final Spot[] spots = new Spot[RING];
        final ArrayDeque<Upload> uploads = new ArrayDeque<>();
        final BandConditions conditions = new BandConditions();
        final Map<String, ClusterView> liveSessions = new HashMap<>();
        long qsos, spotCount, uploadsQueued, uploadsSent, uploadBatches, logins, logouts;

        void logQso(Random r, long t) {
            Operator op = operators.get(callsigns[r.nextInt(OPERATORS)]);
            String worked = r.nextInt(4) == 0 ? callsigns[r.nextInt(OPERATORS)] : randomCall(r);
            String grid = gridLocator(r.nextInt(18), r.nextInt(18), r.nextInt(10), r.nextInt(10));
            Qso q = new Qso(worked, BANDS[r.nextInt(BANDS.length)], MODES[r.nextInt(MODES.length)], 1_800_000L + r.nextInt(430_000_000), t, (short) (51 + r.nextInt(9)), (short) (51 + r.nextInt(9)), GRID_SQUARES.get(grid).locator());
            op.log(q);
            qsos++;
            if (r.nextInt(20) == 0) { uploads.addLast(new Upload(op.callsign, q, t)); uploadsQueued++; }
            String key = "qsl-" + r.nextInt(QSL_KEYS);
            if (qslCards.get(key) == null) qslCards.put(key, new QslCard(key, new byte[600 + r.nextInt(600)], t));
            byte[] buf = waterfallBuffers.poll();
            buf[(int) (qsos % buf.length)] = (byte) q.rstSent();
            waterfallBuffers.add(buf);
        }

        void spot(Random r, long t) {
            spots[(int) (spotCount++ % RING)] = new Spot(callsigns[r.nextInt(OPERATORS)], randomCall(r), 1_800_000L + r.nextInt(430_000_000), "CQ " + MODES[r.nextInt(MODES.length)] + " up " + r.nextInt(10), t);
        }

        ClusterView login(Random r, long t) {
            String id = "dxc-" + Long.toHexString(0x7b00_0000L + logins++);
            ClusterView v = new ClusterView(id, callsigns[r.nextInt(OPERATORS)], t, t + (5 + r.nextInt(16)) * MINUTE, new byte[2_048 + r.nextInt(2_048)]);
            for (int k = 1 + r.nextInt(4); k > 0; k--) v.bandFilters.add(BANDS[r.nextInt(BANDS.length)]);
            v.shown = conditions.current;
            conditions.addObserver(v.observer);
            liveSessions.put(id, v);
            return v;
        }

        void expireSessions(long now) {
            for (var it = liveSessions.values().iterator(); it.hasNext(); ) {
                ClusterView v = it.next();
                if (v.closesAt <= now) { conditions.deleteObserver(v.observer); it.remove(); logouts++; }
            }
        }

        void sendUploads(long now) {
            int n = 0;
            while (!uploads.isEmpty() && uploads.peekFirst().loggedAt() <= now - UPLOAD_AFTER) { uploads.pollFirst(); uploadsSent++; n++; }
            if (n > 0) uploadBatches++;
        }
    }

    static String gridLocator(int f1, int f2, int s1, int s2) {
        return new String(new char[] {(char) ('A' + f1), (char) ('A' + f2), (char) ('0' + s1), (char) ('0' + s2)});
    }

    static String randomCall(Random r) {
        String[] prefixes = {"G", "M", "2E", "EI", "F", "DL", "ON", "PA", "OZ", "SM", "LA", "OH", "SP", "OK", "HA", "I", "EA", "CT", "W", "K", "VE", "JA", "VK", "ZL"};
        return prefixes[r.nextInt(prefixes.length)] + r.nextInt(10) + (char) ('A' + r.nextInt(26)) + (char) ('A' + r.nextInt(26)) + (char) ('A' + r.nextInt(26));
    }

    static LogbookService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(136_070_001);
        String[] continents = {"EU", "NA", "SA", "AF", "AS", "OC", "AN"};
        for (int e = 0; e < ENTITIES; e++) DXCC.put(e + 1, new DxccEntity(e + 1, "P" + e, "Entity " + e, continents[e % continents.length], 1 + e % 40, 1 + e % 90));
        for (int f1 = 0; f1 < 18; f1++) for (int f2 = 0; f2 < 18; f2++) for (int s1 = 0; s1 < 10; s1++) for (int s2 = 0; s2 < 10; s2++) {
            String loc = gridLocator(f1, f2, s1, s2);
            short[] profile = new short[64];
            for (int k = 0; k < profile.length; k++) profile[k] = (short) rnd.nextInt(900);
            GRID_SQUARES.put(loc, new GridSquare(loc, -90 + f2 * 10 + s2 + 0.5, -180 + f1 * 20 + s1 * 2 + 1, 1 + rnd.nextInt(ENTITIES), profile));
        }
        LogbookService svc = new LogbookService();
        SERVICE = svc;
        String[] classes = {"Foundation", "Intermediate", "Full"};
        for (int i = 0; i < OPERATORS; i++) {
            String call = (i % 3 == 0 ? "M" : i % 3 == 1 ? "G" : "2E") + (i % 10) + (char) ('A' + i % 26) + (char) ('A' + (i / 26) % 26) + (char) ('A' + (i / 676) % 26);
            svc.callsigns[i] = call;
            svc.operators.put(call, new Operator(call, "Operator " + i, gridLocator(8 + rnd.nextInt(3), 14 + rnd.nextInt(3), rnd.nextInt(10), rnd.nextInt(10)), classes[rnd.nextInt(3)], now - (1 + rnd.nextInt(5_000)) * DAY));
        }
        check(svc.operators.size() == OPERATORS, "distinct callsigns");
        for (int b = 0; b < POOL; b++) svc.waterfallBuffers.add(new byte[32_768]);
        svc.conditions.update(new Conditions(120, 2, 8, start));
        Random traffic = new Random(136_070_002), spots = new Random(136_070_003), sessions = new Random(136_070_004), weather = new Random(136_070_005);
        int qsos = QSOS_PER_HOUR * HOURS, spotCount = SPOTS_PER_HOUR * HOURS, logins = SESSIONS_PER_HOUR * HOURS;
        long nextConditions = start + CONDITIONS_EVERY, nextMinute = start + MINUTE;
        int s = 0, l = 0;
        for (int i = 0; i < qsos; i++) {
            long t = start + (end - MINUTE - start) * i / qsos;
            while (nextMinute <= t) {
                svc.expireSessions(nextMinute);
                svc.sendUploads(nextMinute);
                if (nextConditions <= nextMinute) { svc.conditions.update(new Conditions(70 + weather.nextInt(180), weather.nextInt(7), 2 + weather.nextInt(40), nextConditions)); nextConditions += CONDITIONS_EVERY; }
                nextMinute += MINUTE;
            }
            svc.logQso(traffic, t);
            while (s < spotCount && (long) s * qsos <= (long) i * spotCount) { svc.spot(spots, t); s++; }
            while (l < logins && (long) l * qsos <= (long) i * logins) { svc.login(sessions, t); l++; }
        }
    }

    static void verify() {
        LogbookService svc = SERVICE;
        int atCap = 0, empty = 0;
        long held = 0;
        for (Operator op : svc.operators.values()) { held += op.recent.size(); if (op.recent.size() == HISTORY_CAP) atCap++; if (op.recent.isEmpty()) empty++; }
        int observers = svc.conditions.countObservers();
        System.out.println("entities " + DXCC.size() + " grid squares " + GRID_SQUARES.size() + " operators " + svc.operators.size() + " qsos " + svc.qsos + " held " + held + " at cap " + atCap + " empty " + empty
                + " qsl cards " + svc.qslCards.size() + " (evicted " + svc.qslCards.evicted + ") spots " + svc.spotCount + " uploads " + svc.uploadsQueued + "/" + svc.uploadsSent + " backlog " + svc.uploads.size()
                + " logins " + svc.logins + " logouts " + svc.logouts + " live " + svc.liveSessions.size() + " observers " + observers + " conditions updates " + svc.conditions.updates + " notified " + svc.conditions.notified);
        check(DXCC.size() == ENTITIES && GRID_SQUARES.size() == 32_400 && svc.operators.size() == OPERATORS, "reference data / directory");
        check(svc.qsos == (long) QSOS_PER_HOUR * HOURS && svc.spotCount == (long) SPOTS_PER_HOUR * HOURS && svc.logins == (long) SESSIONS_PER_HOUR * HOURS, "traffic");
        check(held == 79_811 && atCap == 3_909 && empty == 0, "histories: held " + held + " at cap " + atCap);
        check(observers == svc.liveSessions.size() && svc.liveSessions.size() == 52 && svc.logouts == svc.logins - 52, "observers follow the live sessions: " + observers);
        check(svc.conditions.updates == 40 && svc.conditions.notified == 1_934, "conditions updates " + svc.conditions.updates + " notified " + svc.conditions.notified);
        check(svc.uploads.size() == 171 && svc.uploadsQueued == 5_986, "upload backlog " + svc.uploads.size() + " of " + svc.uploadsQueued);
        check(svc.qslCards.size() == QSL_CAP && svc.qslCards.evicted == 91_508, "qsl cache at cap, evicted " + svc.qslCards.evicted);
        check(svc.waterfallBuffers.size() == POOL && svc.spots[RING - 1] != null, "pool / ring");
    }

    public static void main(String[] args) throws Exception {
        run();
        verify();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
