/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vmtest_util.h - small helpers shared by the vm unit tests. */
#ifndef KCORE_TESTS_VM_UTIL_H
#define KCORE_TESTS_VM_UTIL_H

#include "kctest.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>

#define PG 4096UL
#define B0 0x10000000UL /* the test window, as LTP's munmap04 uses */
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)
#define RW (PROT_READ | PROT_WRITE)

static inline struct kcore_mm_struct *vt_mm(void **state)
{
	struct kcore_mm_struct *mm = kcore_mm_alloc(kctest_sys(state));

	assert_false(KCORE_IS_ERR(mm));
	return mm;
}

static inline long vt_map(struct kcore_mm_struct *mm, unsigned long pg, unsigned long npages,
			  unsigned long prot)
{
	return kcore_mmap(mm, B0 + pg * PG, npages * PG, prot, ANON | MAP_FIXED, NULL, 0);
}

/* The number of VMAs and a compact layout string "[s,e)rw-p ..." in pages from B0. */
static inline int vt_layout(struct kcore_mm_struct *mm, char *out, size_t len)
{
	unsigned long a = 0;
	int n = 0;
	size_t o = 0;

	out[0] = 0;
	for (;;) {
		struct kcore_vm_area_struct *v = kcore_find_vma(mm, a);
		unsigned long f;

		if (!v)
			break;
		f = kcore_vma_flags(v);
		if (kcore_vma_start(v) >= B0 && kcore_vma_end(v) <= B0 + 0x1000000UL)
			o += (size_t)snprintf(out + o, len - o, "%s[%lu,%lu)%c%c%c%c",
					      n ? " " : "", (kcore_vma_start(v) - B0) / PG,
					      (kcore_vma_end(v) - B0) / PG,
					      f & KCORE_VM_READ ? 'r' : '-',
					      f & KCORE_VM_WRITE ? 'w' : '-',
					      f & KCORE_VM_EXEC ? 'x' : '-',
					      f & KCORE_VM_LOCKED ? 'L' : (f & KCORE_VM_SHARED ? 's' : 'p'));
		n++;
		a = kcore_vma_end(v);
	}
	return n;
}

#define assert_layout(mm, expect)                                   \
	do {                                                        \
		char _b[4096];                                      \
		vt_layout((mm), _b, sizeof(_b));                    \
		assert_string_equal(_b, (expect));                  \
	} while (0)

static inline unsigned long vt_stat(struct kcore_mm_struct *mm, size_t off)
{
	struct kcore_mm_stats st;

	kcore_mm_get_stats(mm, &st);
	return *(unsigned long *)((char *)&st + off);
}
#define STAT(mm, field) vt_stat((mm), offsetof(struct kcore_mm_stats, field))

#endif /* KCORE_TESTS_VM_UTIL_H */
