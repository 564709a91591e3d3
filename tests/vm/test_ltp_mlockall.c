// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_ltp_mlockall.c - LTP testcases/kernel/syscalls/mlockall/mlockall01-03
 * and munlockall/munlockall01 on a kcore mm ("nobody" = an mm without
 * CAP_IPC_LOCK; limits through kcore_mm_setrlimit).
 */
#include "vmconf.h"

#ifndef CAP_IPC_LOCK
#define CAP_IPC_LOCK 14
#endif

/* mlockall01: MCL_CURRENT, MCL_FUTURE and both succeed. */
static void test_ltp_mlockall01__flag_combinations(void **state)
{
	static const int flags[] = { MCL_CURRENT, MCL_FUTURE, MCL_CURRENT | MCL_FUTURE };
	size_t i;

	for (i = 0; i < 3; i++) {
		struct kcore_mm_struct *mm = vmconf_mm(state);

		vmconf_map(mm, at(0), pgs(4), RW, ANON);
		assert_int_equal(kcore_mlockall(mm, flags[i]), 0);
		assert_int_equal(vmconf_stats(mm).locked_vm, flags[i] & MCL_CURRENT ? 4 : 0);
		vmconf_map(mm, at(8), pgs(2), RW, ANON);
		assert_int_equal(vmconf_stats(mm).locked_vm,
				 (flags[i] & MCL_CURRENT ? 4 : 0) + (flags[i] & MCL_FUTURE ? 2 : 0));
		kcore_mmput(mm);
	}
}

/* mlockall02/03: EINVAL for bad flags; EPERM with RLIMIT_MEMLOCK 0;
   ENOMEM when total_vm exceeds the limit (MCL_CURRENT only). */
static void test_ltp_mlockall02__errno_rows(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	vmconf_map(mm, at(0), pgs(16), RW, ANON);
	assert_int_equal(kcore_mlockall(mm, 0), -EINVAL);
	assert_int_equal(kcore_mlockall(mm, MCL_ONFAULT), -EINVAL);
	assert_int_equal(kcore_mlockall(mm, 8), -EINVAL);
	assert_int_equal(kcore_mlockall(mm, MCL_CURRENT | 8), -EINVAL);
	assert_int_equal(kcore_mm_setrlimit(mm, RLIMIT_MEMLOCK, pgs(8)), 0);
	assert_int_equal(kcore_mlockall(mm, MCL_CURRENT), -ENOMEM);
	assert_int_equal(vmconf_stats(mm).locked_vm, 0);
	assert_int_equal(kcore_mlockall(mm, MCL_FUTURE), 0);        /* no size check */
	/* the future lock is charged at mmap time: over the limit -> EAGAIN */
	assert_int_equal(kcore_mmap(mm, at(20), pgs(9), RW, ANON | MAP_FIXED, NULL, 0), -EAGAIN);
	assert_int_equal(kcore_munlockall(mm), 0);
	assert_int_equal(kcore_mm_setrlimit(mm, RLIMIT_MEMLOCK, 0), 0);
	assert_int_equal(kcore_mlockall(mm, MCL_CURRENT), -EPERM);
	assert_int_equal(kcore_mlockall(mm, MCL_FUTURE), -EPERM);
	assert_int_equal(kcore_mm_set_capable(mm, CAP_IPC_LOCK, true), 0);
	assert_int_equal(kcore_mlockall(mm, MCL_CURRENT), 0);
	assert_int_equal(vmconf_stats(mm).locked_vm, 16);
	kcore_mmput(mm);
}

/* MCL_ONFAULT: VMAs get VM_LOCKONFAULT and are not populated. */
static void test_ltp_mlockall__onfault(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	vmconf_map(mm, at(0), pgs(4), RW, ANON);
	assert_int_equal(kcore_mlockall(mm, MCL_CURRENT | MCL_ONFAULT), 0);
	assert_int_equal(vmconf_flags(mm, at(0)) & (KCORE_VM_LOCKED | KCORE_VM_LOCKONFAULT),
			 KCORE_VM_LOCKED | KCORE_VM_LOCKONFAULT);
	assert_int_equal(vmconf_stats(mm).rss_anon, 0);
	assert_int_equal(vmconf_stats(mm).locked_vm, 4);
	/* without MCL_FUTURE new mappings are not locked */
	vmconf_map(mm, at(8), PG, RW, ANON);
	assert_false(vmconf_flags(mm, at(8)) & KCORE_VM_LOCKED);
	kcore_mmput(mm);
}

/* munlockall01: unlocks everything and clears the MCL_FUTURE default;
   needs no privilege. */
static void test_ltp_munlockall01__unlocks_all(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	vmconf_map(mm, at(0), pgs(4), RW, ANON);
	vmconf_map(mm, at(8), pgs(4), PROT_READ, ANON);
	assert_int_equal(kcore_mlockall(mm, MCL_CURRENT | MCL_FUTURE), 0);
	assert_int_equal(vmconf_stats(mm).locked_vm, 8);
	assert_int_equal(kcore_mm_setrlimit(mm, RLIMIT_MEMLOCK, 0), 0);
	assert_int_equal(kcore_munlockall(mm), 0);
	assert_int_equal(vmconf_stats(mm).locked_vm, 0);
	assert_false(vmconf_flags(mm, at(0)) & KCORE_VM_LOCKED);
	vmconf_map(mm, at(16), PG, RW, ANON);
	assert_false(vmconf_flags(mm, at(16)) & KCORE_VM_LOCKED);
	kcore_mmput(mm);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, kctest_sys_setup, kctest_sys_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_ltp_mlockall01__flag_combinations),
		T(test_ltp_mlockall02__errno_rows),
		T(test_ltp_mlockall__onfault),
		T(test_ltp_munlockall01__unlocks_all),
	};
	return cmocka_run_group_tests_name("vm.ltp_mlockall", tests, NULL, NULL);
}
