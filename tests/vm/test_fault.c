// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_fault.c - demand faults, the zero page, COW, fork (kcore_dup_mm),
 * gup, access_remote_vm, file mappings and truncate, stack growth, and
 * running out of simulated RAM.
 */
#include "vmtest_util.h"

#include <stdlib.h>

static void test_vm_fault__zero_page_and_write(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state);
	char buf[64] = { 0 }, z[64] = { 0 };

	assert_int_equal(vt_map(mm, 0, 4, RW), (long)B0);
	/* read faults map the shared zero page: no RSS charge */
	assert_int_equal(kcore_copy_from_user(mm, buf, B0 + 100, sizeof(buf)), 0);
	assert_memory_equal(buf, z, sizeof(buf));
	assert_int_equal(STAT(mm, rss_anon), 0);
	/* the write fault replaces it with a private zeroed page */
	assert_int_equal(kcore_copy_to_user(mm, B0 + 4090, "hello world", 12), 0);
	assert_int_equal(STAT(mm, rss_anon), 2);
	assert_int_equal(kcore_copy_from_user(mm, buf, B0 + 4090, 12), 0);
	assert_string_equal(buf, "hello world");
	/* holes, PROT_NONE and read-only stop the copy at the page */
	assert_int_equal(kcore_copy_to_user(mm, B0 + 4 * PG - 2, "abcd", 4), 2);
	assert_int_equal(vt_map(mm, 4, 1, PROT_NONE), (long)(B0 + 4 * PG));
	assert_int_equal(kcore_copy_from_user(mm, buf, B0 + 4 * PG, 4), 4);
	assert_int_equal(vt_map(mm, 5, 1, PROT_READ), (long)(B0 + 5 * PG));
	assert_int_equal(kcore_copy_to_user(mm, B0 + 5 * PG, "x", 1), 1);
	assert_int_equal(kcore_copy_from_user(mm, buf, B0 + 5 * PG, 1), 0);
	/* write-only and exec-only memory is readable, as on x86 */
	assert_int_equal(vt_map(mm, 6, 1, PROT_EXEC), (long)(B0 + 6 * PG));
	assert_int_equal(kcore_copy_from_user(mm, buf, B0 + 6 * PG, 1), 0);
	assert_int_equal(kcore_copy_from_user(mm, buf, KCORE_TASK_SIZE - 1, 2), 2);
	assert_int_equal(kcore_copy_from_user(NULL, buf, B0, 2), 2);
	kcore_mmput(mm);
}

static void test_vm_fault__cow_after_dup(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state), *child;
	struct kcore_file *f;
	char buf[8];

	assert_int_equal(vt_map(mm, 0, 2, RW), (long)B0);
	assert_int_equal(kcore_copy_to_user(mm, B0, "parent", 7), 0);
	assert_int_equal(kcore_mmap(mm, B0 + 4 * PG, PG, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED,
				    NULL, 0), (long)(B0 + 4 * PG));
	assert_int_equal(kcore_copy_to_user(mm, B0 + 4 * PG, "shared", 7), 0);
	assert_int_equal(kcore_mlock(mm, B0, PG), 0);
	assert_int_equal(STAT(mm, locked_vm), 1);

	child = kcore_dup_mm(mm);
	assert_false(KCORE_IS_ERR(child));
	/* mlock is not inherited; the layout and total_vm are */
	assert_int_equal(STAT(child, locked_vm), 0);
	assert_int_equal(STAT(child, total_vm), 3);
	assert_int_equal(STAT(child, rss_anon), 1);
	assert_int_equal(STAT(child, rss_shmem), 0); /* shared memory is faulted again */
	assert_int_equal(kcore_copy_from_user(child, buf, B0, 7), 0);
	assert_string_equal(buf, "parent");
	/* a write in the child copies; the parent keeps its data */
	assert_int_equal(kcore_copy_to_user(child, B0, "child", 6), 0);
	assert_int_equal(kcore_copy_from_user(mm, buf, B0, 7), 0);
	assert_string_equal(buf, "parent");
	/* shared memory is shared */
	assert_int_equal(kcore_copy_to_user(child, B0 + 4 * PG, "SHARED", 7), 0);
	assert_int_equal(kcore_copy_from_user(mm, buf, B0 + 4 * PG, 7), 0);
	assert_string_equal(buf, "SHARED");
	/* the parent's write after the child copied reuses its page */
	assert_int_equal(kcore_copy_to_user(mm, B0, "again", 6), 0);
	assert_int_equal(kcore_copy_from_user(child, buf, B0, 6), 0);
	assert_string_equal(buf, "child");
	kcore_mmput(child);
	assert_int_equal(kcore_copy_from_user(mm, buf, B0, 6), 0);
	assert_string_equal(buf, "again");

	f = kcore_memfd_create(kctest_sys(state), "dup");
	assert_int_equal(kcore_file_truncate(f, PG), 0);
	assert_int_equal(kcore_mmap(mm, B0 + 8 * PG, PG, RW, MAP_PRIVATE | MAP_FIXED, f, 0),
			 (long)(B0 + 8 * PG));
	kcore_fput(f);
	child = kcore_dup_mm(mm);
	assert_false(KCORE_IS_ERR(child));
	kcore_mmput(child);
	assert_true(KCORE_IS_ERR(kcore_dup_mm(NULL)));
	kcore_mmput(mm);
}

