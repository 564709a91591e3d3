/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * alloc.h - the one allocator every module uses.
 *
 * kmalloc/kzalloc/kcalloc/kfree and friends, with two properties tests rely
 * on: each allocation can be made to fail (per-thread fail-nth, the kernel's
 * /proc/self/task/N/fail-nth), and live allocations are counted process-wide
 * (kcore_alloc_outstanding()).  A failed allocation returns NULL; callers
 * turn that into -ENOMEM and undo what they did.
 */
#ifndef KCORE_SRC_CORE_ALLOC_H
#define KCORE_SRC_CORE_ALLOC_H

#include "compiler.h"
#include <stdbool.h>
#include <stddef.h>

void *kcore__malloc(size_t size) KCORE_HIDDEN;
void *kcore__zalloc(size_t size) KCORE_HIDDEN;
void *kcore__calloc(size_t n, size_t size) KCORE_HIDDEN; /* zeroed; NULL on overflow */
void *kcore__aligned_alloc(size_t align, size_t size) KCORE_HIDDEN; /* zeroed */
void *kcore__realloc(void *p, size_t size) KCORE_HIDDEN; /* fails leaving p intact */
char *kcore__strdup(const char *s) KCORE_HIDDEN;
void kcore__free(void *p) KCORE_HIDDEN;
/* Whether the calling thread's fail-nth countdown says this one must fail.
   For resources other than memory that should fail like an allocation. */
bool kcore__should_fail(void) KCORE_HIDDEN;

#define kmalloc(size) kcore__malloc(size)
#define kzalloc(size) kcore__zalloc(size)
#define kcalloc(n, size) kcore__calloc((n), (size))
#define kstrdup(s) kcore__strdup(s)
#define kfree(p) kcore__free(p)

/* Typed helpers: p = knew(struct foo) gives a zeroed struct foo. */
#define knew(type) ((type *)kcore__zalloc(sizeof(type)))

#endif /* KCORE_SRC_CORE_ALLOC_H */
