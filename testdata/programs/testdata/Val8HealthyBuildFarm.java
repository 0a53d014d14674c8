// hprofscan-dump: name=val8-healthy-buildfarm-1 jvm="-Xmx256m" variants=mxbean args="1"
// hprofscan-dump: name=val8-healthy-buildfarm-2 jvm="-Xmx256m" variants=mxbean args="2"
// hprofscan-dump: name=val8-healthy-buildfarm jvm="-Xmx256m" variants=mxbean args="3"
// hprofscan-dump: name=val8-healthy-buildfarm-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd args="3"
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

/**
 * Validation set 8 (written blind), HEALTHY, a series: the coordinator of a CI build farm. Stage 1
 * is the dump after 1 simulated hour (caches and log tails still filling), stage 2 after 6 hours,
 * stage 3 after 12 hours (the same sizes as stage 2: warm, then flat). It holds the pipeline
 * definitions loaded at startup, the registry of 300 build agents each with a ring of its last 200
 * log lines, a hand-written build-artifact cache capped in bytes (a HashMap plus a FIFO queue of
 * digests), the build history capped at 4,000, the queue of builds waiting for an agent with the
 * right labels (some for hours), a pool of 8 archivers with 64 KB buffers and the config.
 * See testdata/VALIDATION8.md.
 */
public final class Val8HealthyBuildFarm {
    static final int PIPELINES = 2_500;
    static final int AGENTS = 300;
    static final int LOG_TAIL = 200;
    static final int ARTIFACT_SIZE = 4 * 1024;
    static final long ARTIFACT_MAX_BYTES = 5_000L * ARTIFACT_SIZE;
    static final int HISTORY_CAP = 4_000;
    static final int ARCHIVERS = 8;
    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;

    static Coordinator RUNNING;

    static final class Stage { final String name; final String image; final String[] commands; final int timeoutMinutes; Stage(String name, String image, String[] commands, int timeoutMinutes) { this.name = name; this.image = image; this.commands = commands; this.timeoutMinutes = timeoutMinutes; } }

    static final class Pipeline {
        final String pipelineId; final String repoUrl; final String defaultBranch; final Stage[] stages; final String[] requiredLabels; final long updatedAt;
        Pipeline(String pipelineId, String repoUrl, String defaultBranch, Stage[] stages, String[] requiredLabels, long updatedAt) { this.pipelineId = pipelineId; this.repoUrl = repoUrl; this.defaultBranch = defaultBranch; this.stages = stages; this.requiredLabels = requiredLabels; this.updatedAt = updatedAt; }
    }

    /** Reference data: every pipeline definition, parsed at startup from the config repository. */
    static final class PipelineRegistry {
        static final Map<String, Pipeline> BY_ID = new HashMap<>(PIPELINES * 2);
    }

    /** The last 400 log lines of an agent, for the live console; a ring that wraps. */
    static final class LogTail {
        final String[] lines = new String[LOG_TAIL];
        long written;
        void append(String line) { lines[(int) (written++ % LOG_TAIL)] = line; }
        int filled() { return (int) Math.min(written, LOG_TAIL); }
    }

    static final class Agent {
        final String agentId; final String hostname; final String[] labels; final int executors; final long registeredAt; long lastHeartbeatAt; String currentBuild; final LogTail log = new LogTail();
        Agent(String agentId, String hostname, String[] labels, int executors, long registeredAt) { this.agentId = agentId; this.hostname = hostname; this.labels = labels; this.executors = executors; this.registeredAt = registeredAt; this.lastHeartbeatAt = registeredAt; }
    }

    static final class AgentRegistry {
        final Map<String, Agent> byId = new ConcurrentHashMap<>();
    }

    static final class Artifact { final String digest; final String pipelineId; final byte[] content; final long storedAt; Artifact(String digest, String pipelineId, byte[] content, long storedAt) { this.digest = digest; this.pipelineId = pipelineId; this.content = content; this.storedAt = storedAt; } }

