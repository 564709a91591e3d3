// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_mremap.c - kcore_mremap(): parameter errno, VMA errno, shrink,
 * expand in place (merging with the next VMA), moves with data, FIXED,
 * DONTUNMAP (locked_vm double count as the host shows), whole-PMD table
 * moves.  Layouts were taken from the host (Linux 6.18).
 */
#include "vmtest_util.h"

static void test_vm_mremap__errors(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state);

	assert_int_equal(kcore_mmap(mm, B0, 2 * PG, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, NULL, 0),
			 (long)B0);
	assert_int_equal(vt_map(mm, 4, 1, PROT_NONE), (long)(B0 + 4 * PG));
	assert_int_equal(kcore_mremap(mm, B0 + 1, PG, 2 * PG, 0, 0), -EINVAL);
	assert_int_equal(kcore_mremap(mm, B0 + 6 * PG, PG, 2 * PG, 0, 0), -EFAULT);
	assert_int_equal(kcore_mremap(mm, B0 + 6 * PG, 2 * PG, PG, 0, 0), -EFAULT);
	assert_int_equal(kcore_mremap(mm, B0 + 6 * PG, PG, PG, 0, 0), -EFAULT);
	assert_int_equal(kcore_mremap(mm, B0, PG, 0, 0, 0), -EINVAL);
	assert_int_equal(kcore_mremap(mm, B0, PG, PG, 8, 0), -EINVAL);
	assert_int_equal(kcore_mremap(mm, B0, PG, PG, MREMAP_FIXED, B0 + 100 * PG), -EINVAL);
	assert_int_equal(kcore_mremap(mm, B0, PG, PG, MREMAP_DONTUNMAP, B0 + 50 * PG), -EINVAL);
	assert_int_equal(kcore_mremap(mm, B0, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, B0 + PG / 2), -EINVAL);
	assert_int_equal(kcore_mremap(mm, B0, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, KCORE_TASK_SIZE),
			 -EINVAL);
	assert_int_equal(kcore_mremap(mm, B0, 2 * PG, 3 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP,
				      B0 + 50 * PG), -EINVAL);
	/* overlapping source and target */
	assert_int_equal(kcore_mremap(mm, B0, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, B0 + PG),
			 -EINVAL);
	/* across the end of the VMA */
	assert_int_equal(kcore_mremap(mm, B0, 3 * PG, 4 * PG, MREMAP_MAYMOVE, 0), -EFAULT);
	assert_int_equal(kcore_mremap(mm, B0 + 4 * PG, PG, 2 * PG, 0, 0), (long)(B0 + 4 * PG));
	assert_int_equal(kcore_mremap(NULL, B0, PG, PG, 0, 0), -EINVAL);
	/* RLIMIT_AS and RLIMIT_MEMLOCK for growth */
	assert_int_equal(kcore_mm_setrlimit(mm, RLIMIT_AS, 5 * PG), 0);
	assert_int_equal(kcore_mremap(mm, B0 + 4 * PG, 2 * PG, 4 * PG, MREMAP_MAYMOVE, 0), -ENOMEM);
	kcore_mmput(mm);
}

static void test_vm_mremap__private_dup_and_maymove(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state);

	assert_int_equal(vt_map(mm, 0, 4, RW), (long)B0);
	assert_int_equal(vt_map(mm, 4, 1, PROT_READ), (long)(B0 + 4 * PG));
	/* no room to grow in place and no MAYMOVE (LTP mremap04) */
	assert_int_equal(kcore_mremap(mm, B0, 4 * PG, 8 * PG, 0, 0), -ENOMEM);
	/* duplicating a private mapping (old_len 0) */
	assert_int_equal(kcore_mremap(mm, B0, 0, PG, MREMAP_MAYMOVE, 0), -EINVAL);
	/* growing from the middle moves it */
	assert_true(kcore_mremap(mm, B0 + PG, PG, 2 * PG, MREMAP_MAYMOVE, 0) > (long)(B0 + 64 * PG));
	assert_layout(mm, "[0,1)rw-p [2,4)rw-p [4,5)r--p");
	kcore_mmput(mm);
}

