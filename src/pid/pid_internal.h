/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pid_internal.h - the pid module's shared structures.
 *
 * Mirrors include/linux/pid.h, include/linux/pid_namespace.h (v2.6.24 for
 * the pidmap and hash layout, v6.14 for pid_allocated / PIDNS_ADDING and
 * per-namespace pid_max) and the pid parts of include/linux/sched.h.
 *
 * Locking (one of each per system, in this order):
 *   tasklist_lock  - task links: parent/children, thread groups, the
 *                    pid->tasks[] lists, task pid pointers, child_reaper.
 *   pidmap_lock    - bitmap pages and cursors, pid_allocated, the hash and
 *                    its membership, the pid and namespace registries.
 * Readers (lookups, next_pidmap, pid_task) take neither: RCU only.
 */
#ifndef KCORE_SRC_PID_INTERNAL_H
#define KCORE_SRC_PID_INTERNAL_H

#include <kcore/pid.h>

#include "core/alloc.h"
#include "core/bug.h"
#include "core/compiler.h"
#include "core/list.h"
#include "core/lock.h"
#include "core/rcu.h"
#include "core/system.h"

#define RESERVED_PIDS KCORE_RESERVED_PIDS
#define PID_MAX_LIMIT KCORE_PID_MAX_LIMIT
#define MAX_PID_NS_LEVEL KCORE_MAX_PID_NS_LEVEL
#define PIDS_PER_CPU_MIN 8
#define BITS_PER_PAGE (4096 * 8)
#define BITS_PER_PAGE_MASK (BITS_PER_PAGE - 1)
#define PIDMAP_ENTRIES ((PID_MAX_LIMIT + BITS_PER_PAGE - 1) / BITS_PER_PAGE)
#define PIDNS_ADDING (1U << 31)

#define PIDTYPE_PID KCORE_PIDTYPE_PID
#define PIDTYPE_TGID KCORE_PIDTYPE_TGID
#define PIDTYPE_PGID KCORE_PIDTYPE_PGID
#define PIDTYPE_SID KCORE_PIDTYPE_SID
#define PIDTYPE_MAX KCORE_PIDTYPE_MAX

struct pid_hash;

/* One bitmap page: nr_free and the page, allocated on first use. */
struct pidmap {
	int nr_free;            /* under pidmap_lock */
	unsigned long *page;    /* published with release; read lock-free */
};

struct kcore_pid_namespace {
	int count;                          /* references (atomic) */
	struct pid_sys *ps;
	unsigned int level;
	unsigned int id;                    /* the hash key's namespace part, unique per system */
	struct kcore_pid_namespace *parent;
	struct kcore_task_struct *child_reaper; /* tasklist_lock; read under RCU */
	bool reaper_seen;                   /* has had an init (set_tid rule) */
	int pid_max;                        /* READ_ONCE */
	int cursor;                         /* next number to try (idr cursor); pidmap_lock */
	unsigned int pid_allocated;         /* published pids + PIDNS_ADDING; pidmap_lock */
	struct list_head node;              /* in ps->namespaces; pidmap_lock */
	struct kcore__rcu_head rcu;
	struct pidmap pidmap[PIDMAP_ENTRIES];
};

/* struct upid - the number one level sees (hashed by pid.c). */
struct upid {
	int nr;
	struct kcore_pid_namespace *ns;
};

struct kcore_pid {
	int count;                          /* references (atomic) */
	unsigned int level;
	bool released;                      /* numbers freed; pidmap_lock */
	struct hlist_head tasks[PIDTYPE_MAX];
	struct list_head node;              /* in ps->pids; pidmap_lock */
	struct kcore__rcu_head rcu;
	struct upid numbers[];
};

/* Shared by a thread group (the kernel's signal_struct, pid part). */
struct signal_struct {
	int count;                          /* task structs using it (atomic) */
	int nr_threads;                     /* live threads (tasklist_lock) */
	struct kcore_pid *pids[PIDTYPE_MAX];/* TGID, PGID, SID; [PID] unused */
	bool leader;                        /* session leader */
	bool unkillable;                    /* SIGNAL_UNKILLABLE: a namespace init */
	struct list_head thread_head;       /* every task of the group */
};

#define EXIT_ZOMBIE 16
#define EXIT_DEAD 32
#define PF_EXITING 0x4
#define PF_FORKNOEXEC 0x40
#define TASK_COMM_LEN 16

struct kcore_task_struct {
	int usage;                          /* references (atomic) */
	struct pid_sys *ps;
	unsigned int flags;                 /* PF_*; tasklist_lock */
	int exit_state;                     /* 0, EXIT_ZOMBIE, EXIT_DEAD; tasklist_lock */
	int exit_code;
	char comm[TASK_COMM_LEN];           /* written with WRITE_ONCE per byte under tasklist_lock */
	struct kcore_pid *thread_pid;       /* RCU */
	struct hlist_node pid_links[PIDTYPE_MAX];
	struct signal_struct *signal;
	struct kcore_task_struct *group_leader;
	struct list_head thread_node;       /* in signal->thread_head */
	struct kcore_task_struct *real_parent; /* RCU */
	struct list_head children, sibling;
	struct list_head tasks;             /* in ps->tasklist until released */
	struct list_head all;               /* in ps->alltasks until freed */
	struct kcore_pid_namespace *pid_ns_for_children; /* referenced */
	struct kcore_mm_struct *mm;
	unsigned long sigpending;           /* bit (sig - 1) (atomic) */
	struct kcore__rcu_head rcu;
};

