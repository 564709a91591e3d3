// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_pidmap.c - allocation order: first pids, wrap to RESERVED_PIDS,
 * reuse, ns_last_pid, pid_max, exhaustion, next_pidmap bounds.
 * Conformance rows follow what the host kernel shows (v6.x).
 */
#include "kctest.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>

static struct kcore_pid *alloc1(struct kcore_pid_namespace *ns)
{
	struct kcore_pid *p = kcore_alloc_pid(ns, NULL, 0);

	assert_false(KCORE_IS_ERR(p));
	return p;
}

static void test_pid_pidmap__first_pids(void **state)
{
	struct kcore_pid_namespace *ns = kcore_init_pid_ns(kctest_sys(state));
	struct kcore_pid *p[3];

	assert_int_equal(kcore_pid_ns_get_last_pid(ns), -1);
	for (int i = 0; i < 3; i++) {
		p[i] = alloc1(ns);
		assert_int_equal(kcore_pid_nr(p[i]), i + 1);
	}
	assert_int_equal(kcore_pid_ns_get_last_pid(ns), 3);
	/* Freed numbers are not reused before the cursor wraps. */
	kcore_free_pid(p[0]);
	p[0] = alloc1(ns);
	assert_int_equal(kcore_pid_nr(p[0]), 4);
	for (int i = 0; i < 3; i++)
		kcore_free_pid(p[i]);
}

static void test_pid_pidmap__wrap_to_reserved(void **state)
{
	struct kcore_pid_namespace *ns = kcore_init_pid_ns(kctest_sys(state));
	struct kcore_pid *a, *b, *c;

	assert_int_equal(kcore_pid_ns_get_pid_max(ns), 32768);
	assert_int_equal(kcore_pid_ns_set_last_pid(ns, 32766), 0);
	a = alloc1(ns);
	assert_int_equal(kcore_pid_nr(a), 32767);
	b = alloc1(ns);
	assert_int_equal(kcore_pid_nr(b), 300); /* wraps to RESERVED_PIDS, not 1 */
	kcore_free_pid(b);
	c = alloc1(ns);
	assert_int_equal(kcore_pid_nr(c), 301);
	kcore_free_pid(a);
	kcore_free_pid(c);
}

static void test_pid_pidmap__wrap_before_300_goes_to_1(void **state)
{
	struct kcore_pid_namespace *ns = kcore_init_pid_ns(kctest_sys(state));
	struct kcore_pid *low[2], *p, *top;
	int tid = 300;

	/* The IDR rule: pid_min is 1 while the cursor is at or below 300,
	   RESERVED_PIDS once it is above. */
	assert_int_equal(kcore_pid_ns_set_pid_max(ns, 301), 0);
	low[0] = alloc1(ns);
	low[1] = alloc1(ns);
	assert_int_equal(kcore_pid_nr(low[1]), 2);
	kcore_free_pid(low[0]);
	top = kcore_alloc_pid(ns, &tid, 1);
	assert_false(KCORE_IS_ERR(top));
	assert_int_equal(kcore_pid_nr(top), 300);
	assert_int_equal(kcore_pid_ns_set_last_pid(ns, 299), 0);
	p = alloc1(ns); /* [300, 301) full, cursor 300 <= 300: wrap to 1 */
	assert_int_equal(kcore_pid_nr(p), 1);
	kcore_free_pid(p);
	assert_int_equal(kcore_pid_ns_set_last_pid(ns, 300), 0);
	/* Cursor 301: only [300, 301) is searched, and it is full. */
	assert_int_equal(KCORE_PTR_ERR(kcore_alloc_pid(ns, NULL, 0)), -EAGAIN);
	kcore_free_pid(top);
	p = alloc1(ns);
	assert_int_equal(kcore_pid_nr(p), 300);
	kcore_free_pid(p);
	kcore_free_pid(low[1]);
}

