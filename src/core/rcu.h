/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rcu.h - RCU for library code: the only file that includes liburcu.
 *
 * Flavour: memb (sys_membarrier).  Readers cost a thread-local counter
 * update and compiler barriers only, so lookups scale like plain loads;
 * the grace period is slow on VMs (membarrier IPIs, tens of microseconds),
 * which is why every reclaim goes through call_rcu() and its worker thread
 * batches many callbacks per grace period.  qsbr would be cheaper still for
 * readers but needs every thread to announce quiescent states, which a
 * linkable library cannot demand of its callers; mb doubles read cost; bp
 * is slower on both sides.  To switch flavour, change this file and
 * KCORE_URCU_FLAVOR in cmake/KcoreDeps.cmake, nothing else.
 *
 * Registration is automatic: the first read-side entry (or call_rcu) of a
 * thread registers it, and a thread-exit destructor unregisters it.
 *
 * Under ThreadSanitizer, whose view of liburcu's fences is blind, the
 * read-side unlock releases and the end of a grace period acquires one
 * shared sync object, so the happens-before edge RCU provides between a
 * reader and a reclaimer is visible to the tool (the approach liburcu 0.15
 * takes in its annotate.h).
 */
#ifndef KCORE_SRC_CORE_RCU_H
#define KCORE_SRC_CORE_RCU_H

#ifndef _LGPL_SOURCE
#define _LGPL_SOURCE /* libkcore is LGPL: inline liburcu's read-side fast path */
#endif
#include <urcu/urcu-memb.h>

#include "compiler.h"

#if defined(__SANITIZE_THREAD__)
#define KCORE_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define KCORE_TSAN 1
#endif
#endif

#ifdef KCORE_TSAN
void __tsan_acquire(void *addr);
void __tsan_release(void *addr);
extern char kcore__rcu_tsan_sync KCORE_HIDDEN;
#define kcore__rcu_tsan_release() __tsan_release(&kcore__rcu_tsan_sync)
#define kcore__rcu_tsan_acquire() __tsan_acquire(&kcore__rcu_tsan_sync)
#define kcore__tsan_release_obj(p) __tsan_release(p)
#define kcore__tsan_acquire_obj(p) __tsan_acquire(p)
#else
#define kcore__tsan_release_obj(p) do { } while (0)
#define kcore__tsan_acquire_obj(p) do { } while (0)
#define kcore__rcu_tsan_release() do { } while (0)
#define kcore__rcu_tsan_acquire() do { } while (0)
#endif

/* Non-zero once this thread is a registered liburcu reader. */
extern __thread int kcore__rcu_registered
	__attribute__((tls_model("initial-exec"))) KCORE_HIDDEN;

void kcore__rcu_register_slow(void) KCORE_HIDDEN;

static inline void kcore__rcu_ensure_registered(void)
{
	if (unlikely(!kcore__rcu_registered))
		kcore__rcu_register_slow();
}

static inline void rcu_read_lock(void)
{
	kcore__rcu_ensure_registered();
	urcu_memb_read_lock();
}

static inline void rcu_read_unlock(void)
{
	kcore__rcu_tsan_release();
	urcu_memb_read_unlock();
}

static inline bool rcu_read_lock_held(void)
{
	return kcore__rcu_registered && urcu_memb_read_ongoing();
}

void kcore__synchronize_rcu(void) KCORE_HIDDEN;
#define synchronize_rcu() kcore__synchronize_rcu()

/*
 * struct kcore__rcu_head - embed in objects freed after a grace period.
 * The callback runs on liburcu's call_rcu worker thread, never inside a
 * read-side critical section, and may free the object.
 */
struct kcore__rcu_head {
	struct rcu_head urcu;
	void (*func)(struct kcore__rcu_head *head);
};

void kcore__call_rcu(struct kcore__rcu_head *head,
		     void (*func)(struct kcore__rcu_head *head)) KCORE_HIDDEN;
#define call_rcu(head, func) kcore__call_rcu((head), (func))

void kcore__rcu_barrier(void) KCORE_HIDDEN;
#define rcu_barrier() kcore__rcu_barrier()

/*
 * Publication and subscription.  Release on publish, acquire (consume) on
 * read: on x86-64 both are plain moves; they tell the compiler and TSan
 * what liburcu's macros say with fences.
 */
#undef rcu_assign_pointer
#undef rcu_dereference
#undef RCU_INIT_POINTER
#define rcu_assign_pointer(p, v) __atomic_store_n(&(p), (v), __ATOMIC_RELEASE)
#define RCU_INIT_POINTER(p, v) __atomic_store_n(&(p), (v), __ATOMIC_RELAXED)
#define rcu_dereference(p) __atomic_load_n(&(p), __ATOMIC_ACQUIRE)
#define rcu_dereference_protected(p) (p)
#define rcu_access_pointer(p) __atomic_load_n(&(p), __ATOMIC_RELAXED)

#endif /* KCORE_SRC_CORE_RCU_H */
