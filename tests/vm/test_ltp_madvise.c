// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_ltp_madvise.c - LTP testcases/kernel/syscalls/madvise (madvise01,
 * 02, 09) on a kcore mm.  madvise09's memory pressure is kcore_mm_reclaim.
 */
#include "vmconf.h"

/*
 * kcore_mm_reclaim (API.md "Reclaim and fork") lands with vm (2/2); until
 * the header declares it, a weak reference lets madvise09 skip cleanly.
 */
KCORE_API long kcore_mm_reclaim(struct kcore_mm_struct *mm, unsigned long nr_pages)
	__attribute__((weak));

#define KVM_SEQ_READ 0x8000UL
#define KVM_RAND_READ 0x10000UL

/* madvise01: the basic advices succeed on anonymous and file mappings;
   RANDOM / SEQUENTIAL / NORMAL set and clear the read-ahead VMA flags. */
static void test_ltp_madvise01__advices_succeed(void **state)
{
	static const int advs[] = { MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED,
				    MADV_DONTNEED };
	struct kcore_mm_struct *mm = vmconf_mm(state);
	struct kcore_file *f = kcore_memfd_create(kctest_sys(state), "ltp-madvise01");
	size_t i;

	assert_false(KCORE_IS_ERR_OR_NULL(f));
	assert_int_equal(kcore_file_truncate(f, pgs(4)), 0);
	vmconf_map(mm, at(0), pgs(4), RW, ANON);
	assert_int_equal(kcore_mmap(mm, at(8), pgs(4), PROT_READ, MAP_SHARED | MAP_FIXED, f, 0),
			 (long)at(8));
	for (i = 0; i < sizeof(advs) / sizeof(advs[0]); i++) {
		assert_int_equal(kcore_madvise(mm, at(0), pgs(4), advs[i]), 0);
		assert_int_equal(kcore_madvise(mm, at(8), pgs(4), advs[i]), 0);
	}
	assert_int_equal(vmconf_flags(mm, at(0)) & (KVM_SEQ_READ | KVM_RAND_READ), KVM_SEQ_READ);
	assert_int_equal(kcore_madvise(mm, at(0), pgs(4), MADV_NORMAL), 0);
	assert_int_equal(vmconf_flags(mm, at(0)) & (KVM_SEQ_READ | KVM_RAND_READ), 0);
	assert_int_equal(kcore_madvise(mm, at(0), PG, MADV_RANDOM), 0);
	assert_int_equal(vmconf_flags(mm, at(0)) & (KVM_SEQ_READ | KVM_RAND_READ), KVM_RAND_READ);
	assert_int_equal(vmconf_map_count(mm), 3);      /* [0,1) split off */
	assert_int_equal(kcore_madvise(mm, at(0), PG, MADV_SEQUENTIAL), 0);
	assert_int_equal(vmconf_flags(mm, at(0)) & (KVM_SEQ_READ | KVM_RAND_READ), KVM_SEQ_READ);
	assert_int_equal(kcore_madvise(mm, at(0), PG, MADV_NORMAL), 0);
	assert_int_equal(vmconf_flags(mm, at(0)) & (KVM_SEQ_READ | KVM_RAND_READ), 0);
	assert_int_equal(vmconf_map_count(mm), 2);      /* merged back */
	kcore_mmput(mm);
	kcore_fput(f);
}

/* madvise01 (the rest of its table): DONTFORK, DOFORK, MERGEABLE,
   UNMERGEABLE, HUGEPAGE, NOHUGEPAGE, DONTDUMP, DODUMP, WIPEONFORK,
   KEEPONFORK, COLD, PAGEOUT, POPULATE_READ, POPULATE_WRITE and
   DONTNEED_LOCKED all return 0 on a private anonymous mapping (host 6.18;
   advice numbers 10-24). */
static void test_ltp_madvise01__extended_advices_succeed(void **state)
{
	struct kcore_mm_struct *mm;
	int adv;

	mm = vmconf_mm(state);
	vmconf_map(mm, at(0), pgs(4), RW, ANON);
	for (adv = 10; adv <= 24; adv++) {
		long r;

		if (adv == 12 || adv == 13)
			continue;       /* MERGEABLE needs CONFIG_KSM: host-dependent */
		r = kcore_madvise(mm, at(0), pgs(4), adv);
		if (r != 0) {
			kcore_mmput(mm);
			fail_msg("madvise(%d) = %ld, host 0", adv, r);
		}
	}
	kcore_mmput(mm);
}

/* madvise02: EINVAL misaligned start; EINVAL unknown advice; EINVAL
   DONTNEED on locked pages; ENOMEM a range with unmapped pages;
   WILLNEED on anonymous memory succeeds (kernels with swap). */