static void test_pid_pidmap__ns_last_pid(void **state)
{
	struct kcore_pid_namespace *ns = kcore_init_pid_ns(kctest_sys(state));
	struct kcore_pid *p, *q;

	assert_int_equal(kcore_pid_ns_set_last_pid(ns, 999), 0);
	assert_int_equal(kcore_pid_ns_get_last_pid(ns), 999);
	p = alloc1(ns);
	assert_int_equal(kcore_pid_nr(p), 1000);
	/* Pointing the cursor at a taken number moves on to the next free. */
	assert_int_equal(kcore_pid_ns_set_last_pid(ns, 999), 0);
	q = alloc1(ns);
	assert_int_equal(kcore_pid_nr(q), 1001);
	assert_int_equal(kcore_pid_ns_get_last_pid(ns), 1001);
	/* Range [0, pid_max]. */
	assert_int_equal(kcore_pid_ns_set_last_pid(ns, -1), -EINVAL);
	assert_int_equal(kcore_pid_ns_set_last_pid(ns, 32769), -EINVAL);
	assert_int_equal(kcore_pid_ns_set_last_pid(ns, 32768), 0);
	assert_int_equal(kcore_pid_ns_set_last_pid(NULL, 5), -EINVAL);
	assert_int_equal(kcore_pid_ns_get_last_pid(NULL), -EINVAL);
	kcore_free_pid(p);
	kcore_free_pid(q);
}

static void test_pid_pidmap__pid_max_bounds(void **state)
{
	struct kcore_pid_namespace *ns = kcore_init_pid_ns(kctest_sys(state));

	/* 4 CPUs: minimum max(301, 32). */
	assert_int_equal(kcore_pid_ns_set_pid_max(ns, 300), -EINVAL);
	assert_int_equal(kcore_pid_ns_set_pid_max(ns, 301), 0);
	assert_int_equal(kcore_pid_ns_set_pid_max(ns, 4194304), 0);
	assert_int_equal(kcore_pid_ns_set_pid_max(ns, 4194305), -EINVAL);
	assert_int_equal(kcore_pid_ns_set_pid_max(NULL, 1000), -EINVAL);
	assert_int_equal(kcore_pid_ns_get_pid_max(ns), 4194304);
	assert_int_equal(kcore_pid_ns_get_pid_max(NULL), -EINVAL);
}

static void test_pid_pidmap__exhaustion_eagain(void **state)
{
	struct kcore_pid_namespace *ns = kcore_init_pid_ns(kctest_sys(state));
	struct kcore_pid *p[301], *e;
	int n = 0;

	assert_int_equal(kcore_pid_ns_set_pid_max(ns, 301), 0);
	for (;;) {
		e = kcore_alloc_pid(ns, NULL, 0);
		if (KCORE_IS_ERR(e))
			break;
		assert_true(n < 300);
		p[n++] = e;
	}
	assert_int_equal(KCORE_PTR_ERR(e), -EAGAIN);
	assert_int_equal(n, 300); /* 1..300 */
	/* A hole below RESERVED_PIDS is never used once the cursor passed it. */
	kcore_free_pid(p[149]);
	assert_int_equal(KCORE_PTR_ERR(kcore_alloc_pid(ns, NULL, 0)), -EAGAIN);
	kcore_free_pid(p[299]);
	e = alloc1(ns);
	assert_int_equal(kcore_pid_nr(e), 300);
	p[299] = e;
	p[149] = NULL;
	for (int i = 0; i < n; i++)
		kcore_free_pid(p[i]);
}

static void test_pid_pidmap__lowered_pid_max(void **state)
{
	struct kcore_pid_namespace *ns = kcore_init_pid_ns(kctest_sys(state));
	struct kcore_pid *a, *b;

	assert_int_equal(kcore_pid_ns_set_last_pid(ns, 5000), 0);
	a = alloc1(ns);
	assert_int_equal(kcore_pid_nr(a), 5001);
	/* Lowering pid_max keeps 5001 and wraps the next allocation. */
	assert_int_equal(kcore_pid_ns_set_pid_max(ns, 1000), 0);
	b = alloc1(ns);
	assert_int_equal(kcore_pid_nr(b), 300);
	assert_int_equal(kcore_pid_nr(a), 5001);
	kcore_free_pid(a);
	kcore_free_pid(b);
}

