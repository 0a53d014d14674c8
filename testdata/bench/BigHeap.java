// Benchmark heap for hprofscan: builds a large heap of many small objects and dumps it.
//
//   javac -d OUT testdata/bench/BigHeap.java
//   java -Xmx6g -cp OUT BigHeap bench-out/big.hprof [SCALE]
//
// At SCALE 1 (default) the dump is about 2.7 GB with about 47 M objects (plus the JDK's own
// few tens of thousands). SCALE multiplies every count (e.g. 0.01 for a quick 30 MB test).
// Deterministic: fixed random seed, no threads. JDK only (java.lang.management).
//
// What it builds (all reachable from static fields of this class):
//   MAP    HashMap<String, Integer>, 7 M entries: per entry a HashMap$Node, a String key
//          ("k" + i), its byte[] and a boxed Integer (never from the Integer cache)
//   LISTS  4 singly linked lists of 1.5 M nodes each (BigHeap$ListNode + a boxed Long each):
//          deep chains for the dominator tree
//   BAGS   200 k ArrayLists of 20 BigHeap$Item each (names from a pool of 100 Strings)
//   LONGS  Long[] of 2 M boxed Longs
//   BYTES  600 k byte[] of 256..2047 bytes; INTS 300 k int[] of 8..63 ints

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

public class BigHeap {
    static final class ListNode {
        final Long value;
        final int index;
        ListNode next;

        ListNode(Long value, int index) {
            this.value = value;
            this.index = index;
        }
    }

    static final class Item {
        final int a;
        final int b;
        final String name;

        Item(int a, int b, String name) {
            this.a = a;
            this.b = b;
            this.name = name;
        }
    }

