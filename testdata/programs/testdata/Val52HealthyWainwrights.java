// hprofscan-dump: name=val52-healthy-wainwrights-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val52-healthy-wainwrights-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val52-healthy-wainwrights jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val52-healthy-wainwrights-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 52 (written blind), HEALTHY: the trade portal of a wagon and cart builder
 * (wainwrights): buyers of farm carts, drays and show wagons browse parts, ask for quotes and
 * follow deliveries. Timber reference data, the parts catalogue, the buyer directory, each buyer's
 * "recently viewed" list trimmed to the last 10 parts, a hand-written database connection pool
 * whose connections are always returned (try/finally, also when a query fails), a document
 * template engine that compiles each template kind once into a generated class in its own class
 * loader (parameters bound at render time), a cache of rendered quotes at its cap and a ring of
 * delivery events. Warms up, then plateaus. See VALIDATION52.md.
 */
public final class Val52HealthyWainwrights {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int TIMBERS = 1_300, PARTS = 20_000, BUYERS = 2_000, VIEWED_CAP = 10, QUOTE_CAP = 2_000, PREWARM = 12, RING = 8_192, VIEWS_PER_HOUR = 12_000;

    record Timber(String code, String species, double[] moistureCurve) {}
    record Part(String partNo, String name, String timberCode, byte[] drawing, long addedAt) {}
    record Buyer(String login, String farm, byte[] preferences, long since) {}
    record ViewedPart(String partNo, long viewedAt, String source, String referrer) {}
    record Quote(String key, byte[] rendered, long at) {}
    record Delivery(String orderNo, String buyer, String status, long at) {}

    static final class QueryFailedException extends Exception {
        QueryFailedException(String m) { super(m, null, false, false); }
    }

    static final class PooledConnection {
        final int id; final long createdAt;
        final byte[] sendBuffer = new byte[4_096], recvBuffer = new byte[8_192];
        final Map<String, String> sessionSettings = new HashMap<>();
        long borrowedAt; String borrowedBy; long uses;
        PooledConnection(int id, long createdAt) {
            this.id = id; this.createdAt = createdAt;
            sessionSettings.put("application_name", "trade-portal");
            sessionSettings.put("search_path", "parts,orders");
            sessionSettings.put("statement_timeout", "5000");
        }
    }

    static final class ConnectionPool {
        final ArrayDeque<PooledConnection> idle = new ArrayDeque<>();
        final Set<PooledConnection> leased = new HashSet<>();
        int created; long borrows, releases;
        PooledConnection borrow(String by, long at) {
            PooledConnection c = idle.pollFirst();
            if (c == null) c = new PooledConnection(++created, at);
            c.borrowedAt = at; c.borrowedBy = by; c.uses++;
            leased.add(c);
            borrows++;
            return c;
        }
        void release(PooledConnection c) { leased.remove(c); c.borrowedBy = null; idle.addFirst(c); releases++; }
    }

    public interface TemplateBody {
        String source();
        String kind();
    }

    static final class TemplateLoader extends ClassLoader {
        TemplateLoader(String name, ClassLoader parent) { super(name, parent); }
        Class<?> define(String binaryName, byte[] bytes) { return defineClass(binaryName, bytes, 0, bytes.length); }
    }

    record CompiledTemplate(String key, String kind, Class<?> type, TemplateBody body, byte[] classBytes, long compiledAt) {}

    /** Compiles each template kind once (keyed by the kind; parameters are bound when rendering). */
    static final class TemplateEngine {
        static final Map<String, CompiledTemplate> COMPILED = new HashMap<>();
        static long compilations, lookups;

        static CompiledTemplate forKind(String kind, long at) throws Exception {
            lookups++;
            CompiledTemplate t = COMPILED.get(kind);
            if (t != null) return t;
            long n = ++compilations;
            String text = template(kind);
            String binaryName = "wainwrights.tpl.Template" + n;
            byte[] bytes = classFile(binaryName.replace('.', '/'), TemplateBody.class.getName().replace('.', '/'), kind, text);
            Class<?> type = new TemplateLoader("tpl-" + kind, TemplateEngine.class.getClassLoader()).define(binaryName, bytes);
            TemplateBody body = (TemplateBody) type.getDeclaredConstructor().newInstance();
            if (!body.source().equals(text) || !body.kind().equals(kind)) throw new IllegalStateException("bad template class " + binaryName);
            t = new CompiledTemplate(kind, kind, type, body, bytes, at);
            COMPILED.put(kind, t);
            return t;
        }

