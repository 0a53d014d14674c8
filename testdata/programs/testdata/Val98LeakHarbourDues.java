// hprofscan-dump: name=val98-leak-harbourdues jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val98-leak-harbourdues-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.beans.PropertyChangeEvent;
import java.beans.PropertyChangeListener;
import java.beans.PropertyChangeSupport;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 98 (written blind), LEAK: the dues-statement service of a harbour authority.
 * Berth reference data, the vessel directory, a cache of rendered tariff pages at its cap, a pool
 * of print buffers, a ring of recent port calls, and the port settings (locale, currency format)
 * with a java.beans.PropertyChangeSupport. Every statement request creates a StatementFormatter
 * that registers a "locale" listener (a method reference to itself) on the long-lived settings so
 * that it re-renders when the harbour master switches the statement locale; the request handler
 * discards the formatter without removePropertyChangeListener, so the settings' listener array
 * pins every formatter ever created with its due lines and rendered statement. See VALIDATION98.md.
 */
public final class Val98LeakHarbourDues {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int BERTHS = 1_300, VESSELS = 22_000, TARIFF_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, PORT_CALLS_PER_HOUR = 1_500;
    static boolean FIXED;

    record Berth(String code, String quay, double[] tideWindows) {}
    record Vessel(String imo, String name, String flag, int grossTonnage, byte[] registration, long registeredAt) {}
    record TariffPage(String key, byte[] rendered, long at) {}
    record PortCall(String imo, String berthCode, long arrivedAt, long departedAt) {}
    record DueLine(String code, String text, long pence) {}

    /** Long-lived port settings; components listen for changes. */
    static final class PortSettings {
        final PropertyChangeSupport changes = new PropertyChangeSupport(this);
        Locale locale = Locale.UK;
        String currencyFormat = "GBP #,##0.00";
        long changesFired;
        void setLocale(Locale l) { Locale old = locale; locale = l; changesFired++; changes.firePropertyChange("locale", old, l); }
        void setCurrencyFormat(String f) { String old = currencyFormat; currencyFormat = f; changesFired++; changes.firePropertyChange("currencyFormat", old, f); }
    }

    /** Long-lived components registered once at startup for every property. */
    static final class SettingsWatcher implements PropertyChangeListener {
        final String component; long seen;
        SettingsWatcher(String component) { this.component = component; }
        @Override public void propertyChange(PropertyChangeEvent e) { seen++; }
    }

    /** Per request: formats one dues statement. */
    static final class StatementFormatter {
        final String statementNo;
        final Vessel vessel;
        final List<DueLine> lines = new ArrayList<>();
        final PortSettings settings;
        final PropertyChangeListener localeListener = this::onLocaleChanged;
        Locale locale;
        byte[] rendered;
        boolean stale;
        StatementFormatter(String statementNo, Vessel vessel, PortSettings settings) {
            this.statementNo = statementNo; this.vessel = vessel; this.settings = settings; this.locale = settings.locale;
            settings.changes.addPropertyChangeListener("locale", localeListener);
        }
        void onLocaleChanged(PropertyChangeEvent e) { locale = (Locale) e.getNewValue(); stale = true; }
        byte[] render(Random r) { rendered = new byte[300 + r.nextInt(300)]; stale = false; return rendered; }
        void close() { settings.changes.removePropertyChangeListener("locale", localeListener); }
    }

