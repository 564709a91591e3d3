/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bug.h - broken invariants.
 *
 * A broken invariant is a bug in libkcore, not an error of the caller:
 * BUG_ON aborts with file:func@line; WARN_ON prints once per site, counts
 * (kcore_warn_count()) and lets the program go on.
 */
#ifndef KCORE_SRC_CORE_BUG_H
#define KCORE_SRC_CORE_BUG_H

#include "compiler.h"
#include <stdbool.h>

void kcore__bug(const char *file, const char *func, int line, const char *cond)
	__attribute__((noreturn)) KCORE_HIDDEN;
void kcore__warn(const char *file, const char *func, int line, const char *cond,
		 bool *once) KCORE_HIDDEN;

#define BUG_ON(cond)                                                      \
	do {                                                              \
		if (unlikely(cond))                                       \
			kcore__bug(__FILE__, __func__, __LINE__, #cond);  \
	} while (0)

#define BUG() kcore__bug(__FILE__, __func__, __LINE__, "BUG")

#define WARN_ON(cond)                                                         \
	({                                                                    \
		static bool __warned;                                         \
		bool __c = !!(cond);                                          \
		if (unlikely(__c))                                            \
			kcore__warn(__FILE__, __func__, __LINE__, #cond,      \
				    &__warned);                               \
		unlikely(__c);                                                \
	})

#endif /* KCORE_SRC_CORE_BUG_H */
