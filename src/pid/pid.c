// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * pid.c - struct pid, the pid hash, lookups, and the module's lifecycle.
 *
 * Mirrors kernel/pid.c: the struct pid with numbers[level] and its own
 * lifetime, the (nr, namespace) hash and find_pid_ns() of v2.6.24; the
 * two-phase alloc_pid() (reserve every level, then publish under
 * pidmap_lock, PIDNS_ADDING for dead namespaces, set_tid) and free_pid()
 * (unhash, release numbers, call_rcu the hash's reference) of v6.14.
 *
 * Ordering: a pid is reserved (bits set at every level) before it is
 * hashed, and unhashed before its bits are cleared, so at every instant
 * published is a subset of reserved (what find_ge_pid() relies on).
 * Hash insertion is a release store (rcu_assign_pointer) paired with the
 * acquire loads of lookups; the memory of a pid is freed only by the last
 * put_pid(), and the hash's reference is dropped through call_rcu(), so a
 * reader under rcu_read_lock() never sees freed memory.
 *
 * KCORE: the kernel's hash had at most 4096 buckets (pidhash_shift <= 12)
 * of hlist chains through the struct upid; at 64K live pids that is
 * 16-deep chains, and even with enough buckets every hit reads the struct
 * pid's cache line.  This hash is an open-addressing table of (key, pid)
 * slots, key = namespace id << 32 | nr, at most half used, rebuilt (grown
 * or cleaned of tombstones) under pidmap_lock and swapped in with RCU: a
 * hit reads one slot, no struct pid.  Still one hash per system keyed by
 * (nr, namespace), still lock-free readers.
 */
#include <kcore/pid.h>

#include "pid_internal.h"
#include <errno.h>
#include <string.h>

#define PIDHASH_MIN_SHIFT 13
#define GOLDEN_RATIO_64 0x61C8864680B583EBull
#define SLOT_EMPTY 0ull
#define SLOT_TOMB 1ull

static inline uint64_t pid_key(int nr, const struct kcore_pid_namespace *ns)
{
	return ((uint64_t)ns->id << 32) | (uint32_t)nr;
}

static inline unsigned long pid_hashfn(uint64_t key, unsigned int shift)
{
	return (unsigned long)((key * GOLDEN_RATIO_64) >> (64 - shift));
}

static struct pid_hash *pid_hash_alloc(unsigned int shift)
{
	struct pid_hash *h = kzalloc(sizeof(*h) + (sizeof(struct pid_slot) << shift));

	if (h)
		h->shift = shift;
	return h;
}

static void free_old_hash(struct kcore__rcu_head *head)
{
	kfree(container_of(head, struct pid_hash, rcu));
}

/* Puts @pid under @key in a table no reader sees yet, or the live one. */
static void slot_insert(struct pid_hash *h, uint64_t key, struct kcore_pid *pid)
{
	unsigned long mask = (1UL << h->shift) - 1, i = pid_hashfn(key, h->shift);

	while (h->slots[i].key != SLOT_EMPTY)
		i = (i + 1) & mask;
	__atomic_store_n(&h->slots[i].pid, pid, __ATOMIC_RELAXED);
	/* Pairs with the acquire in pid_hash_lookup(). */
	__atomic_store_n(&h->slots[i].key, key, __ATOMIC_RELEASE);
}

/*
 * Makes room for @more keys: at most half the slots may be used (live or
 * tombstones).  A full table is rebuilt, twice as big when more than a
 * quarter of it is live, without its tombstones otherwise; the new table
 * is published and the old one freed after a grace period.  A failed
 * allocation fails the caller, as idr_preload() failing does.
 * Caller holds pidmap_lock.
 */
static int pid_hash_reserve(struct pid_sys *ps, unsigned int more)
{
	struct pid_hash *old = ps->hash, *h;
	unsigned int shift = old->shift;
	unsigned long i;

	if (ps->hash_used + more <= (1UL << shift) / 2)
		return 0;
	while ((ps->nr_hashed + more) * 4 > (1UL << shift) && shift < 31)
		shift++;
	h = pid_hash_alloc(shift);
	if (!h)
		return -ENOMEM;
	for (i = 0; i < (1UL << old->shift); i++)
		if (old->slots[i].key > SLOT_TOMB)
			slot_insert(h, old->slots[i].key, old->slots[i].pid);
	ps->hash_used = ps->nr_hashed;
	/* Pairs with the acquire in pid_hash_lookup(). */
	rcu_assign_pointer(ps->hash, h);
	call_rcu(&old->rcu, free_old_hash);
	return 0;
}

static void pid_hash_add(struct pid_sys *ps, struct upid *u, struct kcore_pid *pid)
{
	slot_insert(ps->hash, pid_key(u->nr, u->ns), pid);
	ps->nr_hashed++;
	ps->hash_used++;
}

static void pid_hash_del(struct pid_sys *ps, struct upid *u)
{
	struct pid_hash *h = ps->hash;
	uint64_t key = pid_key(u->nr, u->ns);
	unsigned long mask = (1UL << h->shift) - 1, i = pid_hashfn(key, h->shift);

	while (h->slots[i].key != key) {
		if (WARN_ON(h->slots[i].key == SLOT_EMPTY))
			return;
		i = (i + 1) & mask;
	}
	__atomic_store_n(&h->slots[i].key, SLOT_TOMB, __ATOMIC_RELEASE);
	ps->nr_hashed--;
}

static inline struct kcore_pid *pid_hash_lookup(int nr, struct kcore_pid_namespace *ns)
{
	/* Pairs with the release in pid_hash_reserve(). */
	struct pid_hash *h = rcu_dereference(ns->ps->hash);
	uint64_t key = pid_key(nr, ns), k;
	unsigned long mask = (1UL << h->shift) - 1, i = pid_hashfn(key, h->shift);

	/* Pairs with the release in slot_insert(). */
	while ((k = __atomic_load_n(&h->slots[i].key, __ATOMIC_ACQUIRE)) != SLOT_EMPTY) {
		if (k == key)
			return __atomic_load_n(&h->slots[i].pid, __ATOMIC_RELAXED);
		i = (i + 1) & mask;
	}
	return NULL;
}

/* ---- lifetime ----------------------------------------------------------- */

static void pid_release_memory(struct kcore_pid *pid)
{
	struct pid_sys *ps = pid->numbers[0].ns->ps;
	struct kcore_pid_namespace *ns = ns_of_pid(pid);

	spin_lock(&ps->pidmap_lock);
	list_del(&pid->node);
	spin_unlock(&ps->pidmap_lock);
	kfree(pid);
	kcore_put_pid_ns(ns);
}

struct kcore_pid *kcore_get_pid(struct kcore_pid *pid)
{
	return KCORE_IS_ERR(pid) ? pid : get_pid(pid);
}

void kcore_put_pid(struct kcore_pid *pid)
{
	if (KCORE_IS_ERR_OR_NULL(pid))
		return;
	if (__atomic_sub_fetch(&pid->count, 1, __ATOMIC_ACQ_REL) == 0) {
		if (WARN_ON(pid == pid->numbers[0].ns->ps->init_struct_pid))
			return;
		pid_release_memory(pid);
	}
}

static void delayed_put_pid(struct kcore__rcu_head *head)
{
	kcore_put_pid(container_of(head, struct kcore_pid, rcu));
}

/*
 * Unhashes every level, releases the numbers, and queues the drop of the
 * hash's reference.  Caller holds pidmap_lock.
 */
void kcore__pid_free_pid_locked(struct kcore_pid *pid)
{
	struct pid_sys *ps = pid->numbers[0].ns->ps;

	lockdep_assert_held(&ps->pidmap_lock);
	if (pid->released)
		return; /* kcore_free_pid() and the last detach may race */
	for (unsigned int i = 0; i <= pid->level; i++) {
		struct upid *u = &pid->numbers[i];
		struct kcore_pid_namespace *ns = u->ns;

		if (--ns->pid_allocated == PIDNS_ADDING && ns != ps->init_ns) {
			/* The namespace's first process is gone before it
			   became its init: nothing may be added any more. */
			ns->pid_allocated = 0;
		}
		pid_hash_del(ps, u);
	}
	/* Unhashed everywhere before any number becomes free again. */
	for (unsigned int i = 0; i <= pid->level; i++)
		kcore__pid_free_pidmap(pid->numbers[i].ns, pid->numbers[i].nr);
	pid->released = true;
	call_rcu(&pid->rcu, delayed_put_pid);
}

void kcore_free_pid(struct kcore_pid *pid)
{
	struct pid_sys *ps;

	if (KCORE_IS_ERR_OR_NULL(pid))
		return;
	ps = pid->numbers[0].ns->ps;
	if (pid == ps->init_struct_pid)
		return;
	spin_lock(&ps->pidmap_lock);
	if (!pid->released && !pid_has_task(pid, PIDTYPE_PID) && !pid_has_task(pid, PIDTYPE_TGID) &&
	    !pid_has_task(pid, PIDTYPE_PGID) && !pid_has_task(pid, PIDTYPE_SID))
		kcore__pid_free_pid_locked(pid);
	spin_unlock(&ps->pidmap_lock);
}

/* Gives back the numbers of levels [from, level] reserved by a failed
   allocation.  Caller holds pidmap_lock. */
static void unreserve(struct kcore_pid *pid, unsigned int from)
{
	for (unsigned int i = from; i <= pid->level; i++)
		kcore__pid_free_pidmap(pid->numbers[i].ns, pid->numbers[i].nr);
}

struct kcore_pid *kcore__pid_alloc(struct kcore_pid_namespace *ns, const int *set_tid,
				   size_t set_tid_size)
{
	struct pid_sys *ps = ns->ps;
	struct kcore_pid_namespace *tmp;
	struct kcore_pid *pid;
	int retval;
	int i;

	if (set_tid_size > ns->level + 1 || (!set_tid && set_tid_size))
		return KCORE_ERR_PTR(-EINVAL);
	pid = kzalloc(sizeof(*pid) + (ns->level + 1) * sizeof(struct upid));
	if (!pid)
		return KCORE_ERR_PTR(-ENOMEM);
	pid->level = ns->level;
	pid->count = 1;

	spin_lock(&ps->pidmap_lock);
	retval = pid_hash_reserve(ps, ns->level + 1);
	if (retval) {
		i = (int)ns->level;
		goto out_unreserve;
	}
	tmp = ns;
	for (i = (int)ns->level; i >= 0; i--) {
		int pid_max = READ_ONCE(tmp->pid_max);
		int tid = 0, nr;

		if (set_tid_size) {
			tid = set_tid[ns->level - (unsigned int)i];
			retval = -EINVAL;
			if (tid < 1 || tid >= pid_max)
				goto out_unreserve;
			/* A number other than 1 needs the namespace's init. */
			if (tid != 1 && !READ_ONCE(tmp->reaper_seen))
				goto out_unreserve;
			set_tid_size--;
			nr = kcore__pid_alloc_pidmap_nr(tmp, tid);
		} else {
			nr = kcore__pid_alloc_pidmap(tmp);
		}
		if (nr < 0) {
			retval = nr == -ENOSPC ? -EAGAIN : nr;
			goto out_unreserve;
		}
		pid->numbers[i].nr = nr;
		pid->numbers[i].ns = tmp;
		tmp = tmp->parent;
	}

	/* A dead namespace (its init exited) takes no new pid: ENOMEM, the
	   errno userspace has seen for this since 2.6. */
	retval = -ENOMEM;
	if (!(ns->pid_allocated & PIDNS_ADDING)) {
		i = -1;
		goto out_unreserve;
	}
	kcore_get_pid_ns(ns);
	list_add(&pid->node, &ps->pids);
	for (i = (int)ns->level; i >= 0; i--) {
		pid_hash_add(ps, &pid->numbers[i], pid);
		pid->numbers[i].ns->pid_allocated++;
	}
	spin_unlock(&ps->pidmap_lock);
	return pid;

out_unreserve:
	unreserve(pid, (unsigned int)(i + 1));
	/* The namespace's first allocation failed: it hands out 1 again. */
	if (ns->pid_allocated == PIDNS_ADDING)
		ns->cursor = 0;
	spin_unlock(&ps->pidmap_lock);
	kfree(pid);
	return KCORE_ERR_PTR(retval);
}

struct kcore_pid *kcore_alloc_pid(struct kcore_pid_namespace *ns, const int *set_tid,
				  size_t set_tid_size)
{
	if (!ns)
		return KCORE_ERR_PTR(-EINVAL);
	return kcore__pid_alloc(ns, set_tid, set_tid_size);
}

/* ---- numbers and lookups ------------------------------------------------ */

int kcore_pid_nr_ns(struct kcore_pid *pid, struct kcore_pid_namespace *ns)
{
	if (pid && ns && ns->level <= pid->level && pid->numbers[ns->level].ns == ns)
		return pid->numbers[ns->level].nr;
	return 0;
}

int kcore_pid_nr(struct kcore_pid *pid)
{
	return pid ? pid->numbers[0].nr : 0;
}

int kcore_pid_vnr(struct kcore_pid *pid)
{
	struct kcore_task_struct *cur = kcore_current();
	struct kcore_pid_namespace *ns;

	if (!pid)
		return 0;
	ns = cur ? kcore_task_active_pid_ns(cur) : pid->numbers[0].ns->ps->init_ns;
	return kcore_pid_nr_ns(pid, ns);
}

struct kcore_pid *kcore_find_pid_ns(int nr, struct kcore_pid_namespace *ns)
{
	if (unlikely(!ns || nr <= 0))
		return NULL;
	return pid_hash_lookup(nr, ns);
}

struct kcore_pid *kcore_find_vpid(int nr)
{
	struct kcore_task_struct *cur = kcore_current();

	return cur ? kcore_find_pid_ns(nr, kcore_task_active_pid_ns(cur)) : NULL;
}

struct kcore_pid *kcore_find_get_pid(int nr, struct kcore_pid_namespace *ns)
{
	struct kcore_pid *pid;

	rcu_read_lock();
	pid = get_pid(kcore_find_pid_ns(nr, ns));
	rcu_read_unlock();
	return pid;
}

struct kcore_pid *kcore_find_ge_pid(int nr, struct kcore_pid_namespace *ns)
{
	struct kcore_pid *pid;

	if (!ns)
		return NULL;
	if (nr < 1)
		nr = 1;
	do {
		pid = kcore_find_pid_ns(nr, ns);
		if (pid)
			return pid;
		nr = kcore_next_pidmap(ns, (unsigned int)nr);
	} while (nr > 0);
	return NULL;
}

/* ---- module ------------------------------------------------------------- */

static int pid_module_init(struct kcore_system *sys)
{
	struct pid_sys *ps = knew(struct pid_sys);
	int err = -ENOMEM;

	if (!ps)
		return -ENOMEM;
	ps->sys = sys;
	spin_lock_init(&ps->pidmap_lock);
	spin_lock_init(&ps->tasklist_lock);
	INIT_LIST_HEAD(&ps->pids);
	INIT_LIST_HEAD(&ps->namespaces);
	INIT_LIST_HEAD(&ps->tasklist);
	INIT_LIST_HEAD(&ps->alltasks);
	ps->pid_max_min = (int)max((unsigned int)RESERVED_PIDS + 1,
				   PIDS_PER_CPU_MIN * sys->cfg.nr_cpus);
	ps->hash = pid_hash_alloc(PIDHASH_MIN_SHIFT);
	if (!ps->hash)
		goto free_ps;
	err = kcore__pid_ns_init_root(ps);
	if (err)
		goto free_hash;
	err = kcore__pid_tasks_init(ps);
	if (err)
		goto free_ns;
	kcore__sys_set_module(sys, KCORE__MOD_pid, ps);
	return 0;

free_ns:
	kcore__pid_ns_free(ps->init_ns);
free_hash:
	kfree(ps->hash);
free_ps:
	spin_lock_destroy(&ps->pidmap_lock);
	spin_lock_destroy(&ps->tasklist_lock);
	kfree(ps);
	return err;
}

static void pid_module_exit(struct kcore_system *sys)
{
	struct pid_sys *ps = kcore__sys_module(sys, KCORE__MOD_pid);
	struct kcore_pid *pid, *tmp;
	struct kcore_pid_namespace *ns, *ntmp;
	unsigned long held = 0;

	if (!ps)
		return;
	/* Tasks first: their pids are freed the ordinary way. */
	kcore__pid_tasks_exit(ps);
	/* Bare pids the program never freed. */
	spin_lock(&ps->pidmap_lock);
	list_for_each_entry(pid, &ps->pids, node)
		if (!pid->released && pid != ps->init_struct_pid)
			kcore__pid_free_pid_locked(pid);
	spin_unlock(&ps->pidmap_lock);
	rcu_barrier();
	/* What is left is referenced by the program: the system owns it all. */
	list_for_each_entry_safe(pid, tmp, &ps->pids, node) {
		list_del(&pid->node);
		if (pid != ps->init_struct_pid)
			held++;
		kfree(pid);
	}
	if (held)
		pr_warn(sys, "pid: %lu struct pid still referenced at shutdown, freed\n", held);
	list_for_each_entry_safe(ns, ntmp, &ps->namespaces, node)
		kcore__pid_ns_free(ns);
	kfree(ps->hash);
	spin_lock_destroy(&ps->pidmap_lock);
	spin_lock_destroy(&ps->tasklist_lock);
	kcore__sys_set_module(sys, KCORE__MOD_pid, NULL);
	kfree(ps);
}

const struct kcore__module kcore__pid_module = {
	.name = "pid",
	.init = pid_module_init,
	.exit = pid_module_exit,
};
