// LD_PRELOAD shim: shifts CLOCK_REALTIME (and gettimeofday/time) forward so that the process
// starts CLOCKSHIFT_AT_MS milliseconds after a multiple of CLOCKSHIFT_PERIOD_MS. Monotonic clocks
// and timed waits are untouched. With CLOCKSHIFT_STATE (a file), each `java` process starts at
// least one period after the previous one did, so JVMs run one after another (the stages of a
// series) keep the order of their times; the clock then runs ahead by a period per JVM.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include <sys/time.h>
#include <time.h>

static long long offset_ns;
static int (*real_cg)(clockid_t, struct timespec *);

__attribute__((constructor)) static void init(void) {
    real_cg = dlsym(RTLD_NEXT, "clock_gettime");
    const char *p = getenv("CLOCKSHIFT_PERIOD_MS"), *a = getenv("CLOCKSHIFT_AT_MS");
    long long period = p ? atoll(p) : 60000, at = a ? atoll(a) : 1000;
    if (period <= 0) period = 60000;
    struct timespec ts;
    real_cg(CLOCK_REALTIME, &ts);
    long long now_ms = ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
    long long start = now_ms + ((at - now_ms % period) % period + period) % period;
    // Only `java` processes take turns: a script's own helpers (bash, date, gzip) would each
    // push the clock a period further.
    const char *state = getenv("CLOCKSHIFT_STATE");
    int turns = state && *state && strcmp(program_invocation_short_name, "java") == 0;
    int fd = turns ? open(state, O_RDWR | O_CREAT, 0644) : -1;
    if (fd >= 0 && flock(fd, LOCK_EX) == 0) {
        char buf[32] = {0};
        long long last = 0;
        if (read(fd, buf, sizeof buf - 1) > 0) last = atoll(buf);
        if (last > 0 && start < last + period) start = last + period;
        int n = snprintf(buf, sizeof buf, "%lld\n", start);
        // A failed write only lets the next process start in the same period.
        if (ftruncate(fd, 0) == 0 && lseek(fd, 0, SEEK_SET) == 0) (void)!write(fd, buf, n);
        flock(fd, LOCK_UN);
    }
    if (fd >= 0) close(fd);
    offset_ns = (start - now_ms) * 1000000LL;
}

static void shift(struct timespec *ts) {
    long long ns = ts->tv_nsec + offset_ns % 1000000000LL;
    ts->tv_sec += offset_ns / 1000000000LL + ns / 1000000000LL;
    ts->tv_nsec = ns % 1000000000LL;
}

int clock_gettime(clockid_t id, struct timespec *ts) {
    if (!real_cg) real_cg = dlsym(RTLD_NEXT, "clock_gettime");
    int r = real_cg(id, ts);
    if (r == 0 && (id == CLOCK_REALTIME || id == CLOCK_REALTIME_COARSE)) shift(ts);
    return r;
}

int gettimeofday(struct timeval *tv, void *tz) {
    struct timespec ts;
    int r = clock_gettime(CLOCK_REALTIME, &ts);
    if (r == 0 && tv) { tv->tv_sec = ts.tv_sec; tv->tv_usec = ts.tv_nsec / 1000; }
    (void)tz;
    return r;
}

time_t time(time_t *t) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    if (t) *t = ts.tv_sec;
    return ts.tv_sec;
}
