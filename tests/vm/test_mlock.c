// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_mlock.c - mlock/mlock2/munlock/mlockall/munlockall: limits,
 * capabilities, partial effect across holes, ONFAULT, accounting.
 */
#include "vmtest_util.h"

static void test_vm_mlock__basic_and_errors(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state);

	assert_int_equal(vt_map(mm, 0, 4, RW), (long)B0);
	assert_int_equal(kcore_mlock(mm, B0 + 100, 2 * PG), 0); /* rounds to [0,3) */
	assert_layout(mm, "[0,3)rw-L [3,4)rw-p");
	assert_int_equal(STAT(mm, locked_vm), 3);
	assert_int_equal(STAT(mm, rss_anon), 3); /* writable private: write-faulted */
	/* re-locking does not count twice */
	assert_int_equal(kcore_mlock(mm, B0, 4 * PG), 0);
	assert_layout(mm, "[0,4)rw-L");
	assert_int_equal(STAT(mm, locked_vm), 4);
	assert_int_equal(kcore_mlock(mm, B0 + 6 * PG, 0), 0);
	assert_int_equal(kcore_munlock(mm, B0 + 6 * PG, PG), -ENOMEM);
	assert_int_equal(kcore_mlock2(mm, B0, PG, 2), -EINVAL);
	assert_int_equal(kcore_mlock(NULL, B0, PG), -EINVAL);
	assert_int_equal(kcore_munlock(mm, B0 + PG, PG), 0);
	assert_layout(mm, "[0,1)rw-L [1,2)rw-p [2,4)rw-L");
	assert_int_equal(STAT(mm, locked_vm), 3);
	assert_int_equal(kcore_munlock(mm, B0, 4 * PG), 0);
	assert_layout(mm, "[0,4)rw-p");
	assert_int_equal(STAT(mm, locked_vm), 0);
	/* read-only memory is read-faulted (zero page: no RSS) */
	assert_int_equal(vt_map(mm, 8, 2, PROT_READ), (long)(B0 + 8 * PG));
	assert_int_equal(kcore_mlock(mm, B0 + 8 * PG, 2 * PG), 0);
	assert_int_equal(STAT(mm, rss_anon), 4);
	/* PROT_NONE: the VMA is locked, populate fails -> ENOMEM (host: VmLck grows) */
	assert_int_equal(vt_map(mm, 12, 4, PROT_NONE), (long)(B0 + 12 * PG));
	assert_int_equal(kcore_mlock(mm, B0 + 12 * PG, 4 * PG), -ENOMEM);
	assert_int_equal(STAT(mm, locked_vm), 6);
	kcore_mmput(mm);
}

static void test_vm_mlock__hole_partial(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state);

	assert_int_equal(vt_map(mm, 0, 2, RW), (long)B0);
	assert_int_equal(vt_map(mm, 2, 2, PROT_READ), (long)(B0 + 2 * PG));
	assert_int_equal(vt_map(mm, 6, 4, RW), (long)(B0 + 6 * PG));
	/* the host: [1,9) -> ENOMEM after [1,4) locked */
	assert_int_equal(kcore_mlock(mm, B0 + PG, 8 * PG), -ENOMEM);
	assert_layout(mm, "[0,1)rw-p [1,2)rw-L [2,4)r--L [6,10)rw-p");
	assert_int_equal(STAT(mm, locked_vm), 3);
	/* starting in a hole fails at once */
	assert_int_equal(kcore_mlock(mm, B0 + 5 * PG, PG), -ENOMEM);
	assert_int_equal(STAT(mm, locked_vm), 3);
	kcore_mmput(mm);
}

static void test_vm_mlock__limits(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state);

	assert_int_equal(vt_map(mm, 0, 16, RW), (long)B0);
	assert_int_equal(kcore_mm_setrlimit(mm, RLIMIT_MEMLOCK, 4 * PG), 0);
	assert_int_equal(kcore_mlock(mm, B0, 5 * PG), -ENOMEM);
	assert_int_equal(kcore_mlock(mm, B0, 4 * PG), 0);
	/* already-locked pages in the range are discounted (since v4.9) */
	assert_int_equal(kcore_mlock(mm, B0, 4 * PG), 0);
	assert_int_equal(kcore_mlock(mm, B0 + 4 * PG, PG), -ENOMEM);
	assert_int_equal(kcore_mm_set_capable(mm, KCORE_CAP_IPC_LOCK, true), 0);
	assert_int_equal(kcore_mlock(mm, B0 + 4 * PG, PG), 0);
	assert_int_equal(kcore_mm_set_capable(mm, KCORE_CAP_IPC_LOCK, false), 0);
	assert_int_equal(kcore_mm_setrlimit(mm, RLIMIT_MEMLOCK, 0), 0);
	assert_int_equal(kcore_mlock(mm, B0, PG), -EPERM);
	assert_int_equal(kcore_mlockall(mm, MCL_CURRENT), -EPERM);
	/* munlock never needs permission */
	assert_int_equal(kcore_munlock(mm, B0, 16 * PG), 0);
	assert_int_equal(kcore_mm_set_capable(mm, 99, true), -EINVAL);
	assert_int_equal(kcore_mm_setrlimit(mm, RLIMIT_NOFILE, 0), -EINVAL);
	kcore_mmput(mm);
}