static void test_vm_fault__gup(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state);
	struct kcore_page *pages[4];
	char buf[16];

	assert_int_equal(vt_map(mm, 0, 3, RW), (long)B0);
	assert_int_equal(vt_map(mm, 3, 1, PROT_READ), (long)(B0 + 3 * PG));
	assert_int_equal(kcore_get_user_pages_remote(mm, B0, 3, KCORE_FOLL_WRITE, pages), 3);
	memcpy(kcore_page_address(pages[1]), "via gup", 8);
	assert_int_equal(kcore_copy_from_user(mm, buf, B0 + PG, 8), 0);
	assert_string_equal(buf, "via gup");
	assert_true(kcore_page_to_pfn(pages[0]) > 0);
	for (int i = 0; i < 3; i++)
		kcore_put_page(pages[i]);
	/* a write stops at the read-only VMA; a read crosses it */
	assert_int_equal(kcore_get_user_pages_remote(mm, B0 + 2 * PG, 2, KCORE_FOLL_WRITE, pages), 1);
	kcore_put_page(pages[0]);
	assert_int_equal(kcore_get_user_pages_remote(mm, B0 + 3 * PG, 1, KCORE_FOLL_WRITE, pages),
			 -EFAULT);
	assert_int_equal(kcore_get_user_pages_remote(mm, B0 + 3 * PG, 1, 0, pages), 1);
	kcore_put_page(pages[0]);
	/* FOLL_FORCE writes a private read-only mapping through a COW copy */
	assert_int_equal(kcore_get_user_pages_remote(mm, B0 + 3 * PG, 1,
						     KCORE_FOLL_WRITE | KCORE_FOLL_FORCE, pages), 1);
	kcore_put_page(pages[0]);
	assert_int_equal(kcore_access_remote_vm(mm, B0 + 3 * PG, "poke", 5,
						KCORE_FOLL_WRITE | KCORE_FOLL_FORCE), 5);
	assert_int_equal(kcore_copy_from_user(mm, buf, B0 + 3 * PG, 5), 0);
	assert_string_equal(buf, "poke");
	assert_int_equal(kcore_copy_to_user(mm, B0 + 3 * PG, "x", 1), 1);
	/* holes */
	assert_int_equal(kcore_get_user_pages_remote(mm, B0 + 8 * PG, 1, 0, pages), -EFAULT);
	assert_int_equal(kcore_get_user_pages_remote(mm, B0, 0, 0, pages), 0);
	assert_int_equal(kcore_get_user_pages_remote(mm, B0, 1, 0x8000, pages), -EINVAL);
	assert_int_equal(kcore_access_remote_vm(mm, B0 + 8 * PG, buf, 4, 0), 0);
	assert_int_equal(kcore_access_remote_vm(mm, B0 + 4 * PG - 2, buf, 4, 0), 2);
	/* a page pinned by gup survives munmap */
	assert_int_equal(kcore_get_user_pages_remote(mm, B0, 1, 0, pages), 1);
	assert_int_equal(kcore_munmap(mm, B0, PG), 0);
	assert_memory_equal(kcore_page_address(pages[0]), "\0\0\0", 3);
	kcore_put_page(pages[0]);
	kcore_put_page(NULL);
	kcore_mmput(mm);
}

