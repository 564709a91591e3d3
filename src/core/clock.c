// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * clock.c - simulated monotonic time.
 *
 * REAL: host CLOCK_MONOTONIC minus the boot instant.  SCALED: the same times
 * time_scale.  MANUAL: a counter that only kcore_clock_advance() moves.
 * The first two are read through a monotonic guard so that two threads
 * reading concurrently never see time step back (the kernel's
 * ktime_get() promise).
 */
#include <kcore/core.h>

#include "system.h"
#include "timer.h"
#include <errno.h>
#include <time.h>

uint64_t kcore__host_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t kcore__sim_to_host_ns(struct kcore_system *sys, uint64_t sim)
{
	unsigned int scale = sys->cfg.clock == KCORE_CLOCK_SCALED ? sys->cfg.time_scale : 1;

	return sys->boot_host_ns + sim / scale;
}

uint64_t kcore_clock_now_ns(struct kcore_system *sys)
{
	uint64_t now, last;

	if (unlikely(!sys))
		return 0;
	if (sys->cfg.clock == KCORE_CLOCK_MANUAL)
		return __atomic_load_n(&sys->manual_now, __ATOMIC_ACQUIRE);

	now = kcore__host_ns() - sys->boot_host_ns;
	if (sys->cfg.clock == KCORE_CLOCK_SCALED)
		now *= sys->cfg.time_scale;
	last = __atomic_load_n(&sys->last_now, __ATOMIC_RELAXED);
	while (now > last) {
		if (__atomic_compare_exchange_n(&sys->last_now, &last, now, false,
						__ATOMIC_RELAXED, __ATOMIC_RELAXED))
			return now;
	}
	return last;
}

const char *kcore_clock_mode_name(struct kcore_system *sys)
{
	if (!sys)
		return "?";
	switch (sys->cfg.clock) {
	case KCORE_CLOCK_REAL:
		return "real";
	case KCORE_CLOCK_SCALED:
		return "scaled";
	case KCORE_CLOCK_MANUAL:
		return "manual";
	}
	return "?";
}