        static byte[] classFile(String internalName, String iface, String kind, String source) throws IOException {
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bo);
            out.writeInt(0xCAFEBABE);
            out.writeShort(0);
            out.writeShort(52);
            out.writeShort(19);
            utf8(out, internalName);
            out.writeByte(7); out.writeShort(1);
            utf8(out, "java/lang/Object");
            out.writeByte(7); out.writeShort(3);
            utf8(out, iface);
            out.writeByte(7); out.writeShort(5);
            utf8(out, "<init>");
            utf8(out, "()V");
            out.writeByte(12); out.writeShort(7); out.writeShort(8);
            out.writeByte(10); out.writeShort(4); out.writeShort(9);
            utf8(out, "Code");
            utf8(out, "source");
            utf8(out, "()Ljava/lang/String;");
            utf8(out, source);
            out.writeByte(8); out.writeShort(14);
            utf8(out, "kind");
            utf8(out, kind);
            out.writeByte(8); out.writeShort(17);
            out.writeShort(0x0031);
            out.writeShort(2);
            out.writeShort(4);
            out.writeShort(1); out.writeShort(6);
            out.writeShort(0);
            out.writeShort(3);
            method(out, 7, 8, new byte[] {0x2a, (byte) 0xb7, 0x00, 0x0a, (byte) 0xb1});
            method(out, 12, 13, new byte[] {0x12, 15, (byte) 0xb0});
            method(out, 16, 13, new byte[] {0x12, 18, (byte) 0xb0});
            out.writeShort(0);
            out.flush();
            return bo.toByteArray();
        }

        static void utf8(DataOutputStream out, String s) throws IOException { out.writeByte(1); out.writeUTF(s); }

