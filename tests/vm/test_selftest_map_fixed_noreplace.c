// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_selftest_map_fixed_noreplace.c - tools/testing/selftests/mm/
 * map_fixed_noreplace.c (plan 9) replayed on a kcore mm: every overlap with
 * the 3-page mapping at base+1 is EEXIST and changes nothing; the
 * adjacent pages map, and the five PROT_NONE pages end as one VMA.
 */
#include "vmconf.h"

#define NR (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE)

static void test_selftest_map_fixed_noreplace__plan(void **state)
{
	static const struct {
		unsigned long page, n;
		long err;               /* 0 = maps at the address */
		const char *layout;     /* afterwards */
	} rows[] = {
		{ 0, 5, 0, "[0,5)---p" },               /* 1: the whole area is free */
		{ 1, 3, 0, "[1,4)---p" },               /* 2: (after unmapping it) */
		{ 0, 5, -EEXIST, "[1,4)---p" },         /* 3: exact superset */
		{ 2, 1, -EEXIST, "[1,4)---p" },         /* 4: contained */
		{ 3, 2, -EEXIST, "[1,4)---p" },         /* 5: overlaps the end */
		{ 0, 2, -EEXIST, "[1,4)---p" },         /* 6: overlaps the start */
		{ 0, 1, 0, "[0,4)---p" },               /* 7: adjacent below, merges */
		{ 4, 1, 0, "[0,5)---p" },               /* 8: adjacent above, merges */
	};
	struct kcore_mm_struct *mm = vmconf_mm(state);
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		long r = kcore_mmap(mm, at(rows[i].page), pgs(rows[i].n), PROT_NONE, NR, NULL, 0);

		assert_int_equal(r, rows[i].err ? rows[i].err : (long)at(rows[i].page));
		assert_string_equal(vmconf_layout(mm, 8), rows[i].layout);
		if (i == 0)
			assert_int_equal(kcore_munmap(mm, at(0), pgs(5)), 0);
	}
	assert_int_equal(vmconf_map_count(mm), 1);
	/* 9: the base unmap */
	assert_int_equal(kcore_munmap(mm, at(0), pgs(5)), 0);
	assert_int_equal(vmconf_map_count(mm), 0);
	kcore_mmput(mm);
}

/* EEXIST is reported after the argument checks: a misaligned address is
   still EINVAL, and a zero length EINVAL, even over a mapping. */
static void test_selftest_map_fixed_noreplace__errno_order(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	vmconf_map(mm, at(0), pgs(2), RW, ANON);
	assert_int_equal(kcore_mmap(mm, at(0) + 8, PG, RW, NR, NULL, 0), -EINVAL);
	assert_int_equal(kcore_mmap(mm, at(0), 0, RW, NR, NULL, 0), -EINVAL);
	assert_int_equal(kcore_mmap(mm, at(1), PG, RW, NR, NULL, 0), -EEXIST);
	assert_int_equal(kcore_mmap(mm, at(1), PG, RW, NR | MAP_FIXED, NULL, 0), -EEXIST);
	assert_string_equal(vmconf_layout(mm, 4), "[0,2)rw-p");
	kcore_mmput(mm);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, kctest_sys_setup, kctest_sys_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_selftest_map_fixed_noreplace__plan),
		T(test_selftest_map_fixed_noreplace__errno_order),
	};
	return cmocka_run_group_tests_name("vm.selftest_map_fixed_noreplace", tests, NULL, NULL);
}
