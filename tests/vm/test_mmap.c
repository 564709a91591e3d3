// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_mmap.c - kcore_mmap(): errno order, placement, merging, flags,
 * accounting.  Expected values were checked on the host (Linux 6.18).
 */
#include "vmtest_util.h"

#include <stdio.h>

static void test_vm_mmap__errors(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state);
	struct kcore_file *f;

	assert_int_equal(kcore_mmap(mm, 0, 0, PROT_READ, ANON, NULL, 0), -EINVAL);
	assert_int_equal(kcore_mmap(mm, 0, PG, PROT_READ, MAP_ANONYMOUS, NULL, 0), -EINVAL);
	assert_int_equal(kcore_mmap(mm, 0, -PG, PROT_READ, ANON, NULL, 0), -ENOMEM);
	assert_int_equal(kcore_mmap(mm, 0, -1UL, PROT_READ, ANON, NULL, 0), -ENOMEM);
	assert_int_equal(kcore_mmap(mm, B0 + 1, PG, PROT_READ, ANON | MAP_FIXED, NULL, 0), -EINVAL);
	assert_int_equal(kcore_mmap(mm, KCORE_TASK_SIZE, 2 * PG, PROT_READ, ANON | MAP_FIXED, NULL, 0),
			 -ENOMEM);
	assert_int_equal(kcore_mmap(mm, 0, PG, PROT_READ, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, NULL, 0),
			 -EINVAL);
	assert_int_equal(kcore_mmap(mm, 0, PG, PROT_READ, MAP_PRIVATE, NULL, 0), -EBADF);
	/* below mmap_min_addr without CAP_SYS_RAWIO */
	assert_int_equal(kcore_mmap(mm, 0x1000, PG, PROT_READ, ANON | MAP_FIXED, NULL, 0), -EPERM);
	assert_int_equal(kcore_mm_set_capable(mm, KCORE_CAP_SYS_RAWIO, true), 0);
	assert_int_equal(kcore_mmap(mm, 0x1000, PG, PROT_READ, ANON | MAP_FIXED, NULL, 0), 0x1000);
	/* unknown prot bits and unknown MAP_PRIVATE flags are ignored */
	assert_true(kcore_mmap(mm, 0, PG, 0x100 | PROT_READ, ANON | 0x800000, NULL, 0) > 0);
	/* MAP_FIXED_NOREPLACE */
	assert_int_equal(vt_map(mm, 0, 4, RW), (long)B0);
	assert_int_equal(kcore_mmap(mm, B0 + PG, PG, PROT_READ, ANON | MAP_FIXED_NOREPLACE, NULL, 0),
			 -EEXIST);
	/* file mappings */
	f = kcore_memfd_create(kctest_sys(state), "t");
	assert_false(KCORE_IS_ERR(f));
	assert_int_equal(kcore_mmap(mm, 0, 2 * PG, PROT_READ, MAP_PRIVATE, f, 0x7ffffffffffffUL),
			 -EOVERFLOW);
	assert_int_equal(kcore_mmap(mm, 0, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_GROWSDOWN, f, 0),
			 -EINVAL);
	assert_int_equal(kcore_mmap(mm, 0, PG, PROT_READ, MAP_SHARED_VALIDATE | 0x800000, f, 0),
			 -EOPNOTSUPP);
	kcore_fput(f);
	{
		struct kcore_system_config cfg = { .clock = KCORE_CLOCK_MANUAL };
		struct kcore_system *other = kcore_system_create(&cfg);
		struct kcore_file *g = kcore_memfd_create(other, "other");

		assert_int_equal(kcore_mmap(mm, 0, PG, PROT_READ, MAP_SHARED, g, 0), -EINVAL);
		kcore_fput(g);
		kcore_system_destroy(other);
	}
	assert_int_equal(kcore_mmap(NULL, 0, PG, PROT_READ, ANON, NULL, 0), -EINVAL);
	kcore_mmput(mm);
}

static void test_vm_mmap__placement(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state);
	long a, b, c;

	/* top-down below mmap_base = TASK_SIZE - 128 MiB */
	a = kcore_mmap(mm, 0, PG, RW, ANON, NULL, 0);
	assert_int_equal(a, (long)(KCORE_TASK_SIZE - (128UL << 20) - PG));
	b = kcore_mmap(mm, 0, PG, RW, ANON, NULL, 0);
	assert_int_equal(b, a - (long)PG);
	/* a PMD-multiple anonymous length is PMD aligned (THP alignment) */
	c = kcore_mmap(mm, 0, 2UL << 20, RW, ANON, NULL, 0);
	assert_true(c > 0);
	assert_int_equal(c & ((2L << 20) - 1), 0);
	/* a free hint is used; a busy one is not */
	assert_int_equal(kcore_mmap(mm, B0, PG, RW, ANON, NULL, 0), (long)B0);
	assert_true(kcore_mmap(mm, B0, PG, RW, ANON, NULL, 0) != (long)B0);
	/* hints below mmap_min_addr are rounded up to it */
	assert_int_equal(kcore_mmap(mm, 0x1000, PG, RW, ANON, NULL, 0), 0x10000);
	kcore_mmput(mm);
}