    static final class TariffCache extends LinkedHashMap<String, TariffPage> {
        long evicted;
        TariffCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, TariffPage> e) { if (size() > TARIFF_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Berth> BERTHS_BY_CODE = new HashMap<>();

    static final class DuesService {
        final Map<String, Vessel> vessels = new HashMap<>();
        final TariffCache tariffPages = new TariffCache();
        final ArrayDeque<byte[]> printBuffers = new ArrayDeque<>();
        final PortCall[] portCalls = new PortCall[RING];
        long calls, statements;
        final PortSettings settings = new PortSettings();
        final List<SettingsWatcher> watchers = new ArrayList<>();

        byte[] statement(Vessel v, String berth, long at, Random r) {
            StatementFormatter f = new StatementFormatter("HD-" + (60_000_000L + statements++), v, settings);
            try {
                int n = 3 + r.nextInt(6);
                String[] codes = {"TONNAGE", "PILOTAGE", "TOWAGE", "BERTHING", "WASTE", "LIGHT-DUES"};
                for (int k = 0; k < n; k++) {
                    String code = codes[k % codes.length];
                    f.lines.add(new DueLine(code, code + " " + v.name() + " at " + berth + " #" + k, 1_000 + r.nextInt(500_000)));
                }
                return f.render(r);
            } finally {
                if (FIXED) f.close();
                // BUG: otherwise the formatter is dropped while still registered as a listener
            }
        }
    }

    static DuesService SERVICE;
    static long STATEMENTS_EXPECTED;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void build() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(98_020_001);
        String[] berthCodes = new String[BERTHS];
        for (int b = 0; b < BERTHS; b++) {
            double[] tide = new double[72];
            for (int k = 0; k < tide.length; k++) tide[k] = rnd.nextDouble() * 6;
            berthCodes[b] = "BER-" + (b / 50) + "-" + (b % 50);
            BERTHS_BY_CODE.put(berthCodes[b], new Berth(berthCodes[b], "Quay " + (b / 50), tide));
        }
        DuesService svc = new DuesService();
        SERVICE = svc;
        for (String c : new String[] {"invoice-printer", "berth-board", "email-renderer", "audit-trail"}) {
            SettingsWatcher w = new SettingsWatcher(c);
            svc.watchers.add(w);
            svc.settings.changes.addPropertyChangeListener(w);
        }
        String[] imos = new String[VESSELS];
        String[] flags = {"GB", "IE", "NO", "NL", "PA", "LR", "MT", "BS"};
        for (int v = 0; v < VESSELS; v++) {
            imos[v] = "IMO" + (9_100_000 + v * 7);
            svc.vessels.put(imos[v], new Vessel(imos[v], "MV Vessel " + v, flags[v % flags.length], 500 + rnd.nextInt(90_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.printBuffers.add(new byte[32_768]);
        Random traffic = new Random(98_020_002);
        int total = PORT_CALLS_PER_HOUR * HOURS;
        Locale[] seasons = {Locale.FRANCE, Locale.GERMANY, Locale.UK};
        int changes = 0;
        long statements = 0;
        for (int i = 0; i < total; i++) {
            long t = start + (end - MINUTE - start) * i / total;
            if (changes < seasons.length && t >= start + (2 + 3L * changes) * HOUR) {
                svc.settings.setLocale(seasons[changes++]); // the harbour master switches the statement locale
            }
            Vessel v = svc.vessels.get(imos[traffic.nextInt(VESSELS)]);
            String berth = berthCodes[traffic.nextInt(BERTHS)];
            long arrived = t - (1 + traffic.nextInt(48)) * HOUR;
            svc.portCalls[(int) (svc.calls++ % RING)] = new PortCall(v.imo(), berth, arrived, t);
            String key = "tariff-" + traffic.nextInt(5_000);
            if (svc.tariffPages.get(key) == null) svc.tariffPages.put(key, new TariffPage(key, new byte[500 + traffic.nextInt(500)], t));
            if (traffic.nextInt(5) < 2) {
                byte[] pdf = svc.statement(v, berth, t, traffic);
                byte[] buf = svc.printBuffers.poll();
                System.arraycopy(pdf, 0, buf, 0, Math.min(pdf.length, 64));
                svc.printBuffers.add(buf);
                statements++;
            }
        }
        svc.settings.setCurrencyFormat("GBP #,##0.00;(GBP #,##0.00)");
        STATEMENTS_EXPECTED = statements;
    }

    static void verify() {
        DuesService svc = SERVICE;
        int localeListeners = svc.settings.changes.getPropertyChangeListeners("locale").length;
        int allListeners = svc.settings.changes.getPropertyChangeListeners().length;
        System.out.println((FIXED ? "FIXED " : "") + "berths " + BERTHS_BY_CODE.size() + " vessels " + svc.vessels.size() + " port calls " + svc.calls + " statements " + svc.statements
                + " locale listeners " + localeListeners + " all listeners " + allListeners + " changes fired " + svc.settings.changesFired + " watcher saw " + svc.watchers.get(0).seen
                + " tariff pages " + svc.tariffPages.size() + " (evicted " + svc.tariffPages.evicted + ") pool " + svc.printBuffers.size());
        check(BERTHS_BY_CODE.size() == BERTHS && svc.vessels.size() == VESSELS, "reference data / directory");
        check(svc.calls == (long) PORT_CALLS_PER_HOUR * HOURS && svc.statements == STATEMENTS_EXPECTED, "traffic");
        check(svc.settings.changesFired == 4 && svc.watchers.get(0).seen == 4, "settings changes");
        if (FIXED) check(localeListeners == 0 && allListeners == 4, "only the long-lived listeners");
        else check(localeListeners == svc.statements && allListeners == 4 + svc.statements, "every formatter still registered: " + localeListeners);
        check(svc.tariffPages.size() == TARIFF_CAP && svc.tariffPages.evicted > 0, "tariff cache at cap");
        check(svc.printBuffers.size() == POOL, "pool");
        check(svc.calls > RING && svc.portCalls[RING - 1] != null, "port-call ring wrapping");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val98.fixed");
        build();
        verify();
        LeakCheck.histogram(" [I ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
