// hprofscan-dump: name=val148-leak-timberauctions-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val148-leak-timberauctions-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val148-leak-timberauctions jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val148-leak-timberauctions-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
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
 * Validation set 148 (written blind), LEAK: the live bidding service of a timber auction house.
 * Timber-grade reference data, the lot directory, a cache of rendered catalogue pages at its cap, a
 * pool of print buffers, a ring of recent bids, and the live price board: a bean with a
 * java.beans.PropertyChangeSupport. Every bidder view that opens registers two listeners on it
 * (named properties "hammerPrice" and "lotStatus"), each capturing the view's session state; when
 * the view closes the session is dropped from the open-session map but the listeners are never
 * removed. See VALIDATION148.md.
 */
public final class Val148LeakTimberAuctions {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, VIEW_LIFETIME = 20 * MINUTE;
    static final int GRADES = 1_000, LOTS = 20_000, PAGE_CAP = 2_000, POOL = 8, RING = 8_192, VIEWS_PER_HOUR = 1_500, BIDS_PER_HOUR = 5_000;
    static boolean FIXED;

    record TimberGrade(String code, String species, double[] priceHistory) {}
    record Lot(String lotNo, String gradeCode, String yard, byte[] inspectionReport, long listedAt) {}
    record CataloguePage(String key, byte[] rendered, long at) {}
    record Bid(String lotNo, String bidderId, long amountPence, long at) {}

    /** A bidder's live view of the board (the state its listeners capture). */
    static final class BidderSession {
        final String sessionId, bidderId; final long openedAt; final byte[] viewState; final List<String> watchedLots = new ArrayList<>(8);
        long lastPrice; String lastStatus; int updates; boolean closed;
        BidderSession(String sessionId, String bidderId, long openedAt, byte[] viewState) { this.sessionId = sessionId; this.bidderId = bidderId; this.openedAt = openedAt; this.viewState = viewState; }
    }

    /** Listener registered by a view on one named property of the board. */
    static final class BoardListener implements PropertyChangeListener {
        final BidderSession session; final String property;
        BoardListener(BidderSession session, String property) { this.session = session; this.property = property; }
        @Override public void propertyChange(PropertyChangeEvent ev) {
            if (ev.getPropertyName().equals("hammerPrice")) session.lastPrice = (Long) ev.getNewValue(); else session.lastStatus = (String) ev.getNewValue();
            session.updates++;
        }
    }

    /** The long-lived model bean every bidder view watches. */
    static final class PriceBoard {
        final PropertyChangeSupport changes = new PropertyChangeSupport(this);
        long hammerPrice; String lotStatus = "OPEN"; long hammered;
        void hammer(long price, String status) {
            long old = hammerPrice; hammerPrice = price; changes.firePropertyChange("hammerPrice", old, price);
            String oldStatus = lotStatus; lotStatus = status; changes.firePropertyChange("lotStatus", oldStatus, status);
            hammered++;
        }
    }

    static final class PageCache extends LinkedHashMap<String, CataloguePage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, CataloguePage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, TimberGrade> GRADES_BY_CODE = new HashMap<>();

    static final class AuctionHouse {
        final Map<String, Lot> lots = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> printBuffers = new ArrayDeque<>();
        final Bid[] recentBids = new Bid[RING];
        long bids;
        final PriceBoard board = new PriceBoard();
        final Map<String, BidderSession> openSessions = new HashMap<>();
        final Map<String, BoardListener[]> listenersBySession = new HashMap<>(); // only used by the fix
        long opened, closed;

        void openView(BidderSession s) {
            BoardListener price = new BoardListener(s, "hammerPrice"), status = new BoardListener(s, "lotStatus");
            board.changes.addPropertyChangeListener("hammerPrice", price);
            board.changes.addPropertyChangeListener("lotStatus", status);
            if (FIXED) listenersBySession.put(s.sessionId, new BoardListener[] {price, status});
            openSessions.put(s.sessionId, s);
            opened++;
        }

        void closeView(String sessionId) {
            BidderSession s = openSessions.remove(sessionId);
            s.closed = true;
            closed++;
            if (FIXED) { // the fix: a closing view unregisters both of its listeners
                BoardListener[] ls = listenersBySession.remove(sessionId);
                board.changes.removePropertyChangeListener("hammerPrice", ls[0]);
                board.changes.removePropertyChangeListener("lotStatus", ls[1]);
            }
            // BUG: the listeners stay registered on the board (and keep the closed session)
        }
    }