static void test_vm_mremap__expand_shrink(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state);
	char c = 1;

	assert_int_equal(vt_map(mm, 0, 4, RW), (long)B0);
	assert_int_equal(kcore_copy_to_user(mm, B0, &c, 1), 0);
	assert_int_equal(kcore_mremap(mm, B0, 4 * PG, 6 * PG, 0, 0), (long)B0);
	assert_layout(mm, "[0,6)rw-p");
	assert_int_equal(vt_map(mm, 8, 2, RW), (long)(B0 + 8 * PG));
	assert_int_equal(kcore_mremap(mm, B0, 6 * PG, 8 * PG, 0, 0), (long)B0);
	assert_layout(mm, "[0,10)rw-p");
	assert_int_equal(STAT(mm, total_vm), 10);
	assert_int_equal(kcore_mremap(mm, B0, 10 * PG, 3 * PG, 0, 0), (long)B0);
	assert_layout(mm, "[0,3)rw-p");
	assert_int_equal(STAT(mm, total_vm), 3);
	assert_int_equal(STAT(mm, hiwater_vm), 10);
	/* a shrink may cross VMA ends */
	assert_int_equal(vt_map(mm, 3, 2, PROT_READ), (long)(B0 + 3 * PG));
	assert_int_equal(kcore_mremap(mm, B0, 5 * PG, PG, 0, 0), (long)B0);
	assert_layout(mm, "[0,1)rw-p");
	/* growing a locked VMA populates the new part */
	assert_int_equal(kcore_mlock(mm, B0, PG), 0);
	assert_int_equal(kcore_mremap(mm, B0, PG, 3 * PG, 0, 0), (long)B0);
	assert_int_equal(STAT(mm, locked_vm), 3);
	assert_int_equal(STAT(mm, rss_anon), 3);
	kcore_mmput(mm);
}

static void test_vm_mremap__move_fixed(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state);
	char buf[8];

	assert_int_equal(vt_map(mm, 0, 4, RW), (long)B0);
	assert_int_equal(kcore_copy_to_user(mm, B0, "zero", 5), 0);
	assert_int_equal(kcore_copy_to_user(mm, B0 + PG, "one", 4), 0);
	assert_int_equal(kcore_mremap(mm, B0, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, B0 + 20 * PG),
			 (long)(B0 + 20 * PG));
	assert_layout(mm, "[2,4)rw-p [20,22)rw-p");
	assert_int_equal(kcore_copy_from_user(mm, buf, B0 + 21 * PG, 4), 0);
	assert_string_equal(buf, "one");
	assert_int_equal(kcore_copy_from_user(mm, buf, B0, 1), 1);
	assert_int_equal(STAT(mm, rss_anon), 2);
	/* moving back merges again (same anon_vma, contiguous pgoff) */
	assert_int_equal(kcore_mremap(mm, B0 + 20 * PG, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, B0),
			 (long)B0);
	assert_layout(mm, "[0,4)rw-p");
	assert_int_equal(kcore_copy_from_user(mm, buf, B0, 5), 0);
	assert_string_equal(buf, "zero");
	/* DONTUNMAP: the source stays, empty */
	assert_int_equal(kcore_mremap(mm, B0, 4 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP,
				      B0 + 30 * PG), (long)(B0 + 30 * PG));
	assert_layout(mm, "[0,4)rw-p [30,34)rw-p");
	assert_int_equal(kcore_copy_from_user(mm, buf, B0, 5), 0);
	assert_memory_equal(buf, "\0\0\0\0\0", 5);
	assert_int_equal(kcore_copy_from_user(mm, buf, B0 + 30 * PG, 5), 0);
	assert_string_equal(buf, "zero");
	/* FIXED with a shrink; the target is unmapped first */
	assert_int_equal(vt_map(mm, 40, 4, PROT_READ), (long)(B0 + 40 * PG));
	assert_int_equal(kcore_mremap(mm, B0 + 30 * PG, 4 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED,
				      B0 + 40 * PG), (long)(B0 + 40 * PG));
	assert_layout(mm, "[0,4)rw-p [40,42)rw-p [42,44)r--p");
	assert_int_equal(STAT(mm, total_vm), 8);
	kcore_mmput(mm);
}

