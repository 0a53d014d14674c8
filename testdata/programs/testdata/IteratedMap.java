// hprofscan-dump: name=iterated-map jvm="-Xmx128m" variants=mxbean
package testdata;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A leak caught while {@code main} iterates it: {@code RequestLog.pending}, a
 * {@code ConcurrentHashMap<String, Pending>} that nothing removes from, keeps 20,000 failed
 * requests (one {@code Pending} per request id, holding its last {@code Attempt}, whose
 * {@code Failure} holds the {@code Request} with a 200-byte body), added one a second over 5.5 hours before the dump. At the dump {@code main} holds an
 * iterator over the map's values, which points at the map's table: the map no longer dominates
 * its table, and the requests would show a second time as a class group of their own. Fixed
 * numbers: 20,000 entries; 20,000 {@code Request} objects.
 */
public final class IteratedMap {
    static final int REQUESTS = 20_000;

    static final class Request {
        final String path;
        final long receivedAt;
        final byte[] body = new byte[200];

        Request(String path, long receivedAt) {
            this.path = path;
            this.receivedAt = receivedAt;
        }
    }

    static final class Failure {
        final Request request;
        final String reason;

        Failure(Request request, String reason) {
            this.request = request;
            this.reason = reason;
        }
    }

    static final class Attempt {
        final Failure failure;
        final int tries;

        Attempt(Failure failure, int tries) {
            this.failure = failure;
            this.tries = tries;
        }
    }

    static final class Pending {
        final Attempt last;
        final long failedAt;

        Pending(Attempt last, long failedAt) {
            this.last = last;
            this.failedAt = failedAt;
        }
    }

    static final class RequestLog {
        final Map<String, Pending> pending = new ConcurrentHashMap<>();
    }

    static final RequestLog LOG = new RequestLog();

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - REQUESTS * 1_000L;
        for (int i = 0; i < REQUESTS; i++) {
            long t = start + i * 1_000L;
            LOG.pending.put("req-" + Long.toHexString(0x5eed_0000_0000L + i * 7919L), new Pending(new Attempt(new Failure(new Request("/quote/" + (i % 50), t), "timeout"), 3), t + 40));
        }
        Iterator<Pending> it = LOG.pending.values().iterator();
        long seen = 0;
        for (int i = 0; i < REQUESTS / 2; i++) seen += it.next().failedAt > 0 ? 1 : 0;
        if (LOG.pending.size() != REQUESTS || seen != REQUESTS / 2) throw new IllegalStateException("unexpected");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        // The iterator is used after the dump: it is a live local when the dump is written.
        System.out.println("dumped " + args[1] + " (next: " + it.hasNext() + ")");
        System.exit(0);
    }
}
