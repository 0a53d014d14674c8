// hprofscan-dump: name=val41-leak-cobblers jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val41-leak-cobblers-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Timer;
import java.util.TimerTask;

/**
 * Validation set 41 (written blind), LEAK: the ticket service of a chain of shoe-repair shops
 * (cobblers). Leather reference data, the customer directory, an LRU of rendered ticket labels at its
 * cap, a pool of stitching-machine buffers, a ring of collection receipts, the open tickets. At
 * drop-off the card is pre-authorised and a HoldReleaseTask (holding the ticket) is scheduled on a
 * java.util.Timer for drop-off + 7 days, to release the hold if the shoes are never collected; on
 * collection the payment is captured and the task is cancelled. TimerTask.cancel() only marks the
 * task: java.util.Timer keeps a cancelled task in its queue until its execution time (7 days later)
 * unless purge() is called, and nobody calls it. Every collected ticket stays in the timer's queue.
 * Threads: exactly one besides main, the Timer's thread "preauth-release" (daemon), which sleeps
 * until the nightly settlement task (the earliest task, never cancelled) is due. See VALIDATION41.md.
 */
public final class Val41LeakCobblers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, HOLD = 7 * DAY;
    static final int LEATHERS = 1_000, CUSTOMERS = 25_000, LABEL_CAP = 2_000, POOL = 8, RING = 4_096, HOURS = 10, SHOPS = 150;
    static final String[] REPAIRS = {"heel", "half-sole", "full-sole", "stitching", "zip", "stretch", "dye", "welt"};
    static boolean FIXED;

    record Leather(String code, String name, double[] tensileByThickness) {}
    record Customer(String id, String name, byte[] footwearNotes, long since) {}
    record TicketLabel(String key, byte[] rendered, long at) {}
    record CollectionReceipt(String ticketId, String customerId, int capturedCents, long collectedAt) {}
    record RepairTicket(String ticketId, String shop, String customerId, String repair, String leatherCode, byte[] dropOffPhoto, long droppedAt, long readyAt, String preauthId, int heldCents) {}

    /** Releases the card hold if the shoes were never collected. */
    static final class HoldReleaseTask extends TimerTask {
        final RepairTicket ticket;
        final long releaseAt;
        HoldReleaseTask(RepairTicket ticket, long releaseAt) { this.ticket = ticket; this.releaseAt = releaseAt; }
        @Override public void run() { /* call the acquirer to void ticket.preauthId() */ }
    }

    static final class NightlySettlementTask extends TimerTask {
        @Override public void run() { /* settle the day's captures */ }
    }

    static final class LabelCache extends LinkedHashMap<String, TicketLabel> {
        long evicted;
        LabelCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, TicketLabel> e) { if (size() > LABEL_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Leather> LEATHERS_BY_CODE = new HashMap<>();

    static final class RepairService {
        final Map<String, Customer> customers = new HashMap<>();
        final Map<String, HoldReleaseTask> openTickets = new HashMap<>();
        final Timer holdTimer = new Timer("preauth-release", true);
        final LabelCache labels = new LabelCache();
        final ArrayDeque<byte[]> stitcherBuffers = new ArrayDeque<>();
        final CollectionReceipt[] receipts = new CollectionReceipt[RING];
        long receiptsWritten, purged;

        void collect(String ticketId, long at) {
            HoldReleaseTask task = openTickets.remove(ticketId);
            task.cancel(); // the payment is captured: no release needed
            if (FIXED) purged += holdTimer.purge();
            receipts[(int) (receiptsWritten++ % RING)] = new CollectionReceipt(ticketId, task.ticket.customerId(), task.ticket.heldCents(), at);
        }
    }

    static RepairService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val41.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(41_040_001);
        String[] leatherCodes = new String[LEATHERS];
        for (int l = 0; l < LEATHERS; l++) {
            double[] t = new double[64];
            for (int k = 0; k < t.length; k++) t[k] = 10 + rnd.nextDouble() * 30;
            leatherCodes[l] = "LT-" + (1_000 + l);
            LEATHERS_BY_CODE.put(leatherCodes[l], new Leather(leatherCodes[l], "Leather " + l, t));
        }
        RepairService svc = new RepairService();
        SERVICE = svc;
        // The nightly settlement: the earliest task in the timer (tomorrow 02:00 UTC, at least 2 hours away), never cancelled.
        long nightly = end - end % DAY + DAY + 2 * HOUR;
        if (nightly - now < 2 * HOUR) nightly += DAY;
        svc.holdTimer.scheduleAtFixedRate(new NightlySettlementTask(), new Date(nightly), DAY);
        String[] customerIds = new String[CUSTOMERS];
        for (int c = 0; c < CUSTOMERS; c++) {
            customerIds[c] = "CU-" + (500_000 + c * 9);
            svc.customers.put(customerIds[c], new Customer(customerIds[c], "Customer " + c, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(5_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.stitcherBuffers.add(new byte[32_768]);
        Thread timerThread = null;
        for (int i = 0; i < 200 && timerThread == null; i++) {
            for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().equals("preauth-release") && t.getState() == Thread.State.TIMED_WAITING) timerThread = t;
            if (timerThread == null) Thread.sleep(10);
        }
        check(timerThread != null, "timer thread sleeping until the nightly task");

        Random traffic = new Random(41_040_002);
        List<WeakReference<HoldReleaseTask>> probes = new ArrayList<>();
        PriorityQueue<Object[]> collections = new PriorityQueue<>((a, b) -> ((Long) a[0]).compareTo((Long) b[0]) != 0 ? ((Long) a[0]).compareTo((Long) b[0]) : ((String) a[1]).compareTo((String) b[1]));
        long dropped = 0, collected = 0;
        for (long minute = start; minute < end; minute += MINUTE) {
            while (!collections.isEmpty() && (Long) collections.peek()[0] <= minute) {
                Object[] c = collections.poll();
                svc.collect((String) c[1], (Long) c[0]);
                collected++;
            }
            int arrivals = 11 + traffic.nextInt(9);
            for (int k = 0; k < arrivals; k++) {
                long at = minute + traffic.nextInt(60_000);
                String shop = "S" + (100 + traffic.nextInt(SHOPS));
                String ticketId = shop + "-" + (60_000 + dropped);
                String customer = customerIds[traffic.nextInt(CUSTOMERS)];
                String repair = REPAIRS[traffic.nextInt(REPAIRS.length)];
                String leather = leatherCodes[traffic.nextInt(LEATHERS)];
                long ready = at + (long) (20 + traffic.nextInt(160)) * MINUTE;
                RepairTicket t = new RepairTicket(ticketId, shop, customer, repair, leather, new byte[300 + traffic.nextInt(400)], at, ready, "PA-" + Long.toHexString(0x5A000000L + dropped * 7919), 1_500 + traffic.nextInt(9_000));
                HoldReleaseTask task = new HoldReleaseTask(t, at + HOLD);
                svc.holdTimer.schedule(task, new Date(at + HOLD));
                svc.openTickets.put(ticketId, task);
                probes.add(new WeakReference<>(task));
                dropped++;
                byte[] buf = svc.stitcherBuffers.poll();
                buf[(int) (dropped % buf.length)] = (byte) dropped;
                svc.stitcherBuffers.add(buf);
                String labelKey = shop + "/" + repair + "/" + leather;
                if (svc.labels.get(labelKey) == null) svc.labels.put(labelKey, new TicketLabel(labelKey, new byte[400 + traffic.nextInt(400)], at));
                long collectAt = ready + (long) traffic.nextInt(90) * MINUTE;
                collections.add(new Object[] {collectAt - collectAt % MINUTE + MINUTE, ticketId});
            }
        }
        int open = collections.size();
        collections = null;
        System.gc();
        int liveTasks = 0;
        for (WeakReference<HoldReleaseTask> r : probes) if (r.get() != null) liveTasks++;
        probes = null;
        Thread.State timerState = timerThread.getState();
        timerThread = null;
        System.out.println((FIXED ? "FIXED " : "") + "leathers " + LEATHERS_BY_CODE.size() + " customers " + svc.customers.size() + " dropped " + dropped + " collected " + collected + " open " + open
                + " open-tickets " + svc.openTickets.size() + " hold tasks alive " + liveTasks + " purged " + svc.purged + " timer " + timerState + " nightly in " + (nightly - now) / MINUTE + " min"
                + " labels " + svc.labels.size() + " (evicted " + svc.labels.evicted + ") receipts " + svc.receiptsWritten + " pool " + svc.stitcherBuffers.size());
        check(LEATHERS_BY_CODE.size() == LEATHERS && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(dropped == EXPECTED_DROPPED && collected == EXPECTED_COLLECTED && open == dropped - collected && svc.openTickets.size() == open, "tickets");
        check(liveTasks == (FIXED ? open : dropped) && svc.purged == (FIXED ? collected : 0), "hold-release tasks alive: " + liveTasks);
        check(timerState == Thread.State.TIMED_WAITING, "timer thread state " + timerState);
        check(svc.labels.size() == LABEL_CAP && svc.labels.evicted == EXPECTED_LABELS_EVICTED, "label LRU at cap");
        check(svc.stitcherBuffers.size() == POOL && svc.receiptsWritten == collected && svc.receipts[RING - 1] != null, "pool / receipts");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static final long EXPECTED_DROPPED = 8_923, EXPECTED_COLLECTED = 6_756, EXPECTED_LABELS_EVICTED = 6_914;
}