static void test_vm_mremap__dontunmap_locked(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state);

	assert_int_equal(vt_map(mm, 0, 4, RW), (long)B0);
	assert_int_equal(kcore_mlock(mm, B0, 4 * PG), 0);
	assert_int_equal(STAT(mm, locked_vm), 4);
	assert_int_equal(kcore_mremap(mm, B0, 4 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP,
				      B0 + 30 * PG), (long)(B0 + 30 * PG));
	/* the host reports VmLck 32 kB here: the old VMA loses VM_LOCKED, the count stays */
	assert_int_equal(STAT(mm, locked_vm), 8);
	assert_int_equal(kcore_vma_flags(kcore_find_vma(mm, B0)) & KCORE_VM_LOCKED, 0);
	assert_true(kcore_vma_flags(kcore_find_vma(mm, B0 + 30 * PG)) & KCORE_VM_LOCKED);
	kcore_mmput(mm);
}

static void test_vm_mremap__pmd_move(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state);
	const unsigned long len = 4UL << 20, src = 0x40000000UL, dst = 0x80000000UL;
	struct kcore_vm_tlb_stats st0, st1;
	char buf[4];

	assert_int_equal(kcore_mmap(mm, src, len, RW, ANON | MAP_FIXED | MAP_POPULATE, NULL, 0), (long)src);
	assert_int_equal(kcore_copy_to_user(mm, src + len - 3, "end", 3), 0);
	kcore_vm_get_tlb_stats(mm, &st0);
	assert_int_equal(kcore_mremap(mm, src, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, dst), (long)dst);
	kcore_vm_get_tlb_stats(mm, &st1);
	/* two extents, each a whole PTE table handed over */
	assert_int_equal(st1.moved_extents - st0.moved_extents, 2);
	assert_int_equal(st1.pte_tables, st0.pte_tables);
	assert_int_equal(kcore_copy_from_user(mm, buf, dst + len - 3, 3), 0);
	assert_memory_equal(buf, "end", 3);
	assert_int_equal(STAT(mm, rss_anon), 1024);
	/* a misaligned target moves PTE by PTE within extents */
	assert_int_equal(kcore_mremap(mm, dst, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, src + PG), (long)(src + PG));
	assert_int_equal(kcore_copy_from_user(mm, buf, src + PG + len - 3, 3), 0);
	assert_memory_equal(buf, "end", 3);
	assert_int_equal(STAT(mm, rss_anon), 1024);
	kcore_mmput(mm);
}

