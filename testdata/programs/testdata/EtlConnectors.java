// hprofscan-dump: name=etl-connectors jvm="-Xmx200m" variants=mxbean args="healthy"
// hprofscan-dump: name=etl-connectors-parallel jvm="-Xmx200m -XX:+UseParallelGC" variants=jcmd args="healthy"
// hprofscan-dump: name=etl-connectors-leak jvm="-Xmx200m" variants=mxbean args="leak"
// hprofscan-dump: name=etl-connectors-leak-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=mxbean args="leak"
// hprofscan-dump: name=etl-connectors-vendors jvm="-Xmx200m" variants=mxbean args="vendors"
// hprofscan-dump: name=etl-connectors-leak-vendors jvm="-Xmx200m" variants=mxbean args="leak-vendors"
// hprofscan-dump: name=etl-connectors-leak-vendors-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=jcmd args="leak-vendors"
package testdata;

import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.logging.Logger;

/**
 * A data-integration (ETL) service: each of 40 tenants runs its own connector bundle in a
 * class loader of its own ({@code Tenant.bundle}, child-first over the bundle's classes), and
 * a bundle is redeployed whenever its tenant edits the pipeline: 160 deployments in all. A
 * bundle ships a JDBC driver for the tenant's warehouse that registers itself with
 * {@code java.sql.DriverManager} when its class loads, as JDBC drivers do, and a schema cache
 * (a static 40-56 KiB table per bundle). Beside them: the tenants' directory, 20,000 pipeline
 * runs' records, an LRU of 1,500 query plans at its cap, a ring of recent job outcomes and a
 * pool of row buffers.
 * <ul>
 * <li>{@code healthy}: undeploying a bundle deregisters its driver: the 40 bundles in use stay
 * loaded (one per tenant, each registered once, by design). No leak.
 * <li>{@code leak}: undeploying closes the bundle but leaves its driver registered: the 120
 * replaced bundles' loaders, their classes and schema tables stay, held by
 * {@code DriverManager.registeredDrivers} alone. The leak is those 120 loaders.
 * <li>{@code vendors}, {@code leak-vendors} (session 55): the same, but each tenant's warehouse
 * comes from one of four vendors, and a bundle also defines its vendor's dialect class
 * ({@code Dialect0} ... {@code Dialect3}, a static keyword table each): four kinds of bundle,
 * each defining its own set of classes. The leak is still the 120 replaced bundles' loaders,
 * of all four kinds.
 * </ul>
 * Fixed numbers (printed).
 */
public final class EtlConnectors {
    static final long DAY = 24 * 3_600_000L;
    static final int TENANTS = 40, DEPLOYS = 160, RUNS = 20_000, PLAN_CAP = 1_500, RING = 8_192;

    /** What the host calls on a bundle. */
    public interface Connector extends AutoCloseable {
        long extract(int table);

        @Override
        void close();
    }

    /** The bundle's warehouse driver (a bundle class): registers itself when loaded. */
    public static final class WarehouseDriver implements Driver {
        static {
            try {
                DriverManager.registerDriver(new WarehouseDriver());
            } catch (SQLException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        public WarehouseDriver() {}

        @Override
        public Connection connect(String url, Properties info) {
            return null;
        }

        @Override
        public boolean acceptsURL(String url) {
            return url != null && url.startsWith("jdbc:warehouse:");
        }

        @Override
        public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
            return new DriverPropertyInfo[0];
        }

        @Override
        public int getMajorVersion() {
            return 3;
        }

        @Override
        public int getMinorVersion() {
            return 1;
        }

        @Override
        public boolean jdbcCompliant() {
            return false;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getLogger("warehouse");
        }
    }

    /** The bundle's schema cache (a bundle class): one table per loaded bundle. */
    public static final class SchemaCache {
        static final long[] COLUMNS = new long[5_000 + (SchemaCache.class.getClassLoader().getName().hashCode() & 2_047)];
    }

    /** A vendor's SQL dialect (a bundle class of that vendor's bundles only). */
    public static final class Dialect0 {
        static final String[] KEYWORDS = keywords(0);
    }

    /** See {@link Dialect0}. */
    public static final class Dialect1 {
        static final String[] KEYWORDS = keywords(1);
    }

    /** See {@link Dialect0}. */
    public static final class Dialect2 {
        static final String[] KEYWORDS = keywords(2);
    }

    /** See {@link Dialect0}. */
    public static final class Dialect3 {
        static final String[] KEYWORDS = keywords(3);
    }

    static final Class<?>[] DIALECTS = {Dialect0.class, Dialect1.class, Dialect2.class, Dialect3.class};

    public static String[] keywords(int vendor) {
        String[] k = new String[400 + vendor * 50];
        for (int i = 0; i < k.length; i++) k[i] = "KW" + vendor + "_" + i;
        return k;
    }

    /** The bundle's entry point (a bundle class). */
    public static final class BundleConnector implements Connector {
        final boolean deregister;

        public BundleConnector(Boolean deregister) throws Exception {
            this.deregister = deregister;
            Class.forName(WarehouseDriver.class.getName(), true, BundleConnector.class.getClassLoader());
        }

        @Override
        public long extract(int table) {
            return SchemaCache.COLUMNS[table % SchemaCache.COLUMNS.length];
        }

