// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * bench_core_system.c - boot and shut down a simulated machine (T1), and
 * the cost of a MANUAL clock advance that fires nothing.
 *
 * T1's anchor, a rump kernel bootstrap (~10 ms), cannot run here; the
 * ratio is against that published figure and says so.  A fork()+_exit()+
 * waitpid() round trip, measured in this process, is printed beside it as a
 * local sense of scale.
 */
#include <kcore/kcore.h>

#include "benches.h"
#include <sys/wait.h>
#include <unistd.h>

#define RUMP_BOOT_NS 10e6 /* published figure, reference/anchors-and-targets.md T1 */

static uint64_t loop_lifecycle(void *arg, uint64_t n)
{
	uint64_t s = 0;

	for (uint64_t i = 0; i < n; i++) {
		struct kcore_system *sys = kcore_system_create(NULL);

		if (KCORE_IS_ERR(sys))
			return 0;
		s += kcore_num_possible_cpus(sys);
		kcore_system_destroy(sys);
	}
	return s;
}

static uint64_t loop_fork(void *arg, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		pid_t p = fork();

		if (p == 0)
			_exit(0);
		if (p > 0)
			waitpid(p, NULL, 0);
	}
	return n;
}

static uint64_t loop_advance(void *arg, uint64_t n)
{
	struct kcore_system *sys = arg;

	for (uint64_t i = 0; i < n; i++)
		if (kcore_clock_advance(sys, 1000))
			return 0;
	return kcore_clock_now_ns(sys);
}

int bench_core_system(struct bench_ctx *ctx)
{
	struct kcore_system_config cfg = { .clock = KCORE_CLOCK_MANUAL };
	struct kcore_system *sys;
	struct bench_stat life;

	life = bench_measure(ctx, "core_system.create_destroy", loop_lifecycle, NULL);
	bench_measure(ctx, "core_system.fork_exit_wait", loop_fork, NULL);
	bench_report_ratio(ctx, "core_system", "create_destroy", "rump_boot(published)",
			   life.ns_per_op / RUMP_BOOT_NS, 0.10, false, false);
	sys = kcore_system_create(&cfg);
	if (KCORE_IS_ERR(sys))
		return 1;
	bench_measure(ctx, "core_system.clock_advance_idle", loop_advance, sys);
	kcore_system_destroy(sys);
	return 0;
}
