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

/* Map @n pages of @f at page @pg of the window (MAP_FIXED). */
static void fa_map(struct kcore_mm_struct *mm, unsigned long pg, unsigned long n, unsigned long prot,
		   unsigned long flags, struct kcore_file *f, unsigned long pgoff)
{
	assert_int_equal(kcore_mmap(mm, B0 + pg * PG, n * PG, prot, flags | MAP_FIXED, f, pgoff),
			 (long)(B0 + pg * PG));
}

/*
 * Fault-around (do_fault_around + filemap_map_pages), host-checked on
 * 6.18 with /proc/self/pagemap: a read fault maps the cached pages of a
 * 16-page window that starts at the aligned slot or the VMA start, clipped
 * to the VMA, the PTE table and the file size; nothing is allocated.
 */
static void test_vm_fault__fault_around(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state);
	struct kcore_file *f = kcore_memfd_create(kctest_sys(state), "around");
	unsigned long free0;
	char c = 0, buf[4];

	assert_int_equal(kcore_file_truncate(f, 64 * PG), 0);
	/* pages 0..39 in the cache */
	fa_map(mm, 0, 40, RW, MAP_SHARED, f, 0);
	for (unsigned long i = 0; i < 40; i++)
		assert_int_equal(kcore_copy_to_user(mm, B0 + i * PG, "p", 1), 0);
	assert_int_equal(STAT(mm, rss_shmem), 40);
	assert_int_equal(kcore_munmap(mm, B0, 40 * PG), 0);
	assert_int_equal(STAT(mm, rss_shmem), 0);

	/* window [3,19): starts at the VMA start, spans 16 pages */
	fa_map(mm, 3, 32, PROT_READ, MAP_SHARED, f, 0);
	assert_int_equal(kcore_copy_from_user(mm, &c, B0 + 8 * PG, 1), 0);
	assert_int_equal(c, 'p');
	assert_int_equal(STAT(mm, rss_shmem), 16);
	assert_int_equal(kcore_munmap(mm, B0 + 3 * PG, 16 * PG), 0);
	assert_int_equal(STAT(mm, rss_shmem), 0);
	/* the rest [19,35): the window starts at the VMA start again */
	assert_int_equal(kcore_copy_from_user(mm, &c, B0 + 23 * PG, 1), 0);
	assert_int_equal(STAT(mm, rss_shmem), 16);
	assert_int_equal(kcore_munmap(mm, B0 + 19 * PG, 15 * PG), 0);
	assert_int_equal(STAT(mm, rss_shmem), 1);
	assert_int_equal(kcore_munmap(mm, B0, 64 * PG), 0);
	/* an aligned window inside the VMA: [0,32), fault at 23 -> [16,32) */
	fa_map(mm, 0, 32, PROT_READ, MAP_SHARED, f, 0);
	assert_int_equal(kcore_copy_from_user(mm, &c, B0 + 23 * PG, 1), 0);
	assert_int_equal(STAT(mm, rss_shmem), 16);
	assert_int_equal(kcore_munmap(mm, B0 + 16 * PG, 16 * PG), 0);
	assert_int_equal(STAT(mm, rss_shmem), 0);
	assert_int_equal(kcore_munmap(mm, B0, 64 * PG), 0);

	/* clipped to the PTE table: VMA [508,516), fault at 513 -> [512,516) */
	fa_map(mm, 508, 8, PROT_READ, MAP_SHARED, f, 0);
	assert_int_equal(kcore_copy_from_user(mm, &c, B0 + 513 * PG, 1), 0);
	assert_int_equal(STAT(mm, rss_shmem), 4);
	assert_int_equal(kcore_munmap(mm, B0 + 512 * PG, 4 * PG), 0);
	assert_int_equal(STAT(mm, rss_shmem), 0);
	assert_int_equal(kcore_munmap(mm, B0 + 508 * PG, 4 * PG), 0);

	/* only cached pages: file pages 36..39 of [36,44), the faulting one
	   included; an uncached faulting page is allocated alone */
	fa_map(mm, 0, 8, PROT_READ, MAP_SHARED, f, 36);
	assert_int_equal(vt_map(mm, 100, 1, RW), (long)(B0 + 100 * PG)); /* keeps the PTE table */
	assert_int_equal(kcore_copy_to_user(mm, B0 + 100 * PG, "t", 1), 0);
	free0 = kcore_vm_free_pages(kctest_sys(state));
	assert_int_equal(kcore_copy_from_user(mm, &c, B0 + PG, 1), 0);
	assert_int_equal(kcore_vm_free_pages(kctest_sys(state)), free0);
	assert_int_equal(STAT(mm, rss_shmem), 4);
	assert_int_equal(kcore_copy_from_user(mm, &c, B0 + 6 * PG, 1), 0);
	assert_int_equal(c, 0);
	assert_int_equal(STAT(mm, rss_shmem), 5);
	assert_int_equal(kcore_munmap(mm, B0, 8 * PG), 0);
	/* clipped to the file size */
	assert_int_equal(kcore_file_truncate(f, 38 * PG), 0);
	fa_map(mm, 0, 8, PROT_READ, MAP_SHARED, f, 32);
	assert_int_equal(kcore_copy_from_user(mm, &c, B0 + PG, 1), 0);
	assert_int_equal(STAT(mm, rss_shmem), 6);
	assert_int_equal(kcore_munmap(mm, B0, 8 * PG), 0);
	assert_int_equal(kcore_munmap(mm, B0 + 100 * PG, PG), 0);

	/* a write fault does not fault around; a later read does */
	fa_map(mm, 0, 32, RW, MAP_SHARED, f, 0);
	assert_int_equal(kcore_copy_to_user(mm, B0 + 2 * PG, "w", 1), 0);
	assert_int_equal(STAT(mm, rss_shmem), 1);
	assert_int_equal(kcore_copy_from_user(mm, &c, B0 + 20 * PG, 1), 0);
	assert_int_equal(STAT(mm, rss_shmem), 17);
	/* shared: the prefaulted entries are writable, stores reach the file */
	assert_int_equal(kcore_copy_to_user(mm, B0 + 17 * PG, "s", 1), 0);
	assert_int_equal(STAT(mm, rss_shmem), 17);
	assert_int_equal(kcore_munmap(mm, B0, 32 * PG), 0);

	/* private: prefaulted read-only, a write copies the page */
	fa_map(mm, 0, 32, RW, MAP_PRIVATE, f, 0);
	assert_int_equal(kcore_copy_from_user(mm, &c, B0 + 20 * PG, 1), 0);
	assert_int_equal(STAT(mm, rss_shmem), 16);
	assert_int_equal(kcore_copy_from_user(mm, buf, B0 + 17 * PG, 1), 0);
	assert_int_equal(buf[0], 's');
	assert_int_equal(kcore_copy_to_user(mm, B0 + 17 * PG, "q", 1), 0);
	assert_int_equal(STAT(mm, rss_shmem), 15);
	assert_int_equal(STAT(mm, rss_anon), 1);
	assert_int_equal(kcore_munmap(mm, B0, 32 * PG), 0);
	fa_map(mm, 0, 1, PROT_READ, MAP_SHARED, f, 17);
	assert_int_equal(kcore_copy_from_user(mm, buf, B0, 1), 0);
	assert_int_equal(buf[0], 's');

	/* shared anonymous memory faults around too */
	assert_int_equal(kcore_mmap(mm, B0 + 64 * PG, 16 * PG, RW,
				    MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, NULL, 0),
			 (long)(B0 + 64 * PG));
	assert_int_equal(kcore_copy_to_user(mm, B0 + 66 * PG, "a", 1), 0);
	assert_int_equal(kcore_copy_to_user(mm, B0 + 70 * PG, "a", 1), 0);
	assert_int_equal(STAT(mm, rss_shmem), 3);
	assert_int_equal(kcore_madvise(mm, B0 + 64 * PG, 16 * PG, MADV_DONTNEED), 0);
	assert_int_equal(STAT(mm, rss_shmem), 1);
	assert_int_equal(kcore_copy_from_user(mm, &c, B0 + 79 * PG, 1), 0);
	assert_int_equal(STAT(mm, rss_shmem), 4); /* 66, 70 and 79 */
	kcore_fput(f);
	kcore_mmput(mm);
}

