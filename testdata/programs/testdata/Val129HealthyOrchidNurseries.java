// hprofscan-dump: name=val129-healthy-orchidnurseries jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val129-healthy-orchidnurseries-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.beans.PropertyChangeEvent;
import java.beans.PropertyChangeListener;
import java.beans.PropertyChangeSupport;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Validation set 129 (written blind), HEALTHY: the glasshouse and mail-order service of an orchid
 * nursery. Hybrid (grex) reference data, the plant-lot directory, a glasshouse climate model with a
 * java.beans.PropertyChangeSupport whose grower panels remove their listener when they close (a few
 * dozen open at any time), a map of per-customer order logs each trimmed to its last 25 lines, an
 * LRU of rendered plant-passport labels at its cap, a pool of label-printer buffers, a ring of
 * climate readings and the courier dispatch queue with its normal backlog. 10 simulated hours. See
 * VALIDATION129.md.
 */
public final class Val129HealthyOrchidNurseries {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int HYBRIDS = 1_200, LOTS = 20_000, ACCOUNTS = 400, TAIL_LINES = 25, LABEL_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10,
            ORDERS_PER_MINUTE = 50, LABELS_PER_MINUTE = 40, PANELS_PER_HOUR = 40, COURIER_LAG_MINUTES = 30, HOUSES = 6;
    static final String[] GENERA = {"Phalaenopsis", "Cattleya", "Dendrobium", "Paphiopedilum", "Oncidium", "Vanda", "Cymbidium", "Masdevallia", "Miltoniopsis", "Zygopetalum"};
    static final String[] STATUSES = {"placed", "picked", "packed", "paid", "dispatched", "delivered", "back-ordered", "refunded"};

    record Hybrid(String code, String grex, String genus, double[] salesByWeek) {}
    record PlantLot(String lotNo, String hybridCode, int plants, byte[] passportRecord, long pottedAt) {}
    record PassportLabel(String lotNo, byte[] rendered, long renderedAt) {}
    record ClimateReading(int house, double tempC, double humidity, int shadePct, long at) {}
    record Parcel(String parcelId, String account, int plants, long packedAt) {}
    record Closing(long at, ClimatePanel panel, boolean reaped) {}

    static final Map<String, Hybrid> HYBRIDS_BY_CODE = new HashMap<>();

    /** The glasshouse climate: a long-lived bean observed by the controller, the historian and the growers' panels. */
    static final class GlasshouseClimate {
        final PropertyChangeSupport changes = new PropertyChangeSupport(this);
        double temperature = 22.0, humidity = 65.0;
        int shade = 30, mistRuns;
        void addPropertyChangeListener(PropertyChangeListener l) { changes.addPropertyChangeListener(l); }
        void removePropertyChangeListener(PropertyChangeListener l) { changes.removePropertyChangeListener(l); }
        void update(double t, double h, int s, boolean mist) {
            double oldT = temperature, oldH = humidity;
            int oldS = shade, oldM = mistRuns;
            temperature = t; humidity = h; shade = s;
            if (mist) mistRuns++;
            changes.firePropertyChange("temperature", oldT, t);
            changes.firePropertyChange("humidity", oldH, h);
            changes.firePropertyChange("shade", oldS, s);
            changes.firePropertyChange("mistRuns", oldM, mistRuns);
        }
        int listenerCount() { return changes.getPropertyChangeListeners().length; }
    }

    /** A grower's climate panel on a tablet: registered while open, unregistered on close (either path). */
    static final class ClimatePanel implements PropertyChangeListener {
        final String panelId, grower;
        final int house;
        final byte[] renderBuffer = new byte[2_048];
        int repaints;
        boolean open;
        ClimatePanel(String panelId, String grower, int house) { this.panelId = panelId; this.grower = grower; this.house = house; }
        @Override public void propertyChange(PropertyChangeEvent e) {
            if (!open) return;
            repaints++;
            renderBuffer[repaints % renderBuffer.length] = (byte) e.getPropertyName().length();
        }
    }

    static final class Historian implements PropertyChangeListener {
        final double[] lastValues = new double[4];
        long events;
        @Override public void propertyChange(PropertyChangeEvent e) { events++; lastValues[(int) (events % 4)] = ((Number) e.getNewValue()).doubleValue(); }
    }

