/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * compiler.h - attribute and linkage macros shared by every public header.
 *
 * Public headers compile as strict C11 and as C++; everything here degrades
 * to nothing on compilers that lack the GNU attributes.
 */
#ifndef KCORE_COMPILER_H
#define KCORE_COMPILER_H

#ifdef __cplusplus
#define KCORE_BEGIN_DECLS extern "C" {
#define KCORE_END_DECLS }
#else
#define KCORE_BEGIN_DECLS
#define KCORE_END_DECLS
#endif

#if defined(__GNUC__) || defined(__clang__)
/* Symbols the shared object exports; everything else is hidden. */
#define KCORE_API __attribute__((visibility("default")))
/* Results that callers must look at (actions returning 0 / -errno). */
#define KCORE_MUST_CHECK __attribute__((warn_unused_result))
#define KCORE_LIKELY(x) __builtin_expect(!!(x), 1)
#define KCORE_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define KCORE_API
#define KCORE_MUST_CHECK
#define KCORE_LIKELY(x) (x)
#define KCORE_UNLIKELY(x) (x)
#endif

#endif /* KCORE_COMPILER_H */