static void test_vm_mmap__merge(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state);
	char c = 1;

	assert_int_equal(vt_map(mm, 0, 4, RW), (long)B0);
	assert_int_equal(vt_map(mm, 4, 2, RW), (long)(B0 + 4 * PG));
	assert_layout(mm, "[0,6)rw-p");
	assert_int_equal(vt_map(mm, 6, 2, PROT_READ), (long)(B0 + 6 * PG));
	assert_layout(mm, "[0,6)rw-p [6,8)r--p");
	/* hole filled between two independently faulted VMAs: merges with one side */
	assert_int_equal(kcore_munmap(mm, B0, 16 * PG), 0);
	assert_int_equal(vt_map(mm, 0, 4, RW), (long)B0);
	assert_int_equal(kcore_copy_to_user(mm, B0, &c, 1), 0);
	assert_int_equal(vt_map(mm, 6, 4, RW), (long)(B0 + 6 * PG));
	assert_int_equal(kcore_copy_to_user(mm, B0 + 6 * PG, &c, 1), 0);
	assert_int_equal(vt_map(mm, 4, 2, RW), (long)(B0 + 4 * PG));
	assert_layout(mm, "[0,6)rw-p [6,10)rw-p");
	/* shared anonymous neighbours never merge */
	assert_int_equal(kcore_mmap(mm, B0 + 20 * PG, 2 * PG, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED,
				    NULL, 0), (long)(B0 + 20 * PG));
	assert_int_equal(kcore_mmap(mm, B0 + 22 * PG, 2 * PG, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED,
				    NULL, 0), (long)(B0 + 22 * PG));
	assert_layout(mm, "[0,6)rw-p [6,10)rw-p [20,22)rw-s [22,24)rw-s");
	kcore_mmput(mm);
}

static void test_vm_mmap__accounting(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state);

	assert_int_equal(vt_map(mm, 0, 4, RW), (long)B0);
	assert_int_equal(vt_map(mm, 8, 2, PROT_READ | PROT_EXEC), (long)(B0 + 8 * PG));
	assert_int_equal(kcore_mmap(mm, B0 + 16 * PG, 3 * PG, RW, ANON | MAP_FIXED | MAP_GROWSDOWN,
				    NULL, 0), (long)(B0 + 16 * PG));
	assert_int_equal(kcore_mmap(mm, B0 + 24 * PG, 5 * PG, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED,
				    NULL, 0), (long)(B0 + 24 * PG));
	assert_int_equal(STAT(mm, total_vm), 14);
	assert_int_equal(STAT(mm, data_vm), 4);
	assert_int_equal(STAT(mm, exec_vm), 2);
	assert_int_equal(STAT(mm, stack_vm), 3);
	assert_int_equal(STAT(mm, rss_anon), 0);
	/* RLIMIT_AS */
	assert_int_equal(kcore_mm_setrlimit(mm, RLIMIT_AS, 16 * PG), 0);
	assert_int_equal(kcore_mmap(mm, 0, 3 * PG, RW, ANON, NULL, 0), -ENOMEM);
	assert_true(kcore_mmap(mm, 0, 2 * PG, RW, ANON, NULL, 0) > 0);
	/* FIXED over existing pages counts only the growth */
	assert_int_equal(vt_map(mm, 0, 4, PROT_READ), (long)B0);
	assert_int_equal(kcore_mm_setrlimit(mm, RLIMIT_AS, ~0UL), 0);
	/* MAP_POPULATE faults everything in; the peak follows */
	assert_int_equal(kcore_mmap(mm, B0 + 40 * PG, 8 * PG, RW, ANON | MAP_FIXED | MAP_POPULATE,
				    NULL, 0), (long)(B0 + 40 * PG));
	assert_int_equal(STAT(mm, rss_anon), 8);
	assert_int_equal(kcore_munmap(mm, B0 + 40 * PG, 8 * PG), 0);
	assert_int_equal(STAT(mm, rss_anon), 0);
	assert_int_equal(STAT(mm, hiwater_rss), 8);
	assert_int_equal(STAT(mm, hiwater_vm), 24);
	assert_int_equal(STAT(mm, total_vm), 16);
	kcore_mmput(mm);
}

static void test_vm_mmap__locked(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state);

	assert_int_equal(kcore_mmap(mm, B0, 4 * PG, RW, ANON | MAP_FIXED | MAP_LOCKED, NULL, 0),
			 (long)B0);
	assert_int_equal(STAT(mm, locked_vm), 4);
	assert_int_equal(STAT(mm, rss_anon), 4);
	/* 8 MiB limit: 2048 pages */
	assert_int_equal(kcore_mmap(mm, 0, 2045 * PG, RW, ANON | MAP_LOCKED, NULL, 0), -EAGAIN);
	assert_int_equal(kcore_mm_setrlimit(mm, RLIMIT_MEMLOCK, 0), 0);
	assert_int_equal(kcore_mmap(mm, 0, PG, RW, ANON | MAP_LOCKED, NULL, 0), -EPERM);
	assert_int_equal(kcore_mm_set_capable(mm, KCORE_CAP_IPC_LOCK, true), 0);
	assert_true(kcore_mmap(mm, 0, PG, RW, ANON | MAP_LOCKED, NULL, 0) > 0);
	assert_int_equal(STAT(mm, locked_vm), 5);
	kcore_mmput(mm);
}

