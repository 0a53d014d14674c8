// hprofscan-dump: name=val2-leak-rpc-1 jvm="-Xmx256m" variants=mxbean args="--hours=3"
// hprofscan-dump: name=val2-leak-rpc-2 jvm="-Xmx256m" variants=mxbean args="--hours=6"
// hprofscan-dump: name=val2-leak-rpc jvm="-Xmx256m" variants=mxbean,jcmd args="--hours=12"
package testdata;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 2 (written blind): an order gateway that asks a downstream risk engine for a
 * pre-trade check over an async RPC channel. LEAKING.
 *
 * <p>Leak: {@link CorrelationRegistry#PENDING} (static) maps correlation id -> in-flight call.
 * The success path removes the entry; the error-response path completes the future
 * exceptionally via {@code get()} and forgets to remove it, and the timeout sweeper only looks at
 * calls whose future is not done yet. So every call answered with an error stays forever.
 *
 * <p>Healthy: venue routing table (reference data), RPC channel pool with frame buffers,
 * risk-limit cache (LRU at cap), timeout sweeper, metrics, and a handful of legitimately
 * in-flight calls at dump time.
 *
 * <p>Usage: {@code Val2LeakRpcGateway <variant> <out> --hours=N} (one call per simulated second).
 */
public final class Val2LeakRpcGateway {
    static final int SYMBOLS = 25_000;
    static final int ACCOUNTS = 20_000;
    static final int LIMIT_CACHE_CAP = 6_000;
    static final int CHANNELS = 12;
    static final int FRAME_BYTES = 128 * 1024;
    static final int ERROR_EVERY = 6;       // every 6th call is answered with RISK_ENGINE_BUSY
    static final int LOST_EVERY = 97;       // every 97th call is never answered (times out, removed)
    static final long CALL_TIMEOUT_MILLIS = 30_000;
    static final int IN_FLIGHT_AT_DUMP = 150;
    static final long START = Instant.parse("2026-02-16T06:00:00Z").toEpochMilli();
    static final String[] VENUES = {"XNAS", "XNYS", "ARCX", "BATS", "EDGX", "IEXG", "MEMX"};

    static final class SimClock {
        private long nowMillis;
        SimClock(long start) { nowMillis = start; }
        long millis() { return nowMillis; }
        void advance(long ms) { nowMillis += ms; }
    }

    // ------------------------------------------------------------ reference data
    static final class Route {
        final String venue; final int feeMilliBps; final int medianLatencyMicros; final boolean darkPool;
        Route(String venue, int fee, int latency, boolean dark) { this.venue = venue; feeMilliBps = fee; medianLatencyMicros = latency; darkPool = dark; }
    }

    static final class RouteSet {
        final String symbol; final String primaryListing; final List<Route> routes = new ArrayList<>(3); final long loadedAtMillis;
        RouteSet(String symbol, String primary, long at) { this.symbol = symbol; this.primaryListing = primary; this.loadedAtMillis = at; }
    }

    static final class VenueRoutingTable {
        final Map<String, RouteSet> bySymbol = new HashMap<>();
        void load(Random rnd, long now) {
            for (int i = 0; i < SYMBOLS; i++) {
                String sym = "S" + Integer.toString(i * 31 + 7, 36).toUpperCase();
                RouteSet rs = new RouteSet(sym, VENUES[i % VENUES.length], now);
                for (int r = 0; r < 3; r++) {
                    rs.routes.add(new Route(VENUES[(i + r) % VENUES.length], rnd.nextInt(3000), 40 + rnd.nextInt(400), r == 2));
                }
                bySymbol.put(sym, rs);
            }
        }
    }

    // ------------------------------------------------------------ RPC plumbing
    static final class RpcChannel {
        final int id; final String remote; final ByteBuffer frame = ByteBuffer.allocate(FRAME_BYTES); long framesSent;
        RpcChannel(int id, String remote) { this.id = id; this.remote = remote; }
    }

    static final class ChannelPool {
        final ArrayBlockingQueue<RpcChannel> idle = new ArrayBlockingQueue<>(CHANNELS);
        ChannelPool() { for (int i = 0; i < CHANNELS; i++) idle.add(new RpcChannel(i, "risk-engine-" + (i % 3) + ".internal:7443")); }
        RpcChannel acquire() { RpcChannel c = idle.poll(); if (c == null) throw new IllegalStateException("no channel"); return c; }
        void release(RpcChannel c) { idle.add(c); }
    }

    static final class OrderContext {
        final String orderId; final String accountId; final String symbol; final long quantity; final long limitPriceMicros;
        OrderContext(String orderId, String accountId, String symbol, long quantity, long limitPriceMicros) {
            this.orderId = orderId; this.accountId = accountId; this.symbol = symbol; this.quantity = quantity; this.limitPriceMicros = limitPriceMicros;
        }
    }

    static final class RiskResponse {
        final boolean approved; final long remainingLimitMicros;
        RiskResponse(boolean approved, long remaining) { this.approved = approved; remainingLimitMicros = remaining; }
    }

    static final class RpcException extends RuntimeException {
        final int code;
        RpcException(String message, int code) { super(message, null, false, false); this.code = code; }
    }

    static final class PendingCall {
        final long correlationId; final String method; final long sentAtMillis; final OrderContext order;
        final byte[] requestFrame; final CompletableFuture<RiskResponse> future = new CompletableFuture<>();
        PendingCall(long id, String method, long sentAt, OrderContext order, byte[] frame) {
            correlationId = id; this.method = method; sentAtMillis = sentAt; this.order = order; requestFrame = frame;
        }
    }

    /** Process-wide correlation registry (static, shared by every client stub). */
    static final class CorrelationRegistry {
        static final ConcurrentHashMap<Long, PendingCall> PENDING = new ConcurrentHashMap<>();
        static final AtomicLong NEXT_ID = new AtomicLong(1_000_000);

        static void onResponse(long correlationId, int status, RiskResponse body) {
            if (status == 200) {
                PendingCall call = PENDING.remove(correlationId);
                if (call != null) call.future.complete(body);
            } else {
                PendingCall call = PENDING.get(correlationId);
                if (call != null) call.future.completeExceptionally(new RpcException("RISK_ENGINE_BUSY status " + status, status));
            }
        }

        static int sweepTimeouts(long now) {
            int n = 0;
            for (PendingCall c : PENDING.values()) {
                if (!c.future.isDone() && c.sentAtMillis + CALL_TIMEOUT_MILLIS <= now) {
                    PENDING.remove(c.correlationId);
                    c.future.completeExceptionally(new RpcException("timeout", 504));
                    n++;
                }
            }
            return n;
        }
    }

    static final class RiskLimitSnapshot {
        final String accountId; final long grossLimitMicros; final long usedMicros; final long fetchedAtMillis;
        RiskLimitSnapshot(String accountId, long gross, long used, long at) { this.accountId = accountId; grossLimitMicros = gross; usedMicros = used; fetchedAtMillis = at; }
    }

    static final class LimitCache extends LinkedHashMap<String, RiskLimitSnapshot> {
        final int cap;
        LimitCache(int cap) { super(cap * 2, 0.75f, true); this.cap = cap; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RiskLimitSnapshot> e) { return size() > cap; }
    }

    /** Test double for the remote engine: answers due at a simulated time. */
    static final class Reply implements Comparable<Reply> {
        final long dueAt; final long id; final int status;
        Reply(long dueAt, long id, int status) { this.dueAt = dueAt; this.id = id; this.status = status; }
        @Override public int compareTo(Reply o) { return dueAt != o.dueAt ? Long.compare(dueAt, o.dueAt) : Long.compare(id, o.id); }
    }

    final SimClock clock = new SimClock(START);
    final VenueRoutingTable routing = new VenueRoutingTable();
    final ChannelPool channels = new ChannelPool();
    final LimitCache limitCache = new LimitCache(LIMIT_CACHE_CAP);
    final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
    final PriorityQueue<Reply> remote = new PriorityQueue<>();
    final Random rnd = new Random(7);
    final List<String> symbols = new ArrayList<>();
    long calls, errors, lost, timedOut, approved;

    static Val2LeakRpcGateway service;

    void inc(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }

    void start() {
        routing.load(rnd, clock.millis());
        symbols.addAll(routing.bySymbol.keySet());
        symbols.sort(null);
    }

    void submitOrder(boolean answer) {
        long seq = calls++;
        String symbol = symbols.get(rnd.nextInt(SYMBOLS));
        String account = "ACC-" + (rnd.nextInt(ACCOUNTS) + 100_000);
        RouteSet rs = routing.bySymbol.get(symbol);
        RiskLimitSnapshot lim = limitCache.get(account);
        if (lim == null) {
            lim = new RiskLimitSnapshot(account, 50_000_000_000L, rnd.nextInt(1_000_000_000), clock.millis());
            limitCache.put(account, lim);
        }
        OrderContext order = new OrderContext("ORD-" + clock.millis() + "-" + seq, account, symbol,
                100L * (1 + rnd.nextInt(50)), 1_000_000L + rnd.nextInt(9_000_000));
        RpcChannel ch = channels.acquire();
        byte[] frame;
        try {
            ch.frame.clear();
            ch.frame.putLong(seq).put(order.orderId.getBytes()).put(rs.primaryListing.getBytes());
            while (ch.frame.position() < 384) ch.frame.put((byte) rnd.nextInt(256));
            frame = new byte[ch.frame.position()];
            ch.frame.flip();
            ch.frame.get(frame);
            ch.framesSent++;
        } finally {
            channels.release(ch);
        }
        long id = CorrelationRegistry.NEXT_ID.getAndIncrement();
        PendingCall call = new PendingCall(id, "risk.PreTradeCheck", clock.millis(), order, frame);
        CorrelationRegistry.PENDING.put(id, call);
        call.future.whenComplete((r, e) -> inc(e == null ? "risk.ok" : "risk.error"));
        inc("risk.sent");
        if (!answer) return;
        if (seq % LOST_EVERY == LOST_EVERY - 1) { lost++; return; }
        int status = seq % ERROR_EVERY == 2 ? 503 : 200;
        if (status != 200) errors++;
        remote.add(new Reply(clock.millis() + 200 + rnd.nextInt(2500), id, status));
    }

    void deliverDue() {
        while (!remote.isEmpty() && remote.peek().dueAt <= clock.millis()) {
            Reply r = remote.poll();
            if (r.status == 200) approved++;
            CorrelationRegistry.onResponse(r.id, r.status, r.status == 200 ? new RiskResponse(true, 1_000_000) : null);
        }
    }

    static void check(boolean ok, String what) {
        if (!ok) throw new IllegalStateException("unexpected size: " + what);
    }

    public static void main(String[] args) {
        int hours = 12;
        for (int i = 2; i < args.length; i++) {
            if (args[i].startsWith("--hours=")) hours = Integer.parseInt(args[i].substring(8));
        }
        Val2LeakRpcGateway svc = new Val2LeakRpcGateway();
        service = svc;
        svc.start();
        int seconds = hours * 3600;
        for (int s = 0; s < seconds; s++) {
            svc.submitOrder(true);
            svc.clock.advance(1000);
            svc.deliverDue();
            if (s % 60 == 59) svc.timedOut += CorrelationRegistry.sweepTimeouts(svc.clock.millis());
        }
        svc.clock.advance(CALL_TIMEOUT_MILLIS * 2);
        svc.deliverDue();
        svc.timedOut += CorrelationRegistry.sweepTimeouts(svc.clock.millis());
        long errorsBefore = svc.errors;
        for (int i = 0; i < IN_FLIGHT_AT_DUMP; i++) svc.submitOrder(false); // the current burst, not answered yet

        check(svc.remote.isEmpty(), "remote replies " + svc.remote.size());
        check(svc.timedOut == svc.lost, "timed out " + svc.timedOut + " vs lost " + svc.lost);
        check(svc.errors == errorsBefore, "errors");
        check(CorrelationRegistry.PENDING.size() == svc.errors + IN_FLIGHT_AT_DUMP,
                "pending " + CorrelationRegistry.PENDING.size() + " vs errors " + svc.errors);
        check(svc.approved + svc.errors + svc.lost + IN_FLIGHT_AT_DUMP == svc.calls, "call accounting");
        check(svc.routing.bySymbol.size() == SYMBOLS, "routing");
        check(svc.limitCache.size() == LIMIT_CACHE_CAP, "limit cache " + svc.limitCache.size());
        check(svc.channels.idle.size() == CHANNELS, "channels");

        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