    /** Build outputs reused by downstream stages, by content digest; oldest dropped beyond maxBytes. */
    static final class ArtifactCache {
        final long maxBytes = ARTIFACT_MAX_BYTES;
        long currentBytes;
        final Map<String, Artifact> byDigest = new HashMap<>();
        final ArrayDeque<String> fifo = new ArrayDeque<>();
        long evictions; long hits;
        Artifact get(String digest) { Artifact a = byDigest.get(digest); if (a != null) hits++; return a; }
        void put(Artifact a) {
            if (byDigest.putIfAbsent(a.digest, a) != null) return;
            fifo.addLast(a.digest); currentBytes += a.content.length;
            while (currentBytes > maxBytes) { Artifact old = byDigest.remove(fifo.pollFirst()); currentBytes -= old.content.length; evictions++; }
        }
    }

    static final class BuildRecord {
        final long buildNumber; final String pipelineId; final String commitSha; final String agentId; final long queuedAt; final long startedAt; final long finishedAt; final String result;
        BuildRecord(long buildNumber, String pipelineId, String commitSha, String agentId, long queuedAt, long startedAt, long finishedAt, String result) {
            this.buildNumber = buildNumber; this.pipelineId = pipelineId; this.commitSha = commitSha; this.agentId = agentId; this.queuedAt = queuedAt; this.startedAt = startedAt; this.finishedAt = finishedAt; this.result = result;
        }
    }

    /** The last 4,000 finished builds, for the dashboard. */
    static final class BuildHistory {
        final int maxBuilds = HISTORY_CAP;
        final ArrayDeque<BuildRecord> recent = new ArrayDeque<>();
        void add(BuildRecord b) { recent.addLast(b); if (recent.size() > maxBuilds) recent.removeFirst(); }
    }

    static final class QueuedBuild { final String pipelineId; final String commitSha; final String[] wantedLabels; final long queuedAt; QueuedBuild(String pipelineId, String commitSha, String[] wantedLabels, long queuedAt) { this.pipelineId = pipelineId; this.commitSha = commitSha; this.wantedLabels = wantedLabels; this.queuedAt = queuedAt; } }

    static final class Archiver { final byte[] buffer = new byte[64 * 1024]; long archives; }