        @Override
        public void close() {
            if (!deregister) return;
            for (Driver d : Collections.list(DriverManager.getDrivers())) {
                if (d.getClass().getClassLoader() == BundleConnector.class.getClassLoader()) {
                    try {
                        DriverManager.deregisterDriver(d);
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
    }

    /** Child-first over the bundle's classes (defined from their bytes), parent-first otherwise. */
    static final class BundleLoader extends ClassLoader {
        final String tenant;
        final int version;
        final Map<String, byte[]> bytecode;

        BundleLoader(String tenant, int version, Map<String, byte[]> bytecode) {
            super("bundle-" + tenant + "-v" + version, EtlConnectors.class.getClassLoader());
            this.tenant = tenant;
            this.version = version;
            this.bytecode = bytecode;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            byte[] b = bytecode.get(name);
            if (b == null) return super.loadClass(name, resolve);
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) c = defineClass(name, b, 0, b.length);
                if (resolve) resolveClass(c);
                return c;
            }
        }
    }

    record Run(long id, String tenant, String pipeline, long startedAt, long rows, byte[] summary) {}

    record Outcome(long run, boolean ok, long at) {}

    static final class Tenant {
        final String id;
        final String name;
        final long since;
        BundleLoader bundle;
        Connector connector;
        int deployments;

        Tenant(String id, String name, long since) {
            this.id = id;
            this.name = name;
            this.since = since;
        }
    }

    static final class Service {
        final Map<String, Tenant> tenants = new HashMap<>();
        final Map<Long, Run> runs = new HashMap<>();
        final Map<String, byte[]> plans = new LinkedHashMap<>(PLAN_CAP, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, byte[]> e) {
                return size() > PLAN_CAP;
            }
        };
        final Outcome[] outcomes = new Outcome[RING];
        int finished;
        final ArrayDeque<byte[]> rowBuffers = new ArrayDeque<>();
        final Map<String, byte[]> bytecode = new HashMap<>();
        final Map<String, byte[]> dialects = new HashMap<>();
    }

    static Service SERVICE;

    static byte[] bytesOf(Class<?> c) throws Exception {
        try (InputStream in = EtlConnectors.class.getResourceAsStream("/" + c.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }

    static void deploy(Service s, Tenant t, boolean leak, boolean vendors, List<WeakReference<ClassLoader>> probe) throws Exception {
        Map<String, byte[]> bytecode = s.bytecode;
        Class<?> dialect = DIALECTS[Math.floorMod(t.id.hashCode(), DIALECTS.length)];
        if (vendors) {
            bytecode = new HashMap<>(s.bytecode);
            bytecode.put(dialect.getName(), s.dialects.get(dialect.getName()));
        }
        BundleLoader loader = new BundleLoader(t.id, ++t.deployments, bytecode);
        Class<?> impl = loader.loadClass(BundleConnector.class.getName());
        if (impl.getClassLoader() != loader) throw new IllegalStateException("bundle class on the host class path");
        Connector next = (Connector) impl.getDeclaredConstructor(Boolean.class).newInstance(!leak);
        next.extract(7);
        if (vendors && Class.forName(dialect.getName(), true, loader).getClassLoader() != loader) throw new IllegalStateException("dialect on the host class path");
        probe.add(new WeakReference<>(loader));
        Connector old = t.connector;
        t.connector = next;
        t.bundle = loader;
        if (old != null) old.close();
    }

    public static void main(String[] args) throws Exception {
        boolean leak = args.length > 2 && args[2].startsWith("leak");
        boolean vendors = args.length > 2 && args[2].endsWith("vendors");
        long now = System.currentTimeMillis();
        Random rnd = new Random(33_019);
        Service s = new Service();
        SERVICE = s;
        for (Class<?> c : new Class<?>[] {WarehouseDriver.class, SchemaCache.class, BundleConnector.class}) {
            s.bytecode.put(c.getName(), bytesOf(c));
        }
        for (Class<?> c : DIALECTS) s.dialects.put(c.getName(), bytesOf(c));
        for (int i = 0; i < 8; i++) s.rowBuffers.add(new byte[32 * 1024]);
        List<Tenant> all = new ArrayList<>();
        for (int i = 0; i < TENANTS; i++) {
            Tenant t = new Tenant("tn" + (7_100 + i * 3), "Tenant " + i, now - (300 + rnd.nextInt(900)) * DAY);
            all.add(t);
            s.tenants.put(t.id, t);
        }
        List<WeakReference<ClassLoader>> probe = new ArrayList<>();
        for (Tenant t : all) deploy(s, t, leak, vendors, probe);
        for (int d = TENANTS; d < DEPLOYS; d++) deploy(s, all.get(rnd.nextInt(TENANTS)), leak, vendors, probe);
        for (long k = 0; k < RUNS; k++) {
            Tenant t = all.get(rnd.nextInt(TENANTS));
            long at = now - (RUNS - k) * 90_000L;
            s.runs.put(900_000 + k, new Run(900_000 + k, t.id, "pipeline-" + rnd.nextInt(12), at, t.connector.extract((int) k), new byte[100 + rnd.nextInt(200)]));
            s.outcomes[s.finished++ % RING] = new Outcome(900_000 + k, rnd.nextInt(20) != 0, at);
            if (k % 3 == 0) s.plans.put(t.id + "/plan-" + rnd.nextInt(5_000), new byte[300 + rnd.nextInt(500)]);
        }
        all = null;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        int live = 0;
        for (WeakReference<ClassLoader> w : probe) if (w.get() != null) live++;
        int drivers = Collections.list(DriverManager.getDrivers()).size();
        System.out.println((args.length > 2 ? args[2] : "healthy") + " tenants " + s.tenants.size() + " deployments " + DEPLOYS + " live bundle loaders " + live
                + " drivers " + drivers + " runs " + s.runs.size() + " plans " + s.plans.size());
        if (live != (leak ? DEPLOYS : TENANTS)) throw new IllegalStateException("unexpected live loaders " + live);
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