        static void method(DataOutputStream out, int name, int desc, byte[] code) throws IOException {
            out.writeShort(0x0001); out.writeShort(name); out.writeShort(desc);
            out.writeShort(1);
            out.writeShort(11); out.writeInt(12 + code.length);
            out.writeShort(1); out.writeShort(1);
            out.writeInt(code.length); out.write(code);
            out.writeShort(0); out.writeShort(0);
        }
    }

    static final String[] KINDS = {"quote", "invoice", "delivery-note", "axle-spec", "wheel-spec", "warranty", "inspection-sheet", "statement"};

    static String template(String kind) {
        return "<document kind=\"" + kind + "\"><header>Wainwrights & Sons - " + kind + "</header><line>Order ${order} for ${buyer}: ${part} x ${qty}</line>"
                + "<line>Timber ${timber}, seasoned ${years} years</line><footer>Page ${page} of ${pages}</footer></document>";
    }

    static final Map<String, Timber> TIMBERS_BY_CODE = new HashMap<>();

    static final class Portal {
        final Map<String, Part> parts = new HashMap<>();
        final Map<String, Buyer> buyers = new HashMap<>();
        final Map<String, ArrayList<ViewedPart>> recentlyViewed = new HashMap<>();
        final ConnectionPool db = new ConnectionPool();
        final LinkedHashMap<String, Quote> quotes = new LinkedHashMap<>(4_096, 0.75f, true) {
            @Override protected boolean removeEldestEntry(Map.Entry<String, Quote> e) { if (size() > QUOTE_CAP) { quotesEvicted++; return true; } return false; }
        };
        long quotesEvicted;
        final Delivery[] deliveries = new Delivery[RING];
        long deliveryCount, views, viewTrims, queries, failures, documents;

        void recordView(String login, ViewedPart v) {
            ArrayList<ViewedPart> list = recentlyViewed.get(login);
            list.add(v);
            views++;
            if (list.size() > VIEWED_CAP) { list.remove(0); viewTrims++; }
        }

        void query(String by, Random r, int n, long at) {
            queries++;
            PooledConnection c = db.borrow(by, at);
            try {
                c.sendBuffer[n % c.sendBuffer.length] = (byte) n;
                c.recvBuffer[n % c.recvBuffer.length] = (byte) (n >> 8);
                if (r.nextInt(100) < 3) throw new QueryFailedException("deadlock detected on orders.lines");
            } catch (QueryFailedException e) {
                failures++;
            } finally {
                db.release(c);
            }
        }

        String render(String kind, String order, long at) throws Exception {
            documents++;
            return TemplateEngine.forKind(kind, at).body().source().replace("${order}", order);
        }
    }

    static Portal SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int views = VIEWS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(52_050_001);
        String[] species = {"ash", "elm", "oak", "beech", "larch", "hickory"};
        String[] timberCodes = new String[TIMBERS];
        for (int t = 0; t < TIMBERS; t++) {
            double[] curve = new double[64];
            for (int k = 0; k < curve.length; k++) curve[k] = 8 + rnd.nextDouble() * 20;
            timberCodes[t] = "TMB-" + (t / 100) + "-" + (t % 100);
            TIMBERS_BY_CODE.put(timberCodes[t], new Timber(timberCodes[t], species[t % species.length], curve));
        }
        Portal svc = new Portal();
        SERVICE = svc;
        String[] partNos = new String[PARTS];
        String[] partNames = {"felloe", "spoke", "hub", "axle arm", "shaft", "tailboard", "standard", "bolster", "tyre", "brake shoe"};
        for (int p = 0; p < PARTS; p++) {
            partNos[p] = "WP" + (100_000 + p * 3);
            svc.parts.put(partNos[p], new Part(partNos[p], partNames[p % partNames.length] + " " + (p / partNames.length), timberCodes[rnd.nextInt(TIMBERS)], new byte[150 + rnd.nextInt(150)],
                    now - (long) (1 + rnd.nextInt(2_500)) * 24 * HOUR));
        }
        String[] logins = new String[BUYERS];
        for (int b = 0; b < BUYERS; b++) {
            logins[b] = "buyer" + (5_000 + b);
            svc.buyers.put(logins[b], new Buyer(logins[b], "Farm " + (b % 700), new byte[100 + rnd.nextInt(100)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
            svc.recentlyViewed.put(logins[b], new ArrayList<>());
        }
        for (int k = 0; k < PREWARM; k++) svc.db.idle.add(new PooledConnection(++svc.db.created, start - 5 * MINUTE));
        Random traffic = new Random(52_050_002);
        String[] sources = {"search", "catalogue", "quote", "drawing", "home"};
        for (int i = 0; i < views; i++) {
            long t = start + (end - MINUTE - start) * i / views;
            String login = logins[traffic.nextInt(BUYERS)];
            String part = partNos[traffic.nextInt(PARTS)];
            svc.recordView(login, new ViewedPart(part, t, sources[traffic.nextInt(sources.length)], "/parts/" + partNames[traffic.nextInt(partNames.length)].replace(' ', '-') + "?page=" + (1 + traffic.nextInt(12))));
            if (i % 4 == 0) svc.query("req-" + i, traffic, i, t);
            if (i % 10 == 0) svc.render(KINDS[traffic.nextInt(KINDS.length)], "WO-" + (400_000 + i), t);
            if (i % 2 == 0) svc.deliveries[(int) (svc.deliveryCount++ % RING)] = new Delivery("WO-" + (400_000 + i), login, i % 6 == 0 ? "DELIVERED" : "IN_TRANSIT", t);
            String key = "quote-" + traffic.nextInt(5_000);
            if (svc.quotes.get(key) == null) svc.quotes.put(key, new Quote(key, new byte[600 + traffic.nextInt(600)], t));
        }
        long viewed = 0; int full = 0;
        for (ArrayList<ViewedPart> l : svc.recentlyViewed.values()) { viewed += l.size(); if (l.size() == VIEWED_CAP) full++; }
        ConnectionPool p = svc.db;
        System.out.println("stage " + stage + " timbers " + TIMBERS_BY_CODE.size() + " parts " + svc.parts.size() + " buyers " + svc.buyers.size() + " viewed entries " + viewed + " (views " + svc.views
                + ", trimmed " + svc.viewTrims + ", full lists " + full + ") queries " + svc.queries + " (failed " + svc.failures + ") pool created " + p.created + " idle " + p.idle.size()
                + " leased " + p.leased.size() + " templates " + TemplateEngine.COMPILED.size() + " (documents " + svc.documents + ") quotes " + svc.quotes.size() + " (evicted " + svc.quotesEvicted
                + ") deliveries " + svc.deliveryCount);
        check(TIMBERS_BY_CODE.size() == TIMBERS && svc.parts.size() == PARTS && svc.buyers.size() == BUYERS, "reference data / directories");
        check(svc.recentlyViewed.size() == BUYERS && viewed == svc.views - svc.viewTrims && viewed <= (long) BUYERS * VIEWED_CAP, "recently viewed trimmed: " + viewed);
        check(p.leased.isEmpty() && p.created == PREWARM && p.idle.size() == PREWARM && p.releases == svc.queries && svc.failures > 0, "pool all returned");
        check(TemplateEngine.COMPILED.size() == KINDS.length && TemplateEngine.compilations == KINDS.length, "one template per kind");
        check(svc.quotes.size() == QUOTE_CAP && svc.quotesEvicted > 0, "quote cache at cap");
        check(svc.deliveryCount == views / 2, "delivery ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