static void test_vm_mlock__onfault(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state);
	char c = 1;

	assert_int_equal(vt_map(mm, 0, 4, RW), (long)B0);
	assert_int_equal(kcore_mlock2(mm, B0, 4 * PG, MLOCK_ONFAULT), 0);
	assert_int_equal(STAT(mm, locked_vm), 4);
	assert_int_equal(STAT(mm, rss_anon), 0);
	assert_true(kcore_vma_flags(kcore_find_vma(mm, B0)) & KCORE_VM_LOCKONFAULT);
	assert_int_equal(kcore_copy_to_user(mm, B0 + PG, &c, 1), 0);
	assert_int_equal(STAT(mm, rss_anon), 1);
	/* plain mlock in the middle splits (flags differ), no recount */
	assert_int_equal(kcore_mlock(mm, B0 + PG, PG), 0);
	assert_layout(mm, "[0,1)rw-L [1,2)rw-L [2,4)rw-L");
	assert_int_equal(STAT(mm, locked_vm), 4);
	assert_int_equal(kcore_munlock(mm, B0, 4 * PG), 0);
	assert_layout(mm, "[0,4)rw-p");
	kcore_mmput(mm);
}

static void test_vm_mlock__mlockall(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state);

	assert_int_equal(kcore_mlockall(mm, 0), -EINVAL);
	assert_int_equal(kcore_mlockall(mm, MCL_ONFAULT), -EINVAL);
	assert_int_equal(kcore_mlockall(mm, 8), -EINVAL);
	assert_int_equal(vt_map(mm, 0, 4, RW), (long)B0);
	assert_int_equal(vt_map(mm, 8, 2, PROT_READ), (long)(B0 + 8 * PG));
	assert_int_equal(kcore_mlockall(mm, MCL_CURRENT), 0);
	assert_int_equal(STAT(mm, locked_vm), 6);
	assert_int_equal(STAT(mm, rss_anon), 4);
	/* MCL_FUTURE locks new mappings */
	assert_int_equal(kcore_mlockall(mm, MCL_FUTURE), 0);
	assert_int_equal(vt_map(mm, 20, 2, RW), (long)(B0 + 20 * PG));
	assert_int_equal(STAT(mm, locked_vm), 8);
	assert_int_equal(STAT(mm, rss_anon), 6);
	assert_int_equal(kcore_munlockall(mm), 0);
	assert_int_equal(STAT(mm, locked_vm), 0);
	assert_int_equal(vt_map(mm, 24, 2, RW), (long)(B0 + 24 * PG));
	assert_int_equal(STAT(mm, locked_vm), 0);
	/* MCL_CURRENT compares total_vm with the limit */
	assert_int_equal(kcore_mm_setrlimit(mm, RLIMIT_MEMLOCK, 9 * PG), 0);
	assert_int_equal(kcore_mlockall(mm, MCL_CURRENT), -ENOMEM);
	assert_int_equal(kcore_mlockall(mm, MCL_FUTURE), 0);
	/* and MCL_FUTURE makes mmap check the limit: EAGAIN */
	assert_int_equal(kcore_mmap(mm, 0, 10 * PG, RW, ANON, NULL, 0), -EAGAIN);
	assert_int_equal(kcore_munlockall(NULL), -EINVAL);
	kcore_mmput(mm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_vm_mlock__basic_and_errors, kctest_sys_setup, kctest_sys_teardown),
		cmocka_unit_test_setup_teardown(test_vm_mlock__hole_partial, kctest_sys_setup, kctest_sys_teardown),
		cmocka_unit_test_setup_teardown(test_vm_mlock__limits, kctest_sys_setup, kctest_sys_teardown),
		cmocka_unit_test_setup_teardown(test_vm_mlock__onfault, kctest_sys_setup, kctest_sys_teardown),
		cmocka_unit_test_setup_teardown(test_vm_mlock__mlockall, kctest_sys_setup, kctest_sys_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
