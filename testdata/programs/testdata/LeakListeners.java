// hprofscan-dump: name=leak-listeners jvm="-Xmx128m -XX:+UseSerialGC" variants=mxbean,jcmd
package testdata;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Leak: listeners are registered per request on a static bus and never unregistered.
 * {@code EventBus.LISTENERS} (CopyOnWriteArrayList) holds 8,000 listeners: 5,000 lambdas and
 * 3,000 anonymous-class instances, each capturing a RequestContext with a byte[512].
 * Decoy: {@code MetricsBus.LISTENERS} holds a fixed set of 10 listeners registered at startup.
 */
public final class LeakListeners {
    static final int LAMBDA_LISTENERS = 5_000;
    static final int ANON_LISTENERS = 3_000;
    static final int FIXED_LISTENERS = 10;
    static final int CONTEXT_BYTES = 512;

    interface Listener {
        void onEvent(String event);
    }

    static final class EventBus {
        static final List<Listener> LISTENERS = new CopyOnWriteArrayList<>();
    }

    static final class MetricsBus {
        static final List<Listener> LISTENERS = new CopyOnWriteArrayList<>();
    }

    static final class RequestContext {
        final int requestId;
        final byte[] state;
        int seen;

        RequestContext(int requestId) {
            this.requestId = requestId;
            this.state = new byte[CONTEXT_BYTES];
        }
    }

    static final class MetricsListener implements Listener {
        final int index;
        long count;

        MetricsListener(int index) {
            this.index = index;
        }

        @Override
        public void onEvent(String event) {
            count++;
        }
    }

    /** Handles one request; registers a lambda listener and forgets to remove it. */
    static void handleWithLambda(int requestId) {
        RequestContext ctx = new RequestContext(requestId);
        EventBus.LISTENERS.add(event -> ctx.seen++);
    }

    /** Handles one request; registers an anonymous listener (LeakListeners$1) and forgets it. */
    static void handleWithAnonymous(int requestId) {
        final RequestContext ctx = new RequestContext(requestId);
        EventBus.LISTENERS.add(new Listener() {
            @Override
            public void onEvent(String event) {
                ctx.seen += 2;
            }
        });
    }

    /** Builds the scenario heap; kept out of main() so no stack slot of main references it. */
    static void build() throws Exception {
        for (int i = 0; i < FIXED_LISTENERS; i++) {
            MetricsBus.LISTENERS.add(new MetricsListener(i));
        }
        int id = 0;
        for (int i = 0; i < LAMBDA_LISTENERS; i++) {
            handleWithLambda(id++);
        }
        for (int i = 0; i < ANON_LISTENERS; i++) {
            handleWithAnonymous(id++);
        }
        for (Listener l : MetricsBus.LISTENERS) {
            l.onEvent("startup");
        }
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String out = args[1];

        build();

        System.gc();
        LeakCheck.histogram("$$Lambda$");
        DumpUtil.dump(variant, out);
        System.out.println("dumped " + out);
    }
}
