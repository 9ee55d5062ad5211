// Persistent worker pool. Workers are created once (lazily) and wait for a new job
// generation: they spin briefly (back-to-back GEMMs in a training step hand off in well
// under a microsecond) and then sleep on a condition variable so an idle pool costs no CPU.
#include "CKernels.h"
#include "internal.h"
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define RK_MAX_THREADS 64
#define RK_SPIN_NS 100000L  // how long an idle worker spins before sleeping

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pool_wake = PTHREAD_COND_INITIALIZER;
static int workers_started;           // guarded by pool_lock
static int sleepers;                  // guarded by pool_lock
static atomic_int thread_setting;     // 0 = not yet decided
static atomic_flag pool_busy = ATOMIC_FLAG_INIT;

static rk_task job_task;
static void *job_arg;
static int job_count;
static atomic_uint job_generation;
// Parts 1..<count are claimed by workers one at a time; when the caller has finished part 0
// it closes the job, runs every part nobody claimed itself, and waits only for claimed
// parts. A worker that is not running (its core busy with another process) delays nothing.
static atomic_int job_slots;    // parts not yet claimed
static atomic_int job_finished; // claimed parts completed
// Generation current when each worker was created (a job published before the worker first
// runs must still be picked up). Guarded by pool_lock.
static unsigned start_generation[RK_MAX_THREADS];

static int default_threads(void) {
    const char *env = getenv("RK_THREADS");
    long n = env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1) n = 1;
    if (n > RK_MAX_THREADS) n = RK_MAX_THREADS;
    return (int)n;
}

// Set on threads that already run in parallel with each other (e.g. inference over parts of
// a batch): their kernels stay on the calling thread.
static _Thread_local int serial_here;

void rk_set_thread_serial(int serial) { serial_here = serial != 0; }

int rk_threads(void) {
    if (serial_here) return 1;
    int n = atomic_load_explicit(&thread_setting, memory_order_relaxed);
    if (n == 0) {
        int d = default_threads();
        int expected = 0;
        atomic_compare_exchange_strong(&thread_setting, &expected, d);
        n = atomic_load(&thread_setting);
    }
    return n;
}

void rk_set_threads(int n) {
    if (n < 1) n = 1;
    if (n > RK_MAX_THREADS) n = RK_MAX_THREADS;
    atomic_store(&thread_setting, n);
}

static void *worker_main(void *p) {
    const int index = (int)(long)p;
    pthread_mutex_lock(&pool_lock);
    unsigned seen = start_generation[index];
    pthread_mutex_unlock(&pool_lock);
    for (;;) {
        unsigned gen;
        long spin_start = rk_now_ns();
        int polls = 0;
        while ((gen = atomic_load_explicit(&job_generation, memory_order_acquire)) == seen) {
            rk_cpu_relax();
            if (++polls % 256 == 0 && rk_now_ns() - spin_start > RK_SPIN_NS) {
                pthread_mutex_lock(&pool_lock);
                sleepers++;
                while ((gen = atomic_load_explicit(&job_generation, memory_order_acquire)) == seen)
                    pthread_cond_wait(&pool_wake, &pool_lock);
                sleepers--;
                pthread_mutex_unlock(&pool_lock);
                break;
            }
        }
        seen = gen;
        int slots = atomic_load_explicit(&job_slots, memory_order_acquire);
        while (slots > 0 && !atomic_compare_exchange_weak_explicit(
                                &job_slots, &slots, slots - 1, memory_order_acq_rel, memory_order_acquire)) {
        }
        if (slots > 0) {  // the job fields are read only after a successful claim
            job_task(job_arg, job_count - slots, job_count);
            atomic_fetch_add_explicit(&job_finished, 1, memory_order_release);
        }
    }
    return NULL;
}

// Makes sure workers 1..<count exist; returns how many parts can actually run in parallel.
static int ensure_workers(int count) {
    pthread_mutex_lock(&pool_lock);
    while (workers_started < count - 1) {
        pthread_t t;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        start_generation[workers_started + 1] = atomic_load(&job_generation);
        int ok = pthread_create(&t, &attr, worker_main, (void *)(long)(workers_started + 1)) == 0;
        pthread_attr_destroy(&attr);
        if (!ok) break;
        workers_started++;
    }
    int available = workers_started + 1;
    pthread_mutex_unlock(&pool_lock);
    return count < available ? count : available;
}

void rk_parallel(rk_task task, void *arg, int count) {
    int limit = rk_threads();
    if (count > limit) count = limit;
    // A second caller while the pool is busy (or a nested call) runs its parts inline.
    if (count <= 1 || atomic_flag_test_and_set_explicit(&pool_busy, memory_order_acquire)) {
        for (int i = 0; i < count; i++) task(arg, i, count);
        return;
    }
    int parts = ensure_workers(count);
    if (parts < count) {  // thread creation failed: run the rest inline
        for (int i = 0; i < count; i++) task(arg, i, count);
        atomic_flag_clear_explicit(&pool_busy, memory_order_release);
        return;
    }
    job_task = task;
    job_arg = arg;
    job_count = count;
    atomic_store_explicit(&job_finished, 0, memory_order_relaxed);
    atomic_store_explicit(&job_slots, count - 1, memory_order_release);
    pthread_mutex_lock(&pool_lock);
    atomic_fetch_add_explicit(&job_generation, 1, memory_order_release);
    if (sleepers > 0) pthread_cond_broadcast(&pool_wake);
    pthread_mutex_unlock(&pool_lock);

    task(arg, 0, count);

    int unclaimed = atomic_exchange_explicit(&job_slots, 0, memory_order_acq_rel);
    for (int i = count - unclaimed; i < count; i++) task(arg, i, count);
    int claimed = count - 1 - unclaimed;
    int polls = 0;
    while (atomic_load_explicit(&job_finished, memory_order_acquire) < claimed) {
        rk_cpu_relax();
        if (++polls > 4096) sched_yield();
    }
    atomic_flag_clear_explicit(&pool_busy, memory_order_release);
}
