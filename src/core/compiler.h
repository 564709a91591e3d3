/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * compiler.h - the kernel's everyday helpers, for library code only.
 *
 * These are the bare kernel names (container_of, READ_ONCE, ...) that the
 * modules are written with.  Never included by a public header.
 */
#ifndef KCORE_SRC_CORE_COMPILER_H
#define KCORE_SRC_CORE_COMPILER_H

#include <kcore/compiler.h>
#include <stddef.h>
#include <stdint.h>

#define likely(x) KCORE_LIKELY(x)
#define unlikely(x) KCORE_UNLIKELY(x)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

/* Single-copy atomic accesses the compiler may not tear, fuse or re-read. */
#define READ_ONCE(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define smp_load_acquire(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define smp_store_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define smp_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define barrier() __asm__ __volatile__("" ::: "memory")

#define min(a, b) ((a) < (b) ? (a) : (b))
#define max(a, b) ((a) > (b) ? (a) : (b))
#define clamp(v, lo, hi) min(max((v), (lo)), (hi))

#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define ALIGN(x, a) ALIGN_DOWN((x) + (a) - 1, (a))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)

#define BITS_PER_LONG 64
#define BIT(n) (1UL << (n))

/* Internal, non-static names carry kcore__ and stay hidden. */
#define KCORE_HIDDEN __attribute__((visibility("hidden")))

#endif /* KCORE_SRC_CORE_COMPILER_H */
