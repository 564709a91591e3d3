/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lock.h - the locks every module uses: spinlock_t, struct mutex and
 * struct rw_semaphore, with lockdep_assert_held().
 *
 * SIM: a simulated CPU is a host thread that the host may preempt at any
 * moment, so a "spinlock" that really spun could burn a whole host time
 * slice.  spinlock_t is therefore an adaptive mutex: it spins briefly, then
 * sleeps.  The ordering guarantees are those of the kernel primitives.
 *
 * Every lock records its owner so lockdep_assert_held() is a real check
 * (a WARN, not an abort) in every build.
 */
#ifndef KCORE_SRC_CORE_LOCK_H
#define KCORE_SRC_CORE_LOCK_H

#include "bug.h"
#include "compiler.h"
#include <pthread.h>
#include <stdbool.h>

/* An identity for the calling thread that is cheap to read.  One variable
   for the whole library (a static local of an inline function would be one
   per translation unit, and a lock taken in one file would not look held
   in another). */
extern __thread char kcore__thread_anchor KCORE_HIDDEN;
static inline uintptr_t kcore__thread_id(void)
{
	return (uintptr_t)&kcore__thread_anchor;
}

typedef struct {
	pthread_mutex_t m;
	uintptr_t owner; /* kcore__thread_id() of the holder, 0 when free */
} spinlock_t;

void kcore__spin_lock_init(spinlock_t *l) KCORE_HIDDEN;

static inline void spin_lock_init(spinlock_t *l)
{
	kcore__spin_lock_init(l);
}

static inline void spin_lock_destroy(spinlock_t *l)
{
	pthread_mutex_destroy(&l->m);
}

static inline void spin_lock(spinlock_t *l)
{
	pthread_mutex_lock(&l->m);
	WRITE_ONCE(l->owner, kcore__thread_id());
}

static inline bool spin_trylock(spinlock_t *l)
{
	if (pthread_mutex_trylock(&l->m))
		return false;
	WRITE_ONCE(l->owner, kcore__thread_id());
	return true;
}

static inline void spin_unlock(spinlock_t *l)
{
	WRITE_ONCE(l->owner, 0);
	pthread_mutex_unlock(&l->m);
}

static inline bool spin_is_locked_by_me(spinlock_t *l)
{
	return READ_ONCE(l->owner) == kcore__thread_id();
}

/* struct mutex: a sleeping lock; the same object underneath. */
struct mutex {
	spinlock_t l;
};

static inline void mutex_init(struct mutex *m) { spin_lock_init(&m->l); }
static inline void mutex_destroy(struct mutex *m) { spin_lock_destroy(&m->l); }
static inline void mutex_lock(struct mutex *m) { spin_lock(&m->l); }
static inline bool mutex_trylock(struct mutex *m) { return spin_trylock(&m->l); }
static inline void mutex_unlock(struct mutex *m) { spin_unlock(&m->l); }
static inline bool mutex_is_locked_by_me(struct mutex *m) { return spin_is_locked_by_me(&m->l); }

/*
 * struct rw_semaphore: readers share, one writer excludes.  Writers are
 * preferred so a stream of readers cannot starve them (the kernel's rwsem
 * hands off to waiting writers as well).
 */
struct rw_semaphore {
	pthread_rwlock_t rw;
	uintptr_t writer; /* kcore__thread_id() of the writer, 0 otherwise */
};

void kcore__init_rwsem(struct rw_semaphore *s) KCORE_HIDDEN;

static inline void init_rwsem(struct rw_semaphore *s) { kcore__init_rwsem(s); }
static inline void destroy_rwsem(struct rw_semaphore *s) { pthread_rwlock_destroy(&s->rw); }
static inline void down_read(struct rw_semaphore *s) { pthread_rwlock_rdlock(&s->rw); }
static inline bool down_read_trylock(struct rw_semaphore *s) { return !pthread_rwlock_tryrdlock(&s->rw); }
static inline void up_read(struct rw_semaphore *s) { pthread_rwlock_unlock(&s->rw); }

static inline void down_write(struct rw_semaphore *s)
{
	pthread_rwlock_wrlock(&s->rw);
	WRITE_ONCE(s->writer, kcore__thread_id());
}

static inline bool down_write_trylock(struct rw_semaphore *s)
{
	if (pthread_rwlock_trywrlock(&s->rw))
		return false;
	WRITE_ONCE(s->writer, kcore__thread_id());
	return true;
}

static inline void up_write(struct rw_semaphore *s)
{
	WRITE_ONCE(s->writer, 0);
	pthread_rwlock_unlock(&s->rw);
}

static inline bool rwsem_is_write_locked_by_me(struct rw_semaphore *s)
{
	return READ_ONCE(s->writer) == kcore__thread_id();
}

#define lockdep_assert_held(l) WARN_ON(!spin_is_locked_by_me(l))
#define lockdep_assert_mutex_held(m) WARN_ON(!mutex_is_locked_by_me(m))
#define lockdep_assert_held_write(s) WARN_ON(!rwsem_is_write_locked_by_me(s))

#endif /* KCORE_SRC_CORE_LOCK_H */
