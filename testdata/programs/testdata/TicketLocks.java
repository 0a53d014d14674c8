// hprofscan-dump: name=ticket-locks jvm="-Xmx200m" variants=mxbean args="healthy"
// hprofscan-dump: name=ticket-locks-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=jcmd args="healthy"
// hprofscan-dump: name=ticket-locks-leak jvm="-Xmx200m" variants=mxbean args="leak"
// hprofscan-dump: name=ticket-locks-leak-parallel jvm="-Xmx200m -XX:+UseParallelGC" variants=mxbean args="leak"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The help desk of a software vendor: agents edit support tickets, which live in the database;
 * an edit takes the ticket's lock ({@code Desk.ticketLocks}, a {@code ConcurrentHashMap<String,
 * ReentrantLock>} filled by {@code computeIfAbsent}) so that two agents never save the same
 * ticket at once, and each of the 1,600 agents has a lock of their own for their queue
 * ({@code Desk.agentLocks}, keyed like the agents' directory). Beside them: the agents'
 * directory, 2,000 knowledge-base articles, an LRU of 1,500 rendered ticket views (keyed by
 * view id) and a ring of recent edits. 60,000 edits of 30,000 tickets over 12 hours.
 * <ul>
 * <li>{@code healthy}: releasing a ticket's lock removes it when no one waits: the map holds the
 * locks of the edits in progress (a handful). No leak; the 1,600 agent locks stay by design.
 * <li>{@code leak}: ticket locks are never removed: 30,000 free locks for every ticket ever
 * edited, keyed by ids no other structure holds. The leak is {@code Desk.ticketLocks}.
 * </ul>
 * Fixed numbers (printed).
 */
public final class TicketLocks {
    static final long MINUTE = 60_000L;
    static final int AGENTS = 1_600, TICKETS = 30_000, EDITS = 60_000, VIEW_CAP = 1_500, RING = 8_192;

    record Agent(String id, String name, String team, long hiredAt, byte[] signature) {}

    record Article(long id, String title, byte[] body) {}

    record Edit(String ticket, String agent, long at) {}

    static final class Desk {
        final boolean leak;
        final Map<String, Agent> agents = new HashMap<>();
        final Map<String, ReentrantLock> agentLocks = new ConcurrentHashMap<>();
        final Map<String, ReentrantLock> ticketLocks = new ConcurrentHashMap<>();
        final Map<Long, Article> articles = new HashMap<>();
        final Map<String, byte[]> views = new LinkedHashMap<>(VIEW_CAP, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, byte[]> e) {
                return size() > VIEW_CAP;
            }
        };
        final Edit[] recent = new Edit[RING];
        int edits;
        final ArrayDeque<byte[]> buffers = new ArrayDeque<>();

        Desk(boolean leak) {
            this.leak = leak;
        }

        ReentrantLock lockTicket(String ticket) {
            ReentrantLock l = ticketLocks.computeIfAbsent(ticket, t -> new ReentrantLock());
            l.lock();
            return l;
        }

        void unlockTicket(String ticket, ReentrantLock l) {
            l.unlock();
            if (!leak && !l.isLocked() && !l.hasQueuedThreads()) ticketLocks.remove(ticket, l);
        }
    }

    static Desk DESK;

    public static void main(String[] args) throws Exception {
        boolean leak = args.length > 2 && args[2].equals("leak");
        long now = System.currentTimeMillis();
        long start = now - 12 * 60 * MINUTE;
        Random rnd = new Random(58_231);
        Desk d = new Desk(leak);
        DESK = d;
        for (int i = 0; i < 8; i++) d.buffers.add(new byte[32 * 1024]);
        String[] agentIds = new String[AGENTS];
        for (int i = 0; i < AGENTS; i++) {
            agentIds[i] = "AG-" + (20_000 + i * 7);
            d.agents.put(agentIds[i], new Agent(agentIds[i], "Agent " + i, "team-" + (i % 40), start - rnd.nextInt(2_000) * 24 * 60 * MINUTE,
                    new byte[300 + rnd.nextInt(400)]));
            d.agentLocks.put(agentIds[i], new ReentrantLock());
        }
        for (long k = 1; k <= 2_000; k++) d.articles.put(k, new Article(k, "How to " + k, new byte[1_000 + rnd.nextInt(2_000)]));
        int inProgress = 0;
        ReentrantLock[] held = new ReentrantLock[4];
        String[] heldIds = new String[4];
        for (int e = 0; e < EDITS; e++) {
            long t = start + (now - start) * e / EDITS;
            String ticket = "TCK-" + (1_000_000 + (e < TICKETS ? e : rnd.nextInt(TICKETS)));
            String agent = agentIds[rnd.nextInt(AGENTS)];
            ReentrantLock al = d.agentLocks.get(agent);
            al.lock();
            try {
                ReentrantLock tl = d.lockTicket(ticket);
                d.recent[d.edits++ % RING] = new Edit(ticket, agent, t);
                if (e % 3 == 0) d.views.put("view-" + rnd.nextInt(9_000), new byte[500 + rnd.nextInt(500)]);
                if (e >= EDITS - 4) {
                    held[inProgress] = tl;
                    heldIds[inProgress++] = ticket;
                } else {
                    d.unlockTicket(ticket, tl);
                }
            } finally {
                al.unlock();
            }
        }
        System.out.println((leak ? "leak" : "healthy") + " ticket locks " + d.ticketLocks.size() + " (held " + inProgress + ") agent locks "
                + d.agentLocks.size() + " views " + d.views.size());
        if (leak ? d.ticketLocks.size() != TICKETS : d.ticketLocks.size() != inProgress) throw new IllegalStateException("unexpected locks");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        for (int i = 0; i < inProgress; i++) d.unlockTicket(heldIds[i], held[i]);
        System.exit(0);
    }
}
