// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_ltp_munlock.c - LTP testcases/kernel/syscalls/munlock/munlock01-02
 * on a kcore mm.
 */
#include "vmconf.h"

/* munlock01: unlocking 1, 2, 8, 16 locked pages succeeds and clears VmLck. */
static void test_ltp_munlock01__unlock_sizes(void **state)
{
	static const unsigned long sizes[] = { 1, 2, 8, 16 };
	size_t i;

	for (i = 0; i < 4; i++) {
		struct kcore_mm_struct *mm = vmconf_mm(state);

		vmconf_map(mm, at(0), pgs(sizes[i]), RW, ANON);
		assert_int_equal(kcore_mlock(mm, at(0), pgs(sizes[i])), 0);
		assert_int_equal(kcore_munlock(mm, at(0), pgs(sizes[i])), 0);
		assert_int_equal(vmconf_stats(mm).locked_vm, 0);
		assert_false(vmconf_flags(mm, at(0)) & KCORE_VM_LOCKED);
		kcore_mmput(mm);
	}
}

/* munlock02: ENOMEM for an unmapped range (the part before the hole is
   unlocked); munlock needs no privilege, even with RLIMIT_MEMLOCK 0. */
static void test_ltp_munlock02__errno_rows(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	vmconf_map(mm, at(0), pgs(4), RW, ANON | MAP_LOCKED);
	assert_int_equal(kcore_munlock(mm, at(8), PG), -ENOMEM);
	assert_int_equal(kcore_munlock(mm, at(2), pgs(4)), -ENOMEM);
	assert_int_equal(vmconf_stats(mm).locked_vm, 2);
	assert_int_equal(kcore_mm_setrlimit(mm, RLIMIT_MEMLOCK, 0), 0);
	assert_int_equal(kcore_munlock(mm, at(0), pgs(2)), 0);
	assert_int_equal(vmconf_stats(mm).locked_vm, 0);
	assert_int_equal(kcore_munlock(mm, at(0), 0), 0);
	kcore_mmput(mm);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, kctest_sys_setup, kctest_sys_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_ltp_munlock01__unlock_sizes),
		T(test_ltp_munlock02__errno_rows),
	};
	return cmocka_run_group_tests_name("vm.ltp_munlock", tests, NULL, NULL);
}
