// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * bench.c - the harness: calibration, repetitions, medians, ABAB ratios,
 * pinned multi-thread throughput, and the result table.
 *
 * Protocol (reference/anchors-and-targets.md 10.1): warm up, calibrate the
 * iteration count to the repetition length, take the median of 7
 * repetitions, alternate subject and baseline, call a comparison noisy when
 * the baseline's interquartile range exceeds 10 % of its median.  Verdicts
 * never fail a run; they are printed.
 */
#include "bench.h"
#include "bench_internal.h"

#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t raw_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline uint64_t cycles(void)
{
#if defined(__x86_64__) || defined(__i386__)
	uint32_t lo, hi;
	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
#else
	return 0;
#endif
}

double bench_cycles_per_ns(void)
{
	static double rate = -1;

	if (rate >= 0)
		return rate;
	uint64_t t0 = raw_ns(), c0 = cycles();
	while (raw_ns() - t0 < 100000000ull)
		;
	uint64_t t1 = raw_ns(), c1 = cycles();
	rate = c1 > c0 ? (double)(c1 - c0) / (double)(t1 - t0) : 0;
	return rate;
}

/* ---- results table ---- */

#define MAX_ROWS 256
static struct bench_row rows[MAX_ROWS];
static unsigned int nrows;

static void add_row(const struct bench_row *r)
{
	if (nrows < MAX_ROWS)
		rows[nrows++] = *r;
}

void bench__print_table(void)
{
	if (!nrows)
		return;
	printf("\n%-44s %-22s %12s %10s %s\n", "bench", "subject / baseline", "value", "target",
	       "status");
	for (unsigned int i = 0; i < nrows; i++) {
		const struct bench_row *r = &rows[i];

		printf("%-44s %-22.22s %12.3f %10s %s\n", r->bench, r->what, r->value, r->target,
		       r->status);
	}
}

/* ---- statistics ---- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double quantile(double *v, unsigned int n, double q)
{
	double pos = q * (n - 1);
	unsigned int lo = (unsigned int)pos;
	double frac = pos - lo;

	return lo + 1 < n ? v[lo] * (1 - frac) + v[lo + 1] * frac : v[lo];
}

static struct bench_stat summarise(double *ns, unsigned int n, uint64_t ops)
{
	struct bench_stat s = { .ops = ops };

	qsort(ns, n, sizeof(*ns), cmp_double);
	s.ns_per_op = quantile(ns, n, 0.5);
	s.iqr_pct = s.ns_per_op > 0 ? 100.0 * (quantile(ns, n, 0.75) - quantile(ns, n, 0.25)) /
					      s.ns_per_op
				    : 0;
	return s;
}

static void print_summary(const char *name, unsigned int threads, const struct bench_stat *s)
{
	double cpn = bench_cycles_per_ns();

	printf("SUMMARY bench=%s threads=%u ops=%llu ns_per_op=%.3f cycles_per_op=%.2f "
	       "iqr_pct=%.1f\n",
	       name, threads, (unsigned long long)s->ops, s->ns_per_op, s->ns_per_op * cpn,
	       s->iqr_pct);
}

/* ---- single-thread measurement ---- */

static double time_run(bench_loop_fn fn, void *arg, uint64_t iters)
{
	uint64_t t0 = bench_now_ns();

	bench_sink(fn(arg, iters));
	return (double)(bench_now_ns() - t0);
}

/* Iterations that take about @seconds. */
static uint64_t calibrate(bench_loop_fn fn, void *arg, double seconds)
{
	uint64_t iters = 1;
	double target = seconds * 1e9, t;

	for (;;) {
		t = time_run(fn, arg, iters);
		if (t >= target / 8 || iters >= (1ull << 40))
			break;
		iters *= t < target / 1000 ? 16 : 2;
	}
	double per = t / (double)iters;
	uint64_t n = per > 0 ? (uint64_t)(target / per) : iters;
	return n ? n : 1;
}

static unsigned int reps_of(struct bench_ctx *ctx)
{
	unsigned int r = ctx->smoke ? 3 : ctx->reps;

	return r ? r : 7;
}

static double rep_seconds(struct bench_ctx *ctx)
{
	return ctx->smoke ? 0.002 : (ctx->rep_seconds > 0 ? ctx->rep_seconds : 0.2);
}

struct bench_stat bench_measure(struct bench_ctx *ctx, const char *name, bench_loop_fn fn,
				void *arg)
{
	unsigned int reps = reps_of(ctx);
	double ns[64];
	uint64_t iters = calibrate(fn, arg, rep_seconds(ctx));
	struct bench_stat s;

	if (reps > 64)
		reps = 64;
	time_run(fn, arg, iters / 2 + 1); /* warm-up */
	for (unsigned int r = 0; r < reps; r++)
		ns[r] = time_run(fn, arg, iters) / (double)iters;
	s = summarise(ns, reps, iters * reps);
	print_summary(name, 1, &s);
	add_row(&(struct bench_row){ .value = s.ns_per_op, .status = "ns/op" });
	snprintf(rows[nrows - 1].bench, sizeof(rows[0].bench), "%.63s", name);
	snprintf(rows[nrows - 1].what, sizeof(rows[0].what), "latency");
	snprintf(rows[nrows - 1].target, sizeof(rows[0].target), "-");
	return s;
}