static void test_vm_fault__file_truncate(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state);
	struct kcore_file *f = kcore_memfd_create(kctest_sys(state), "data");
	char buf[8];

	assert_int_equal(kcore_file_truncate(f, 3 * PG), 0);
	assert_int_equal(kcore_mmap(mm, B0, 4 * PG, RW, MAP_SHARED | MAP_FIXED, f, 0), (long)B0);
	assert_int_equal(kcore_mmap(mm, B0 + 8 * PG, 2 * PG, RW, MAP_PRIVATE | MAP_FIXED, f, 1),
			 (long)(B0 + 8 * PG));
	assert_int_equal(kcore_copy_to_user(mm, B0 + PG, "file", 5), 0);
	assert_int_equal(STAT(mm, rss_shmem), 1);
	/* the private mapping sees the file, and writes stay private */
	assert_int_equal(kcore_copy_from_user(mm, buf, B0 + 8 * PG, 5), 0);
	assert_string_equal(buf, "file");
	assert_int_equal(kcore_copy_to_user(mm, B0 + 8 * PG, "priv", 5), 0);
	assert_int_equal(kcore_copy_from_user(mm, buf, B0 + PG, 5), 0);
	assert_string_equal(buf, "file");
	/* beyond EOF: SIGBUS, the copy stops */
	assert_int_equal(kcore_copy_from_user(mm, buf, B0 + 3 * PG, 1), 1);
	assert_int_equal(kcore_get_user_pages_remote(mm, B0 + 3 * PG, 1, 0, NULL), -EFAULT);
	/* truncate unmaps the pages beyond the new end */
	assert_int_equal(kcore_file_truncate(f, PG), 0);
	assert_int_equal(kcore_copy_from_user(mm, buf, B0 + PG, 1), 1);
	assert_int_equal(STAT(mm, rss_shmem), 0);
	assert_int_equal(kcore_file_truncate(f, 2 * PG), 0);
	assert_int_equal(kcore_copy_from_user(mm, buf, B0 + PG, 5), 0);
	assert_memory_equal(buf, "\0\0\0\0\0", 5);
	/* a partial last page keeps its head and loses its tail (host-checked) */
	assert_int_equal(kcore_copy_to_user(mm, B0, "headtail", 9), 0);
	assert_int_equal(kcore_copy_to_user(mm, B0 + 100, "gone", 5), 0);
	assert_int_equal(kcore_file_truncate(f, 100), 0);
	assert_int_equal(kcore_copy_from_user(mm, buf, B0, 5), 0);
	assert_memory_equal(buf, "headt", 5);
	assert_int_equal(kcore_copy_from_user(mm, buf, B0 + 100, 5), 0);
	assert_memory_equal(buf, "\0\0\0\0\0", 5);
	assert_int_equal(kcore_file_truncate(NULL, 0), -EINVAL);
	assert_true(KCORE_IS_ERR(kcore_memfd_create(kctest_sys(state), NULL)));
	kcore_fput(f);
	kcore_mmput(mm);
}

static void test_vm_fault__stack_growth(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state);

	assert_int_equal(kcore_mmap(mm, B0 + 512 * PG, 4 * PG, RW, ANON | MAP_FIXED | MAP_GROWSDOWN,
				    NULL, 0), (long)(B0 + 512 * PG));
	assert_int_equal(kcore_copy_to_user(mm, B0 + 500 * PG, "s", 1), 0);
	assert_int_equal(kcore_vma_start(kcore_find_vma(mm, B0 + 500 * PG)), B0 + 500 * PG);
	assert_int_equal(STAT(mm, stack_vm), 16);
	/* the guard gap to a lower mapping */
	assert_int_equal(vt_map(mm, 0, 1, RW), (long)B0);
	assert_int_equal(kcore_copy_to_user(mm, B0 + 200 * PG, "s", 1), 1);
	/* placement keeps the gap below a stack VMA */
	kcore_mmput(mm);
}

static void test_vm_fault__out_of_ram(void **state)
{
	struct kcore_system_config cfg = { .clock = KCORE_CLOCK_MANUAL, .nr_pages = 64 };
	struct kcore_system *sys = kcore_system_create(&cfg);
	struct kcore_mm_struct *mm = kcore_mm_alloc(sys);
	struct kcore_page *p;
	char *big = calloc(1, 128 * PG);
	unsigned long free0;

	(void)state;
	free0 = kcore_vm_free_pages(sys);
	assert_int_equal(free0, 62); /* 64 frames - zero page - pgd */
	assert_int_equal(kcore_mmap(mm, B0, 128 * PG, RW, ANON | MAP_FIXED | MAP_POPULATE, NULL, 0),
			 (long)B0);
	assert_true(STAT(mm, rss_anon) > 40);
	assert_int_equal(kcore_vm_free_pages(sys), 0);
	assert_true(kcore_copy_to_user(mm, B0, big, 128 * PG) > 0);
	assert_int_equal(kcore_get_user_pages_remote(mm, B0 + 127 * PG, 1, KCORE_FOLL_WRITE, &p), -ENOMEM);
	assert_int_equal(kcore_mlock(mm, B0, 128 * PG), -EAGAIN);
	assert_int_equal(kcore_munmap(mm, B0, 128 * PG), 0);
	assert_int_equal(kcore_vm_free_pages(sys), 62); /* empty tables are freed; the pgd stays */
	kcore_mmput(mm);
	assert_int_equal(kcore_vm_free_pages(sys), 63);
	kcore_system_destroy(sys);
	free(big);
}

