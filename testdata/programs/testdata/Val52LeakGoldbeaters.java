// hprofscan-dump: name=val52-leak-goldbeaters jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val52-leak-goldbeaters-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 52 (written blind), LEAK: the document service of a gold-leaf manufacturer
 * (goldbeaters). Alloy reference data, the customer directory, a cache of rendered PDFs at its
 * cap, a ring of dispatches, a pool of PDF buffers, and a report-template engine: a template is
 * compiled into a generated class (the class file is built in memory) defined in its own
 * ClassLoader, and a static registry keeps every compiled template (with its class, hence its
 * loader) keyed by the template text. The document service substitutes the request's batch number
 * into the template text before compiling it, so nearly every document compiles a new template:
 * one class and one class loader per request, kept forever. See VALIDATION52.md.
 */
public final class Val52LeakGoldbeaters {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int ALLOYS = 900, CUSTOMERS = 18_000, PDF_CAP = 1_500, POOL = 6, RING = 8_192, DOCUMENTS_PER_HOUR = 300, HOURS = 10;
    static boolean FIXED;

    record Alloy(String code, int carat, double[] spectrum) {}
    record Customer(String account, String trade, byte[] profile, long since) {}
    record RenderedPdf(String key, byte[] pdf, long at) {}
    record Dispatch(String batch, String account, int books, long at) {}

    /** Implemented by every generated template class. */
    public interface TemplateBody {
        String source();
        String kind();
    }

    /** One class loader per compiled template, so that a template can be recompiled and dropped. */
    static final class TemplateLoader extends ClassLoader {
        TemplateLoader(String name, ClassLoader parent) { super(name, parent); }
        Class<?> define(String binaryName, byte[] bytes) { return defineClass(binaryName, bytes, 0, bytes.length); }
    }

    record CompiledTemplate(String key, String kind, Class<?> type, TemplateBody body, byte[] classBytes, long compiledAt) {}

    /** The template engine: compiles template text into a class and keeps it in a static registry. */
    static final class TemplateEngine {
        static final Map<String, CompiledTemplate> COMPILED = new HashMap<>();
        static long compilations, lookups;

        static CompiledTemplate compile(String kind, String text, long at) throws Exception {
            lookups++;
            CompiledTemplate t = COMPILED.get(text);
            if (t != null) return t;
            long n = ++compilations;
            String binaryName = "goldbeaters.tpl.Template" + n;
            byte[] bytes = classFile(binaryName.replace('.', '/'), TemplateBody.class.getName().replace('.', '/'), kind, text);
            Class<?> type = new TemplateLoader("tpl-" + n, TemplateEngine.class.getClassLoader()).define(binaryName, bytes);
            TemplateBody body = (TemplateBody) type.getDeclaredConstructor().newInstance();
            if (!body.source().equals(text) || !body.kind().equals(kind)) throw new IllegalStateException("bad template class " + binaryName);
            t = new CompiledTemplate(text, kind, type, body, bytes, at);
            COMPILED.put(text, t);
            return t;
        }

        /** A class file (version 52) "public final class NAME implements IFACE" with source() and kind() returning constants. */
        static byte[] classFile(String internalName, String iface, String kind, String source) throws IOException {
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bo);
            out.writeInt(0xCAFEBABE);
            out.writeShort(0);
            out.writeShort(52);
            out.writeShort(19); // constant pool count
            utf8(out, internalName);              // 1
            out.writeByte(7); out.writeShort(1);  // 2 Class this
            utf8(out, "java/lang/Object");        // 3
            out.writeByte(7); out.writeShort(3);  // 4 Class super
            utf8(out, iface);                     // 5
            out.writeByte(7); out.writeShort(5);  // 6 Class iface
            utf8(out, "<init>");                  // 7
            utf8(out, "()V");                     // 8
            out.writeByte(12); out.writeShort(7); out.writeShort(8); // 9 NameAndType
            out.writeByte(10); out.writeShort(4); out.writeShort(9); // 10 Methodref Object.<init>
            utf8(out, "Code");                    // 11
            utf8(out, "source");                  // 12
            utf8(out, "()Ljava/lang/String;");    // 13
            utf8(out, source);                    // 14
            out.writeByte(8); out.writeShort(14); // 15 String source
            utf8(out, "kind");                    // 16
            utf8(out, kind);                      // 17
            out.writeByte(8); out.writeShort(17); // 18 String kind
            out.writeShort(0x0031); // public final super
            out.writeShort(2);
            out.writeShort(4);
            out.writeShort(1); out.writeShort(6); // interfaces
            out.writeShort(0); // fields
            out.writeShort(3); // methods
            method(out, 7, 8, new byte[] {0x2a, (byte) 0xb7, 0x00, 0x0a, (byte) 0xb1});
            method(out, 12, 13, new byte[] {0x12, 15, (byte) 0xb0});
            method(out, 16, 13, new byte[] {0x12, 18, (byte) 0xb0});
            out.writeShort(0); // class attributes
            out.flush();
            return bo.toByteArray();
        }

        static void utf8(DataOutputStream out, String s) throws IOException { out.writeByte(1); out.writeUTF(s); }