static void test_vm_mmap__maps_text(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state);
	struct kcore_file *f = kcore_memfd_create(kctest_sys(state), "foo");
	char buf[1024];
	int n;

	assert_int_equal(kcore_file_truncate(f, 8192), 0);
	assert_int_equal(kcore_mmap(mm, B0, 2 * PG, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, NULL, 0),
			 (long)B0);
	assert_int_equal(vt_map(mm, 4, 1, PROT_NONE), (long)(B0 + 4 * PG));
	assert_int_equal(kcore_mmap(mm, B0 + 8 * PG, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_FIXED, f, 1),
			 (long)(B0 + 8 * PG));
	n = kcore_mm_format_maps(mm, buf, sizeof(buf));
	assert_true(n > 0);
	{
		char l1[128], l3[128];
		unsigned long ino1 = 0, ino3 = 0;

		assert_int_equal(sscanf(buf, "%*s %*s %*s %*s %lu", &ino1), 1);
		snprintf(l1, sizeof(l1), "10000000-10002000 rw-s 00000000 00:01 %lu", ino1);
		assert_memory_equal(buf, l1, strlen(l1));
		assert_int_equal(strcspn(buf, "\n"), 92);
		assert_string_equal(strchr(buf, '\n') + 1 + 0,
				    strchr(buf, '\n') + 1); /* self-consistency of the walk */
		assert_memory_equal(strchr(buf, '\n') + 1, "10004000-10005000 ---p 00000000 00:00 0 \n", 41);
		ino3 = 0;
		assert_int_equal(sscanf(strchr(strchr(buf, '\n') + 1, '\n') + 1, "%*s %*s %*s %*s %lu", &ino3), 1);
		snprintf(l3, sizeof(l3), "10008000-1000a000 r--p 00001000 00:01 %lu", ino3);
		assert_memory_equal(strchr(strchr(buf, '\n') + 1, '\n') + 1, l3, strlen(l3));
		assert_non_null(strstr(buf, "                 /dev/zero (deleted)\n"));
		assert_non_null(strstr(buf, " /memfd:foo (deleted)\n"));
	}
	/* snprintf rules */
	assert_int_equal(kcore_mm_format_maps(mm, NULL, 0), n);
	assert_int_equal(kcore_mm_format_maps(mm, buf, 10), n);
	assert_int_equal(strlen(buf), 9);
	assert_int_equal(kcore_mm_format_maps(NULL, buf, 10), -EINVAL);
	kcore_fput(f);
	kcore_mmput(mm);
}

/* The system's teardown frees what users left behind (tasks keep their mm until then). */
static void test_vm_mmap__teardown_frees_leftovers(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state), *child;
	struct kcore_file *f = kcore_memfd_create(kctest_sys(state), "left");
	char c = 1;

	assert_int_equal(kcore_file_truncate(f, 4 * PG), 0);
	assert_int_equal(kcore_mmap(mm, B0, 4 * PG, RW, MAP_SHARED | MAP_FIXED, f, 0), (long)B0);
	assert_int_equal(vt_map(mm, 8, 4, RW), (long)(B0 + 8 * PG));
	assert_int_equal(kcore_copy_to_user(mm, B0, &c, 1), 0);
	assert_int_equal(kcore_copy_to_user(mm, B0 + 8 * PG, &c, 1), 0);
	child = kcore_dup_mm(mm);
	assert_false(KCORE_IS_ERR(child));
	kcore_mmget(mm);
	/* no mmput, no fput: kctest_sys_teardown checks that nothing leaks */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_vm_mmap__errors, kctest_sys_setup, kctest_sys_teardown),
		cmocka_unit_test_setup_teardown(test_vm_mmap__placement, kctest_sys_setup, kctest_sys_teardown),
		cmocka_unit_test_setup_teardown(test_vm_mmap__merge, kctest_sys_setup, kctest_sys_teardown),
		cmocka_unit_test_setup_teardown(test_vm_mmap__accounting, kctest_sys_setup, kctest_sys_teardown),
		cmocka_unit_test_setup_teardown(test_vm_mmap__locked, kctest_sys_setup, kctest_sys_teardown),
		cmocka_unit_test_setup_teardown(test_vm_mmap__maps_text, kctest_sys_setup, kctest_sys_teardown),
		cmocka_unit_test_setup_teardown(test_vm_mmap__teardown_frees_leftovers, kctest_sys_setup, kctest_sys_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
