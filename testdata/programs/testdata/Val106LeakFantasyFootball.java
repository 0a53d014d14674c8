// hprofscan-dump: name=val106-leak-fantasyfootball jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val106-leak-fantasyfootball-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.beans.PropertyChangeEvent;
import java.beans.PropertyChangeListener;
import java.beans.PropertyChangeSupport;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 106 (written blind), LEAK: the live-scoring web tier of a fantasy-football game.
 * Club reference data, the manager directory, a cache of rendered club crests at its cap, a pool of
 * export buffers, a ring of recent transfers, the open squad pages, and the long-lived domain model of
 * every real footballer (PlayerStats, with a java.beans.PropertyChangeSupport). Each squad page's
 * view model registers an inner-class PropertyChangeListener for the property "points" on each of
 * its 11 players, capturing the view model and its rendered rows; closing the page removes the view
 * from the open-pages map but never calls removePropertyChangeListener. See VALIDATION106.md.
 */
public final class Val106LeakFantasyFootball {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int CLUBS = 1_100, MANAGERS = 26_000, FOOTBALLERS = 600, SQUAD = 11, CREST_CAP = 2_000, POOL = 8, RING = 16_384, VIEWS = 6_000, HOURS = 10;
    static boolean FIXED;

    record Club(String code, String league, double[] fixtureDifficulty) {}
    record Manager(String managerId, String teamName, byte[] profile, long joinedAt) {}
    record Crest(String key, byte[] png, long at) {}
    record Transfer(String managerId, String outPlayer, String inPlayer, long at) {}

    /** Long-lived domain model of a real footballer; fires "points" when a match event scores. */
    static final class PlayerStats {
        final String playerId, name, clubCode; int points, goals, assists;
        final PropertyChangeSupport changes = new PropertyChangeSupport(this);
        PlayerStats(String playerId, String name, String clubCode) { this.playerId = playerId; this.name = name; this.clubCode = clubCode; }
        void score(int delta) { int old = points; points += delta; changes.firePropertyChange("points", old, points); }
    }

    static final class Row {
        final String playerId; int points; final byte[] rendered;
        Row(String playerId, int points, byte[] rendered) { this.playerId = playerId; this.points = points; this.rendered = rendered; }
    }

    /** View model of one opened squad page. */
    static final class SquadViewModel {
        final String viewId, managerId; final long openedAt; long closedAt, repaints;
        final List<Row> rows = new ArrayList<>(SQUAD);
        final List<PlayerStats> watched = new ArrayList<>(SQUAD);
        final List<PropertyChangeListener> listeners = new ArrayList<>(SQUAD);
        SquadViewModel(String viewId, String managerId, long openedAt) { this.viewId = viewId; this.managerId = managerId; this.openedAt = openedAt; }

        /** Inner class: captures the view model (and so its rows). */
        final class PointsListener implements PropertyChangeListener {
            final int row;
            PointsListener(int row) { this.row = row; }
            @Override public void propertyChange(PropertyChangeEvent e) { rows.get(row).points = (Integer) e.getNewValue(); repaints++; }
        }

        void open(PlayerStats[] squad, Random rnd) {
            for (int k = 0; k < squad.length; k++) {
                rows.add(new Row(squad[k].playerId, squad[k].points, new byte[80 + rnd.nextInt(80)]));
                PointsListener l = new PointsListener(k);
                squad[k].changes.addPropertyChangeListener("points", l);
                watched.add(squad[k]);
                listeners.add(l);
            }
        }

        void close(long at) {
            closedAt = at;
            if (FIXED) { // the fix: unregister from every watched footballer
                for (int k = 0; k < watched.size(); k++) watched.get(k).changes.removePropertyChangeListener("points", listeners.get(k));
                watched.clear();
                listeners.clear();
            }
            // BUG: the listeners stay registered on the long-lived PlayerStats
        }
    }