        static void method(DataOutputStream out, int name, int desc, byte[] code) throws IOException {
            out.writeShort(0x0001); out.writeShort(name); out.writeShort(desc);
            out.writeShort(1);
            out.writeShort(11); out.writeInt(12 + code.length);
            out.writeShort(1); out.writeShort(1); // max stack, max locals
            out.writeInt(code.length); out.write(code);
            out.writeShort(0); out.writeShort(0); // exception table, attributes
        }
    }

    static final String[] KINDS = {"assay-certificate", "invoice", "packing-slip", "export-declaration", "batch-label", "customs-letter"};

    /** The template of a document kind; ${batch} is the batch-number parameter. */
    static String template(String kind) {
        return "<document kind=\"" + kind + "\"><header>Goldbeaters of Clerkenwell - " + kind + "</header>"
                + "<line>Batch ${batch}: ${books} books of 25 leaves, ${carat} carat, ${size} mm</line>"
                + "<line>Fineness ${fineness} / assayed by ${assayer} on ${date}</line><footer>Page ${page} of ${pages}</footer></document>";
    }

    static final Map<String, Alloy> ALLOYS_BY_CODE = new HashMap<>();

    static final class DocumentService {
        final Map<String, Customer> customers = new HashMap<>();
        final LinkedHashMap<String, RenderedPdf> pdfs = new LinkedHashMap<>(2_048, 0.75f, true) {
            @Override protected boolean removeEldestEntry(Map.Entry<String, RenderedPdf> e) { if (size() > PDF_CAP) { pdfsEvicted++; return true; } return false; }
        };
        long pdfsEvicted;
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final Dispatch[] dispatches = new Dispatch[RING];
        long dispatchCount, documents;

        String render(String kind, String batch, Random r, long at) throws Exception {
            documents++;
            String text = template(kind);
            CompiledTemplate t;
            if (FIXED) t = TemplateEngine.compile(kind, text, at); // compiled once per kind, the batch is bound at render time
            else t = TemplateEngine.compile(kind, text.replace("${batch}", batch), at); // BUG: the parameter is baked into the template text
            String out = t.body().source().replace("${batch}", batch).replace("${books}", Integer.toString(1 + r.nextInt(40)));
            byte[] buf = pdfBuffers.poll();
            buf[(int) (documents % buf.length)] = (byte) out.length();
            pdfBuffers.add(buf);
            return out;
        }
    }

    static DocumentService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val52.fixed");
        int documents = DOCUMENTS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(52_040_001);
        for (int a = 0; a < ALLOYS; a++) {
            double[] spectrum = new double[60];
            for (int k = 0; k < spectrum.length; k++) spectrum[k] = rnd.nextDouble();
            String code = "AU-" + (a / 100 + 12) + "-" + (a % 100);
            ALLOYS_BY_CODE.put(code, new Alloy(code, 12 + a % 13, spectrum));
        }
        DocumentService svc = new DocumentService();
        SERVICE = svc;
        String[] trades = {"gilder", "sign writer", "bookbinder", "frame maker", "conservator", "chocolatier", "church restorer"};
        String[] accounts = new String[CUSTOMERS];
        for (int c = 0; c < CUSTOMERS; c++) {
            accounts[c] = "GB" + (300_000 + c * 13);
            svc.customers.put(accounts[c], new Customer(accounts[c], trades[c % trades.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[65_536]);
        Random traffic = new Random(52_040_002);
        String[] recentBatches = new String[32];
        int reprints = 0;
        for (int i = 0; i < documents; i++) {
            long t = start + (end - MINUTE - start) * i / documents;
            String kind = KINDS[traffic.nextInt(KINDS.length)];
            String batch;
            if (i >= 32 && traffic.nextInt(10) == 0) { batch = recentBatches[traffic.nextInt(32)]; reprints++; } // a reprint of a recent batch
            else { batch = "B-" + (24_000_000 + i * 3 + traffic.nextInt(3)); recentBatches[i % 32] = batch; }
            String account = accounts[traffic.nextInt(CUSTOMERS)];
            String doc = svc.render(kind, batch, traffic, t);
            String key = kind + ":" + batch;
            if (svc.pdfs.get(key) == null) svc.pdfs.put(key, new RenderedPdf(key, new byte[800 + traffic.nextInt(800)], t));
            svc.dispatches[(int) (svc.dispatchCount++ % RING)] = new Dispatch(batch, account, 1 + traffic.nextInt(40), t);
            check(doc.contains(batch), "rendered document");
        }
        // extra dispatches booked by the warehouse (no documents)
        for (int i = 0; i < 6_000; i++) svc.dispatches[(int) (svc.dispatchCount++ % RING)] = new Dispatch("B-" + (23_000_000 + i), accounts[traffic.nextInt(CUSTOMERS)], 1 + traffic.nextInt(40), start + i * 6_000L);
        System.out.println((FIXED ? "FIXED " : "") + "alloys " + ALLOYS_BY_CODE.size() + " customers " + svc.customers.size() + " documents " + svc.documents + " (reprints " + reprints
                + ") compiled templates " + TemplateEngine.COMPILED.size() + " (compilations " + TemplateEngine.compilations + ", lookups " + TemplateEngine.lookups + ") pdfs " + svc.pdfs.size()
                + " (evicted " + svc.pdfsEvicted + ") pool " + svc.pdfBuffers.size() + " dispatches " + svc.dispatchCount);
        check(ALLOYS_BY_CODE.size() == ALLOYS && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(svc.documents == documents && TemplateEngine.lookups == documents && TemplateEngine.compilations == TemplateEngine.COMPILED.size(), "document traffic");
        if (FIXED) check(TemplateEngine.COMPILED.size() == KINDS.length, "one template per kind");
        else check(TemplateEngine.COMPILED.size() >= documents - reprints && TemplateEngine.COMPILED.size() <= documents, "a template per batch: " + TemplateEngine.COMPILED.size());
        check(svc.pdfs.size() == PDF_CAP && svc.pdfsEvicted > 0, "pdf cache at cap");
        check(svc.pdfBuffers.size() == POOL, "pool");
        check(svc.dispatchCount == documents + 6_000 && svc.dispatches[RING - 1] != null, "dispatch ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
