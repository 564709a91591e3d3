/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kctest.h - CMocka glue shared by every libkcore test.
 *
 * - kctest_sys_setup/teardown: a fresh system per test (MANUAL clock, so
 *   tests are deterministic), and a leak check at teardown: after an RCU
 *   barrier, live allocations must be back where setup found them.
 * - KCTEST_OOM_SWEEP: the fail-nth sweep (fail the 1st, 2nd, ... allocation
 *   until the call succeeds without an injected failure).
 * - kctest_seed()/kctest_scale(): KCORE_TEST_SEED and KCORE_TEST_SCALE.
 */
#ifndef KCORE_TESTS_KCTEST_H
#define KCORE_TESTS_KCTEST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <kcore/kcore.h>

struct kctest_ctx {
	struct kcore_system *sys;
	unsigned long allocs_before;
	unsigned long warns_before;
	void *priv;                     /* for the test's own use */
};

/* Setup/teardown for cmocka_unit_test_setup_teardown(); *state is a
   struct kctest_ctx *.  The _cfg variant takes a config in ctx->priv. */
int kctest_sys_setup(void **state);
int kctest_sys_teardown(void **state);
struct kcore_system *kctest_sys(void **state);

/* Asserts that no library allocation and no WARN happened since @before. */
void kctest_assert_no_leaks(unsigned long allocs_before);

/* Seed for randomised tests: KCORE_TEST_SEED or time; printed once. */
uint64_t kctest_seed(void);
/* Scale factor for stress/soak volume: KCORE_TEST_SCALE, default 1. */
unsigned int kctest_scale(void);
/* Duration for time-bounded stress tests: KCORE_TEST_DURATION_MS
   (default @dflt) times the scale. */
unsigned int kctest_duration_ms(unsigned int dflt);

/* splitmix64: a small deterministic generator for tests. */
static inline uint64_t kctest_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/*
 * KCTEST_OOM_SWEEP(n, call, on_fail, on_success): for n = 1, 2, ..., arm
 * kcore_fail_nth(n), evaluate @call; while the armed failure fired, run
 * @on_fail (which asserts -ENOMEM and an untouched state); stop at the
 * first n whose failure was never reached and run @on_success.  Gives up
 * (failing the test) after 10000 rounds.
 */
#define KCTEST_OOM_SWEEP(n, call, on_fail, on_success)                        \
	do {                                                                  \
		for (n = 1;; n++) {                                           \
			kcore_fail_nth(n);                                    \
			call;                                                 \
			if (kcore_fail_nth_pending()) {                       \
				kcore_fail_nth(0);                            \
				on_success;                                   \
				break;                                        \
			}                                                     \
			on_fail;                                              \
			assert_true(n < 10000);                               \
		}                                                             \
	} while (0)

#endif /* KCORE_TESTS_KCTEST_H */
