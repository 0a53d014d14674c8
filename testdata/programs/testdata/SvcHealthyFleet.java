// hprofscan-dump: name=svc-healthy-fleet jvm="-Xmx256m" variants=mxbean args="--series=3 --series-dir=testdata/dumps"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.LongSupplier;

/**
 * Healthy vehicle telematics service, dumped 3 times from one JVM (a series). The vehicle
 * directory (keyed by licence plate) warms up 9,000 -> 12,000 -> 12,000 and then stays flat; the
 * position ring, the ETA cache, the buffer pool and the ingest queue are the same size in every dump.
 * See testdata/SERVICES.md.
 */
public final class SvcHealthyFleet {
    static final int DEPOTS = 250;
    static final int VEHICLES = 12_000;
    static final int SENSORS_PER_VEHICLE = 3;
    static final int RING = 16_384;
    static final int ETA_CAPACITY = 1_500;
    static final int POOL_BUFFERS = 64;
    static final int BUFFER_BYTES = 8_192;
    static final int QUEUE_CAPACITY = 2_000;
    static final int QUEUED = 750;
    static final int[] FRAMES_AT_DUMP = {18_000, 48_000, 78_000};
    static final long SIM_HOURS = 10;

    enum SensorType { GPS, FUEL, TEMPERATURE }

    static final class SimClock implements LongSupplier {
        long now;

        SimClock(long start) {
            now = start;
        }

        @Override
        public long getAsLong() {
            return now;
        }
    }

    static final class Depot {
        final String code;
        final String name;
        final double latitude;
        final double longitude;
        final long loadedAt;

        Depot(String code, int i, long loadedAt) {
            this.code = code;
            this.name = "Depot " + (1000 + i);
            this.latitude = 45 + i * 0.01;
            this.longitude = 7 + i * 0.02;
            this.loadedAt = loadedAt;
        }
    }

    static final class DepotReference {
        static Map<String, Depot> DEPOTS_BY_CODE;
        static final List<String> CODES = new ArrayList<>();

        static void load(long loadedAt) {
            Map<String, Depot> m = new HashMap<>();
            for (int i = 0; i < DEPOTS; i++) {
                String code = "DEP-" + (1000 + i);
                m.put(code, new Depot(code, i, loadedAt));
                CODES.add(code);
            }
            DEPOTS_BY_CODE = Collections.unmodifiableMap(m);
        }
    }

    static final class Sensor {
        final SensorType type;
        final String serial;
        final long installedAt;

        Sensor(SensorType type, String serial, long installedAt) {
            this.type = type;
            this.serial = serial;
            this.installedAt = installedAt;
        }
    }

    static final class Vehicle {
        final long id;
        final String plate;
        final String vin;
        final Depot homeDepot;
        final List<Sensor> sensors;
        final long registeredAt;
        long lastPositionAt;
        double odometerKm;

        Vehicle(long id, String plate, Depot depot, long registeredAt) {
            this.id = id;
            this.plate = plate;
            this.vin = "WVW" + (10_000_000_000_000L + id);
            this.homeDepot = depot;
            this.registeredAt = registeredAt;
            this.sensors = new ArrayList<>(SENSORS_PER_VEHICLE);
            for (SensorType t : SensorType.values()) {
                sensors.add(new Sensor(t, t.name().charAt(0) + "-" + (10_000_000 + id), registeredAt));
            }
        }
    }

    /** Vehicles by licence plate; loaded from the fleet database on first telemetry. */
    static final class VehicleDirectory {
        final Map<String, Vehicle> byPlate = new HashMap<>();

        Vehicle lookup(int index) {
            String plate = "B-FL-" + (10_000 + index);
            Vehicle v = byPlate.get(plate);
            if (v == null) {
                Depot d = DepotReference.DEPOTS_BY_CODE.get(DepotReference.CODES.get(index % DEPOTS));
                v = new Vehicle(1_000_000L + index, plate, d, 1_500_000_000_000L + index * 86_400_000L);
                byPlate.put(plate, v);
            }
            return v;
        }
    }

    static final class Position {
        final long vehicleId;
        final double latitude;
        final double longitude;
        final float speedKmh;
        final long recordedAt;

        Position(long vehicleId, double latitude, double longitude, float speedKmh, long recordedAt) {
            this.vehicleId = vehicleId;
            this.latitude = latitude;
            this.longitude = longitude;
            this.speedKmh = speedKmh;
            this.recordedAt = recordedAt;
        }
    }

    /** Last RING positions, overwritten in place. */
    static final class PositionRing {
        final Position[] buffer = new Position[RING];
        int head;
        int tail;
        int count;

        void add(Position p) {
            buffer[head] = p;
            head = (head + 1) % buffer.length;
            if (count == buffer.length) {
                tail = head;
            } else {
                count++;
            }
        }
    }

