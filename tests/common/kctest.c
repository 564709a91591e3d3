// SPDX-License-Identifier: LGPL-2.1-or-later
/* kctest.c - shared test glue (see kctest.h). */
#include "kctest.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int kctest_sys_setup(void **state)
{
	struct kctest_ctx *ctx = calloc(1, sizeof(*ctx));
	struct kcore_system_config cfg = { .clock = KCORE_CLOCK_MANUAL };

	if (!ctx)
		return -1;
	kcore_rcu_barrier();
	ctx->allocs_before = kcore_alloc_outstanding();
	ctx->warns_before = kcore_warn_count();
	ctx->sys = kcore_system_create(&cfg);
	if (KCORE_IS_ERR(ctx->sys)) {
		free(ctx);
		return -1;
	}
	*state = ctx;
	return 0;
}

int kctest_sys_teardown(void **state)
{
	struct kctest_ctx *ctx = *state;

	kcore_system_destroy(ctx->sys);
	kctest_assert_no_leaks(ctx->allocs_before);
	assert_int_equal(kcore_warn_count(), ctx->warns_before);
	free(ctx);
	return 0;
}

struct kcore_system *kctest_sys(void **state)
{
	return ((struct kctest_ctx *)*state)->sys;
}

void kctest_assert_no_leaks(unsigned long allocs_before)
{
	kcore_rcu_barrier();
	assert_int_equal(kcore_alloc_outstanding(), allocs_before);
}

uint64_t kctest_seed(void)
{
	static uint64_t seed;
	static int done;
	const char *s;

	if (done)
		return seed;
	s = getenv("KCORE_TEST_SEED");
	seed = s ? strtoull(s, NULL, 0) : (uint64_t)time(NULL);
	fprintf(stderr, "KCORE_TEST_SEED=%llu\n", (unsigned long long)seed);
	done = 1;
	return seed;
}

unsigned int kctest_scale(void)
{
	const char *s = getenv("KCORE_TEST_SCALE");
	long v = s ? strtol(s, NULL, 0) : 1;

	return v > 0 ? (unsigned int)v : 1;
}

unsigned int kctest_duration_ms(unsigned int dflt)
{
	const char *s = getenv("KCORE_TEST_DURATION_MS");
	long v = s ? strtol(s, NULL, 0) : (long)dflt;

	return (unsigned int)(v > 0 ? v : (long)dflt) * kctest_scale();
}