bool bench_report_ratio(struct bench_ctx *ctx, const char *name, const char *subject,
			const char *baseline, double ratio, double target, bool higher_is_better,
			bool noisy)
{
	bool ok = higher_is_better ? ratio >= target : ratio <= target;
	const char *status = ctx->smoke ? "smoke" : noisy ? "noisy" : ok ? "ok" : "miss";
	struct bench_row r = { .value = ratio };

	printf("RATIO bench=%s subject=%s baseline=%s ratio=%.4g target=%s%.2f status=%s\n", name,
	       subject, baseline, ratio, higher_is_better ? ">=" : "<=", target, status);
	snprintf(r.bench, sizeof(r.bench), "%.63s", name);
	snprintf(r.what, sizeof(r.what), "%s/%s", subject, baseline);
	snprintf(r.target, sizeof(r.target), "%s%.2f", higher_is_better ? ">=" : "<=", target);
	snprintf(r.status, sizeof(r.status), "%s", status);
	add_row(&r);
	return ok;
}

double bench_compare(struct bench_ctx *ctx, const char *name, const char *subject_name,
		     bench_loop_fn subject, void *subject_arg, const char *baseline_name,
		     bench_loop_fn baseline, void *baseline_arg, double target)
{
	unsigned int reps = reps_of(ctx);
	double a[64], b[64];
	char label[160];
	uint64_t ia = calibrate(subject, subject_arg, rep_seconds(ctx));
	uint64_t ib = calibrate(baseline, baseline_arg, rep_seconds(ctx));
	struct bench_stat sa, sb;
	double ratio;

	if (reps > 64)
		reps = 64;
	time_run(subject, subject_arg, ia / 2 + 1);
	time_run(baseline, baseline_arg, ib / 2 + 1);
	for (unsigned int r = 0; r < reps; r++) { /* ABAB */
		a[r] = time_run(subject, subject_arg, ia) / (double)ia;
		b[r] = time_run(baseline, baseline_arg, ib) / (double)ib;
	}
	sa = summarise(a, reps, ia * reps);
	sb = summarise(b, reps, ib * reps);
	snprintf(label, sizeof(label), "%s.%s", name, subject_name);
	print_summary(label, 1, &sa);
	snprintf(label, sizeof(label), "%s.%s", name, baseline_name);
	print_summary(label, 1, &sb);
	ratio = sb.ns_per_op > 0 ? sa.ns_per_op / sb.ns_per_op : 0;
	bench_report_ratio(ctx, name, subject_name, baseline_name, ratio,
			   target > 0 ? target : -target, target < 0, sb.iqr_pct > 10.0);
	return ratio;
}

/* ---- multi-thread throughput ---- */

struct worker {
	pthread_t th;
	bench_loop_fn fn;
	void *arg;
	unsigned int cpu;
	volatile int *go, *stop;
	uint64_t ops;
	pthread_barrier_t *ready;
};

static void *worker_main(void *p)
{
	struct worker *w = p;
	cpu_set_t set;
	uint64_t chunk = 64, ops = 0;

	CPU_ZERO(&set);
	CPU_SET(w->cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	pthread_barrier_wait(w->ready);
	while (!__atomic_load_n(w->go, __ATOMIC_ACQUIRE))
		;
	while (!__atomic_load_n(w->stop, __ATOMIC_RELAXED)) {
		uint64_t t0 = bench_now_ns();

		bench_sink(w->fn(w->arg, chunk));
		ops += chunk;
		/* Keep each chunk near 20 us so stopping is prompt. */
		if (bench_now_ns() - t0 < 20000 && chunk < (1u << 24))
			chunk *= 2;
	}
	w->ops = ops;
	return NULL;
}

static double throughput_once(struct bench_ctx *ctx, unsigned int threads, bench_loop_fn fn,
			      void **args)
{
	struct worker w[64];
	pthread_barrier_t ready;
	volatile int go = 0, stop = 0;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	uint64_t t0, t1, total = 0;

	if (threads > 64)
		threads = 64;
	pthread_barrier_init(&ready, NULL, threads + 1);
	for (unsigned int i = 0; i < threads; i++) {
		w[i] = (struct worker){ .fn = fn, .arg = args[i], .go = &go, .stop = &stop,
					.cpu = (unsigned int)(i % (ncpu > 0 ? ncpu : 1)),
					.ready = &ready };
		pthread_create(&w[i].th, NULL, worker_main, &w[i]);
	}
	pthread_barrier_wait(&ready);
	t0 = bench_now_ns();
	__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
	usleep((useconds_t)(rep_seconds(ctx) * 1e6));
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	for (unsigned int i = 0; i < threads; i++) {
		pthread_join(w[i].th, NULL);
		total += w[i].ops;
	}
	t1 = bench_now_ns();
	pthread_barrier_destroy(&ready);
	return (double)total * 1e9 / (double)(t1 - t0);
}

double bench_throughput(struct bench_ctx *ctx, const char *name, unsigned int threads,
			bench_loop_fn fn, void **args)
{
	unsigned int reps = reps_of(ctx);
	double v[64], inv[64];
	struct bench_stat s;

	if (reps > 64)
		reps = 64;
	throughput_once(ctx, threads, fn, args); /* warm-up */
	for (unsigned int r = 0; r < reps; r++) {
		v[r] = throughput_once(ctx, threads, fn, args);
		inv[r] = v[r] > 0 ? 1e9 / v[r] : 0;
	}
	s = summarise(inv, reps, 0);
	qsort(v, reps, sizeof(v[0]), cmp_double);
	s.ops = (uint64_t)(quantile(v, reps, 0.5) * rep_seconds(ctx) * reps);
	print_summary(name, threads, &s);
	struct bench_row row = { .value = quantile(v, reps, 0.5) / 1e6 };
	snprintf(row.bench, sizeof(row.bench), "%.63s", name);
	snprintf(row.what, sizeof(row.what), "%u thr, Mops/s", threads);
	snprintf(row.target, sizeof(row.target), "-");
	snprintf(row.status, sizeof(row.status), "%s", "Mops/s");
	add_row(&row);
	return quantile(v, reps, 0.5);
}