    static final class Eta {
        final String plate;
        final String depot;
        final int minutes;
        final long computedAt;

        Eta(String plate, String depot, int minutes, long computedAt) {
            this.plate = plate;
            this.depot = depot;
            this.minutes = minutes;
            this.computedAt = computedAt;
        }
    }

    /** Insertion-ordered LinkedHashMap capped at capacity (FIFO). */
    static final class EtaCache {
        final int capacity = ETA_CAPACITY;
        final Map<String, Eta> etas = new LinkedHashMap<>(2_048, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Eta> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Preallocated decode buffers, borrowed and always returned. */
    static final class BufferPool {
        final int bufferSize;
        final ArrayDeque<byte[]> free = new ArrayDeque<>();
        int borrowed;

        BufferPool(int buffers, int bufferSize) {
            this.bufferSize = bufferSize;
            for (int i = 0; i < buffers; i++) {
                free.push(new byte[bufferSize]);
            }
        }

        byte[] borrow() {
            byte[] b = free.pop();
            borrowed++;
            return b;
        }

        void release(byte[] b) {
            borrowed--;
            free.push(b);
        }
    }

    static final class TelemetryFrame {
        final String plate;
        final long sequence;
        final byte[] payload;
        final long receivedAt;

        TelemetryFrame(String plate, long sequence, long receivedAt) {
            this.plate = plate;
            this.sequence = sequence;
            this.payload = new byte[96];
            this.receivedAt = receivedAt;
        }
    }

    static final class TelematicsService {
        final SimClock clock;
        final VehicleDirectory vehicles = new VehicleDirectory();
        final PositionRing positions = new PositionRing();
        final EtaCache etas = new EtaCache();
        final BufferPool buffers = new BufferPool(POOL_BUFFERS, BUFFER_BYTES);
        final LinkedBlockingQueue<TelemetryFrame> ingest = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
        long frames;

        TelematicsService(SimClock clock) {
            this.clock = clock;
        }

        void onFrame(long n) {
            long now = clock.getAsLong();
            Vehicle v = vehicles.lookup((int) (((n / 2) * 11) % VEHICLES));
            TelemetryFrame f = new TelemetryFrame(v.plate, n, now);
            if (!ingest.offer(f)) {
                throw new IllegalStateException("queue full");
            }
            if (ingest.size() > QUEUED) {
                decode(ingest.poll());
            }
            v.lastPositionAt = now;
            v.odometerKm += 0.4;
            if (n % 4 == 0) {
                etas.etas.put(v.plate + "@" + n, new Eta(v.plate, v.homeDepot.code, (int) (n % 90), now));
            }
            frames++;
        }

        void decode(TelemetryFrame f) {
            byte[] buf = buffers.borrow();
            try {
                System.arraycopy(f.payload, 0, buf, 0, f.payload.length);
                Vehicle v = vehicles.byPlate.get(f.plate);
                positions.add(new Position(v.id, 45 + (f.sequence % 1000) * 0.001, 7 + (f.sequence % 700) * 0.001,
                        (float) (f.sequence % 120), f.receivedAt));
            } finally {
                buffers.release(buf);
            }
        }
    }

    static TelematicsService RUNNING;

    static void serve(int total) {
        TelematicsService s = RUNNING;
        long from = s.clock.now;
        long to = System.currentTimeMillis();
        long first = s.frames;
        for (long n = first; n < total; n++) {
            s.clock.now = from + (to - from) * (n - first + 1) / (total - first);
            s.onFrame(n);
        }
        if (s.vehicles.byPlate.size() != Math.min((total + 1) / 2, VEHICLES) || s.positions.count != RING
                || s.etas.etas.size() != ETA_CAPACITY || s.ingest.size() != QUEUED
                || s.buffers.free.size() != POOL_BUFFERS || s.buffers.borrowed != 0) {
            throw new IllegalStateException("unexpected sizes " + s.vehicles.byPlate.size());
        }
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String base = args[1];
        Object[] series = LeakCheck.seriesArgs(args, 1);
        int count = (Integer) series[0];
        String dir = (String) series[1];
        long start = System.currentTimeMillis() - SIM_HOURS * 3_600_000L;
        DepotReference.load(start);
        RUNNING = new TelematicsService(new SimClock(start));
        for (int d = 1; d <= count; d++) {
            if (d > 1) {
                Thread.sleep(1_100);
            }
            serve(FRAMES_AT_DUMP[count == 1 ? 2 : d - 1]);
            System.gc();
            String path = LeakCheck.seriesPath(base, d, count, dir);
            DumpUtil.dump(variant, path);
            if (d < count) {
                new java.io.File(path).setReadable(true, false);
            }
            System.out.println("dumped " + path);
        }
        System.exit(0);
    }
}
