// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * rcu.c - liburcu glue: automatic reader registration, the public wrappers,
 * call_rcu with a trampoline.
 *
 * Registration: liburcu wants every reader thread registered before its
 * first read-side section and unregistered before it exits.  A library
 * cannot ask its callers for that, so the first rcu_read_lock() of a thread
 * registers it (slow path, once) and a pthread key destructor unregisters it
 * when the thread exits.  Explicit kcore_thread_register() calls are counted
 * and the last kcore_thread_unregister() unregisters at once.  A thread the
 * program registered with liburcu (memb) itself is used as it is and never
 * unregistered by libkcore.
 */
#include <kcore/core.h>

#include "bug.h"
#include "rcu.h"
#include <pthread.h>

__thread int kcore__rcu_registered __attribute__((tls_model("initial-exec")));
static __thread unsigned int explicit_registrations;

#ifdef KCORE_TSAN
char kcore__rcu_tsan_sync;
#endif

static pthread_key_t exit_key;
static pthread_once_t exit_key_once = PTHREAD_ONCE_INIT;

/* The program registered this thread with liburcu itself: leave it be. */
#define REGISTERED_BY_PROGRAM 2

static void unregister_now(void)
{
	if (kcore__rcu_registered != 1)
		return;
	WARN_ON(urcu_memb_read_ongoing());
	urcu_memb_unregister_thread();
	kcore__rcu_registered = 0;
}

static void thread_exit(void *unused)
{
	(void)unused;
	unregister_now();
}

static void make_exit_key(void)
{
	BUG_ON(pthread_key_create(&exit_key, thread_exit));
}

void kcore__rcu_register_slow(void)
{
	pthread_once(&exit_key_once, make_exit_key);
	if (URCU_TLS(urcu_memb_reader).registered) {
		kcore__rcu_registered = REGISTERED_BY_PROGRAM;
		return;
	}
	urcu_memb_register_thread();
	kcore__rcu_registered = 1;
	/* Any non-NULL value makes the destructor run at thread exit. */
	pthread_setspecific(exit_key, &kcore__rcu_registered);
}

int kcore_thread_register(void)
{
	kcore__rcu_ensure_registered();
	explicit_registrations++;
	return 0;
}

void kcore_thread_unregister(void)
{
	if (!explicit_registrations)
		return;
	if (--explicit_registrations == 0)
		unregister_now();
}

void kcore_rcu_read_lock(void)
{
	rcu_read_lock();
}

void kcore_rcu_read_unlock(void)
{
	rcu_read_unlock();
}

void kcore__synchronize_rcu(void)
{
	/* A registered thread may call it (outside a read-side section); an
	   unregistered one may too: memb does not require registration here. */
	urcu_memb_synchronize_rcu();
	kcore__rcu_tsan_acquire();
}

void kcore_synchronize_rcu(void)
{
	kcore__synchronize_rcu();
}

static void trampoline(struct rcu_head *urcu)
{
	struct kcore__rcu_head *head = container_of(urcu, struct kcore__rcu_head, urcu);

	/* Pairs with the release in rcu_read_unlock(): the grace period that
	   ended before this callback ran covers every reader that saw the object. */
	kcore__rcu_tsan_acquire();
	/* Pairs with the release in kcore__call_rcu(): liburcu's queue hands
	   the head over with fences TSan cannot see. */
	kcore__tsan_acquire_obj(head);
	head->func(head);
	/* What the callback did happens before rcu_barrier() returns. */
	kcore__rcu_tsan_release();
}

void kcore__call_rcu(struct kcore__rcu_head *head, void (*func)(struct kcore__rcu_head *head))
{
	kcore__rcu_ensure_registered(); /* liburcu's call_rcu reads under the read lock */
	head->func = func;
	kcore__tsan_release_obj(head);
	urcu_memb_call_rcu(&head->urcu, trampoline);
}

void kcore__rcu_barrier(void)
{
	kcore__rcu_ensure_registered();
	urcu_memb_barrier();
	kcore__rcu_tsan_acquire();
}

void kcore_rcu_barrier(void)
{
	kcore__rcu_barrier();
}

const char *kcore_rcu_flavor_name(void)
{
	return "memb";
}
