// hprofscan-dump: name=leak-scheduled jvm="-Xmx128m -XX:+UseSerialGC" variants=mxbean,jcmd
package testdata;

import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Leak: periodic tasks scheduled per job and never cancelled.
 * {@code Scheduler.EXECUTOR} (ScheduledThreadPoolExecutor, 2 daemon threads sched-1, sched-2)
 * holds 3,000 periodic lambdas (1 h initial delay and period, so none ever runs), each capturing
 * a Job with a byte[1024]. {@code Scheduler.TIMER} (java.util.Timer, daemon thread
 * "job-timer") holds 1,500 periodic TimerTasks (anonymous LeakScheduled$1) each capturing a Job.
 */
public final class LeakScheduled {
    static final int EXECUTOR_TASKS = 3_000;
    static final int TIMER_TASKS = 1_500;
    static final int JOB_BYTES = 1024;
    static final long PERIOD_MS = TimeUnit.HOURS.toMillis(1);

    static final class Scheduler {
        static ScheduledThreadPoolExecutor EXECUTOR;
        static Timer TIMER;
    }

    static final class Job {
        final int id;
        final byte[] state;
        long runs;

        Job(int id) {
            this.id = id;
            this.state = new byte[JOB_BYTES];
        }

        void run() {
            runs++;
        }
    }

    static final class NamedFactory implements ThreadFactory {
        private final AtomicInteger next = new AtomicInteger(1);

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "sched-" + next.getAndIncrement());
            t.setDaemon(true);
            return t;
        }
    }

    static void scheduleOnExecutor(int id) {
        Job job = new Job(id);
        Scheduler.EXECUTOR.scheduleAtFixedRate(() -> job.run(), PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    static void scheduleOnTimer(int id) {
        final Job job = new Job(id);
        Scheduler.TIMER.scheduleAtFixedRate(new TimerTask() {
            @Override
            public void run() {
                job.run();
            }
        }, PERIOD_MS, PERIOD_MS);
    }

    /** Builds the scenario heap; kept out of main() so no stack slot of main references it. */
    static void build() throws Exception {
        Scheduler.EXECUTOR = new ScheduledThreadPoolExecutor(2, new NamedFactory());
        Scheduler.TIMER = new Timer("job-timer", true);
        int id = 0;
        for (int i = 0; i < EXECUTOR_TASKS; i++) {
            scheduleOnExecutor(id++);
        }
        for (int i = 0; i < TIMER_TASKS; i++) {
            scheduleOnTimer(id++);
        }
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String out = args[1];

        build();

        System.gc();
        LeakCheck.histogram("java.util.concurrent.ScheduledThreadPoolExecutor$ScheduledFutureTask",
                "java.util.concurrent.Executors$RunnableAdapter");
        DumpUtil.dump(variant, out);
        System.out.println("dumped " + out);
        Scheduler.EXECUTOR.shutdownNow();
        Scheduler.TIMER.cancel();
    }
}