static void test_pid_pidmap__next_pidmap(void **state)
{
	struct kcore_pid_namespace *ns = kcore_init_pid_ns(kctest_sys(state));
	struct kcore_pid *a, *b, *c;
	int tid = 100000;

	assert_int_equal(kcore_pid_ns_set_pid_max(ns, 200000), 0);
	a = alloc1(ns);
	b = alloc1(ns);
	c = kcore_alloc_pid(ns, &tid, 1); /* on a page of its own */
	assert_false(KCORE_IS_ERR(c));
	assert_int_equal(kcore_next_pidmap(ns, 0), 1);
	assert_int_equal(kcore_next_pidmap(ns, 1), 2);
	assert_int_equal(kcore_next_pidmap(ns, 2), 100000);
	assert_int_equal(kcore_next_pidmap(ns, 100000), -1);
	/* Bounds: no index past the map (CVE-2011-1593). */
	assert_int_equal(kcore_next_pidmap(ns, 4194303), -1);
	assert_int_equal(kcore_next_pidmap(ns, 4194304), -1);
	assert_int_equal(kcore_next_pidmap(ns, UINT_MAX), -1);
	assert_int_equal(kcore_next_pidmap(ns, (unsigned int)INT_MAX + 5u), -1);
	assert_int_equal(kcore_next_pidmap(NULL, 0), -EINVAL);
	kcore_free_pid(b);
	assert_int_equal(kcore_next_pidmap(ns, 1), 100000);
	kcore_free_pid(a);
	kcore_free_pid(c);
	assert_int_equal(kcore_next_pidmap(ns, 0), -1);
}

static void test_pid_pidmap__full_page_scan(void **state)
{
	struct kcore_pid_namespace *ns = kcore_init_pid_ns(kctest_sys(state));
	struct kcore_pid **p = calloc(32768, sizeof(*p));
	int n;

	assert_non_null(p);
	/* 1..32767: one page entirely full but bit 0. */
	for (n = 0; n < 32767; n++)
		p[n] = alloc1(ns);
	assert_int_equal(kcore_pid_nr(p[32766]), 32767);
	assert_int_equal(KCORE_PTR_ERR(kcore_alloc_pid(ns, NULL, 0)), -EAGAIN);
	/* Each single hole is found by a full scan from the cursor. */
	for (int hole = 300; hole < 32767; hole += 4093) {
		kcore_free_pid(p[hole - 1]);
		p[hole - 1] = alloc1(ns);
		assert_int_equal(kcore_pid_nr(p[hole - 1]), hole);
	}
	for (int i = 0; i < n; i++)
		kcore_free_pid(p[i]);
	free(p);
}

static void test_pid_pidmap__big_pid_max_second_page(void **state)
{
	struct kcore_pid_namespace *ns = kcore_init_pid_ns(kctest_sys(state));
	struct kcore_pid *a, *b;

	assert_int_equal(kcore_pid_ns_set_pid_max(ns, 4194304), 0);
	assert_int_equal(kcore_pid_ns_set_last_pid(ns, 32767), 0);
	a = alloc1(ns);
	assert_int_equal(kcore_pid_nr(a), 32768);
	assert_int_equal(kcore_pid_ns_set_last_pid(ns, 4194302), 0);
	b = alloc1(ns);
	assert_int_equal(kcore_pid_nr(b), 4194303);
	kcore_free_pid(b);
	b = alloc1(ns);
	assert_int_equal(kcore_pid_nr(b), 300);
	kcore_free_pid(a);
	kcore_free_pid(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(n) cmocka_unit_test_setup_teardown(test_pid_pidmap__##n, kctest_sys_setup, kctest_sys_teardown)
		T(first_pids),
		T(wrap_to_reserved),
		T(wrap_before_300_goes_to_1),
		T(ns_last_pid),
		T(pid_max_bounds),
		T(exhaustion_eagain),
		T(lowered_pid_max),
		T(next_pidmap),
		T(full_page_scan),
		T(big_pid_max_second_page),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