static void test_vm_mremap__multi_vma_move(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state);
	char c = 1;

	/* the host (6.18) sequence: pieces move together, gaps preserved */
	assert_int_equal(vt_map(mm, 0, 2, RW), (long)B0);
	assert_int_equal(kcore_copy_to_user(mm, B0, &c, 1), 0);
	assert_int_equal(vt_map(mm, 3, 2, PROT_READ), (long)(B0 + 3 * PG));
	assert_int_equal(kcore_mremap(mm, B0, 5 * PG, 5 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, B0 + 20 * PG),
			 (long)(B0 + 20 * PG));
	assert_layout(mm, "[20,22)rw-p [23,25)r--p");
	assert_int_equal(kcore_mremap(mm, B0 + 20 * PG, 6 * PG, 6 * PG, MREMAP_MAYMOVE | MREMAP_FIXED,
				      B0 + 40 * PG), (long)(B0 + 40 * PG));
	assert_layout(mm, "[40,42)rw-p [43,45)r--p");
	assert_int_equal(kcore_mremap(mm, B0 + 19 * PG, 3 * PG, 3 * PG, MREMAP_MAYMOVE | MREMAP_FIXED,
				      B0 + 60 * PG), -EFAULT);
	assert_int_equal(kcore_mremap(mm, B0 + 40 * PG, 5 * PG, 5 * PG,
				      MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP, B0 + 60 * PG),
			 (long)(B0 + 60 * PG));
	assert_layout(mm, "[40,42)rw-p [43,45)r--p [60,62)rw-p [63,65)r--p");
	assert_int_equal(kcore_mremap(mm, B0 + 40 * PG, 5 * PG, 6 * PG, MREMAP_MAYMOVE | MREMAP_FIXED,
				      B0 + 60 * PG), -EFAULT);
	/* each piece unmaps only its own target: [61,62) survives */
	assert_int_equal(kcore_mremap(mm, B0 + 41 * PG, 4 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_FIXED,
				      B0 + 60 * PG), (long)(B0 + 60 * PG));
	assert_layout(mm, "[40,41)rw-p [60,61)rw-p [61,62)rw-p [62,65)r--p");
	/* no resize and no new address: returns the address even across a gap */
	assert_int_equal(kcore_mremap(mm, B0 + 40 * PG, 5 * PG, 5 * PG, MREMAP_MAYMOVE, 0), (long)(B0 + 40 * PG));
	kcore_mmput(mm);
}

/*
 * Moves back and forth between two PTE tables, both kept alive by a page
 * each: the two split PTE locks are taken in both roles (source and
 * destination).  Under TSan this checks that the pair is always taken in
 * one order (no lock-order-inversion report).
 */
static void test_vm_mremap__ptl_pair_both_ways(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state);
	const unsigned long far = 1024; /* pages: the next-but-one PTE table */
	char c = 0;

	assert_int_equal(vt_map(mm, 0, 4, RW), (long)B0);
	assert_int_equal(vt_map(mm, far + 8, 1, RW), (long)(B0 + (far + 8) * PG));
	assert_int_equal(kcore_copy_to_user(mm, B0, "m", 1), 0);
	assert_int_equal(kcore_copy_to_user(mm, B0 + 3 * PG, "k", 1), 0);
	assert_int_equal(kcore_copy_to_user(mm, B0 + (far + 8) * PG, "k", 1), 0);
	for (int i = 0; i < 4; i++) {
		unsigned long from = i % 2 ? B0 + far * PG : B0, to = i % 2 ? B0 : B0 + far * PG;

		assert_int_equal(kcore_mremap(mm, from, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, to),
				 (long)to);
	}
	assert_int_equal(kcore_copy_from_user(mm, &c, B0 + 3 * PG, 1), 0);
	assert_int_equal(c, 'k');
	assert_int_equal(kcore_copy_from_user(mm, &c, B0, 1), 0);
	assert_int_equal(c, 'm');
	assert_int_equal(STAT(mm, rss_anon), 3);
	kcore_mmput(mm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_vm_mremap__errors, kctest_sys_setup, kctest_sys_teardown),
		cmocka_unit_test_setup_teardown(test_vm_mremap__private_dup_and_maymove, kctest_sys_setup, kctest_sys_teardown),
		cmocka_unit_test_setup_teardown(test_vm_mremap__expand_shrink, kctest_sys_setup, kctest_sys_teardown),
		cmocka_unit_test_setup_teardown(test_vm_mremap__move_fixed, kctest_sys_setup, kctest_sys_teardown),
		cmocka_unit_test_setup_teardown(test_vm_mremap__dontunmap_locked, kctest_sys_setup, kctest_sys_teardown),
		cmocka_unit_test_setup_teardown(test_vm_mremap__pmd_move, kctest_sys_setup, kctest_sys_teardown),
		cmocka_unit_test_setup_teardown(test_vm_mremap__multi_vma_move, kctest_sys_setup, kctest_sys_teardown),
		cmocka_unit_test_setup_teardown(test_vm_mremap__ptl_pair_both_ways, kctest_sys_setup,
						kctest_sys_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
