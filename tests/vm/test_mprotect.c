// SPDX-License-Identifier: LGPL-2.1-or-later
/* test_mprotect.c - kcore_mprotect(): errno order, partial effect over a hole, splits/merges, PTEs. */
#include "vmtest_util.h"

static void test_vm_mprotect__errors(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state);

	assert_int_equal(vt_map(mm, 0, 4, RW), (long)B0);
	assert_int_equal(kcore_mprotect(mm, B0, PG, 0x100), -EINVAL);
	assert_int_equal(kcore_mprotect(mm, B0 + 1, PG, PROT_READ), -EINVAL);
	assert_int_equal(kcore_mprotect(mm, B0, 0, PROT_READ), 0);
	assert_int_equal(kcore_mprotect(mm, B0 + 6 * PG, PG, PROT_READ), -ENOMEM);
	assert_int_equal(kcore_mprotect(mm, B0, -PG, PROT_READ), -ENOMEM);
	assert_int_equal(kcore_mprotect(mm, B0, PG, PROT_GROWSDOWN | PROT_GROWSUP), -EINVAL);
	assert_int_equal(kcore_mprotect(mm, B0, PG, PROT_READ | PROT_GROWSDOWN), -EINVAL);
	assert_int_equal(kcore_mprotect(NULL, B0, PG, PROT_READ), -EINVAL);
	assert_layout(mm, "[0,4)rw-p");
	kcore_mmput(mm);
}

static void test_vm_mprotect__hole_partial(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state);

	/* the host: [0,4) [6,10); mprotect [2,8) -> [2,4) changed, then ENOMEM */
	assert_int_equal(vt_map(mm, 0, 4, RW), (long)B0);
	assert_int_equal(vt_map(mm, 6, 4, RW), (long)(B0 + 6 * PG));
	assert_int_equal(kcore_mprotect(mm, B0 + 2 * PG, 6 * PG, PROT_READ), -ENOMEM);
	assert_layout(mm, "[0,2)rw-p [2,4)r--p [6,10)rw-p");
	assert_int_equal(STAT(mm, data_vm), 6);
	/* restoring the protection merges again */
	assert_int_equal(kcore_mprotect(mm, B0 + 2 * PG, 2 * PG, RW), 0);
	assert_layout(mm, "[0,4)rw-p [6,10)rw-p");
	assert_int_equal(STAT(mm, data_vm), 8);
	kcore_mmput(mm);
}

static void test_vm_mprotect__ptes(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state);
	char c = 5;
	struct kcore_vm_tlb_stats st0, st1;

	assert_int_equal(vt_map(mm, 0, 2, RW), (long)B0);
	assert_int_equal(kcore_copy_to_user(mm, B0, &c, 1), 0);
	kcore_vm_get_tlb_stats(mm, &st0);
	assert_int_equal(kcore_mprotect(mm, B0, 2 * PG, PROT_READ), 0);
	kcore_vm_get_tlb_stats(mm, &st1);
	assert_int_equal(st1.flushes, st0.flushes + 1);
	assert_int_equal(kcore_copy_to_user(mm, B0, &c, 1), 1);
	assert_int_equal(kcore_mprotect(mm, B0, 2 * PG, PROT_NONE), 0);
	assert_int_equal(kcore_copy_from_user(mm, &c, B0, 1), 1);
	assert_int_equal(kcore_mprotect(mm, B0, 2 * PG, RW), 0);
	c = 0;
	assert_int_equal(kcore_copy_from_user(mm, &c, B0, 1), 0);
	assert_int_equal(c, 5);
	assert_int_equal(kcore_copy_to_user(mm, B0, &c, 1), 0);
	assert_int_equal(STAT(mm, rss_anon), 1);
	/* GROWSDOWN extends the change to the start of a stack VMA */
	assert_int_equal(kcore_mmap(mm, B0 + 16 * PG, 4 * PG, RW, ANON | MAP_FIXED | MAP_GROWSDOWN, NULL, 0),
			 (long)(B0 + 16 * PG));
	assert_int_equal(kcore_mprotect(mm, B0 + 18 * PG, PG, PROT_READ | PROT_GROWSDOWN), 0);
	assert_layout(mm, "[0,2)rw-p [16,19)r--p [19,20)rw-p");
	kcore_mmput(mm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_vm_mprotect__errors, kctest_sys_setup, kctest_sys_teardown),
		cmocka_unit_test_setup_teardown(test_vm_mprotect__hole_partial, kctest_sys_setup, kctest_sys_teardown),
		cmocka_unit_test_setup_teardown(test_vm_mprotect__ptes, kctest_sys_setup, kctest_sys_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
