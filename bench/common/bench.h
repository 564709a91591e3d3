/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench.h - the benchmark harness behind `kcore-bench`.
 *
 * A bench is a function registered in bench/benches.def.  It measures
 * callbacks with the helpers below; each helper warms up, repeats the
 * measurement (7 repetitions by default), and reports the median and the
 * interquartile range per operation.  Comparisons run subject and baseline
 * alternately (ABAB...) in the same process so machine noise cancels, and
 * print the ratio with its target.
 *
 * Output, one line per result (machine-readable), then a human table:
 *   SUMMARY bench=<name> threads=N ops=N ns_per_op=X cycles_per_op=Y iqr_pct=Z
 *   RATIO bench=<name> subject=<a> baseline=<b> ratio=R target=<op><T> status=ok|miss|noisy
 *
 * Benches use only the public API (plus liburcu / pthread for baselines).
 */
#ifndef KCORE_BENCH_H
#define KCORE_BENCH_H

#include <stdbool.h>
#include <stdint.h>

struct bench_ctx {
	bool smoke;             /* --smoke: tiny durations, no verdicts (ctest) */
	unsigned int reps;      /* repetitions per measurement (odd; default 7) */
	double rep_seconds;     /* target duration of one repetition (0.2 s; smoke 0.005 s) */
	unsigned int threads;   /* --threads, for benches that take it (default 2) */
};

/* Runs @iters operations; returns a value the harness sinks so the work
   cannot be optimised away.  @arg is the bench's own. */
typedef uint64_t (*bench_loop_fn)(void *arg, uint64_t iters);

struct bench_stat {
	double ns_per_op;       /* median over repetitions */
	double iqr_pct;         /* interquartile range, % of the median */
	uint64_t ops;           /* operations measured in total */
};

/* Single-thread latency: calibrates the iteration count to rep_seconds. */
struct bench_stat bench_measure(struct bench_ctx *ctx, const char *name,
				bench_loop_fn fn, void *arg);

/*
 * ABAB comparison of @subject against @baseline (single thread).  Prints
 * both SUMMARY lines and one RATIO line: ratio = subject ns / baseline ns.
 * @target > 0: pass when ratio <= target (lower is better);
 * @target < 0: pass when ratio >= -target (for "x times faster" targets,
 * where the caller passes baseline/subject style ratios via bench_ratio()).
 * Returns the ratio.
 */
double bench_compare(struct bench_ctx *ctx, const char *name,
		     const char *subject_name, bench_loop_fn subject, void *subject_arg,
		     const char *baseline_name, bench_loop_fn baseline, void *baseline_arg,
		     double target);

/*
 * Multi-thread throughput: @threads threads (pinned round-robin to host
 * CPUs) each run fn(arg_i) for rep_seconds; args[i] is thread i's argument
 * (per-thread state, no shared sinks).  Returns total operations per second
 * (median over repetitions) and prints a SUMMARY line.
 */
double bench_throughput(struct bench_ctx *ctx, const char *name, unsigned int threads,
			bench_loop_fn fn, void **args);

/* Prints a RATIO line for an already computed ratio; returns whether met.
   higher_is_better selects ">=" or "<=" against @target. */
bool bench_report_ratio(struct bench_ctx *ctx, const char *name, const char *subject,
			const char *baseline, double ratio, double target,
			bool higher_is_better, bool noisy);

/* Host time and cycle counters for benches that time themselves. */
uint64_t bench_now_ns(void);
double bench_cycles_per_ns(void);  /* TSC rate, calibrated once; 0 if unknown */

/* Keeps @v alive past the optimiser. */
static inline void bench_sink(uint64_t v)
{
	__asm__ __volatile__("" : : "r"(v) : "memory");
}

#endif /* KCORE_BENCH_H */