/*
 * A private write fault past the end of the file raises SIGBUS but leaves
 * the VMA with an anon_vma (do_cow_fault prepares it first); a neighbour
 * that could not share it then stays apart after munlock (host-checked).
 */
static void test_vm_fault__cow_sigbus_prepares_anon_vma(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state);
	struct kcore_file *f = kcore_memfd_create(kctest_sys(state), "short");

	assert_int_equal(kcore_file_truncate(f, PG), 0);
	fa_map(mm, 0, 2, RW, MAP_PRIVATE, f, 0);
	assert_int_equal(kcore_mlock2(mm, B0 + PG, PG, MLOCK_ONFAULT), 0);
	assert_int_equal(kcore_copy_to_user(mm, B0 + PG, "x", 1), 1); /* SIGBUS */
	assert_int_equal(kcore_copy_to_user(mm, B0, "x", 1), 0);
	assert_int_equal(kcore_munlock(mm, B0 + PG, PG), 0);
	assert_layout(mm, "[0,1)rw-p [1,2)rw-p");
	/* control: without the failed fault the pieces merge back */
	fa_map(mm, 0, 2, RW, MAP_PRIVATE, f, 0);
	assert_int_equal(kcore_mlock2(mm, B0 + PG, PG, MLOCK_ONFAULT), 0);
	assert_int_equal(kcore_copy_to_user(mm, B0, "x", 1), 0);
	assert_int_equal(kcore_munlock(mm, B0 + PG, PG), 0);
	assert_layout(mm, "[0,2)rw-p");
	kcore_fput(f);
	kcore_mmput(mm);
}