    static final class Coordinator {
        final AgentRegistry agents = new AgentRegistry();
        final ArtifactCache artifacts = new ArtifactCache();
        final BuildHistory history = new BuildHistory();
        /** Builds waiting for an agent with the wanted labels (the "gpu" and "macos-arm" pools are small). */
        final ArrayDeque<QueuedBuild> waiting = new ArrayDeque<>();
        final ArrayBlockingQueue<Archiver> archivers = new ArrayBlockingQueue<>(ARCHIVERS);
        final Properties config = new Properties();
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        long hours = stage == 1 ? 1 : stage == 2 ? 6 : 12;
        int builds = (int) (1_500 * hours);
        long now = System.currentTimeMillis();
        long start = now - hours * HOUR;
        Random rnd = new Random(8_070_001);
        Coordinator co = new Coordinator();
        RUNNING = co;
        for (int i = 0; i < 80; i++) co.config.setProperty("farm.pool." + i + ".maxConcurrent", Integer.toString(4 + i % 16));
        String[] images = {"maven:3.9-jdk17", "gradle:8.5-jdk21", "node:20", "python:3.12", "golang:1.22", "rust:1.77"};
        String[] labelSets = {"linux", "linux-large", "docker", "gpu", "macos-arm", "windows"};
        String[] pipelineIds = new String[PIPELINES];
        for (int i = 0; i < PIPELINES; i++) {
            pipelineIds[i] = "team" + (i % 120) + "/service-" + i;
            Stage[] st = new Stage[3 + i % 4];
            for (int s = 0; s < st.length; s++) st[s] = new Stage(s == 0 ? "checkout" : s == 1 ? "build" : "test-" + s, images[(i + s) % images.length],
                    new String[] {"./ci/step" + s + ".sh --module service-" + i, "echo done"}, 15 + 5 * s);
            PipelineRegistry.BY_ID.put(pipelineIds[i], new Pipeline(pipelineIds[i], "https://git.example.com/" + pipelineIds[i] + ".git", i % 7 == 0 ? "master" : "main", st,
                    new String[] {labelSets[i % 3], i % 25 == 0 ? "gpu" : "docker"}, start - DAY * (1 + i % 400)));
        }
        String[] agentIds = new String[AGENTS];
        for (int i = 0; i < AGENTS; i++) {
            agentIds[i] = String.format("agent-%03d", i);
            co.agents.byId.put(agentIds[i], new Agent(agentIds[i], "ci-" + labelSets[i % labelSets.length] + "-" + i + ".build.internal", new String[] {labelSets[i % labelSets.length], "docker"}, 2 + i % 4, start - DAY * (i % 30)));
        }
        for (int i = 0; i < ARCHIVERS; i++) co.archivers.add(new Archiver());
        long buildNo = 1_200_000L;
        int queuedGpu = 0;
        for (int i = 0; i < builds; i++) {
            long t = start + hours * HOUR * i / builds;
            String pid = pipelineIds[(int) Math.min(PIPELINES - 1, Math.abs(rnd.nextGaussian()) * 600)];
            Agent a = co.agents.byId.get(agentIds[i % AGENTS]);
            String sha = Long.toHexString(rnd.nextLong()) + Long.toHexString(rnd.nextLong()).substring(0, 8);
            a.currentBuild = pid + "#" + buildNo; a.lastHeartbeatAt = t;
            for (int l = 0; l < 8; l++) a.log.append("[" + pid + " #" + buildNo + "] step " + l + " finished in " + rnd.nextInt(900) + " s");
            // Each build needs two dependency artifacts (popular ones are reused) and produces one.
            for (int d = 0; d < 2; d++) {
                String digest = "sha256:" + pipelineIds[(int) Math.min(PIPELINES - 1, Math.abs(rnd.nextGaussian()) * 300)].hashCode() + "-" + rnd.nextInt(6);
                if (co.artifacts.get(digest) == null) co.artifacts.put(new Artifact(digest, pid, new byte[ARTIFACT_SIZE], t));
            }
            co.artifacts.put(new Artifact("sha256:" + sha, pid, new byte[ARTIFACT_SIZE], t));
            Archiver ar = co.archivers.poll(); ar.archives++; co.archivers.add(ar);
            co.history.add(new BuildRecord(buildNo++, pid, sha, a.agentId, t - rnd.nextInt(60_000), t, t + 60_000L + rnd.nextInt(900_000), rnd.nextInt(100) < 88 ? "SUCCESS" : "FAILURE"));
            // Builds for the small gpu pool queue up; one starts when that pool frees an agent (every 16 minutes).
            if (i % 400 == 0) { co.waiting.addLast(new QueuedBuild(pid, sha, new String[] {"gpu", "linux-large"}, t)); queuedGpu++; }
            if (i % 400 == 200 && co.waiting.size() > 12) co.waiting.pollFirst();
        }
        long oldestWaitMinutes = co.waiting.isEmpty() ? 0 : (now - co.waiting.peekFirst().queuedAt) / 60_000;
        int logFilled = 0;
        for (Agent a : co.agents.byId.values()) logFilled += a.log.filled();
        System.out.println("stage " + stage + " pipelines " + PipelineRegistry.BY_ID.size() + " agents " + co.agents.byId.size() + " log lines " + logFilled + " artifacts " + co.artifacts.byDigest.size()
                + " (" + co.artifacts.currentBytes + " bytes, evicted " + co.artifacts.evictions + ", hits " + co.artifacts.hits + ") history " + co.history.recent.size()
                + " waiting " + co.waiting.size() + " (oldest " + oldestWaitMinutes + " min) archivers " + co.archivers.size());
        check(PipelineRegistry.BY_ID.size() == PIPELINES && co.agents.byId.size() == AGENTS, "reference data");
        check(co.artifacts.byDigest.size() == co.artifacts.fifo.size(), "artifact queue");
        check(stage == 1 ? co.artifacts.currentBytes < ARTIFACT_MAX_BYTES : co.artifacts.byDigest.size() == ARTIFACT_MAX_BYTES / ARTIFACT_SIZE, "artifacts " + co.artifacts.byDigest.size());
        check(co.history.recent.size() == Math.min(builds, HISTORY_CAP), "history");
        check(logFilled == (stage == 1 ? EXPECTED_LOG_LINES_STAGE1 : AGENTS * LOG_TAIL), "log tails " + logFilled);
        check(co.waiting.size() == EXPECTED_WAITING[stage - 1], "waiting " + co.waiting.size());
        check(co.archivers.size() == ARCHIVERS, "archivers");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    /** Stage 1 values (deterministic: fixed seed). */
    static final int EXPECTED_LOG_LINES_STAGE1 = 12_000;
    static final int[] EXPECTED_WAITING = {4, 13, 12};
}
