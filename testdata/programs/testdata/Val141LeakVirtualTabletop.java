// hprofscan-dump: name=val141-leak-virtualtabletop jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val141-leak-virtualtabletop-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntBinaryOperator;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Validation set 141 (written blind), LEAK: the game server of a virtual tabletop for online
 * role-playing games. Players write roll macros ("/roll 1d20 + @{dex_mod} + @{prof_bonus}
 * [Stealth]"); the macro compiler turns a macro into a tiny class with the character's attribute
 * values inlined, caches the class file in a jar on disk (named by a hash of its content), and
 * every evaluation whose key is not in the static {@code MacroRuntime.LOADED} map opens a new
 * {@code URLClassLoader} over that jar and loads the class. The key is the macro's source text plus
 * the character sheet's revision stamp, because the attributes are inlined; but the sheet's revision
 * changes with every hit-point change in combat, so nearly every roll loads the class again in a
 * fresh loader, and the static map keeps every loaded class (and so its loader) forever.
 * Ordinary components beside it: the rules compendium, the character directory, a map-tile cache at
 * its cap, a pool of token-image buffers, the chat ring, the macro library and the Discord webhook
 * backlog. 10 simulated hours. See VALIDATION141.md.
 */
public final class Val141LeakVirtualTabletop {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int MONSTERS = 1_400, CHARACTERS = 12_000, ACTIVE = 120, MACROS_PER_CHARACTER = 6, TILE_CAP = 2_000, POOL = 8, RING = 2_048, HOURS = 10,
            ROLLS_PER_MINUTE = 4, HP_CHANGES_PER_MINUTE = 6, TILES_PER_MINUTE = 20, WEBHOOK_LAG_SECONDS = 180;
    static final String[] CLASSES = {"Barbarian", "Bard", "Cleric", "Druid", "Fighter", "Monk", "Paladin", "Ranger", "Rogue", "Sorcerer", "Warlock", "Wizard"};
    static final String[] ABILITIES = {"str", "dex", "con", "int", "wis", "cha"};
    static final String[] WEAPONS = {"Longsword", "Rapier", "Handaxe", "Warhammer", "Shortbow", "Light crossbow", "Quarterstaff", "Glaive", "Dagger", "Scimitar"};
    static final String[] SKILLS = {"Stealth", "Perception", "Athletics", "Insight", "Arcana", "Persuasion", "Investigation", "Survival", "Acrobatics", "Deception"};
    static final String[] SPELLS = {"Fire Bolt", "Eldritch Blast", "Guiding Bolt", "Hellish Rebuke", "Fireball", "Healing Word", "Sacred Flame", "Magic Missile"};
    static boolean FIXED;

    record Monster(String code, String name, String challenge, int[] statBlock, String traits) {}
    record Tile(String key, byte[] png, long renderedAt) {}
    record ChatLine(String characterId, String text, int result, long at) {}
    record WebhookPost(String channel, String content, long queuedAt) {}

    static final class CharacterSheet {
        final String characterId, name, characterClass, player;
        final int[] abilities;
        final int level;
        final byte[] portrait;
        int hitPoints, revision;
        long updatedAt;
        CharacterSheet(String characterId, String name, String characterClass, String player, int[] abilities, int level, byte[] portrait, long updatedAt) {
            this.characterId = characterId; this.name = name; this.characterClass = characterClass; this.player = player; this.abilities = abilities; this.level = level;
            this.portrait = portrait; this.updatedAt = updatedAt; this.hitPoints = 8 + level * 6;
        }
        int modifier(String ability) { for (int i = 0; i < ABILITIES.length; i++) if (ABILITIES[i].equals(ability)) return Math.floorDiv(abilities[i] - 10, 2); return 0; }
        int proficiency() { return 2 + (level - 1) / 4; }
        String revisionStamp() { return characterId + "@r" + revision; }
    }

    record Macro(String macroId, String characterId, String source, int dice, int sides, String[] refs) {}

    /** Compiles a macro into a class file (attribute values inlined) and keeps it in a jar on disk, named by a hash of the class. */
    static final class MacroCompiler {
        final Path jarDir;
        long jarsWritten, jarsReused;
        MacroCompiler(Path jarDir) { this.jarDir = jarDir; }

        record Compiled(String className, Path jar) {}

        Compiled compile(Macro m, CharacterSheet sheet) throws IOException {
            int modifier = 0;
            for (String ref : m.refs()) modifier += ref.equals("prof_bonus") ? sheet.proficiency() : sheet.modifier(ref.substring(0, 3));
            int multiplier = m.source().contains("{crit}") ? 2 : 1;
            String hash = hex(sha1(m.source() + "|" + multiplier + "|" + modifier)).substring(0, 16);
            String internalName = "vtt/macro/M" + hash;
            Path jar = jarDir.resolve("macro-" + hash + ".jar");
            if (Files.exists(jar)) {
                jarsReused++;
            } else {
                byte[] bytes = macroClass(internalName, m.source(), multiplier, modifier);
                Manifest mf = new Manifest();
                mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
                mf.getMainAttributes().put(new Attributes.Name("Created-By"), "vtt-macro-compiler 3.2");
                Path tmp = jarDir.resolve("macro-" + hash + ".jar.tmp");
                try (OutputStream os = Files.newOutputStream(tmp); JarOutputStream jos = new JarOutputStream(os, mf)) {
                    JarEntry e = new JarEntry(internalName + ".class");
                    e.setTime(1_700_000_000_000L);
                    jos.putNextEntry(e);
                    jos.write(bytes);
                    jos.closeEntry();
                }
                Files.move(tmp, jar, StandardCopyOption.ATOMIC_MOVE);
                jarsWritten++;
            }
            return new Compiled(internalName.replace('/', '.'), jar);
        }
    }

    /** Loads compiled macros; LOADED is the process-wide cache of loaded macro classes. */
    static final class MacroRuntime {
        static final Map<String, Class<?>> LOADED = new ConcurrentHashMap<>();
        static long loads, hits, evaluations;

        static int evaluate(MacroCompiler compiler, Macro m, CharacterSheet sheet, int diceTotal, int situational) throws Exception {
            evaluations++;
            // BUG: the sheet's revision changes with every hit-point change, so the key almost never repeats
            String key = FIXED ? m.source() + " @" + compiler.compile(m, sheet).className() : m.source() + " @" + sheet.revisionStamp();
            Class<?> c = LOADED.get(key);
            if (c == null) {
                MacroCompiler.Compiled compiled = compiler.compile(m, sheet);
                URLClassLoader loader = new URLClassLoader("macro-" + m.macroId() + "-" + (loads + 1), new URL[] {compiled.jar().toUri().toURL()},
                        Val141LeakVirtualTabletop.class.getClassLoader());
                c = loader.loadClass(compiled.className());
                LOADED.put(key, c);
                loads++;
            } else {
                hits++;
            }
            IntBinaryOperator op = (IntBinaryOperator) c.getDeclaredConstructor().newInstance();
            return op.applyAsInt(diceTotal, situational);
        }
    }

    static final Map<String, Monster> COMPENDIUM = new HashMap<>();

    static final class TileCache extends LinkedHashMap<String, Tile> {
        long evicted;
        TileCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Tile> e) { if (size() > TILE_CAP) { evicted++; return true; } return false; }
    }

    static final class TableService {
        final Map<String, CharacterSheet> characters = new HashMap<>();
        final String[] characterIds = new String[CHARACTERS];
        final Map<String, Macro> macros = new HashMap<>();
        final List<List<Macro>> macrosOfActive = new ArrayList<>();
        final TileCache tiles = new TileCache();
        final ArrayDeque<byte[]> tokenBuffers = new ArrayDeque<>();
        final ChatLine[] chat = new ChatLine[RING];
        final ArrayDeque<WebhookPost> webhooks = new ArrayDeque<>();
        MacroCompiler compiler;
        long chatCount, rolls, hpChanges, tileRenders, tileHits, webhooksSent;

        void roll(Macro m, Random r, long t) throws Exception {
            CharacterSheet sheet = characters.get(m.characterId());
            int dice = 0;
            for (int k = 0; k < m.dice(); k++) dice += 1 + r.nextInt(m.sides());
            int result = MacroRuntime.evaluate(compiler, m, sheet, dice, r.nextInt(5) == 0 ? 2 : 0);
            String text = sheet.name + " rolls " + m.source().substring(6) + " = " + result;
            chat[(int) (chatCount++ % RING)] = new ChatLine(sheet.characterId, text, result, t);
            if (r.nextInt(3) == 0) webhooks.addLast(new WebhookPost("discord:campaign-" + (sheet.characterId.hashCode() & 63), text, t));
            rolls++;
        }

        void tile(String key, Random r, long t) {
            if (tiles.get(key) != null) { tileHits++; return; }
            byte[] buf = tokenBuffers.poll();
            buf[(int) (t % buf.length)] = (byte) key.length();
            tokenBuffers.add(buf);
            tiles.put(key, new Tile(key, new byte[400 + r.nextInt(400)], t));
            tileRenders++;
        }
    }

    static TableService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static byte[] sha1(String s) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) sb.append(Character.forDigit((x >> 4) & 15, 16)).append(Character.forDigit(x & 15, 16));
        return sb.toString();
    }

    /** A class {@code internalName implements IntBinaryOperator} with {@code static final String SOURCE} and {@code applyAsInt(a, b) = a * multiplier + b + modifier}. */
    static byte[] macroClass(String internalName, String source, int multiplier, int modifier) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(512 + source.length());
        DataOutputStream out = new DataOutputStream(bos);
        out.writeInt(0xCAFEBABE);
        out.writeShort(0);
        out.writeShort(52);
        out.writeShort(21);
        out.writeByte(1); out.writeUTF(internalName);                         // #1
        out.writeByte(7); out.writeShort(1);                                  // #2 this class
        out.writeByte(1); out.writeUTF("java/lang/Object");                   // #3
        out.writeByte(7); out.writeShort(3);                                  // #4 super
        out.writeByte(1); out.writeUTF("java/util/function/IntBinaryOperator"); // #5
        out.writeByte(7); out.writeShort(5);                                  // #6 interface
        out.writeByte(1); out.writeUTF("<init>");                             // #7
        out.writeByte(1); out.writeUTF("()V");                                // #8
        out.writeByte(12); out.writeShort(7); out.writeShort(8);              // #9
        out.writeByte(10); out.writeShort(4); out.writeShort(9);              // #10 Object.<init>
        out.writeByte(1); out.writeUTF("Code");                               // #11
        out.writeByte(1); out.writeUTF("applyAsInt");                         // #12
        out.writeByte(1); out.writeUTF("(II)I");                              // #13
        out.writeByte(3); out.writeInt(multiplier);                           // #14
        out.writeByte(3); out.writeInt(modifier);                             // #15
        out.writeByte(1); out.writeUTF("SOURCE");                             // #16
        out.writeByte(1); out.writeUTF("Ljava/lang/String;");                 // #17
        out.writeByte(1); out.writeUTF("ConstantValue");                      // #18
        out.writeByte(1); out.writeUTF(source);                               // #19
        out.writeByte(8); out.writeShort(19);                                 // #20
        out.writeShort(0x0031); out.writeShort(2); out.writeShort(4);
        out.writeShort(1); out.writeShort(6);
        out.writeShort(1);
        out.writeShort(0x0019); out.writeShort(16); out.writeShort(17); out.writeShort(1);
        out.writeShort(18); out.writeInt(2); out.writeShort(20);
        out.writeShort(2);
        out.writeShort(0x0001); out.writeShort(7); out.writeShort(8); out.writeShort(1);
        out.writeShort(11); out.writeInt(12 + 5); out.writeShort(1); out.writeShort(1); out.writeInt(5);
        out.write(new byte[] {0x2a, (byte) 0xb7, 0x00, 0x0a, (byte) 0xb1});
        out.writeShort(0); out.writeShort(0);
        out.writeShort(0x0001); out.writeShort(12); out.writeShort(13); out.writeShort(1);
        out.writeShort(11); out.writeInt(12 + 12); out.writeShort(2); out.writeShort(3); out.writeInt(12);
        out.write(new byte[] {0x1b, 0x13, 0x00, 0x0e, 0x68, 0x1c, 0x60, 0x13, 0x00, 0x0f, 0x60, (byte) 0xac});
        out.writeShort(0); out.writeShort(0);
        out.writeShort(0);
        out.flush();
        return bos.toByteArray();
    }

    static Macro newMacro(String macroId, String characterId, Random r) {
        int kind = r.nextInt(6);
        String ab = ABILITIES[r.nextInt(ABILITIES.length)];
        switch (kind) {
            case 0: { String w = WEAPONS[r.nextInt(WEAPONS.length)];
                return new Macro(macroId, characterId, "/roll 1d20 + @{" + ab + "_mod} + @{prof_bonus} [" + w + " attack]", 1, 20, new String[] {ab + "_mod", "prof_bonus"}); }
            case 1: { String w = WEAPONS[r.nextInt(WEAPONS.length)]; int sides = 4 + 2 * r.nextInt(5);
                return new Macro(macroId, characterId, "/roll 1d" + sides + " + @{" + ab + "_mod} [" + w + " damage]" + (r.nextInt(4) == 0 ? " {crit}" : ""), 1, sides, new String[] {ab + "_mod"}); }
            case 2: { String s = SKILLS[r.nextInt(SKILLS.length)];
                return new Macro(macroId, characterId, "/roll 1d20 + @{" + ab + "_mod}" + (r.nextBoolean() ? " + @{prof_bonus}" : "") + " [" + s + "]", 1, 20,
                        r.nextBoolean() ? new String[] {ab + "_mod", "prof_bonus"} : new String[] {ab + "_mod"}); }
            case 3: { String sp = SPELLS[r.nextInt(SPELLS.length)]; int n = 1 + r.nextInt(8);
                return new Macro(macroId, characterId, "/roll " + n + "d" + (6 + 2 * r.nextInt(3)) + " + @{cha_mod} [" + sp + "] {" + (r.nextBoolean() ? "fire" : "radiant") + "}", n, 6, new String[] {"cha_mod"}); }
            case 4:
                return new Macro(macroId, characterId, "/roll 1d20 + @{dex_mod} [Initiative] &{tracker}", 1, 20, new String[] {"dex_mod"});
            default:
                return new Macro(macroId, characterId, "/roll 1d20 + @{" + ab + "_mod} + @{prof_bonus} [" + ab.toUpperCase() + " save vs. " + SPELLS[r.nextInt(SPELLS.length)] + "]", 1, 20,
                        new String[] {ab + "_mod", "prof_bonus"});
        }
    }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(141_030_001);
        for (int m = 0; m < MONSTERS; m++) {
            int[] stats = new int[30];
            for (int j = 0; j < stats.length; j++) stats[j] = 1 + rnd.nextInt(30);
            String code = "MON-" + (1_000 + m);
            COMPENDIUM.put(code, new Monster(code, "Creature " + m, "CR " + rnd.nextInt(25), stats, "Keen Senses. Pack Tactics. Multiattack (" + (1 + rnd.nextInt(3)) + " attacks)."));
        }
        TableService svc = new TableService();
        SERVICE = svc;
        svc.compiler = new MacroCompiler(Files.createTempDirectory("vtt-macros-"));
        for (int c = 0; c < CHARACTERS; c++) {
            int[] ab = new int[6];
            for (int j = 0; j < 6; j++) ab[j] = 8 + rnd.nextInt(11);
            svc.characterIds[c] = "CHR-" + (500_000 + c * 3);
            svc.characters.put(svc.characterIds[c], new CharacterSheet(svc.characterIds[c], "Hero " + Integer.toString(1_000 + rnd.nextInt(40_000), 36), CLASSES[rnd.nextInt(CLASSES.length)],
                    "player" + rnd.nextInt(9_000), ab, 1 + rnd.nextInt(20), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(700)) * DAY));
        }
        Random lib = new Random(141_030_002);
        for (int a = 0; a < ACTIVE; a++) {
            String cid = svc.characterIds[a * 97];
            List<Macro> mine = new ArrayList<>();
            for (int k = 0; k < MACROS_PER_CHARACTER; k++) {
                Macro m = newMacro("MAC-" + (70_000 + a * 10 + k), cid, lib);
                svc.macros.put(m.macroId(), m);
                mine.add(m);
            }
            svc.macrosOfActive.add(mine);
        }
        for (int b = 0; b < POOL; b++) svc.tokenBuffers.add(new byte[32_768]);

        Random rolls = new Random(141_030_003), combat = new Random(141_030_004), maps = new Random(141_030_005);
        for (long t = start; t < end; t += MINUTE) {
            for (int k = 0; k < HP_CHANGES_PER_MINUTE; k++) {
                CharacterSheet sheet = svc.characters.get(svc.characterIds[combat.nextInt(ACTIVE) * 97]);
                sheet.hitPoints += combat.nextInt(4) == 0 ? 1 + combat.nextInt(8) : -(1 + combat.nextInt(12));
                sheet.revision++;
                sheet.updatedAt = t + k * 10 * SECOND;
                svc.hpChanges++;
            }
            for (int k = 0; k < ROLLS_PER_MINUTE; k++) {
                List<Macro> mine = svc.macrosOfActive.get(rolls.nextInt(ACTIVE));
                svc.roll(mine.get(rolls.nextInt(mine.size())), rolls, t + k * 8 * SECOND);
            }
            for (int k = 0; k < TILES_PER_MINUTE; k++) svc.tile("map-" + (7_000 + maps.nextInt(30)) + "/z" + maps.nextInt(3) + "/" + maps.nextInt(12) + "," + maps.nextInt(12), maps, t);
            while (!svc.webhooks.isEmpty() && svc.webhooks.peekFirst().queuedAt() <= t - WEBHOOK_LAG_SECONDS * SECOND) {
                svc.webhooks.pollFirst();
                svc.webhooksSent++;
            }
        }
    }

    static int removeJarFiles(Path dir) throws IOException {
        int n = 0;
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) { Files.delete(p); n++; }
        }
        Files.delete(dir);
        return n;
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
    }

    static void run(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val141.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report() throws IOException {
        TableService svc = SERVICE;
        Set<ClassLoader> loaders = new HashSet<>();
        Set<String> texts = new HashSet<>();
        int current = 0;
        for (Map.Entry<String, Class<?>> e : MacroRuntime.LOADED.entrySet()) {
            loaders.add(e.getValue().getClassLoader());
            String k = e.getKey();
            texts.add(k.substring(0, k.lastIndexOf(" @")));
            String stamp = k.substring(k.lastIndexOf(" @") + 2);
            CharacterSheet sheet = stamp.indexOf('@') > 0 ? svc.characters.get(stamp.substring(0, stamp.indexOf('@'))) : null;
            if (sheet != null && sheet.revisionStamp().equals(stamp)) current++;
        }
        int jars = removeJarFiles(svc.compiler.jarDir); // the jar cache is a scratch directory: the open loaders keep their files open
        System.out.println((FIXED ? "FIXED " : "") + "compendium " + COMPENDIUM.size() + " characters " + svc.characters.size() + " macros " + svc.macros.size() + " rolls " + svc.rolls
                + " hp changes " + svc.hpChanges + " evaluations " + MacroRuntime.evaluations + " loads " + MacroRuntime.loads + " hits " + MacroRuntime.hits + " loaded " + MacroRuntime.LOADED.size()
                + " (" + current + " at their sheet's current revision) loaders " + loaders.size() + " distinct macro texts " + texts.size() + " jars " + jars + " (written " + svc.compiler.jarsWritten + ", reused " + svc.compiler.jarsReused + ")"
                + " tiles " + svc.tiles.size() + " (renders " + svc.tileRenders + ", hits " + svc.tileHits + ", evicted " + svc.tiles.evicted + ") pool " + svc.tokenBuffers.size()
                + " chat " + svc.chatCount + " webhooks backlog " + svc.webhooks.size() + " (sent " + svc.webhooksSent + ")");
        check(COMPENDIUM.size() == MONSTERS && svc.characters.size() == CHARACTERS && svc.macros.size() == ACTIVE * MACROS_PER_CHARACTER, "reference data / directory / macro library");
        check(svc.rolls == (long) ROLLS_PER_MINUTE * 60 * HOURS && MacroRuntime.evaluations == svc.rolls && MacroRuntime.loads + MacroRuntime.hits == svc.rolls, "rolls");
        check(MacroRuntime.LOADED.size() == MacroRuntime.loads && loaders.size() == MacroRuntime.loads, "one loader per loaded class");
        check(svc.tiles.size() == TILE_CAP && svc.tiles.evicted > 0 && svc.tokenBuffers.size() == POOL, "tile cache at cap / pool");
        check(svc.chat[RING - 1] == null || svc.chatCount >= RING, "chat ring");
        check(svc.webhooks.size() > 0 && svc.webhooks.size() + svc.webhooksSent <= svc.rolls, "webhook backlog");
        check(FIXED ? MacroRuntime.loads == 541 && jars == 541 : MacroRuntime.loads == 2_149 && MacroRuntime.hits == 251 && current == 78 && texts.size() == 380 && jars == 541,
                "expected loads " + MacroRuntime.loads + " / jars " + jars);
    }
}