    static final class CrestCache extends LinkedHashMap<String, Crest> {
        long evicted;
        CrestCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Crest> e) { if (size() > CREST_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Club> CLUBS_BY_CODE = new HashMap<>();

    static final class ScoringService {
        final Map<String, Manager> managers = new HashMap<>();
        final Map<String, PlayerStats> footballers = new HashMap<>();
        final CrestCache crests = new CrestCache();
        final ArrayDeque<byte[]> exportBuffers = new ArrayDeque<>();
        final Transfer[] recentTransfers = new Transfer[RING];
        long transfers, closedViews, matchEvents;
        final Map<String, SquadViewModel> openViews = new LinkedHashMap<>();
    }

    static ScoringService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(106_030_001);
        String[] clubCodes = new String[CLUBS];
        for (int c = 0; c < CLUBS; c++) {
            double[] difficulty = new double[64];
            for (int k = 0; k < difficulty.length; k++) difficulty[k] = 1 + rnd.nextDouble() * 4;
            clubCodes[c] = "FC" + (2_000 + c);
            CLUBS_BY_CODE.put(clubCodes[c], new Club(clubCodes[c], "League " + (c % 40), difficulty));
        }
        ScoringService svc = new ScoringService();
        SERVICE = svc;
        String[] managerIds = new String[MANAGERS];
        for (int m = 0; m < MANAGERS; m++) {
            managerIds[m] = "M" + (9_100_000 + m);
            svc.managers.put(managerIds[m], new Manager(managerIds[m], "Team " + m, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        PlayerStats[] players = new PlayerStats[FOOTBALLERS];
        for (int p = 0; p < FOOTBALLERS; p++) {
            players[p] = new PlayerStats("PL" + (30_000 + p), "Player " + p, clubCodes[p % 20]);
            svc.footballers.put(players[p].playerId, players[p]);
        }
        for (int b = 0; b < POOL; b++) svc.exportBuffers.add(new byte[32_768]);
        Random traffic = new Random(106_030_002);
        ArrayDeque<SquadViewModel> openOrder = new ArrayDeque<>();
        for (int v = 0; v < VIEWS; v++) {
            long t = start + (end - MINUTE - start) * v / VIEWS;
            String managerId = managerIds[traffic.nextInt(MANAGERS)];
            SquadViewModel vm = new SquadViewModel("view-" + (1_000_000 + v), managerId, t);
            PlayerStats[] squad = new PlayerStats[SQUAD];
            int first = traffic.nextInt(FOOTBALLERS);
            for (int k = 0; k < SQUAD; k++) squad[k] = players[(first + k * 53) % FOOTBALLERS];
            vm.open(squad, traffic);
            svc.openViews.put(vm.viewId, vm);
            openOrder.add(vm);
            // pages stay open for about 100 page views, then the manager navigates away
            if (openOrder.size() > 100) { SquadViewModel old = openOrder.poll(); old.close(t); svc.openViews.remove(old.viewId); svc.closedViews++; }
            for (int e = 0; e < 5; e++) { players[traffic.nextInt(FOOTBALLERS)].score(1 + traffic.nextInt(6)); svc.matchEvents++; }
            svc.recentTransfers[(int) (svc.transfers++ % RING)] = new Transfer(managerId, players[traffic.nextInt(FOOTBALLERS)].playerId, players[traffic.nextInt(FOOTBALLERS)].playerId, t);
            svc.recentTransfers[(int) (svc.transfers++ % RING)] = new Transfer(managerIds[traffic.nextInt(MANAGERS)], players[traffic.nextInt(FOOTBALLERS)].playerId, players[traffic.nextInt(FOOTBALLERS)].playerId, t);
            svc.recentTransfers[(int) (svc.transfers++ % RING)] = new Transfer(managerIds[traffic.nextInt(MANAGERS)], players[traffic.nextInt(FOOTBALLERS)].playerId, players[traffic.nextInt(FOOTBALLERS)].playerId, t);
            String crest = clubCodes[traffic.nextInt(CLUBS)] + "/" + (32 << traffic.nextInt(3)) + "px";
            if (svc.crests.get(crest) == null) svc.crests.put(crest, new Crest(crest, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.exportBuffers.poll();
            buf[v % buf.length] = (byte) v;
            svc.exportBuffers.add(buf);
        }
    }

    static void selfCheck() throws Exception {
        ScoringService svc = SERVICE;
        long listeners = 0;
        int maxPerPlayer = 0;
        for (PlayerStats p : svc.footballers.values()) { int n = p.changes.getPropertyChangeListeners("points").length; listeners += n; maxPerPlayer = Math.max(maxPerPlayer, n); }
        System.out.println((FIXED ? "FIXED " : "") + "clubs " + CLUBS_BY_CODE.size() + " managers " + svc.managers.size() + " footballers " + svc.footballers.size() + " open views " + svc.openViews.size()
                + " closed " + svc.closedViews + " listeners " + listeners + " (max per footballer " + maxPerPlayer + ") match events " + svc.matchEvents + " crests " + svc.crests.size()
                + " (evicted " + svc.crests.evicted + ") pool " + svc.exportBuffers.size() + " transfers " + svc.transfers);
        check(CLUBS_BY_CODE.size() == CLUBS && svc.managers.size() == MANAGERS && svc.footballers.size() == FOOTBALLERS, "reference data / directories");
        check(svc.openViews.size() == 100 && svc.closedViews == VIEWS - 100, "views");
        if (FIXED) check(listeners == 100L * SQUAD, "listeners of open views only: " + listeners);
        else check(listeners == (long) VIEWS * SQUAD, "every listener ever registered: " + listeners);
        check(svc.crests.size() == CREST_CAP && svc.crests.evicted > 0, "crest cache at cap");
        check(svc.exportBuffers.size() == POOL, "pool");
        check(svc.transfers == 3L * VIEWS && svc.recentTransfers[RING - 1] != null, "ring");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val106.fixed");
        run();
        selfCheck(); // in its own frame: no local of main references the structures at the dump
        LeakCheck.histogram("[I "); // also the int[] row (filler arrays vary under SerialGC)
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
