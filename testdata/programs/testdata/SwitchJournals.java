// hprofscan-dump: name=switch-journals-1 jvm="-Xmx200m" variants=mxbean args="healthy 160"
// hprofscan-dump: name=switch-journals-2 jvm="-Xmx200m" variants=mxbean args="healthy 320"
// hprofscan-dump: name=switch-journals jvm="-Xmx200m" variants=mxbean args="healthy 480"
// hprofscan-dump: name=switch-journals-parallel jvm="-Xmx200m -XX:+UseParallelGC" variants=jcmd args="healthy 480"
// hprofscan-dump: name=switch-journals-leak-1 jvm="-Xmx200m" variants=mxbean args="leak 160"
// hprofscan-dump: name=switch-journals-leak-2 jvm="-Xmx200m" variants=mxbean args="leak 320"
// hprofscan-dump: name=switch-journals-leak jvm="-Xmx200m" variants=mxbean args="leak 480"
// hprofscan-dump: name=switch-journals-leak-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=jcmd args="leak 480"
// hprofscan-dump: name=switch-journals-leak-short jvm="-Xmx200m" variants=mxbean args="leak 40"
// hprofscan-dump: name=switch-journals-leak-lists jvm="-Xmx200m" variants=mxbean args="lists 480"
// hprofscan-dump: name=switch-journals-leak-records jvm="-Xmx200m" variants=mxbean args="records 480"
// hprofscan-dump: name=switch-journals-leak-records-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=jcmd args="records 480"
package testdata;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The operations service of a metro fibre network: 320 access switches, each with its own
 * journal of port events, kept three ways for three pages of the switch: a StringBuilder of
 * lines (each starting with its ISO time), a list of the same lines, and a deque of the event
 * records. Each is trimmed to its last 40 on every append, but for the one the variant leaks.
 * Beside them: the switches and their 48 ports each (reference data), each switch's running
 * configuration (a byte array), an alarm tail per switch kept to its last 2,048 characters
 * (lines carrying the raise time in epoch milliseconds), an LRU of 800 port lookups at its cap, a
 * ring of the last 2,048 events, and a backlog of 200 open tickets. Traffic is skewed: a switch
 * sees one to seven times the quietest's events.
 * <ul>
 * <li>{@code healthy}: each journal is trimmed to its last 40 on every append.
 * <li>{@code leak}: the StringBuilder journals are never trimmed: 320 StringBuilders that hold
 * every event since start (the map's 320 entries never change; its values grow).
 * <li>{@code lists}: the same with the lists of lines.
 * <li>{@code records}: the same with the deques of event records.
 * </ul>
 * The second argument is the simulated minutes of traffic. Counts depend only on the seed;
 * printed and checked.
 */
public final class SwitchJournals {
    static final long MINUTE = 60_000L;
    static final int SWITCHES = 320, PORTS = 48, JOURNAL_LINES = 40, ALARM_CHARS = 2_048, LRU_CAP = 800, RING = 2_048,
            TICKETS = 200, EVENTS_PER_MINUTE = 330;
    static final String[] KINDS = {"LINK_UP", "LINK_DOWN", "CRC_ERRORS", "MAC_MOVE", "POE_FAULT", "STP_CHANGE"};

    record Port(int index, String label, int speedMbps, boolean poe) {}

    record Switch(String id, String site, String model, Port[] ports) {}

    record PortEvent(String switchId, int port, String kind, long at) {}

    record Ticket(String ref, String switchId, String summary, long openedAt) {}

    /** What the service holds. */
    static final class Operations {
        final Map<String, Switch> switches = new HashMap<>();
        final Map<String, byte[]> runningConfig = new HashMap<>();
        final Map<String, StringBuilder> journals = new HashMap<>();
        final Map<String, List<String>> journalLines = new HashMap<>();
        final Map<String, ArrayDeque<PortEvent>> journalEvents = new HashMap<>();
        final Map<String, StringBuilder> alarmTails = new HashMap<>();
        final Map<String, String> portLookups = new LinkedHashMap<>(LRU_CAP, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> e) {
                return size() > LRU_CAP;
            }
        };
        final PortEvent[] recent = new PortEvent[RING];
        final ArrayDeque<Ticket> openTickets = new ArrayDeque<>();
        long events, alarms, lookups, tickets;
    }

    static Operations ops;

    public static void main(String[] args) throws Exception {
        String mode = args[2];
        int minutes = Integer.parseInt(args[3]);
        long now = System.currentTimeMillis();
        simulate(mode, minutes, now);
        report(mode, minutes);
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void simulate(String mode, int minutes, long now) {
        Random r = new Random(20261207L);
        ops = new Operations();
        String[] ids = new String[SWITCHES];
        int[] weight = new int[SWITCHES];
        int totalWeight = 0;
        for (int i = 0; i < SWITCHES; i++) {
            ids[i] = "msw-" + (100 + i / 40) + "-" + String.format("%03d", i % 40);
            weight[i] = 1 + (i * 7 + 3) % 7;
            totalWeight += weight[i];
            Port[] ports = new Port[PORTS];
            for (int p = 0; p < PORTS; p++) ports[p] = new Port(p + 1, "Gi1/0/" + (p + 1), p < 44 ? 1_000 : 10_000, p % 3 == 0);
            ops.switches.put(ids[i], new Switch(ids[i], "Site " + (i / 40), "AS-" + (24 + r.nextInt(3) * 24), ports));
            byte[] config = new byte[6_000 + r.nextInt(4_000)];
            r.nextBytes(config);
            ops.runningConfig.put(ids[i], config);
            ops.journals.put(ids[i], new StringBuilder(256));
            ops.journalLines.put(ids[i], new ArrayList<>());
            ops.journalEvents.put(ids[i], new ArrayDeque<>());
            ops.alarmTails.put(ids[i], new StringBuilder(ALARM_CHARS + 128));
        }
        long start = now - minutes * MINUTE;
        for (int m = 0; m < minutes; m++) {
            for (int e = 0; e < EVENTS_PER_MINUTE; e++) {
                int s = pick(r, weight, totalWeight);
                long t = start + m * MINUTE + (e * MINUTE) / EVENTS_PER_MINUTE;
                event(mode, ids[s], r, t);
            }
            for (int q = 0; q < 40; q++) lookup(ids[r.nextInt(SWITCHES)], r);
            if (m % 2 == 0) ticket(ids[r.nextInt(SWITCHES)], r, start + m * MINUTE);
        }
    }

    static int pick(Random r, int[] weight, int total) {
        int x = r.nextInt(total);
        for (int i = 0; i < weight.length; i++) {
            x -= weight[i];
            if (x < 0) return i;
        }
        return weight.length - 1;
    }

    static void event(String mode, String id, Random r, long t) {
        int port = 1 + r.nextInt(PORTS);
        String kind = KINDS[r.nextInt(KINDS.length)];
        String line = Instant.ofEpochSecond(t / 1000) + " " + id + " Gi1/0/" + port + " " + kind + " vlan="
                + (100 + r.nextInt(40)) + " peer=" + Long.toHexString(r.nextLong() & 0xffffffffffffL);
        StringBuilder sb = ops.journals.get(id);
        sb.append(line).append('\n');
        if (!mode.equals("leak")) trimToLines(sb, JOURNAL_LINES);
        List<String> lines = ops.journalLines.get(id);
        lines.add(line);
        if (!mode.equals("lists") && lines.size() > JOURNAL_LINES) lines.remove(0);
        ArrayDeque<PortEvent> records = ops.journalEvents.get(id);
        PortEvent event = new PortEvent(id, port, kind, t);
        records.addLast(event);
        if (!mode.equals("records") && records.size() > JOURNAL_LINES) records.removeFirst();
        ops.recent[(int) (ops.events++ % RING)] = event;
        if (kind.equals("POE_FAULT") || kind.equals("CRC_ERRORS")) alarm(id, port, kind, t, r);
    }

    static void trimToLines(StringBuilder sb, int keep) {
        int lines = 0;
        for (int i = sb.length() - 1; i >= 0; i--) {
            if (sb.charAt(i) == '\n' && ++lines == keep + 1) {
                sb.delete(0, i + 1);
                return;
            }
        }
    }

    static void alarm(String id, int port, String kind, long t, Random r) {
        StringBuilder tail = ops.alarmTails.get(id);
        tail.append("ALM|").append(id).append("|port=").append(port).append("|raised=").append(t).append("|kind=").append(kind)
                .append("|sev=").append(1 + r.nextInt(4)).append('\n');
        while (tail.length() > ALARM_CHARS) tail.delete(0, tail.indexOf("\n") + 1);
        ops.alarms++;
    }

    static void lookup(String id, Random r) {
        int port = 1 + r.nextInt(PORTS);
        String key = id + "/" + port + "/" + r.nextInt(30);
        ops.lookups++;
        ops.portLookups.computeIfAbsent(key, k -> "circuit CCT-" + (100_000 + r.nextInt(900_000)) + " customer " + k.hashCode());
    }

    static void ticket(String id, Random r, long t) {
        ops.openTickets.addLast(new Ticket("INC" + (500_000 + ops.tickets++), id, "port flapping on " + id, t));
        if (ops.openTickets.size() > TICKETS) ops.openTickets.removeFirst();
    }

    static void report(String mode, int minutes) {
        long journalChars = 0, journalMax = 0, listMax = 0, recordMax = 0;
        for (StringBuilder sb : ops.journals.values()) {
            journalChars += sb.length();
            journalMax = Math.max(journalMax, lines(sb));
        }
        for (List<String> l : ops.journalLines.values()) listMax = Math.max(listMax, l.size());
        for (ArrayDeque<PortEvent> d : ops.journalEvents.values()) recordMax = Math.max(recordMax, d.size());
        System.out.println(mode + " minutes " + minutes + " events " + ops.events + " alarms " + ops.alarms + " journal chars "
                + journalChars + " max journal lines " + journalMax + " max list lines " + listMax + " max records " + recordMax
                + " lookups " + ops.portLookups.size() + " tickets " + ops.openTickets.size());
        check(ops.events == (long) EVENTS_PER_MINUTE * minutes, "events");
        check(ops.journals.size() == SWITCHES && ops.portLookups.size() == LRU_CAP, "journals, lookups");
        check(ops.openTickets.size() == Math.min(TICKETS, (minutes + 1) / 2), "tickets");
        check((journalMax > JOURNAL_LINES) == mode.equals("leak"), "journal lines");
        check((listMax > JOURNAL_LINES) == mode.equals("lists"), "list lines");
        check((recordMax > JOURNAL_LINES) == mode.equals("records"), "records");
    }

    static long lines(StringBuilder sb) {
        long n = 0;
        for (int i = 0; i < sb.length(); i++) if (sb.charAt(i) == '\n') n++;
        return n;
    }

    static void check(boolean ok, String what) {
        if (!ok) throw new IllegalStateException("count mismatch: " + what);
    }
}