    static Map<String, Integer> MAP;
    static ListNode[] LISTS;
    static List<List<Item>> BAGS;
    static Long[] LONGS;
    static byte[][] BYTES;
    static int[][] INTS;
    static String[] NAMES;

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || !args[0].endsWith(".hprof")) {
            System.err.println("usage: java -Xmx6g BigHeap OUT.hprof [SCALE]");
            System.exit(2);
        }
        String out = args[0];
        double scale = args.length > 1 ? Double.parseDouble(args[1]) : 1.0;
        int nMap = (int) (7_000_000 * scale);
        int nLists = 4;
        int listLen = (int) (1_500_000 * scale);
        int nBags = (int) (200_000 * scale);
        int bagSize = 20;
        int nLongs = (int) (2_000_000 * scale);
        int nBytes = (int) (600_000 * scale);
        int nInts = (int) (300_000 * scale);
        Random rnd = new Random(42);
        long t0 = System.nanoTime();

        // Counters of the objects created (and kept) per kind.
        long strings = 0, byteArrays = 0, intArrays = 0, integers = 0, longs = 0;
        long hashNodes = 0, listNodes = 0, items = 0, arrayLists = 0, objectArrays = 0;

        NAMES = new String[100];
        objectArrays++;
        for (int i = 0; i < NAMES.length; i++) {
            NAMES[i] = "item-name-" + i;
            strings++;
            byteArrays++;
        }

        // 1. HashMap<String, Integer>, presized so that no resize garbage is left behind.
        HashMap<String, Integer> map = new HashMap<>((int) (nMap / 0.75f) + 1);
        for (int i = 0; i < nMap; i++) {
            map.put("k" + i, Integer.valueOf(1_000 + i)); // > 127: never the Integer cache
        }
        MAP = map;
        strings += nMap;
        byteArrays += nMap;
        integers += nMap;
        hashNodes += nMap;
        objectArrays++; // the table
        System.out.printf("map built (%d entries) %.1f s%n", nMap, (System.nanoTime() - t0) / 1e9);

        // 2. Long linked lists.
        LISTS = new ListNode[nLists];
        objectArrays++;
        for (int l = 0; l < nLists; l++) {
            ListNode head = null;
            for (int i = listLen - 1; i >= 0; i--) {
                ListNode n = new ListNode(Long.valueOf(1_000_000_000L * (l + 1) + i), i);
                n.next = head;
                head = n;
            }
            LISTS[l] = head;
        }
        listNodes += (long) nLists * listLen;
        longs += (long) nLists * listLen;
        System.out.printf("lists built (%d x %d) %.1f s%n", nLists, listLen, (System.nanoTime() - t0) / 1e9);

        // 3. ArrayLists of small objects.
        ArrayList<List<Item>> bags = new ArrayList<>(nBags);
        arrayLists++;
        objectArrays++;
        for (int b = 0; b < nBags; b++) {
            ArrayList<Item> bag = new ArrayList<>(bagSize);
            for (int i = 0; i < bagSize; i++) {
                bag.add(new Item(b, i, NAMES[rnd.nextInt(NAMES.length)]));
            }
            bags.add(bag);
        }
        BAGS = bags;
        arrayLists += nBags;
        objectArrays += nBags;
        items += (long) nBags * bagSize;
        System.out.printf("bags built (%d x %d) %.1f s%n", nBags, bagSize, (System.nanoTime() - t0) / 1e9);

        // 4. Boxed Longs in an array.
        LONGS = new Long[nLongs];
        objectArrays++;
        for (int i = 0; i < nLongs; i++) {
            LONGS[i] = Long.valueOf(-1_000L - i); // never the Long cache
        }
        longs += nLongs;

        // 5. Primitive arrays.
        BYTES = new byte[nBytes][];
        objectArrays++;
        for (int i = 0; i < nBytes; i++) {
            byte[] a = new byte[256 + rnd.nextInt(1792)];
            a[0] = (byte) i;
            a[a.length - 1] = (byte) (i >>> 8);
            BYTES[i] = a;
        }
        byteArrays += nBytes;
        INTS = new int[nInts][];
        objectArrays++;
        for (int i = 0; i < nInts; i++) {
            int[] a = new int[8 + rnd.nextInt(56)];
            a[0] = i;
            INTS[i] = a;
        }
        intArrays += nInts;
        double buildSecs = (System.nanoTime() - t0) / 1e9;

        long total = strings + byteArrays + intArrays + integers + longs + hashNodes + listNodes
                + items + arrayLists + objectArrays;
        System.out.printf("created (and kept reachable), in %.1f s:%n", buildSecs);
        System.out.printf("  %-28s %,12d%n", "java.lang.String", strings);
        System.out.printf("  %-28s %,12d%n", "byte[]", byteArrays);
        System.out.printf("  %-28s %,12d%n", "int[]", intArrays);
        System.out.printf("  %-28s %,12d%n", "java.lang.Integer", integers);
        System.out.printf("  %-28s %,12d%n", "java.lang.Long", longs);
        System.out.printf("  %-28s %,12d%n", "java.util.HashMap$Node", hashNodes);
        System.out.printf("  %-28s %,12d%n", "BigHeap$ListNode", listNodes);
        System.out.printf("  %-28s %,12d%n", "BigHeap$Item", items);
        System.out.printf("  %-28s %,12d%n", "java.util.ArrayList", arrayLists);
        System.out.printf("  %-28s %,12d%n", "Object[] (any type)", objectArrays);
        System.out.printf("  %-28s %,12d%n", "total", total);

        File f = new File(out);
        if (f.exists() && !f.delete()) {
            throw new IllegalStateException("cannot delete existing " + out);
        }
        File parent = f.getAbsoluteFile().getParentFile();
        if (parent != null) {
            parent.mkdirs();
        }
        long t1 = System.nanoTime();
        HotSpotDiagnosticMXBean bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        bean.dumpHeap(f.getAbsolutePath(), true);
        System.out.printf("dumped %s: %,d bytes in %.1f s%n", out, f.length(), (System.nanoTime() - t1) / 1e9);
        // Keep everything reachable until after the dump.
        if (MAP.size() + LISTS.length + BAGS.size() + LONGS.length + BYTES.length + INTS.length < 0) {
            System.out.println("unreachable");
        }
    }
}
