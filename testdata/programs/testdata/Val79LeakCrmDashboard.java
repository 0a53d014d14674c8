// hprofscan-dump: name=val79-leak-crmdashboard jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val79-leak-crmdashboard-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.beans.PropertyChangeEvent;
import java.beans.PropertyChangeListener;
import java.beans.PropertyChangeSupport;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 79 (written blind), LEAK: the account pages of a CRM web dashboard. Region
 * reference data, the customer-account directory, a cache of rendered pipeline charts at its cap, a
 * pool of PDF export buffers, a ring of recent page views, and a long-lived shared DashboardSettings
 * object (currency, locale, fiscal-year start) with java.beans property-change support. Every page
 * request builds a short-lived AccountViewModel that registers an anonymous PropertyChangeListener
 * (capturing the view model) on the shared settings so that it can re-render on a settings change,
 * and never removes it. See VALIDATION79.md.
 */
public final class Val79LeakCrmDashboard {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int REGIONS = 1_000, ACCOUNTS = 24_000, CHART_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, VIEWS_PER_HOUR = 2_000;
    static boolean FIXED;

    record Region(String code, String name, double[] monthlyTargets) {}
    record Account(String accountId, String regionCode, String owner, byte[] notes, long createdAt) {}
    record Chart(String key, byte[] rendered, long at) {}
    record PageView(String accountId, String user, long at) {}

    /** Long-lived settings shared by every page. */
    static final class DashboardSettings {
        final PropertyChangeSupport changes = new PropertyChangeSupport(this);
        String currency = "EUR", locale = "en-GB";
        int fiscalYearStartMonth = 1;
        void addListener(PropertyChangeListener l) { changes.addPropertyChangeListener(l); }
        void removeListener(PropertyChangeListener l) { changes.removePropertyChangeListener(l); }
        void setCurrency(String c) { String old = currency; currency = c; changes.firePropertyChange("currency", old, c); }
    }

    /** Per-request view model; dropped when the page has been rendered. */
    static final class AccountViewModel {
        final String accountId;
        final long createdAt;
        byte[] summary;
        int rerenders;
        PropertyChangeListener listener;
        AccountViewModel(String accountId, long createdAt, byte[] summary) { this.accountId = accountId; this.createdAt = createdAt; this.summary = summary; }
        void bind(DashboardSettings settings) {
            listener = new PropertyChangeListener() {
                @Override public void propertyChange(PropertyChangeEvent evt) { rerenders++; summary[0] = (byte) rerenders; }
            };
            settings.addListener(listener);
        }
        void close(DashboardSettings settings) {
            if (FIXED) settings.removeListener(listener);
            // BUG: the listener (and through it this view model) stays registered on the settings
        }
    }

    static final class ChartCache extends LinkedHashMap<String, Chart> {
        long evicted;
        ChartCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Chart> e) { if (size() > CHART_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Region> REGIONS_BY_CODE = new HashMap<>();

    static final class Dashboard {
        final DashboardSettings settings = new DashboardSettings();
        final Map<String, Account> accounts = new HashMap<>();
        final ChartCache charts = new ChartCache();
        final ArrayDeque<byte[]> exportBuffers = new ArrayDeque<>();
        final PageView[] views = new PageView[RING];
        long pageViews, settingChanges;
    }

    static Dashboard SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val79.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(79_030_001);
        String[] regionCodes = new String[REGIONS];
        for (int r = 0; r < REGIONS; r++) {
            double[] targets = new double[72];
            for (int k = 0; k < targets.length; k++) targets[k] = rnd.nextDouble() * 1e5;
            String code = "RG-" + (6_000 + r);
            regionCodes[r] = code;
            REGIONS_BY_CODE.put(code, new Region(code, "Region " + r, targets));
        }
        Dashboard d = new Dashboard();
        SERVICE = d;
        // three long-lived subscribers of the settings (legitimate)
        long[] appWide = new long[3];
        for (int k = 0; k < 3; k++) { final int idx = k; d.settings.addListener(evt -> appWide[idx]++); }
        String[] ids = new String[ACCOUNTS];
        for (int a = 0; a < ACCOUNTS; a++) {
            String id = "ACC-" + (1_000_000 + a);
            ids[a] = id;
            d.accounts.put(id, new Account(id, regionCodes[rnd.nextInt(REGIONS)], "rep" + (a % 400), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) d.exportBuffers.add(new byte[32_768]);
        Random traffic = new Random(79_030_002);
        String[] currencies = {"EUR", "USD", "GBP"};
        int views = VIEWS_PER_HOUR * HOURS;
        for (int i = 0; i < views; i++) {
            long t = start + (end - MINUTE - start) * i / views;
            if (i > 0 && i % 1_000 == 0) { d.settings.setCurrency(currencies[(i / 1_000) % currencies.length]); d.settingChanges++; }
            String id = ids[traffic.nextInt(ACCOUNTS)];
            String user = "rep" + traffic.nextInt(400);
            AccountViewModel vm = new AccountViewModel(id, t, new byte[200 + traffic.nextInt(200)]);
            vm.bind(d.settings);
            d.views[(int) (d.pageViews++ % RING)] = new PageView(id, user, t);
            String ck = regionCodes[traffic.nextInt(REGIONS)] + "/q" + traffic.nextInt(8);
            if (d.charts.get(ck) == null) d.charts.put(ck, new Chart(ck, new byte[500 + traffic.nextInt(500)], t));
            if (i % 10 == 0) {
                byte[] buf = d.exportBuffers.poll();
                buf[i % buf.length] = (byte) i;
                d.exportBuffers.add(buf);
            }
            vm.close(d.settings);
        }
        int listeners = d.settings.changes.getPropertyChangeListeners().length;
        System.out.println((FIXED ? "FIXED " : "") + "regions " + REGIONS_BY_CODE.size() + " accounts " + d.accounts.size() + " listeners " + listeners + " settingChanges " + d.settingChanges + " appWide " + appWide[0]
                + " charts " + d.charts.size() + " (evicted " + d.charts.evicted + ") pool " + d.exportBuffers.size() + " views " + d.pageViews);
        check(REGIONS_BY_CODE.size() == REGIONS && d.accounts.size() == ACCOUNTS, "reference data / directory");
        check(appWide[0] == d.settingChanges && d.settingChanges == views / 1_000 - 1, "settings changes");
        if (FIXED) check(listeners == 3, "only app-wide listeners: " + listeners);
        else check(listeners == views + 3, "every view model still registered: " + listeners);
        check(d.charts.size() == CHART_CAP && d.charts.evicted > 0, "chart cache at cap");
        check(d.exportBuffers.size() == POOL, "pool");
        check(d.pageViews == views && d.views[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
