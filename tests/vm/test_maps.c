// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_maps.c - kcore_mm_format_maps(): the exact /proc/pid/maps text
 * (format and padding checked against the host's /proc/self/maps on 6.18),
 * file offsets, shared duplicates through mremap(old_len = 0), snprintf rules.
 */
#include "vmtest_util.h"

static void test_vm_maps__lines(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state);
	struct kcore_file *f = kcore_memfd_create(kctest_sys(state), "m");
	char buf[2048], want[2048];
	unsigned long ino;
	int n;

	assert_int_equal(kcore_mmap(mm, B0, 2 * PG, PROT_READ | PROT_EXEC, ANON | MAP_FIXED, NULL, 0), (long)B0);
	assert_int_equal(kcore_mmap(mm, B0 + 4 * PG, PG, PROT_WRITE, ANON | MAP_FIXED | MAP_GROWSDOWN, NULL, 0),
			 (long)(B0 + 4 * PG));
	assert_int_equal(kcore_file_truncate(f, 16 * PG), 0);
	assert_int_equal(kcore_mmap(mm, B0 + 8 * PG, 3 * PG, RW, MAP_SHARED | MAP_FIXED, f, 5),
			 (long)(B0 + 8 * PG));
	assert_int_equal(kcore_mlock(mm, B0, 2 * PG), 0); /* not visible in maps */
	n = kcore_mm_format_maps(mm, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(sscanf(strstr(buf, "00005000 00:01 ") + 15, "%lu", &ino), 1);
	/* the name starts at column 73, as seq_pad() puts it */
	snprintf(want, sizeof(want),
		 "10000000-10002000 r-xp 00000000 00:00 0 \n"
		 "10004000-10005000 -w-p 00000000 00:00 0 \n"
		 "10008000-1000b000 rw-s 00005000 00:01 %-34lu /memfd:m (deleted)\n", ino);
	assert_int_equal(strchr(want + 82, '/') - (want + 82), 73);
	assert_string_equal(buf, want);
	assert_int_equal(n, (int)strlen(want));
	kcore_fput(f);
	kcore_mmput(mm);
}

static void test_vm_maps__shared_dup(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state);
	char buf[1024], got[8];
	long d;

	assert_int_equal(kcore_mmap(mm, B0, 2 * PG, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, NULL, 0), (long)B0);
	assert_int_equal(kcore_copy_to_user(mm, B0 + PG, "dup", 4), 0);
	/* old_len 0 duplicates a shared mapping: both views share the pages */
	d = kcore_mremap(mm, B0 + PG, 0, PG, MREMAP_MAYMOVE, 0);
	assert_true(d > 0);
	assert_int_equal(kcore_copy_from_user(mm, got, (unsigned long)d, 4), 0);
	assert_string_equal(got, "dup");
	assert_int_equal(kcore_copy_to_user(mm, (unsigned long)d, "DUP", 4), 0);
	assert_int_equal(kcore_copy_from_user(mm, got, B0 + PG, 4), 0);
	assert_string_equal(got, "DUP");
	assert_true(kcore_mm_format_maps(mm, buf, sizeof(buf)) > 0);
	/* the duplicate shows the file offset of the page it starts at */
	assert_non_null(strstr(buf, "rw-s 00001000 00:01 "));
	assert_int_equal(STAT(mm, total_vm), 3);
	kcore_mmput(mm);
}

static void test_vm_maps__truncation(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state);
	char big[64 * 48], small[5];
	int n;

	for (unsigned long i = 0; i < 40; i++)
		assert_int_equal(vt_map(mm, 2 * i, 1, i & 1 ? PROT_READ : RW), (long)(B0 + 2 * i * PG));
	n = kcore_mm_format_maps(mm, big, sizeof(big));
	assert_int_equal(n, 40 * 41);
	assert_int_equal(kcore_mm_format_maps(mm, small, sizeof(small)), n);
	assert_string_equal(small, "1000");
	assert_int_equal(kcore_mm_format_maps(mm, NULL, 5), -EINVAL);
	kcore_mmput(mm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_vm_maps__lines, kctest_sys_setup, kctest_sys_teardown),
		cmocka_unit_test_setup_teardown(test_vm_maps__shared_dup, kctest_sys_setup, kctest_sys_teardown),
		cmocka_unit_test_setup_teardown(test_vm_maps__truncation, kctest_sys_setup, kctest_sys_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