static void test_ltp_madvise02__errno_rows(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	vmconf_map(mm, at(0), pgs(4), RW, ANON);
	vmconf_map(mm, at(8), pgs(4), RW, ANON);
	assert_int_equal(kcore_madvise(mm, at(0) + 100, pgs(4), MADV_NORMAL), -EINVAL);
	assert_int_equal(kcore_madvise(mm, at(0), pgs(4), 1212), -EINVAL);
	assert_int_equal(kcore_madvise(mm, at(0), 0, 1212), -EINVAL);   /* advice checked first */
	assert_int_equal(kcore_madvise(mm, at(0), 0, MADV_NORMAL), 0);
	assert_int_equal(kcore_madvise(mm, at(0), pgs(12), MADV_NORMAL), -ENOMEM);
	assert_int_equal(kcore_madvise(mm, at(20), PG, MADV_NORMAL), -ENOMEM);
	assert_int_equal(kcore_madvise(mm, at(0), pgs(4), MADV_WILLNEED), 0);
	assert_int_equal(kcore_mlock(mm, at(8), pgs(4)), 0);
	assert_int_equal(kcore_madvise(mm, at(8), pgs(4), MADV_DONTNEED), -EINVAL);
	assert_int_equal(kcore_madvise(mm, at(8), pgs(4), MADV_FREE), -EINVAL);
	assert_int_equal(vmconf_stats(mm).rss_anon, 4);
	kcore_mmput(mm);
}

/* DONTNEED zero-fills private anonymous pages and frees them, also
   across a hole (ENOMEM, the mapped parts are still zapped); on a shared
   file mapping the data stays in the file. */
static void test_ltp_madvise__dontneed_semantics(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);
	struct kcore_file *f = kcore_memfd_create(kctest_sys(state), "ltp-madvise-dn");

	assert_false(KCORE_IS_ERR_OR_NULL(f));
	assert_int_equal(kcore_file_truncate(f, PG), 0);
	vmconf_map(mm, at(0), pgs(2), RW, ANON);
	vmconf_map(mm, at(3), pgs(2), RW, ANON);
	vmconf_poke(mm, at(0), 2, 0x41);
	vmconf_poke(mm, at(3), 2, 0x42);
	assert_int_equal(vmconf_stats(mm).rss_anon, 4);
	assert_int_equal(kcore_madvise(mm, at(1), pgs(3), MADV_DONTNEED), -ENOMEM);
	assert_int_equal(vmconf_peek(mm, at(0)), 0x41);
	assert_int_equal(vmconf_peek(mm, at(1)), 0);
	assert_int_equal(vmconf_peek(mm, at(3)), 0);
	assert_int_equal(vmconf_peek(mm, at(4)), 0x42);
	assert_int_equal(vmconf_stats(mm).rss_anon, 2);
	assert_int_equal(kcore_mmap(mm, at(8), PG, RW, MAP_SHARED | MAP_FIXED, f, 0), (long)at(8));
	vmconf_poke(mm, at(8), 1, 0x43);
	assert_int_equal(kcore_madvise(mm, at(8), PG, MADV_DONTNEED), 0);
	assert_int_equal(vmconf_peek(mm, at(8)), 0x43);
	kcore_mmput(mm);
	kcore_fput(f);
}

/* madvise09: MADV_FREE pages are dropped by reclaim (they read back as
   zero); pages written again after MADV_FREE are kept. */
static void test_ltp_madvise09__free_then_reclaim(void **state)
{
	struct kcore_mm_struct *mm;

	if (!kcore_mm_reclaim)
		skip();
	mm = vmconf_mm(state);
	vmconf_map(mm, at(0), pgs(8), RW, ANON);
	vmconf_poke(mm, at(0), 8, 0x5a);
	assert_int_equal(kcore_madvise(mm, at(0), pgs(8), MADV_FREE), 0);
	/* without pressure the contents are still there */
	assert_int_equal(vmconf_peek(mm, at(7)), 0x5a);
	vmconf_poke(mm, at(0), 2, 0x66);        /* redirtied: must survive */
	assert_true(kcore_mm_reclaim(mm, 1024) >= 6);
	assert_int_equal(vmconf_peek(mm, at(0)), 0x66);
	assert_int_equal(vmconf_peek(mm, at(1)), 0x66);
	assert_int_equal(vmconf_peek(mm, at(2)), 0);
	assert_int_equal(vmconf_peek(mm, at(7)), 0);
	kcore_mmput(mm);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, kctest_sys_setup, kctest_sys_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_ltp_madvise01__advices_succeed),
		T(test_ltp_madvise01__extended_advices_succeed),
		T(test_ltp_madvise02__errno_rows),
		T(test_ltp_madvise__dontneed_semantics),
		T(test_ltp_madvise09__free_then_reclaim),
	};
	return cmocka_run_group_tests_name("vm.ltp_madvise", tests, NULL, NULL);
}
