// SPDX-License-Identifier: LGPL-2.1-or-later
/* lock.c - lock initialisation (the attributes live here, not in every user). */
#include "lock.h"

__thread char kcore__thread_anchor;

void kcore__spin_lock_init(spinlock_t *l)
{
	pthread_mutexattr_t a;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ADAPTIVE_NP);
	pthread_mutex_init(&l->m, &a);
	pthread_mutexattr_destroy(&a);
	l->owner = 0;
}

void kcore__init_rwsem(struct rw_semaphore *s)
{
	pthread_rwlockattr_t a;

	pthread_rwlockattr_init(&a);
	/* A waiting writer blocks new readers, as the kernel's rwsem hand-off does. */
	pthread_rwlockattr_setkind_np(&a, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&s->rw, &a);
	pthread_rwlockattr_destroy(&a);
	s->writer = 0;
}