/* Reads fill the per-thread software TLB; every change must be seen after it. */
static void test_vm_fault__tlb_invalidation(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state);
	uint64_t v = 0, one = 1, two = 2;

	assert_int_equal(vt_map(mm, 0, 4, RW), (long)B0);
	/* zero page cached, then COW: the new data must show */
	assert_int_equal(kcore_copy_from_user(mm, &v, B0, 8), 0);
	assert_int_equal(kcore_copy_from_user(mm, &v, B0, 8), 0);
	assert_int_equal(kcore_copy_to_user(mm, B0, &one, 8), 0);
	assert_int_equal(kcore_copy_from_user(mm, &v, B0, 8), 0);
	assert_int_equal(v, 1);
	/* DONTNEED: back to zeros */
	assert_int_equal(kcore_madvise(mm, B0, PG, MADV_DONTNEED), 0);
	assert_int_equal(kcore_copy_from_user(mm, &v, B0, 8), 0);
	assert_int_equal(v, 0);
	/* PROT_NONE: the cached entry must not be used */
	assert_int_equal(kcore_copy_to_user(mm, B0 + PG, &two, 8), 0);
	assert_int_equal(kcore_copy_from_user(mm, &v, B0 + PG, 8), 0);
	assert_int_equal(kcore_mprotect(mm, B0 + PG, PG, PROT_NONE), 0);
	assert_int_equal(kcore_copy_from_user(mm, &v, B0 + PG, 8), 8);
	assert_int_equal(kcore_mprotect(mm, B0 + PG, PG, PROT_READ), 0);
	assert_int_equal(kcore_copy_from_user(mm, &v, B0 + PG, 8), 0);
	assert_int_equal(v, 2);
	/* mremap away: the old address is a hole, the new one has the data */
	assert_int_equal(kcore_mremap(mm, B0 + PG, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, B0 + 64 * PG),
			 (long)(B0 + 64 * PG));
	assert_int_equal(kcore_copy_from_user(mm, &v, B0 + PG, 8), 8);
	assert_int_equal(kcore_copy_from_user(mm, &v, B0 + 64 * PG, 8), 0);
	assert_int_equal(v, 2);
	/* munmap and a fresh mapping at the same place */
	assert_int_equal(kcore_munmap(mm, B0 + 64 * PG, PG), 0);
	assert_int_equal(kcore_copy_from_user(mm, &v, B0 + 64 * PG, 8), 8);
	assert_int_equal(vt_map(mm, 64, 1, RW), (long)(B0 + 64 * PG));
	assert_int_equal(kcore_copy_from_user(mm, &v, B0 + 64 * PG, 8), 0);
	assert_int_equal(v, 0);
	/* another mm at possibly the same addresses never shares entries */
	{
		struct kcore_mm_struct *mm2 = vt_mm(state);

		assert_int_equal(vt_map(mm2, 64, 1, RW), (long)(B0 + 64 * PG));
		assert_int_equal(kcore_copy_to_user(mm2, B0 + 64 * PG, &two, 8), 0);
		assert_int_equal(kcore_copy_from_user(mm2, &v, B0 + 64 * PG, 8), 0);
		assert_int_equal(v, 2);
		assert_int_equal(kcore_copy_from_user(mm, &v, B0 + 64 * PG, 8), 0);
		assert_int_equal(v, 0);
		kcore_mmput(mm2);
	}
	kcore_mmput(mm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_vm_fault__zero_page_and_write, kctest_sys_setup, kctest_sys_teardown),
		cmocka_unit_test_setup_teardown(test_vm_fault__cow_after_dup, kctest_sys_setup, kctest_sys_teardown),
		cmocka_unit_test_setup_teardown(test_vm_fault__gup, kctest_sys_setup, kctest_sys_teardown),
		cmocka_unit_test_setup_teardown(test_vm_fault__file_truncate, kctest_sys_setup, kctest_sys_teardown),
		cmocka_unit_test_setup_teardown(test_vm_fault__stack_growth, kctest_sys_setup, kctest_sys_teardown),
		cmocka_unit_test_setup_teardown(test_vm_fault__out_of_ram, kctest_sys_setup, kctest_sys_teardown),
		cmocka_unit_test_setup_teardown(test_vm_fault__tlb_invalidation, kctest_sys_setup, kctest_sys_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
