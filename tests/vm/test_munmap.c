// SPDX-License-Identifier: LGPL-2.1-or-later
/* test_munmap.c - kcore_munmap(): errno, splits, map_count limit (LTP munmap04), accounting. */
#include "vmtest_util.h"

static void test_vm_munmap__errors(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state);

	assert_int_equal(kcore_munmap(mm, B0 + 1, PG), -EINVAL);
	assert_int_equal(kcore_munmap(mm, B0, 0), -EINVAL);
	assert_int_equal(kcore_munmap(mm, KCORE_TASK_SIZE + PG, PG), -EINVAL);
	assert_int_equal(kcore_munmap(mm, KCORE_TASK_SIZE - PG, 2 * PG), -EINVAL);
	assert_int_equal(kcore_munmap(mm, 0, -PG), -EINVAL);
	assert_int_equal(kcore_munmap(NULL, B0, PG), -EINVAL);
	/* nothing mapped: success */
	assert_int_equal(kcore_munmap(mm, B0, PG), 0);
	kcore_mmput(mm);
}

static void test_vm_munmap__splits(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state);
	char c = 7;

	assert_int_equal(vt_map(mm, 0, 10, RW), (long)B0);
	for (int i = 0; i < 10; i++)
		assert_int_equal(kcore_copy_to_user(mm, B0 + (unsigned long)i * PG, &c, 1), 0);
	assert_int_equal(kcore_munmap(mm, B0 + 2 * PG, 2 * PG), 0);
	assert_layout(mm, "[0,2)rw-p [4,10)rw-p");
	assert_int_equal(kcore_munmap(mm, B0 + 9 * PG, PG + 1), 0);
	assert_layout(mm, "[0,2)rw-p [4,9)rw-p");
	assert_int_equal(STAT(mm, total_vm), 7);
	assert_int_equal(STAT(mm, rss_anon), 7);
	assert_int_equal(STAT(mm, hiwater_rss), 10);
	assert_int_equal(STAT(mm, hiwater_vm), 10);
	/* a range spanning holes and several VMAs */
	assert_int_equal(kcore_munmap(mm, B0 + PG, 5 * PG), 0);
	assert_layout(mm, "[0,1)rw-p [6,9)rw-p");
	/* the unmapped page reads back as a hole */
	assert_int_equal(kcore_copy_from_user(mm, &c, B0 + 2 * PG, 1), 1);
	kcore_mmput(mm);
}

static void test_vm_munmap__map_count(void **state)
{
	struct kcore_system_config cfg = { .clock = KCORE_CLOCK_MANUAL, .max_map_count = 8 };
	struct kcore_system *sys = kcore_system_create(&cfg);
	struct kcore_mm_struct *mm = kcore_mm_alloc(sys);
	unsigned long i;

	(void)state;
	/* 8 separate VMAs (alternating protections so they do not merge) */
	for (i = 0; i < 8; i++)
		assert_int_equal(kcore_mmap(mm, B0 + 3 * i * PG, 3 * PG, i & 1 ? PROT_READ : RW,
					    ANON | MAP_FIXED, NULL, 0), (long)(B0 + 3 * i * PG));
	/* a split in the middle would make a 9th: ENOMEM, nothing changes */
	assert_int_equal(kcore_munmap(mm, B0 + PG, PG), -ENOMEM);
	assert_int_equal(STAT(mm, total_vm), 24);
	/* cutting an end does not add a VMA */
	assert_int_equal(kcore_munmap(mm, B0, PG), 0);
	/* mmap refuses only when map_count > max */
	assert_true(kcore_mmap(mm, 0, PG, RW, ANON, NULL, 0) > 0); /* 8 -> 9 */
	assert_int_equal(kcore_mmap(mm, 0, PG, PROT_EXEC, ANON, NULL, 0), -ENOMEM);
	kcore_mmput(mm);
	kcore_system_destroy(sys);
}

static void test_vm_munmap__tables_freed(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state);
	struct kcore_vm_tlb_stats st;
	char c = 1;

	assert_int_equal(vt_map(mm, 0, 1024, RW), (long)B0);
	for (int i = 0; i < 1024; i++)
		assert_int_equal(kcore_copy_to_user(mm, B0 + (unsigned long)i * PG, &c, 1), 0);
	kcore_vm_get_tlb_stats(mm, &st);
	assert_int_equal(st.pte_tables, 2);
	assert_int_equal(kcore_munmap(mm, B0, 1024 * PG), 0);
	kcore_vm_get_tlb_stats(mm, &st);
	assert_int_equal(st.pte_tables, 0);
	/* one range flush, batches of 64 pages freed after it */
	assert_true(st.flushes >= 1);
	assert_int_equal(st.freed_batches, 16);
	assert_true(st.lazy_mmu_updates >= 1024);
	assert_true(st.invalidate_ranges >= 1);
	kcore_mmput(mm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_vm_munmap__errors, kctest_sys_setup, kctest_sys_teardown),
		cmocka_unit_test_setup_teardown(test_vm_munmap__splits, kctest_sys_setup, kctest_sys_teardown),
		cmocka_unit_test_setup_teardown(test_vm_munmap__map_count, kctest_sys_setup, kctest_sys_teardown),
		cmocka_unit_test_setup_teardown(test_vm_munmap__tables_freed, kctest_sys_setup, kctest_sys_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
