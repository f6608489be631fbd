/* Run a check in a child process whose address space is capped, to prove
 * that hostile headers fail without a huge allocation: if the code under
 * test tried one, malloc would fail and it would report "out of memory"
 * instead of the expected status.
 *
 * Sanitizer runtimes reserve terabytes of address space up front, so there
 * the cap cannot be applied and fn runs in this process without it. */
#ifndef DIGITPAD_TEST_MEMLIMIT_H
#define DIGITPAD_TEST_MEMLIMIT_H

#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define DPT_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DPT_SANITIZED 1
#endif
#endif

/* Returns fn(arg) (0..255), run with at most `bytes` more address space than
 * the process has now (Linux: read from /proc/self/statm), or -1 if the
 * child could not be run. */
static int dpt_run_memlimited(unsigned long long bytes, int (*fn)(const void *), const void *arg) {
#ifdef DPT_SANITIZED
    (void)bytes;
    return fn(arg);
#else
    unsigned long long pages = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f || fscanf(f, "%llu", &pages) != 1) pages = 0;
    if (f) fclose(f);
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        struct rlimit rl;
        rl.rlim_cur = rl.rlim_max =
            (rlim_t)(pages * (unsigned long long)sysconf(_SC_PAGESIZE) + bytes);
        if (pages == 0 || setrlimit(RLIMIT_AS, &rl) != 0) _exit(254);
        _exit(fn(arg) & 0xff);
    }
    int ws = 0;
    if (waitpid(pid, &ws, 0) != pid || !WIFEXITED(ws) || WEXITSTATUS(ws) == 254) return -1;
    return WEXITSTATUS(ws);
#endif
}

#endif
