// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_ltp_munmap.c - LTP testcases/kernel/syscalls/munmap/munmap01,03,04
 * replayed on a kcore mm.  munmap04 reaches vm.max_map_count through the
 * system config (a small limit) instead of 65530 real mappings.
 */
#include "vmconf.h"

/* munmap01: unmapped pages fault and leave the maps file. */
static void test_ltp_munmap01__unmapped_range_faults(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	vmconf_map(mm, at(0), pgs(3), RW, ANON);
	vmconf_poke(mm, at(0), 3, 1);
	assert_int_equal(kcore_munmap(mm, at(0), pgs(3)), 0);
	assert_int_equal(vmconf_peek(mm, at(0)), -1);
	assert_int_equal(vmconf_peek(mm, at(2)), -1);
	assert_int_equal(vmconf_map_count(mm), 0);
	assert_int_equal(vmconf_stats(mm).total_vm, 0);
	assert_int_equal(vmconf_stats(mm).rss_anon, 0);
	/* unmapping nothing succeeds */
	assert_int_equal(kcore_munmap(mm, at(0), pgs(3)), 0);
	kcore_mmput(mm);
}

/* munmap01 (partial): unmapping the middle splits the VMA in two. */
static void test_ltp_munmap01__middle_splits(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	vmconf_map(mm, at(0), pgs(5), RW, ANON);
	assert_int_equal(kcore_munmap(mm, at(2), PG), 0);
	assert_string_equal(vmconf_layout(mm, 8), "[0,2)rw-p [3,5)rw-p");
	assert_int_equal(vmconf_map_count(mm), 2);
	assert_int_equal(vmconf_stats(mm).total_vm, 4);
	kcore_mmput(mm);
}

/* munmap03: EINVAL rows. */
static void test_ltp_munmap03__einval_rows(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	vmconf_map(mm, at(0), pgs(2), RW, ANON);
	assert_int_equal(kcore_munmap(mm, at(0), 0), -EINVAL);               /* len 0 */
	assert_int_equal(kcore_munmap(mm, at(0) + 1, PG), -EINVAL);          /* misaligned */
	assert_int_equal(kcore_munmap(mm, KCORE_TASK_SIZE - PG, pgs(2)), -EINVAL); /* past TASK_SIZE */
	assert_int_equal(kcore_munmap(mm, KCORE_TASK_SIZE + PG, PG), -EINVAL);
	assert_int_equal(kcore_munmap(mm, at(0), ~0UL - 100), -EINVAL);      /* PAGE_ALIGN wraps */
	assert_string_equal(vmconf_layout(mm, 4), "[0,2)rw-p");
	kcore_mmput(mm);
}

/* munmap04: at vm.max_map_count, a munmap that must split a VMA in the
   middle fails with ENOMEM and changes nothing; trimming an end works. */
static void test_ltp_munmap04__split_at_max_map_count(void **state)
{
	struct kcore_system_config cfg = { .clock = KCORE_CLOCK_MANUAL, .max_map_count = 8 };
	struct kcore_system *sys = kcore_system_create(&cfg);
	struct kcore_mm_struct *mm;
	unsigned long i;

	(void)state;
	assert_false(KCORE_IS_ERR_OR_NULL(sys));
	mm = kcore_mm_alloc(sys);
	assert_false(KCORE_IS_ERR_OR_NULL(mm));
	for (i = 0; i < 7; i++)         /* 7 single pages, prot alternating: no merging */
		vmconf_map(mm, at(i), PG, i & 1 ? PROT_READ : RW, ANON);
	vmconf_map(mm, at(20), pgs(3), RW, ANON);
	assert_int_equal(vmconf_map_count(mm), 8);
	assert_int_equal(kcore_munmap(mm, at(21), PG), -ENOMEM);
	assert_int_equal(vmconf_map_count(mm), 8);
	assert_int_equal(vmconf_stats(mm).total_vm, 10);
	assert_int_equal(kcore_munmap(mm, at(22), PG), 0);   /* an end: no new VMA */
	assert_int_equal(vmconf_map_count(mm), 8);
	assert_int_equal(kcore_munmap(mm, at(3), PG), 0);    /* a whole VMA */
	assert_int_equal(vmconf_map_count(mm), 7);
	assert_int_equal(kcore_munmap(mm, at(20), PG), 0);
	kcore_mmput(mm);
	kcore_system_destroy(sys);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, kctest_sys_setup, kctest_sys_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_ltp_munmap01__unmapped_range_faults),
		T(test_ltp_munmap01__middle_splits),
		T(test_ltp_munmap03__einval_rows),
		T(test_ltp_munmap04__split_at_max_map_count),
	};
	return cmocka_run_group_tests_name("vm.ltp_munmap", tests, NULL, NULL);
}