    static AuctionHouse SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val148.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int views = VIEWS_PER_HOUR * hours, bidsTotal = BIDS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(148_010_001);
        String[] gradeCodes = new String[GRADES];
        String[] species = {"Oak", "Ash", "Douglas fir", "Larch", "Sitka spruce", "Beech", "Sycamore", "Scots pine"};
        for (int g = 0; g < GRADES; g++) {
            double[] history = new double[64];
            for (int k = 0; k < history.length; k++) history[k] = 40 + rnd.nextDouble() * 300;
            String code = "TG-" + (3_000 + g);
            gradeCodes[g] = code;
            GRADES_BY_CODE.put(code, new TimberGrade(code, species[g % species.length], history));
        }
        AuctionHouse svc = new AuctionHouse();
        SERVICE = svc;
        String[] lotNos = new String[LOTS];
        for (int l = 0; l < LOTS; l++) {
            String no = "LOT-" + (480_000 + l);
            lotNos[l] = no;
            svc.lots.put(no, new Lot(no, gradeCodes[rnd.nextInt(GRADES)], "Yard " + (l % 40), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(90)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.printBuffers.add(new byte[32_768]);
        Random traffic = new Random(148_010_002);
        // Views open every 2.4 s and stay open 20 minutes; bids arrive every 0.72 s; a lot is hammered every minute.
        long viewEvery = HOUR / VIEWS_PER_HOUR;
        ArrayDeque<BidderSession> openOrder = new ArrayDeque<>();
        int v = 0;
        long nextHammer = start + MINUTE;
        for (int i = 0; i < bidsTotal; i++) {
            long t = start + hours * HOUR * i / bidsTotal;
            while (v < views && start + v * viewEvery <= t) {
                long at = start + v * viewEvery;
                while (!openOrder.isEmpty() && openOrder.peekFirst().openedAt + VIEW_LIFETIME <= at) svc.closeView(openOrder.pollFirst().sessionId);
                BidderSession s = new BidderSession("view-" + (9_100_000 + v), "B" + (20_000 + traffic.nextInt(8_000)), at, new byte[256 + traffic.nextInt(256)]);
                for (int w = 0; w < 8; w++) s.watchedLots.add(lotNos[traffic.nextInt(LOTS)]);
                svc.openView(s);
                openOrder.addLast(s);
                v++;
            }
            while (nextHammer <= t) { svc.board.hammer(1_000 + traffic.nextInt(900_000), traffic.nextInt(10) == 0 ? "WITHDRAWN" : "SOLD"); nextHammer += MINUTE; }
            String lot = lotNos[traffic.nextInt(LOTS)];
            svc.recentBids[(int) (svc.bids++ % RING)] = new Bid(lot, "B" + (20_000 + traffic.nextInt(8_000)), 1_000 + traffic.nextInt(900_000), t);
            if (i % 2 == 0) {
                String key = "cat-" + traffic.nextInt(6_000);
                if (svc.pages.get(key) == null) svc.pages.put(key, new CataloguePage(key, new byte[400 + traffic.nextInt(400)], t));
                byte[] buf = svc.printBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.printBuffers.add(buf);
            }
        }
        while (!openOrder.isEmpty() && openOrder.peekFirst().openedAt + VIEW_LIFETIME <= end) svc.closeView(openOrder.pollFirst().sessionId);
        openOrder = null;
        int registered = svc.board.changes.getPropertyChangeListeners("hammerPrice").length;
        int registeredStatus = svc.board.changes.getPropertyChangeListeners("lotStatus").length;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " grades " + GRADES_BY_CODE.size() + " lots " + svc.lots.size() + " views opened " + svc.opened + " closed " + svc.closed
                + " open " + svc.openSessions.size() + " listeners hammerPrice " + registered + " lotStatus " + registeredStatus + " hammered " + svc.board.hammered
                + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.printBuffers.size() + " bids " + svc.bids);
        check(GRADES_BY_CODE.size() == GRADES && svc.lots.size() == LOTS, "reference data / directory");
        check(svc.opened == views && svc.openSessions.size() == 499 && svc.closed == views - 499, "views: " + svc.openSessions.size());
        check(svc.board.hammered == hours * 60L - 1, "hammered: " + svc.board.hammered);
        if (FIXED) check(registered == 499 && registeredStatus == 499, "listeners of open views only");
        else check(registered == views && registeredStatus == views, "listeners never removed: " + registered);
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.printBuffers.size() == POOL, "pool");
        check(svc.bids == bidsTotal && svc.recentBids[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