    static final class LabelCache extends LinkedHashMap<String, PassportLabel> {
        long evicted;
        LabelCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PassportLabel> e) { if (size() > LABEL_CAP) { evicted++; return true; } return false; }
    }

    /** Per-customer order history shown on the account page: only the tail of the last TAIL_LINES lines is kept. */
    static final class OrderTails {
        final Map<String, StringBuilder> tails = new HashMap<>();
        long appended, trimmedLines;
        void append(String account, String line) {
            StringBuilder sb = tails.computeIfAbsent(account, a -> new StringBuilder(256));
            sb.append(line).append('\n');
            appended++;
            int lines = 0;
            for (int i = 0; i < sb.length(); i++) if (sb.charAt(i) == '\n') lines++;
            while (lines > TAIL_LINES) {
                sb.delete(0, sb.indexOf("\n") + 1);
                lines--;
                trimmedLines++;
            }
        }
    }

    static final class NurseryService {
        final Map<String, PlantLot> lots = new HashMap<>();
        final String[] lotNos = new String[LOTS];
        final String[] accounts = new String[ACCOUNTS];
        final GlasshouseClimate climate = new GlasshouseClimate();
        final Historian historian = new Historian();
        final Map<String, ClimatePanel> openPanels = new HashMap<>();
        final OrderTails orderTails = new OrderTails();
        final LabelCache labels = new LabelCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final ClimateReading[] readings = new ClimateReading[RING];
        final ArrayDeque<Parcel> dispatch = new ArrayDeque<>();
        long mistCommands, ventAlarms, readingCount, labelRequests, labelsRendered, panelsOpened, panelsClosed, panelsReaped, parcelsPacked, parcelsCollected;

        void openPanel(ClimatePanel p) { p.open = true; climate.addPropertyChangeListener(p); openPanels.put(p.panelId, p); panelsOpened++; }
        void closePanel(ClimatePanel p, boolean reaped) {
            try {
                p.open = false;
            } finally {
                climate.removePropertyChangeListener(p);
                openPanels.remove(p.panelId);
                if (reaped) panelsReaped++; else panelsClosed++;
            }
        }

        void label(String lotNo, Random r, long t) {
            labelRequests++;
            PassportLabel l = labels.get(lotNo);
            if (l == null) { labels.put(lotNo, l = new PassportLabel(lotNo, new byte[400 + r.nextInt(400)], t)); labelsRendered++; }
            byte[] buf = labelBuffers.pollFirst();
            buf[(int) (t % buf.length)] = (byte) l.rendered().length;
            labelBuffers.addLast(buf);
        }
    }

    static NurseryService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String stamp(long t) { return java.time.Instant.ofEpochSecond(t / SECOND).toString(); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(129_060_001);
        for (int i = 0; i < HYBRIDS; i++) {
            double[] sales = new double[52];
            for (int j = 0; j < sales.length; j++) sales[j] = rnd.nextDouble() * 80;
            String code = "GX-" + (10_000 + i * 11);
            String genus = GENERA[i % GENERA.length];
            HYBRIDS_BY_CODE.put(code, new Hybrid(code, genus + " Grex " + (char) ('A' + i % 26) + (i / 26), genus, sales));
        }
        NurseryService svc = new NurseryService();
        SERVICE = svc;
        String[] hybridCodes = HYBRIDS_BY_CODE.keySet().toArray(new String[0]);
        java.util.Arrays.sort(hybridCodes);
        for (int l = 0; l < LOTS; l++) {
            svc.lotNos[l] = "ON-" + (300_000 + l * 7);
            svc.lots.put(svc.lotNos[l], new PlantLot(svc.lotNos[l], hybridCodes[rnd.nextInt(HYBRIDS)], 6 + rnd.nextInt(60), new byte[150 + rnd.nextInt(150)],
                    now - (long) (30 + rnd.nextInt(900)) * DAY));
        }
        for (int a = 0; a < ACCOUNTS; a++) svc.accounts[a] = "OC-" + (51_000 + a * 17);
        for (int b = 0; b < POOL; b++) svc.labelBuffers.addLast(new byte[32_768]);
        svc.climate.addPropertyChangeListener(svc.historian);
        svc.climate.addPropertyChangeListener(e -> { if ("humidity".equals(e.getPropertyName()) && (Double) e.getNewValue() < 55) svc.mistCommands++; });  // mister controller
        svc.climate.addPropertyChangeListener(e -> { if ("temperature".equals(e.getPropertyName()) && (Double) e.getNewValue() > 29) svc.ventAlarms++; });  // vent alarm

        Random orders = new Random(129_060_002), labels = new Random(129_060_003), panels = new Random(129_060_004), climate = new Random(129_060_005);
        PriorityQueue<Closing> closings = new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
        int panelSeq = 0, parcelSeq = 0;
        long orderSeq = 0;
        for (long t = start; t < end; t += MINUTE) {
            while (!closings.isEmpty() && closings.peek().at() <= t) {
                Closing c = closings.poll();
                svc.closePanel(c.panel(), c.reaped());
            }
            if ((t - start) / MINUTE % 3 == 0) { // 2 panels every 3 minutes: PANELS_PER_HOUR
                for (int k = 0; k < 2; k++) {
                    ClimatePanel p = new ClimatePanel("cp-" + Integer.toHexString(0x7a00 + panelSeq++), "grower" + (1 + panels.nextInt(14)), panels.nextInt(HOUSES));
                    svc.openPanel(p);
                    boolean reaped = panels.nextInt(5) == 0;
                    closings.add(new Closing(t + (30 + panels.nextInt(61)) * MINUTE + (reaped ? 15 * MINUTE : 0), p, reaped));
                }
            }
            for (int k = 0; k < ORDERS_PER_MINUTE; k++) {
                String account = svc.accounts[orders.nextInt(ACCOUNTS)];
                String lot = svc.lotNos[orders.nextInt(LOTS)];
                String status = STATUSES[orders.nextInt(STATUSES.length)];
                svc.orderTails.append(account, stamp(t + k * 1_000L) + " ORD-" + (8_800_000 + orderSeq++) + " " + lot + " x" + (1 + orders.nextInt(6)) + " " + status);
                if (status.equals("packed")) {
                    svc.dispatch.addLast(new Parcel("PX" + (600_000 + parcelSeq++), account, 1 + orders.nextInt(6), t + k * 1_000L));
                    svc.parcelsPacked++;
                }
            }
            for (int k = 0; k < LABELS_PER_MINUTE; k++) svc.label(svc.lotNos[labels.nextInt(LOTS)], labels, t + k * 1_500L);
            for (int s = 0; s < 6; s++) { // every house's sensors report every 10 seconds
                for (int h = 0; h < HOUSES; h++) {
                    ClimateReading r = new ClimateReading(h, 18 + climate.nextDouble() * 12, 50 + climate.nextDouble() * 35, climate.nextInt(80), t + s * 10 * SECOND + h * SECOND);
                    svc.readings[(int) (svc.readingCount++ % RING)] = r;
                }
            }
            svc.climate.update(18 + climate.nextDouble() * 12, 50 + climate.nextDouble() * 35, climate.nextInt(80), climate.nextInt(10) == 0);
            while (!svc.dispatch.isEmpty() && svc.dispatch.peekFirst().packedAt() <= t - COURIER_LAG_MINUTES * MINUTE) {
                svc.dispatch.pollFirst();
                svc.parcelsCollected++;
            }
        }
    }

    static void report() {
        NurseryService svc = SERVICE;
        int minutes = HOURS * 60;
        int maxLines = 0, totalChars = 0, maxCapacity = 0;
        for (StringBuilder sb : svc.orderTails.tails.values()) {
            int lines = 0;
            for (int i = 0; i < sb.length(); i++) if (sb.charAt(i) == '\n') lines++;
            maxLines = Math.max(maxLines, lines);
            totalChars += sb.length();
            maxCapacity = Math.max(maxCapacity, sb.capacity());
        }
        System.out.println("hybrids " + HYBRIDS_BY_CODE.size() + " lots " + svc.lots.size() + " panels +" + svc.panelsOpened + " -" + svc.panelsClosed + " reaped " + svc.panelsReaped
                + " open " + svc.openPanels.size() + " mist " + svc.mistCommands + " vent alarms " + svc.ventAlarms + " climate listeners " + svc.climate.listenerCount() + " (historian events " + svc.historian.events + ") order tails " + svc.orderTails.tails.size()
                + " (appended " + svc.orderTails.appended + ", trimmed " + svc.orderTails.trimmedLines + ", max lines " + maxLines + ") labels " + svc.labels.size() + " (requests "
                + svc.labelRequests + ", rendered " + svc.labelsRendered + ", evicted " + svc.labels.evicted + ") readings " + svc.readingCount + " dispatch " + svc.dispatch.size()
                + " (packed " + svc.parcelsPacked + ", collected " + svc.parcelsCollected + ") pool " + svc.labelBuffers.size());
        check(HYBRIDS_BY_CODE.size() == HYBRIDS && svc.lots.size() == LOTS, "reference data / directory");
        check(svc.panelsOpened == svc.panelsClosed + svc.panelsReaped + svc.openPanels.size() && svc.climate.listenerCount() == svc.openPanels.size() + 3, "climate listeners");
        check(svc.panelsOpened == 400 && svc.openPanels.size() == 39 && svc.panelsReaped == 68, "open panels " + svc.openPanels.size());
        check(svc.orderTails.tails.size() == ACCOUNTS && svc.orderTails.appended == (long) ORDERS_PER_MINUTE * minutes && maxLines == TAIL_LINES
                && svc.orderTails.trimmedLines == svc.orderTails.appended - (long) ACCOUNTS * TAIL_LINES, "order tails");
        check(svc.labels.size() == LABEL_CAP && svc.labelsRendered == 21_671 && svc.labels.evicted == svc.labelsRendered - LABEL_CAP, "label cache at cap");
        check(svc.labelBuffers.size() == POOL, "label buffer pool");
        check(svc.readingCount == 6L * HOUSES * minutes && svc.readings[RING - 1] != null, "readings ring");
        check(svc.dispatch.size() == 196 && svc.parcelsPacked == svc.parcelsCollected + svc.dispatch.size(), "dispatch backlog");
    }

    public static void main(String[] args) throws Exception {
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