/*
 * One slot: the key (namespace id << 32 | nr) and the pid.  A slot is
 * written once: pid first, then the key with a release store; unhashing
 * turns the key into a tombstone and never touches the pid; a slot is never
 * reused within its table (tombstones go when the table is rebuilt), so a
 * reader that saw the key reads the matching pid.
 */
struct pid_slot {
	uint64_t key;
	struct kcore_pid *pid;
};

struct pid_hash {
	unsigned int shift;
	struct kcore__rcu_head rcu;
	struct pid_slot slots[];
};

/* Per-system state of the pid module. */
struct pid_sys {
	struct kcore_system *sys;
	spinlock_t pidmap_lock;
	spinlock_t tasklist_lock;
	struct pid_hash *hash;              /* RCU; replaced under pidmap_lock */
	unsigned long nr_hashed;            /* live keys; pidmap_lock */
	unsigned long hash_used;            /* live keys + tombstones; pidmap_lock */
	unsigned int next_ns_id;            /* pidmap_lock */
	int pid_max_min;
	struct list_head pids;              /* every struct pid; pidmap_lock */
	struct list_head namespaces;        /* every namespace; pidmap_lock */
	struct list_head tasklist;          /* every unreleased task but the swapper; tasklist_lock */
	struct list_head alltasks;          /* every task struct not yet freed; tasklist_lock */
	struct kcore_pid_namespace *init_ns;
	struct kcore_pid *init_struct_pid;
	struct kcore_task_struct *init_task;
	struct signal_struct init_signals;
};

/* pidmap.c */
int kcore__pid_alloc_pidmap(struct kcore_pid_namespace *ns) KCORE_HIDDEN;
int kcore__pid_alloc_pidmap_nr(struct kcore_pid_namespace *ns, int nr) KCORE_HIDDEN;
void kcore__pid_free_pidmap(struct kcore_pid_namespace *ns, int nr) KCORE_HIDDEN;
void kcore__pid_pidmap_free_pages(struct kcore_pid_namespace *ns) KCORE_HIDDEN;
int kcore__pid_pidmap_init(struct kcore_pid_namespace *ns) KCORE_HIDDEN;
unsigned int kcore__pid_pidmap_scan(const unsigned long *page, unsigned int off,
				    unsigned int end) KCORE_HIDDEN;

/* pid.c */
void kcore__pid_free_pid_locked(struct kcore_pid *pid) KCORE_HIDDEN;
void kcore__pid_delayed_put(struct kcore_pid *pid) KCORE_HIDDEN;
struct kcore_pid *kcore__pid_alloc(struct kcore_pid_namespace *ns, const int *set_tid,
				   size_t set_tid_size) KCORE_HIDDEN;

/* pid_namespace.c */
struct kcore_pid_namespace *kcore__pid_ns_create(struct pid_sys *ps,
						 struct kcore_pid_namespace *parent) KCORE_HIDDEN;
int kcore__pid_ns_init_root(struct pid_sys *ps) KCORE_HIDDEN;
void kcore__pid_ns_free(struct kcore_pid_namespace *ns) KCORE_HIDDEN;

/* task.c */
int kcore__pid_tasks_init(struct pid_sys *ps) KCORE_HIDDEN;
void kcore__pid_tasks_exit(struct pid_sys *ps) KCORE_HIDDEN;

static inline struct kcore_pid_namespace *ns_of_pid(struct kcore_pid *pid)
{
	return pid ? pid->numbers[pid->level].ns : NULL;
}

static inline bool pid_has_task(struct kcore_pid *pid, enum kcore_pid_type type)
{
	return !hlist_empty(&pid->tasks[type]);
}

static inline struct kcore_pid *get_pid(struct kcore_pid *pid)
{
	if (pid)
		__atomic_fetch_add(&pid->count, 1, __ATOMIC_RELAXED);
	return pid;
}

/* RCU hlist helpers with release stores on every link a reader can follow
   (so ThreadSanitizer sees each node published, not only the first). */
static inline void pid_hlist_del_rcu(struct hlist_node *n)
{
	struct hlist_node *next = n->next, **pprev = n->pprev;

	if (!pprev)
		return;
	rcu_assign_pointer(*pprev, next);
	if (next)
		next->pprev = pprev;
	n->pprev = NULL;
}

static inline void pid_hlist_replace_rcu(struct hlist_node *old, struct hlist_node *n)
{
	struct hlist_node *next = old->next;

	n->next = next;
	n->pprev = old->pprev;
	rcu_assign_pointer(*n->pprev, n);
	if (next)
		next->pprev = &n->next;
	old->pprev = NULL;
}

#endif /* KCORE_SRC_PID_INTERNAL_H */
