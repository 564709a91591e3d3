/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vmconf.h - helpers shared by the vm conformance tables (tests replaying
 * LTP and kselftest cases against a kcore mm).
 *
 * Layouts are written as in reliability.md: pages relative to a base B,
 * "[0,2)rw-p [3,4)r--p" = the maps lines inside the window, one per VMA.
 *
 * Known divergences (tests/vm/KNOWN_DIVERGENCES.md): a case that fails
 * because of a bug in the implementation starts with
 * VMCONF_KNOWN_DIVERGENCE("name"); it is skipped unless
 * KCORE_TEST_KNOWN_DIVERGENCES=1.
 */
#ifndef KCORE_TESTS_VMCONF_H
#define KCORE_TESTS_VMCONF_H

#include "kctest.h"

#include <kcore/vm.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include "mman_compat.h"


#define PG 4096UL
#define VB 0x10000000UL                 /* the window base used by the tables */
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)
#define RW (PROT_READ | PROT_WRITE)

static inline int vmconf_known_divergences_enabled(void)
{
	const char *s = getenv("KCORE_TEST_KNOWN_DIVERGENCES");

	return s && s[0] == '1';
}

#define VMCONF_KNOWN_DIVERGENCE(name)                                                   \
	do {                                                                            \
		if (!vmconf_known_divergences_enabled()) {                              \
			fprintf(stderr, "known divergence %s skipped "                  \
				"(KCORE_TEST_KNOWN_DIVERGENCES=1 runs it)\n", name);    \
			skip();                                                         \
		}                                                                       \
	} while (0)

static inline unsigned long pgs(unsigned long n)
{
	return n * PG;
}

static inline unsigned long at(unsigned long page)
{
	return VB + page * PG;
}

/* A fresh mm for a case; the per-test system comes from kctest. */
static inline struct kcore_mm_struct *vmconf_mm(void **state)
{
	struct kcore_mm_struct *mm = kcore_mm_alloc(kctest_sys(state));

	assert_false(KCORE_IS_ERR_OR_NULL(mm));
	return mm;
}

/* mmap that must succeed at exactly @addr (MAP_FIXED added). */
static inline void vmconf_map(struct kcore_mm_struct *mm, unsigned long addr, unsigned long len,
			      unsigned long prot, unsigned long flags)
{
	assert_int_equal(kcore_mmap(mm, addr, len, prot, flags | MAP_FIXED, NULL, 0), (long)addr);
}

/*
 * The VMAs intersecting [VB, VB + npages) as "[s,e)perm" items, pages
 * relative to VB, perm as in the maps file (rwxp / rwxs).
 */
static inline const char *vmconf_layout(struct kcore_mm_struct *mm, unsigned long npages)
{
	static char buf[2048];
	struct kcore_vm_area_struct *vma;
	unsigned long addr = VB;
	size_t o = 0;

	buf[0] = 0;
	while ((vma = kcore_find_vma(mm, addr)) != NULL && kcore_vma_start(vma) < at(npages)) {
		unsigned long f = kcore_vma_flags(vma);

		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s[%ld,%ld)%c%c%c%c",
				      o ? " " : "",
				      (long)(kcore_vma_start(vma) - VB) / (long)PG,
				      (long)(kcore_vma_end(vma) - VB) / (long)PG,
				      f & KCORE_VM_READ ? 'r' : '-', f & KCORE_VM_WRITE ? 'w' : '-',
				      f & KCORE_VM_EXEC ? 'x' : '-',
				      f & KCORE_VM_MAYSHARE ? 's' : 'p');
		addr = kcore_vma_end(vma);
		if (o >= sizeof(buf))
			break;
	}
	return buf;
}

/* Flags of the VMA containing @addr (0 when none). */
static inline unsigned long vmconf_flags(struct kcore_mm_struct *mm, unsigned long addr)
{
	struct kcore_vm_area_struct *vma = kcore_find_vma(mm, addr);

	if (!vma || kcore_vma_start(vma) > addr)
		return 0;
	return kcore_vma_flags(vma);
}

/* Number of maps lines (= map_count). */
static inline int vmconf_map_count(struct kcore_mm_struct *mm)
{
	static char buf[256 * 1024];
	int len = kcore_mm_format_maps(mm, buf, sizeof(buf)), n = 0;
	const char *p;

	assert_true(len >= 0 && (size_t)len < sizeof(buf));
	for (p = buf; *p; p++)
		n += *p == '\n';
	return n;
}

static inline struct kcore_mm_stats vmconf_stats(struct kcore_mm_struct *mm)
{
	struct kcore_mm_stats st;

	memset(&st, 0, sizeof(st));
	kcore_mm_get_stats(mm, &st);
	return st;
}

/* Writes byte @c at the start of each of @n pages from @addr; must succeed. */
static inline void vmconf_poke(struct kcore_mm_struct *mm, unsigned long addr, unsigned long n,
			       unsigned char c)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		assert_int_equal(kcore_copy_to_user(mm, addr + i * PG, &c, 1), 0);
}

/* The byte at @addr, or -1 when the read faults. */
static inline int vmconf_peek(struct kcore_mm_struct *mm, unsigned long addr)
{
	unsigned char c;

	if (kcore_copy_from_user(mm, &c, addr, 1))
		return -1;
	return c;
}

#endif /* KCORE_TESTS_VMCONF_H */