/*
 * A stack that grew gets an anon_vma (expand_downwards), so a piece moved
 * by mremap keeps its pgoff and does not merge with the rest (host 6.18).
 */
static void test_vm_fault__grown_stack_keeps_pgoff(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state);

	assert_int_equal(vt_map(mm, 0, 32, PROT_NONE), (long)B0);
	assert_int_equal(kcore_munmap(mm, B0 + 15 * PG, 13 * PG), 0);
	assert_int_equal(kcore_mmap(mm, B0 + 23 * PG, 2 * PG, PROT_READ,
				    ANON | MAP_FIXED | MAP_GROWSDOWN | MAP_LOCKED, NULL, 0),
			 (long)(B0 + 23 * PG));
	/* grows down to 16, then the store faults: read-only */
	assert_int_equal(kcore_copy_to_user(mm, B0 + 16 * PG, "g", 1), 1);
	assert_layout(mm, "[0,15)---p [16,25)r--L [28,32)---p");
	assert_int_equal(kcore_mremap(mm, B0 + 23 * PG, 2 * PG, 5 * PG,
				      MREMAP_MAYMOVE | MREMAP_FIXED, B0 + 11 * PG),
			 (long)(B0 + 11 * PG));
	assert_layout(mm, "[0,11)---p [11,16)r--L [16,23)r--L [28,32)---p");
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
		cmocka_unit_test_setup_teardown(test_vm_fault__fault_around, kctest_sys_setup, kctest_sys_teardown),
		cmocka_unit_test_setup_teardown(test_vm_fault__cow_sigbus_prepares_anon_vma, kctest_sys_setup,
						kctest_sys_teardown),
		cmocka_unit_test_setup_teardown(test_vm_fault__grown_stack_keeps_pgoff, kctest_sys_setup,
						kctest_sys_teardown),
		cmocka_unit_test_setup_teardown(test_vm_fault__tlb_invalidation, kctest_sys_setup, kctest_sys_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
