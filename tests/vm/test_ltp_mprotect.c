// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_ltp_mprotect.c - LTP testcases/kernel/syscalls/mprotect/mprotect01-05
 * replayed on a kcore mm (SIGSEGV expectations become failed copies;
 * mprotect04's "execute the copied function" becomes the VM_EXEC flag).
 */
#include "vmconf.h"

#ifndef PROT_GROWSDOWN
#define PROT_GROWSDOWN 0x01000000
#endif
#ifndef PROT_GROWSUP
#define PROT_GROWSUP 0x02000000
#endif

/* mprotect01: EINVAL for a misaligned start, ENOMEM when the range runs
   past the mapping (the part before the hole is still changed). */
static void test_ltp_mprotect01__errno_rows(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	vmconf_map(mm, at(0), pgs(2), RW, ANON);
	assert_int_equal(kcore_mprotect(mm, at(0) + 1, PG, PROT_READ), -EINVAL);
	assert_int_equal(kcore_mprotect(mm, at(0), pgs(4), PROT_READ), -ENOMEM);
	assert_string_equal(vmconf_layout(mm, 8), "[0,2)r--p");
	assert_int_equal(kcore_mprotect(mm, at(4), PG, PROT_READ), -ENOMEM);
	assert_int_equal(kcore_mprotect(mm, at(0), PG, 0x10), -EINVAL);     /* unknown prot bit */
	assert_int_equal(kcore_mprotect(mm, at(0), 0, 0x10), 0);            /* len 0 first */
	assert_int_equal(kcore_mprotect(mm, at(0), -PG, PROT_READ), -ENOMEM); /* end wraps */
	kcore_mmput(mm);
}

/* mprotect02: a read-only page refuses writes until made writable. */
static void test_ltp_mprotect02__read_only_then_writable(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);
	unsigned char c = 9;

	vmconf_map(mm, at(0), PG, PROT_READ, ANON);
	assert_int_equal(kcore_copy_to_user(mm, at(0), &c, 1), 1);
	assert_int_equal(kcore_mprotect(mm, at(0), PG, RW), 0);
	assert_int_equal(kcore_copy_to_user(mm, at(0), &c, 1), 0);
	assert_int_equal(vmconf_peek(mm, at(0)), 9);
	kcore_mmput(mm);
}

/* mprotect03: PROT_NONE makes the page inaccessible; its data survives. */
static void test_ltp_mprotect03__prot_none_then_back(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	vmconf_map(mm, at(0), PG, RW, ANON);
	vmconf_poke(mm, at(0), 1, 0x33);
	assert_int_equal(kcore_mprotect(mm, at(0), PG, PROT_NONE), 0);
	assert_int_equal(vmconf_peek(mm, at(0)), -1);
	assert_int_equal(kcore_mprotect(mm, at(0), PG, PROT_READ), 0);
	assert_int_equal(vmconf_peek(mm, at(0)), 0x33);
	kcore_mmput(mm);
}

/* mprotect04: PROT_EXEC sets VM_EXEC; PROT_GROWSDOWN needs a growsdown
   VMA; GROWSDOWN|GROWSUP together is EINVAL. */
static void test_ltp_mprotect04__exec_and_grows_bits(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	vmconf_map(mm, at(0), PG, RW, ANON);
	assert_int_equal(kcore_mprotect(mm, at(0), PG, PROT_NONE), 0);
	assert_int_equal(kcore_mprotect(mm, at(0), PG, PROT_READ | PROT_EXEC), 0);
	assert_string_equal(vmconf_layout(mm, 2), "[0,1)r-xp");
	assert_int_equal(kcore_mprotect(mm, at(0), PG, PROT_READ | PROT_GROWSDOWN), -EINVAL);
	assert_int_equal(kcore_mprotect(mm, at(0), PG, PROT_READ | PROT_GROWSDOWN | PROT_GROWSUP),
			 -EINVAL);
	assert_string_equal(vmconf_layout(mm, 2), "[0,1)r-xp");
	kcore_mmput(mm);
}

/* mprotect05: split and re-merge of a shared file mapping (of an empty
   file) - three mprotects end in a single r--s VMA again. */
static void test_ltp_mprotect05__split_and_merge_back(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);
	struct kcore_file *f = kcore_memfd_create(kctest_sys(state), "ltp-mprotect05");

	assert_false(KCORE_IS_ERR_OR_NULL(f));
	assert_int_equal(kcore_mmap(mm, at(0), pgs(5), PROT_READ, MAP_SHARED | MAP_FIXED, f, 0),
			 (long)at(0));
	assert_int_equal(kcore_mprotect(mm, at(1), PG, PROT_EXEC), 0);
	assert_int_equal(kcore_mprotect(mm, at(3), PG, PROT_WRITE), 0);
	assert_string_equal(vmconf_layout(mm, 8), "[0,1)r--s [1,2)--xs [2,3)r--s [3,4)-w-s [4,5)r--s");
	assert_int_equal(kcore_mprotect(mm, at(1), pgs(4), PROT_READ), 0);
	assert_string_equal(vmconf_layout(mm, 8), "[0,5)r--s");
	assert_int_equal(vmconf_map_count(mm), 1);
	kcore_mmput(mm);
	kcore_fput(f);
}

/* The split rule at vm.max_map_count: mprotect of part of a VMA needs a
   split, which fails with ENOMEM when map_count >= max_map_count. */
static void test_ltp_mprotect__split_at_max_map_count(void **state)
{
	struct kcore_system_config cfg = { .clock = KCORE_CLOCK_MANUAL, .max_map_count = 4 };
	struct kcore_system *sys = kcore_system_create(&cfg);
	struct kcore_mm_struct *mm;
	unsigned long i;

	(void)state;
	assert_false(KCORE_IS_ERR_OR_NULL(sys));
	mm = kcore_mm_alloc(sys);
	assert_false(KCORE_IS_ERR_OR_NULL(mm));
	for (i = 0; i < 4; i++)
		vmconf_map(mm, at(i * 4), pgs(2), RW, ANON);
	assert_int_equal(vmconf_map_count(mm), 4);
	assert_int_equal(kcore_mprotect(mm, at(0), PG, PROT_READ), -ENOMEM);
	assert_int_equal(kcore_mprotect(mm, at(0), pgs(2), PROT_READ), 0);  /* whole VMA */
	assert_int_equal(vmconf_map_count(mm), 4);
	kcore_mmput(mm);
	kcore_system_destroy(sys);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, kctest_sys_setup, kctest_sys_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_ltp_mprotect01__errno_rows),
		T(test_ltp_mprotect02__read_only_then_writable),
		T(test_ltp_mprotect03__prot_none_then_back),
		T(test_ltp_mprotect04__exec_and_grows_bits),
		T(test_ltp_mprotect05__split_and_merge_back),
		T(test_ltp_mprotect__split_at_max_map_count),
	};
	return cmocka_run_group_tests_name("vm.ltp_mprotect", tests, NULL, NULL);
}
