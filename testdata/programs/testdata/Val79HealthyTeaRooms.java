// hprofscan-dump: name=val79-healthy-tearooms jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val79-healthy-tearooms-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 79 (written blind), HEALTHY: table bookings and ordering for a chain of tea
 * rooms. Tea-blend reference data, the loyalty-member directory, a cache of rendered menus at its
 * cap, a ring of recent orders, a pool of receipt buffers, a cache of loyalty-app session tokens
 * keyed by hex session id that expires tokens after an hour, and a memo of afternoon-tea set prices
 * keyed by (set, guests, voucher) only, capped. See VALIDATION79.md.
 */
public final class Val79HealthyTeaRooms {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, SESSION_LIFETIME = HOUR;
    static final int BLENDS = 1_200, MEMBERS = 28_000, MENU_CAP = 2_000, POOL = 10, RING = 16_384, HOURS = 10, ORDERS_PER_HOUR = 6_000, SETS = 40, PRICE_CAP = 1_000;
    static final Map<String, Blend> BLENDS_BY_CODE = new HashMap<>();

    record Blend(String code, String origin, double[] steepCurve) {}
    record Member(String memberId, String homeRoom, byte[] preferences, long joinedAt) {}
    record Menu(String key, byte[] rendered, long at) {}
    record Order(String memberId, String room, long totalPence, long at) {}
    record AppSession(String sessionId, String memberId, byte[] token, long issuedAt) {}
    record SetPriceKey(int set, int guests, String voucher) {}
    record SetPrice(long pence, byte[] breakdown) {}

    static final class Lru<K, V> extends LinkedHashMap<K, V> {
        final int cap;
        long evicted;
        Lru(int cap) { super(4_096, 0.75f, true); this.cap = cap; }
        @Override protected boolean removeEldestEntry(Map.Entry<K, V> e) { if (size() > cap) { evicted++; return true; } return false; }
    }

    static final class SessionCache {
        final Map<String, AppSession> sessions = new HashMap<>();
        long issued, expired;
        void put(AppSession s) { sessions.put(s.sessionId(), s); issued++; }
        void expire(long at) { int before = sessions.size(); sessions.values().removeIf(s -> at - s.issuedAt() > SESSION_LIFETIME); expired += before - sessions.size(); }
    }

    static final class TeaRoomService {
        final Map<String, Member> members = new HashMap<>();
        final Lru<String, Menu> menus = new Lru<>(MENU_CAP);
        final Order[] orders = new Order[RING];
        long orderCount;
        final ArrayDeque<byte[]> receiptBuffers = new ArrayDeque<>();
        final SessionCache sessions = new SessionCache();
        final Lru<SetPriceKey, SetPrice> setPrices = new Lru<>(PRICE_CAP);
        long priceHits, priceMisses;
    }

    static TeaRoomService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(79_060_001);
        String[] blendCodes = new String[BLENDS];
        for (int b = 0; b < BLENDS; b++) {
            double[] curve = new double[80];
            for (int k = 0; k < curve.length; k++) curve[k] = rnd.nextDouble() * 100;
            String code = "BL-" + (1_000 + b);
            blendCodes[b] = code;
            BLENDS_BY_CODE.put(code, new Blend(code, "Estate " + (b % 150), curve));
        }
        TeaRoomService svc = new TeaRoomService();
        SERVICE = svc;
        String[] ids = new String[MEMBERS];
        for (int m = 0; m < MEMBERS; m++) {
            String id = "M" + (800_000 + m);
            ids[m] = id;
            svc.members.put(id, new Member(id, "Room " + (m % 90), new byte[180 + rnd.nextInt(180)], now - (long) (1 + rnd.nextInt(4_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.receiptBuffers.add(new byte[32_768]);
        Random traffic = new Random(79_060_002);
        String[] vouchers = {null, null, "BIRTHDAY", "GIFTCARD", "LOYALTY"};
        int orders = ORDERS_PER_HOUR * HOURS;
        long lastExpiry = start;
        for (int i = 0; i < orders; i++) {
            long t = start + (end - MINUTE - start) * i / orders;
            if (t - lastExpiry >= MINUTE) { svc.sessions.expire(t); lastExpiry = t; }
            String member = ids[traffic.nextInt(MEMBERS)];
            String room = "Room " + traffic.nextInt(90);
            SetPriceKey pk = new SetPriceKey(traffic.nextInt(SETS), 1 + traffic.nextInt(8), vouchers[traffic.nextInt(vouchers.length)]);
            SetPrice price = svc.setPrices.get(pk);
            if (price == null) { svc.priceMisses++; price = new SetPrice(1_800L * pk.guests() * (pk.voucher() == null ? 100 : 85) / 100, new byte[80 + pk.set()]); svc.setPrices.put(pk, price); }
            else svc.priceHits++;
            svc.orders[(int) (svc.orderCount++ % RING)] = new Order(member, room, price.pence(), t);
            if (i % 3 == 0) svc.sessions.put(new AppSession(Long.toHexString(traffic.nextLong()) + Long.toHexString(traffic.nextLong()), member, new byte[64], t));
            String mk = room + "/" + blendCodes[traffic.nextInt(BLENDS)].substring(0, 5) + traffic.nextInt(40);
            if (svc.menus.get(mk) == null) svc.menus.put(mk, new Menu(mk, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.receiptBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.receiptBuffers.add(buf);
        }
        System.out.println("blends " + BLENDS_BY_CODE.size() + " members " + svc.members.size() + " menus " + svc.menus.size() + " (evicted " + svc.menus.evicted + ") orders " + svc.orderCount + " pool " + svc.receiptBuffers.size()
                + " sessions " + svc.sessions.sessions.size() + " (issued " + svc.sessions.issued + ", expired " + svc.sessions.expired + ") setPrices " + svc.setPrices.size() + " (evicted " + svc.setPrices.evicted + ", hits " + svc.priceHits + ", misses " + svc.priceMisses + ")");
        check(BLENDS_BY_CODE.size() == BLENDS && svc.members.size() == MEMBERS, "reference data / directory");
        check(svc.menus.size() == MENU_CAP && svc.menus.evicted > 0, "menu cache at cap");
        check(svc.orderCount == orders && svc.orders[RING - 1] != null, "ring");
        check(svc.receiptBuffers.size() == POOL, "pool");
        check(svc.sessions.sessions.size() <= 2_200 && svc.sessions.sessions.size() + svc.sessions.expired == svc.sessions.issued, "sessions expire");
        check(svc.setPrices.size() <= PRICE_CAP && svc.priceHits > svc.priceMisses, "set-price memo bounded and hit");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
