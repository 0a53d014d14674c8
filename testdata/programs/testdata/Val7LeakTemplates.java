// hprofscan-dump: name=val7-leak-templates-1 jvm="-Xmx256m" variants=mxbean args="1"
// hprofscan-dump: name=val7-leak-templates-2 jvm="-Xmx256m" variants=mxbean args="2"
// hprofscan-dump: name=val7-leak-templates jvm="-Xmx256m" variants=mxbean args="3"
// hprofscan-dump: name=val7-leak-templates-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validation set 7 (written blind), LEAK, a series: a notification service that renders e-mail
 * and push templates. The leak: {@code TemplateEngine.compiled}, a cache of compiled templates
 * whose key is built from the render context and so includes the request id
 * ({@code templateId:locale:requestId}); keys never repeat and nothing is evicted. Stage 1 is the
 * dump after 2 simulated hours (1,250 renders), stage 2 after 4 hours (2,500), stage 3 after 8
 * hours (5,000). Beside it: the template sources loaded at startup, the recipient-preference
 * directory, a delivery history capped at 3,000, an SMTP connection pool and the config.
 * See testdata/VALIDATION7.md.
 */
public final class Val7LeakTemplates {
    static final int TEMPLATES = 400;
    static final String[] LOCALES = {"en-US", "en-GB", "de-DE", "fr-FR", "es-ES", "it-IT", "nl-NL", "pt-BR", "ja-JP", "pl-PL", "sv-SE", "da-DK"};
    static final int RECIPIENTS = 40_000;
    static final int HISTORY_CAP = 3_000;
    static final int SMTP_POOL = 8;
    static final long HOUR = 3_600_000L;
    static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-zA-Z_.]+)\\s*\\}\\}");

    static NotificationService RUNNING;

    static final class TemplateSource {
        final String templateId; final String locale; final String subject; final String body; final int version; final long updatedAt;
        TemplateSource(String templateId, String locale, String subject, String body, int version, long updatedAt) { this.templateId = templateId; this.locale = locale; this.subject = subject; this.body = body; this.version = version; this.updatedAt = updatedAt; }
    }

    /** Reference data: every template in every locale, loaded once from the CMS at startup. */
    static final class TemplateRepository {
        static final Map<String, TemplateSource> BY_KEY = new HashMap<>();
    }

    static final class CompiledTemplate {
        final String cacheKey; final String[] literals; final String[] variables; final Pattern escaper; final long compiledAt;
        CompiledTemplate(String cacheKey, String[] literals, String[] variables, Pattern escaper, long compiledAt) { this.cacheKey = cacheKey; this.literals = literals; this.variables = variables; this.escaper = escaper; this.compiledAt = compiledAt; }
    }

    /** THE LEAK: the cache key is built from the whole render context, request id included. */
    static final class TemplateEngine {
        final Map<String, CompiledTemplate> compiled = new ConcurrentHashMap<>();
        long compilations;

        CompiledTemplate compile(TemplateSource src, String cacheKey, long now) {
            List<String> lits = new ArrayList<>(); List<String> vars = new ArrayList<>();
            Matcher m = PLACEHOLDER.matcher(src.body);
            int last = 0;
            while (m.find()) { lits.add(new String(src.body.substring(last, m.start()).toCharArray())); vars.add(m.group(1)); last = m.end(); }
            lits.add(src.body.substring(last));
            compilations++;
            return new CompiledTemplate(cacheKey, lits.toArray(new String[0]), vars.toArray(new String[0]), Pattern.compile("[<>&\"'](?!amp;)|" + Pattern.quote(src.locale)), now);
        }

        String render(TemplateSource src, RenderContext ctx, long now) {
            String key = src.templateId + ":" + src.locale + ":" + ctx.requestId;
            CompiledTemplate t = compiled.computeIfAbsent(key, k -> compile(src, k, now));
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < t.literals.length; i++) { sb.append(t.literals[i]); if (i < t.variables.length) sb.append(ctx.values.getOrDefault(t.variables[i], "")); }
            return sb.toString();
        }
    }

    static final class RenderContext {
        final String requestId; final Map<String, String> values = new HashMap<>();
        RenderContext(String requestId) { this.requestId = requestId; }
    }

    static final class Preferences {
        final long recipientId; final String email; final String locale; final boolean marketingOptIn; final String[] mutedTemplates; final String timezone; final long updatedAt;
        Preferences(long recipientId, String email, String locale, boolean marketingOptIn, String[] mutedTemplates, String timezone, long updatedAt) { this.recipientId = recipientId; this.email = email; this.locale = locale; this.marketingOptIn = marketingOptIn; this.mutedTemplates = mutedTemplates; this.timezone = timezone; this.updatedAt = updatedAt; }
    }

    static final class Delivery {
        final String messageId; final long recipientId; final String templateId; final String channel; final long sentAt; final int bytes;
        Delivery(String messageId, long recipientId, String templateId, String channel, long sentAt, int bytes) { this.messageId = messageId; this.recipientId = recipientId; this.templateId = templateId; this.channel = channel; this.sentAt = sentAt; this.bytes = bytes; }
    }

    static final class SmtpConnection {
        final String host; final byte[] writeBuffer = new byte[8 * 1024]; final long connectedAt; long lastUsedAt; long messagesSent;
        SmtpConnection(String host, long connectedAt) { this.host = host; this.connectedAt = connectedAt; }
    }

    static final class NotificationService {
        final TemplateEngine engine = new TemplateEngine();
        final Map<Long, Preferences> preferences = new HashMap<>();
        final ArrayDeque<Delivery> recentDeliveries = new ArrayDeque<>();
        final int historyCap = HISTORY_CAP;
        final ArrayBlockingQueue<SmtpConnection> smtpPool = new ArrayBlockingQueue<>(SMTP_POOL);
        final Properties config = new Properties();
        void recordDelivery(Delivery d) { recentDeliveries.addLast(d); if (recentDeliveries.size() > historyCap) recentDeliveries.removeFirst(); }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String body(int t, Random rnd) {
        StringBuilder sb = new StringBuilder("<html><body><p>Hello {{ recipient.firstName }},</p>");
        int paras = 6 + t % 6;
        for (int p = 0; p < paras; p++) {
            sb.append("<p>Paragraph ").append(p).append(" of template ").append(t).append(": your order {{order.id}} placed on {{order.date}} ");
            for (int w = 0; w < 14; w++) sb.append((char) ('a' + rnd.nextInt(26))).append("orem ");
            sb.append("</p>");
        }
        return sb.append("<p>Regards, {{ brand.name }}</p></body></html>").toString();
    }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        long hours = 1L << stage; // 2, 4, 8
        int renders = 1_250 << (stage - 1); // 1,250, 2,500, 5,000
        long now = System.currentTimeMillis();
        long start = now - hours * HOUR;
        Random rnd = new Random(7_060_001);
        NotificationService svc = new NotificationService();
        RUNNING = svc;
        for (int i = 0; i < 90; i++) svc.config.setProperty("notify.channel." + i + ".throttlePerMinute", Integer.toString(100 + i));
        List<TemplateSource> sources = new ArrayList<>();
        for (int t = 0; t < TEMPLATES; t++) {
            String id = "tpl-" + String.format("%04d", t);
            for (String loc : LOCALES) {
                TemplateSource s = new TemplateSource(id, loc, "Subject " + id + " " + loc, body(t, rnd), 1 + t % 9, start - 86_400_000L * (t % 200));
                TemplateRepository.BY_KEY.put(id + "/" + loc, s);
                sources.add(s);
            }
        }
        for (int i = 0; i < RECIPIENTS; i++) {
            long id = 60_000_000L + i * 7L;
            svc.preferences.put(id, new Preferences(id, "user" + id + "@mail.example", LOCALES[i % LOCALES.length], i % 4 == 0,
                    new String[] {"tpl-" + String.format("%04d", i % TEMPLATES)}, "Europe/Berlin", start - 3_600_000L * (i % 5000)));
        }
        for (int i = 0; i < SMTP_POOL; i++) svc.smtpPool.add(new SmtpConnection("smtp-" + (i % 3) + ".mail.internal", start + i * 1000L));
        for (int i = 0; i < renders; i++) {
            long t = start + hours * HOUR * i / renders;
            TemplateSource src = sources.get(rnd.nextInt(sources.size()));
            RenderContext ctx = new RenderContext(String.format("req-%016x", rnd.nextLong()));
            long recipient = 60_000_000L + rnd.nextInt(RECIPIENTS) * 7L;
            ctx.values.put("recipient.firstName", "Alex"); ctx.values.put("order.id", "ORD-" + (9_000_000 + i)); ctx.values.put("order.date", "2026-11-30"); ctx.values.put("brand.name", "Shop");
            String html = svc.engine.render(src, ctx, t);
            SmtpConnection c = svc.smtpPool.poll();
            c.lastUsedAt = t; c.messagesSent++;
            svc.smtpPool.add(c);
            svc.recordDelivery(new Delivery("<" + ctx.requestId + "@notify.example>", recipient, src.templateId, "email", t, html.length()));
        }
        System.out.println("stage " + stage + " sources " + TemplateRepository.BY_KEY.size() + " preferences " + svc.preferences.size() + " compiled " + svc.engine.compiled.size()
                + " deliveries " + svc.recentDeliveries.size() + " smtp " + svc.smtpPool.size());
        check(TemplateRepository.BY_KEY.size() == TEMPLATES * LOCALES.length && svc.preferences.size() == RECIPIENTS, "reference data");
        check(svc.engine.compiled.size() == renders && svc.engine.compilations == renders, "compiled");
        check(svc.recentDeliveries.size() == Math.min(renders, HISTORY_CAP) && svc.smtpPool.size() == SMTP_POOL, "history/pool");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
