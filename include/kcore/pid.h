/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pid.h - pid numbers, struct pid, pid namespaces and tasks.
 *
 * Data structures follow the pidmap era of kernel/pid.c (v2.6.24: one
 * bitmap of 32768 bits per 4 KiB page per namespace, a struct upid per
 * namespace level, one RCU hash keyed by (number, namespace)).  What a
 * program can observe follows the current kernel (v6.14): allocation order
 * with a wrap to KCORE_RESERVED_PIDS, per-namespace pid_max, set_tid, the
 * errno of every failure.
 *
 * Lifetimes:
 * - A struct kcore_pid outlives its number.  kcore_free_pid() (or the last
 *   task detaching) releases the number at once; the memory goes when the
 *   last reference is dropped, and never before an RCU grace period has
 *   passed since the number was unhashed, so lookups under
 *   kcore_rcu_read_lock() may use what they find until they unlock.
 * - A task pointer returned by kcore_task_fork() stays valid until the task
 *   is released: by kcore_task_reap() for a process, at its exit for a
 *   thread that is not a group leader (the kernel autoreaps threads), by
 *   kcore_task_exec() for the old leader, or by its namespace's init
 *   exiting (zap_pid_ns_processes() reaps every task of the namespace).
 *   Hold a kcore_get_task_struct() reference to use it longer.
 * - kcore_system_destroy() frees every pid, task and namespace of the
 *   system, including ones the program still holds references to.
 *
 * Threads: every function may be called from any thread.  Lookups are
 * lock-free under RCU; changes serialise on one pidmap lock and one
 * tasklist lock per system.
 */
#ifndef KCORE_PID_H
#define KCORE_PID_H

#include <kcore/compiler.h>
#include <kcore/core.h>
#include <kcore/err.h>
#include <stdbool.h>
#include <stddef.h>

KCORE_BEGIN_DECLS

/**
 * enum kcore_pid_type - which of a task's ids a struct pid stands for.
 * @KCORE_PIDTYPE_PID: the thread id.
 * @KCORE_PIDTYPE_TGID: the thread-group (process) id.
 * @KCORE_PIDTYPE_PGID: the process group id.
 * @KCORE_PIDTYPE_SID: the session id.
 * @KCORE_PIDTYPE_MAX: the number of types.
 */
enum kcore_pid_type {
	KCORE_PIDTYPE_PID,
	KCORE_PIDTYPE_TGID,
	KCORE_PIDTYPE_PGID,
	KCORE_PIDTYPE_SID,
	KCORE_PIDTYPE_MAX
};

/** struct kcore_pid - a pid with its numbers in every namespace level (opaque). */
struct kcore_pid;
/** struct kcore_pid_namespace - a pid namespace (opaque). */
struct kcore_pid_namespace;
/** struct kcore_task_struct - a simulated task (opaque). */
struct kcore_task_struct;
/** struct kcore_mm_struct - an address space (see vm.h). */
struct kcore_mm_struct;

/* Clone flags, the kernel's values. */
#define KCORE_CLONE_VM      0x00000100
#define KCORE_CLONE_SIGHAND 0x00000800
#define KCORE_CLONE_PARENT  0x00008000
#define KCORE_CLONE_THREAD  0x00010000
#define KCORE_CLONE_NEWPID  0x20000000

/** KCORE_RESERVED_PIDS - where allocation restarts after a wrap. */
#define KCORE_RESERVED_PIDS 300
/** KCORE_PID_MAX_LIMIT - the highest pid_max (64-bit kernels). */
#define KCORE_PID_MAX_LIMIT (4 * 1024 * 1024)
/** KCORE_MAX_PID_NS_LEVEL - the deepest namespace nesting. */
#define KCORE_MAX_PID_NS_LEVEL 32

/* ---- namespaces ------------------------------------------------------ */

/**
 * kcore_init_pid_ns() - the system's initial pid namespace (level 0).
 * @sys: the system.
 *
 * Its pid_max is the system's cfg.pid_max.  The system owns it; no
 * reference is taken.
 *
 * Context: any.
 * Return: the namespace, or NULL for a NULL @sys.
 */
KCORE_API struct kcore_pid_namespace *kcore_init_pid_ns(struct kcore_system *sys);

/**
 * kcore_init_task() - the system's swapper task.
 * @sys: the system.
 *
 * Pid 0, process group 0, session 0, statically set up in the initial
 * namespace (so kcore_task_pid() and friends work on it); never hashed,
 * so kcore_find_pid_ns(0, ...) finds nothing.  Its first fork gets pid 1.
 *
 * Context: any.
 * Return: the task, or NULL for a NULL @sys.
 */
KCORE_API struct kcore_task_struct *kcore_init_task(struct kcore_system *sys);

/**
 * kcore_copy_pid_ns() - a new child namespace, or a reference on @old_ns.
 * @flags: KCORE_CLONE_NEWPID to create a child of @old_ns; 0 to take a
 *	reference on @old_ns itself.
 * @old_ns: the parent.
 *
 * The new namespace has level @old_ns level + 1, pid_max
 * KCORE_PID_MAX_LIMIT (as since Linux 6.14) and no child reaper: its first
 * pid will be 1.  For programs that use bare pids; tasks get theirs from
 * kcore_task_fork() and kcore_task_unshare().
 *
 * Context: any; takes the pidmap lock.
 * Return: a referenced namespace (drop it with kcore_put_pid_ns()), or
 * KCORE_ERR_PTR(-EINVAL) for a NULL @old_ns or other flags,
 * KCORE_ERR_PTR(-ENOSPC) beyond KCORE_MAX_PID_NS_LEVEL levels,
 * KCORE_ERR_PTR(-ENOMEM).
 */
KCORE_API struct kcore_pid_namespace *kcore_copy_pid_ns(unsigned long flags,
							struct kcore_pid_namespace *old_ns);

/**
 * kcore_task_active_pid_ns() - the namespace a task's pid lives in.
 * @t: the task.
 *
 * The innermost namespace of its pid: the one its own numbers are seen in.
 * Once a task has been released this is NULL.
 *
 * Context: any; no reference is taken.
 * Return: the namespace, or NULL.
 */
KCORE_API struct kcore_pid_namespace *kcore_task_active_pid_ns(struct kcore_task_struct *t);

/**
 * kcore_pid_ns_level() - nesting depth of a namespace.
 * @ns: the namespace.
 *
 * Context: any.
 * Return: 0 for the initial namespace, parent's level + 1 otherwise; 0 for
 * NULL.
 */
KCORE_API unsigned int kcore_pid_ns_level(struct kcore_pid_namespace *ns);

/**
 * kcore_get_pid_ns() - take a reference on a namespace.
 * @ns: the namespace, or NULL.
 *
 * Context: any.
 * Return: @ns.
 */
KCORE_API struct kcore_pid_namespace *kcore_get_pid_ns(struct kcore_pid_namespace *ns);

/**
 * kcore_put_pid_ns() - drop a reference on a namespace.
 * @ns: the namespace, or NULL.
 *
 * The last reference frees it (after a grace period) and drops the
 * reference it holds on its parent.  The initial namespace is never freed.
 *
 * Context: any.
 */
KCORE_API void kcore_put_pid_ns(struct kcore_pid_namespace *ns);

/**
 * kcore_pid_ns_child_reaper() - the namespace's init.
 * @ns: the namespace.
 *
 * The task whose number in @ns is 1 (it adopts orphans).  In the initial
 * namespace the swapper plays that role until pid 1 exists.
 *
 * Context: RCU read lock held, or a reference on the task wanted.
 * Return: the task, or NULL when @ns has none (yet, or any more).
 */
KCORE_API struct kcore_task_struct *kcore_pid_ns_child_reaper(struct kcore_pid_namespace *ns);

/**
 * kcore_pid_ns_set_last_pid() - write ns_last_pid.
 * @ns: the namespace.
 * @last: the number the next allocation should follow.
 *
 * The next allocation in @ns tries @last + 1 first (the sysctl sets the
 * allocation cursor).  The kernel requires CAP_SYS_ADMIN or
 * CAP_CHECKPOINT_RESTORE; the caller is treated as privileged.
 *
 * Context: any; takes the pidmap lock.
 * Return: 0, or -EINVAL for a NULL @ns or @last outside [0, pid_max].
 */
KCORE_API KCORE_MUST_CHECK int kcore_pid_ns_set_last_pid(struct kcore_pid_namespace *ns, int last);

/**
 * kcore_pid_ns_get_last_pid() - read ns_last_pid.
 * @ns: the namespace.
 *
 * Context: any.
 * Return: the last number allocated without set_tid (cursor - 1; -1 before
 * the first allocation of a fresh namespace), or -EINVAL for NULL.
 */
KCORE_API int kcore_pid_ns_get_last_pid(struct kcore_pid_namespace *ns);

/**
 * kcore_pid_ns_set_pid_max() - write the namespace's kernel.pid_max.
 * @ns: the namespace.
 * @pid_max: numbers in @ns stay below it.
 *
 * Each level allocates under its own pid_max, so the effective limit of a
 * namespace is the lowest pid_max of it and its ancestors.  Lowering it
 * frees or renumbers nothing.
 *
 * Context: any.
 * Return: 0, or -EINVAL for a NULL @ns or a value outside
 * [max(301, 8 x nr_cpus), KCORE_PID_MAX_LIMIT].
 */
KCORE_API KCORE_MUST_CHECK int kcore_pid_ns_set_pid_max(struct kcore_pid_namespace *ns, int pid_max);

/**
 * kcore_pid_ns_get_pid_max() - read the namespace's kernel.pid_max.
 * @ns: the namespace.
 *
 * Context: any.
 * Return: the value, or -EINVAL for NULL.
 */
KCORE_API int kcore_pid_ns_get_pid_max(struct kcore_pid_namespace *ns);

/* ---- bare pids ------------------------------------------------------- */

/**
 * kcore_alloc_pid() - allocate a pid with a number in @ns and every ancestor.
 * @ns: the innermost namespace.
 * @set_tid: wanted numbers, innermost level first (clone3's set_tid), or
 *	NULL.
 * @set_tid_size: entries in @set_tid; levels beyond them get the next free
 *	number.
 *
 * Without set_tid, each level takes the next free number after its cursor
 * (ns_last_pid + 1) below its pid_max, wrapping to KCORE_RESERVED_PIDS
 * once the cursor has passed it (to 1 before).  The numbers are reserved at
 * every level, then published in the hash at once, innermost first.  On
 * failure nothing stays reserved, and a namespace whose first allocation
 * failed hands out 1 again.  The caller is treated as having
 * CAP_CHECKPOINT_RESTORE, so set_tid never fails with EPERM.
 *
 * Context: any; takes the pidmap lock.
 * Return: a pid holding one reference, owned by the caller (drop the number
 * with kcore_free_pid()); or KCORE_ERR_PTR() of: -EINVAL for a NULL @ns,
 * @set_tid NULL with a size, @set_tid_size above @ns level + 1, an entry
 * below 1 or not below that level's pid_max, or an entry other than 1 in a
 * namespace without init yet; -EEXIST when an entry is in use; -EAGAIN when
 * a level has no free number; -ENOMEM when memory runs out or @ns is dead
 * (its init has exited).
 */
KCORE_API struct kcore_pid *kcore_alloc_pid(struct kcore_pid_namespace *ns, const int *set_tid,
					    size_t set_tid_size);

/**
 * kcore_free_pid() - release a pid's numbers.
 * @pid: a pid from kcore_alloc_pid(), or NULL.
 *
 * The numbers are unhashed and free for reuse at once; the reference
 * kcore_alloc_pid() returned is dropped after a grace period; other
 * references keep the struct alive (with its old numbers, and no task).
 * A pid still attached to a task, the swapper's pid 0, or a pid whose
 * numbers are already released is left alone.
 *
 * Context: any; takes the pidmap lock; does not wait for a grace period.
 */
KCORE_API void kcore_free_pid(struct kcore_pid *pid);

/**
 * kcore_get_pid() - take a reference on a pid.
 * @pid: the pid, or NULL.
 *
 * Context: any; the caller already holds a reference or the RCU read lock.
 * Return: @pid.
 */
KCORE_API struct kcore_pid *kcore_get_pid(struct kcore_pid *pid);

/**
 * kcore_put_pid() - drop a reference on a pid.
 * @pid: the pid, or NULL.
 *
 * The last reference frees the struct and drops its reference on its
 * innermost namespace.
 *
 * Context: any.
 */
KCORE_API void kcore_put_pid(struct kcore_pid *pid);

/**
 * kcore_pid_nr_ns() - a pid's number as a namespace sees it.
 * @pid: the pid.
 * @ns: the namespace.
 *
 * Context: any.
 * Return: the number, or 0 when @pid is not visible from @ns (@ns is not
 * one of its levels) or either argument is NULL.
 */
KCORE_API int kcore_pid_nr_ns(struct kcore_pid *pid, struct kcore_pid_namespace *ns);

/**
 * kcore_pid_nr() - a pid's number in the initial namespace.
 * @pid: the pid.
 *
 * Context: any.
 * Return: the number, 0 for NULL (and for the swapper).
 */
KCORE_API int kcore_pid_nr(struct kcore_pid *pid);

/**
 * kcore_pid_vnr() - a pid's number in the current task's namespace.
 * @pid: the pid.
 *
 * "Current" is what kcore_set_current() set for this thread; a thread with
 * no current task sees the initial namespace of @pid's system.
 *
 * Context: any.
 * Return: the number, or 0 when not visible or NULL.
 */
KCORE_API int kcore_pid_vnr(struct kcore_pid *pid);

/**
 * kcore_find_pid_ns() - look a number up in a namespace.
 * @nr: the number.
 * @ns: the namespace.
 *
 * Lock-free.  A pid being allocated is found only once every level is
 * published; one being freed stops being found when it is unhashed.
 *
 * Context: the caller holds kcore_rcu_read_lock(); the pid stays valid
 * until the matching unlock.
 * Return: the pid, or NULL (also for @nr <= 0 and a NULL @ns).
 */
KCORE_API struct kcore_pid *kcore_find_pid_ns(int nr, struct kcore_pid_namespace *ns);

/**
 * kcore_find_vpid() - kcore_find_pid_ns() in the current task's namespace.
 * @nr: the number.
 *
 * Context: RCU read lock held; a current task set (kcore_set_current()).
 * Return: the pid, or NULL (also when there is no current task).
 */
KCORE_API struct kcore_pid *kcore_find_vpid(int nr);

/**
 * kcore_find_get_pid() - look a number up and take a reference.
 * @nr: the number.
 * @ns: the namespace.
 *
 * Context: any; takes the RCU read lock itself.
 * Return: a referenced pid (drop it with kcore_put_pid()), or NULL.
 */
KCORE_API struct kcore_pid *kcore_find_get_pid(int nr, struct kcore_pid_namespace *ns);

/**
 * kcore_next_pidmap() - the next reserved number after @last.
 * @ns: the namespace.
 * @last: where to start (exclusive).
 *
 * Scans the bitmap pages lock-free.  A set bit means reserved, not
 * necessarily published.  Bounds-checked (unlike v2.6.24: CVE-2011-1593):
 * @last at or above KCORE_PID_MAX_LIMIT gives -1.
 *
 * Context: any.
 * Return: the smallest reserved number above @last, -1 when there is none,
 * -EINVAL for a NULL @ns.
 */
KCORE_API int kcore_next_pidmap(struct kcore_pid_namespace *ns, unsigned int last);

/**
 * kcore_find_ge_pid() - the first published pid at or above @nr.
 * @nr: where to start.
 * @ns: the namespace.
 *
 * The /proc readdir primitive: walking with nr = found + 1 returns every
 * pid that exists for the whole walk exactly once, in ascending order,
 * whatever is allocated or freed meanwhile.
 *
 * Context: the caller holds kcore_rcu_read_lock().
 * Return: the pid, or NULL when there is none (or @ns is NULL).
 */
KCORE_API struct kcore_pid *kcore_find_ge_pid(int nr, struct kcore_pid_namespace *ns);

/* ---- tasks ----------------------------------------------------------- */

/**
 * kcore_task_fork() - copy_process(): a new task.
 * @parent: the forking task ("current").
 * @clone_flags: KCORE_CLONE_* flags.
 * @set_tid: clone3's set_tid (innermost level first), or NULL.
 * @set_tid_size: its entries.
 *
 * The child gets a pid in the parent's namespace for children (a new
 * namespace with KCORE_CLONE_NEWPID, whose first task is pid 1 and its
 * child reaper) and in every ancestor.  A process joins its parent's
 * process group and session; KCORE_CLONE_THREAD makes a thread of the
 * parent's group (same tgid, pgrp, session); KCORE_CLONE_PARENT gives it
 * the parent's parent.  The child's comm is the parent's.  The child's mm:
 * with KCORE_CLONE_VM the parent's, shared (none from the swapper: a
 * kernel thread); otherwise a copy-on-write duplicate of the parent's
 * (kcore_dup_mm()), or a new empty mm when the parent has none (KCORE: the
 * kernel's first process gets its mm at exec).
 *
 * Context: any; takes the tasklist and pidmap locks.
 * Return: the child (valid until released, see the top of this file), or
 * KCORE_ERR_PTR() of: -EINVAL for a NULL @parent, unknown flags,
 * KCORE_CLONE_THREAD without KCORE_CLONE_SIGHAND or SIGHAND without
 * KCORE_CLONE_VM, THREAD with NEWPID or after kcore_task_unshare(),
 * NEWPID after kcore_task_unshare(), CLONE_PARENT from a namespace's init,
 * @set_tid_size above KCORE_MAX_PID_NS_LEVEL or a @set_tid/@set_tid_size
 * mismatch, and every set_tid error of kcore_alloc_pid(); -ESRCH when
 * @parent has exited; -ENOSPC for a 33rd namespace level; -EEXIST,
 * -EAGAIN as kcore_alloc_pid(); -ENOMEM when memory runs out or the target
 * namespace is dead.
 */
KCORE_API struct kcore_task_struct *kcore_task_fork(struct kcore_task_struct *parent,
						    unsigned long clone_flags,
						    const int *set_tid, size_t set_tid_size);

/**
 * kcore_task_exit() - do_exit(): the task stops running.
 * @t: the task.
 * @code: exit status (the low 8 bits, as exit(2)).
 *
 * Its children are reparented to a live thread of its group, else to its
 * namespace's child reaper.  A process becomes a zombie until
 * kcore_task_reap(); a thread that is not its group's leader is released
 * at once.  When the namespace's init exits (its last thread), allocation
 * in the namespace stops (later forks into it get -ENOMEM) and every other
 * task in it is killed and reaped (zap_pid_ns_processes()).
 *
 * Context: any; takes the tasklist lock.
 * Return: 0; -EINVAL for NULL or the swapper; -ESRCH when @t has already
 * exited; -EPERM for the initial namespace's init (KCORE: the kernel
 * panics, "Attempted to kill init!", which is logged).
 */
KCORE_API KCORE_MUST_CHECK int kcore_task_exit(struct kcore_task_struct *t, int code);

/**
 * kcore_task_reap() - release_task() of a zombie: what wait(2) does.
 * @t: a zombie process (thread-group leader).
 *
 * Its pids are detached (a pid with no task left is freed: its number is
 * free again) and the task's own reference is dropped.
 *
 * Context: any; takes the tasklist lock.
 * Return: 0; -EINVAL for NULL or the swapper or a non-leader thread;
 * -EBUSY while @t runs or other threads of its group still run; -ESRCH
 * when it was already released.
 */
KCORE_API KCORE_MUST_CHECK int kcore_task_reap(struct kcore_task_struct *t);

/**
 * kcore_task_exec() - de_thread(): the exec'ing thread becomes the process.
 * @t: the task calling execve().
 *
 * Every other thread of the group exits and is released.  When @t is not
 * the leader it takes the leader's pid (so the process keeps its pid and
 * @t's old thread id is freed), becomes the leader with its tgid, process
 * group and session, and the old leader is released.  As exec_mmap()
 * does, @t then runs in a new, empty address space; its old mm loses a
 * user (and goes when it was the last).
 *
 * Context: any; takes the tasklist lock.
 * Return: 0; -EINVAL for NULL or the swapper; -ESRCH when @t has exited;
 * -ENOMEM when the new mm cannot be allocated (nothing changed).
 */
KCORE_API KCORE_MUST_CHECK int kcore_task_exec(struct kcore_task_struct *t);

/**
 * kcore_task_setsid() - setsid(2) called by @t.
 * @t: the calling task.
 *
 * Its process becomes the leader of a new session and a new process group,
 * both numbered with its tgid.
 *
 * Context: any; takes the tasklist lock.
 * Return: the new session id as @t's namespace sees it; -EPERM when the
 * process already leads a session or a process group with that number
 * exists; -EINVAL for NULL or the swapper; -ESRCH when @t has exited.
 */
KCORE_API KCORE_MUST_CHECK int kcore_task_setsid(struct kcore_task_struct *t);

/**
 * kcore_task_setpgid() - setpgid(0, @pgid) called by @t.
 * @t: the calling task.
 * @pgid: the process group in @t's namespace; 0 = its own pid.
 *
 * Context: any; takes the tasklist lock.
 * Return: 0, or as kcore_sys_setpgid().
 */
KCORE_API KCORE_MUST_CHECK int kcore_task_setpgid(struct kcore_task_struct *t, int pgid);

/**
 * kcore_sys_setpgid() - setpgid(@pid, @pgid) called by @caller.
 * @caller: the calling task.
 * @pid: the target process in @caller's namespace; 0 = the caller's.
 * @pgid: the group to move it to; 0 = @pid.
 *
 * The kernel's rules: the target is the caller or one of its children that
 * has not exec'd; both in one session; the target leads no session; the
 * group exists in that session unless @pgid equals @pid.
 *
 * Context: any; takes the tasklist lock.
 * Return: 0; -EINVAL for @pgid < 0, a target that is not a group leader,
 * a NULL or swapper @caller; -ESRCH when no such target or it is neither
 * the caller nor its child (or @caller has exited); -EPERM for a session
 * leader, a child in another session, or a group not in the session;
 * -EACCES for a child that has exec'd.
 */
KCORE_API KCORE_MUST_CHECK int kcore_sys_setpgid(struct kcore_task_struct *caller, int pid, int pgid);

/**
 * kcore_task_unshare() - unshare(2) called by @t.
 * @t: the calling task.
 * @flags: KCORE_CLONE_NEWPID: @t's later children go to a new namespace
 *	(the first of them is its pid 1); @t itself stays where it is.
 *	KCORE_CLONE_THREAD, KCORE_CLONE_SIGHAND, KCORE_CLONE_VM are accepted
 *	for a single-threaded task and change nothing.
 *
 * Context: any; takes the tasklist lock.
 * Return: 0; -EINVAL for NULL, other flags, THREAD/SIGHAND/VM with other
 * threads, or NEWPID a second time before forking; -ENOSPC beyond
 * KCORE_MAX_PID_NS_LEVEL; -ENOMEM; -ESRCH when @t has exited.
 */
KCORE_API KCORE_MUST_CHECK int kcore_task_unshare(struct kcore_task_struct *t, unsigned long flags);

/**
 * kcore_get_task_struct() - take a reference on a task.
 * @t: the task, or NULL.
 *
 * Context: any; the caller holds a reference, the RCU read lock, or knows
 * the task is not released.
 * Return: @t.
 */
KCORE_API struct kcore_task_struct *kcore_get_task_struct(struct kcore_task_struct *t);

/**
 * kcore_put_task_struct() - drop a reference on a task.
 * @t: the task, or NULL.
 *
 * Context: any.
 */
KCORE_API void kcore_put_task_struct(struct kcore_task_struct *t);

/**
 * kcore_task_pid() - the task's thread pid.
 * @t: the task.
 *
 * Context: RCU read lock or a task reference; no reference on the pid.
 * Return: the pid, NULL once released or for NULL.
 */
KCORE_API struct kcore_pid *kcore_task_pid(struct kcore_task_struct *t);

/**
 * kcore_task_tgid() - the task's thread-group pid.
 * @t: the task.
 *
 * Context: as kcore_task_pid().
 * Return: the pid, or NULL.
 */
KCORE_API struct kcore_pid *kcore_task_tgid(struct kcore_task_struct *t);

/**
 * kcore_task_pgrp() - the task's process-group pid.
 * @t: the task.
 *
 * Context: as kcore_task_pid().
 * Return: the pid, or NULL.
 */
KCORE_API struct kcore_pid *kcore_task_pgrp(struct kcore_task_struct *t);

/**
 * kcore_task_session() - the task's session pid.
 * @t: the task.
 *
 * Context: as kcore_task_pid().
 * Return: the pid, or NULL.
 */
KCORE_API struct kcore_pid *kcore_task_session(struct kcore_task_struct *t);

/**
 * kcore_get_task_pid() - one of the task's pids, referenced.
 * @t: the task.
 * @type: which.
 *
 * Context: any.
 * Return: a referenced pid, or NULL (released task, bad arguments).
 */
KCORE_API struct kcore_pid *kcore_get_task_pid(struct kcore_task_struct *t, enum kcore_pid_type type);

/**
 * kcore_pid_task() - the first task attached to a pid as @type.
 * @pid: the pid.
 * @type: which list.
 *
 * NULL for a stale pid (its numbers released) and for bare pids.
 *
 * Context: RCU read lock held.
 * Return: the task, or NULL.
 */
KCORE_API struct kcore_task_struct *kcore_pid_task(struct kcore_pid *pid, enum kcore_pid_type type);

/**
 * kcore_task_pid_nr_ns() - a task's id as a namespace sees it.
 * @t: the task.
 * @type: which id.
 * @ns: the namespace; NULL = the current task's (kcore_set_current()), or
 *	@t's own when no task is current.
 *
 * Context: any.
 * Return: the number, or 0 (not visible, released, bad arguments).
 */
KCORE_API int kcore_task_pid_nr_ns(struct kcore_task_struct *t, enum kcore_pid_type type,
				   struct kcore_pid_namespace *ns);

/**
 * kcore_pid_for_each_task() - visit every task attached to a pid as @type.
 * @pid: the pid (a process group for KCORE_PIDTYPE_PGID, ...).
 * @type: which list; only group leaders are on the TGID, PGID and SID lists.
 * @fn: called for each task; a non-zero return stops the walk.
 * @arg: passed to @fn.
 *
 * @fn runs under the RCU read lock: it may call any function of this
 * header (even exit and reap the task it was given) but must not move a
 * task to another pid of this @type (setsid, setpgid) during the walk, and
 * must not wait for a grace period.
 *
 * Context: any.
 * Return: 0 after visiting every task, the first non-zero value @fn
 * returned, or -EINVAL for bad arguments.
 */
KCORE_API int kcore_pid_for_each_task(struct kcore_pid *pid, enum kcore_pid_type type,
				      int (*fn)(struct kcore_task_struct *t, void *arg), void *arg);

/**
 * kcore_task_real_parent() - the task's parent.
 * @t: the task.
 *
 * Context: RCU read lock held or a reference on @t.
 * Return: the parent (the swapper is its own parent), or NULL for NULL.
 */
KCORE_API struct kcore_task_struct *kcore_task_real_parent(struct kcore_task_struct *t);

/**
 * kcore_task_comm() - the task's command name.
 * @t: the task.
 *
 * Context: a reference on @t.
 * Return: at most 15 characters ("swapper/0" for the swapper), or "" for
 * NULL.
 */
KCORE_API const char *kcore_task_comm(struct kcore_task_struct *t);

/**
 * kcore_task_set_comm() - set the command name.
 * @t: the task.
 * @comm: the name; longer names are truncated to 15 characters.
 *
 * Context: any.
 * Return: 0, or -EINVAL for NULL arguments.
 */
KCORE_API KCORE_MUST_CHECK int kcore_task_set_comm(struct kcore_task_struct *t, const char *comm);

/**
 * kcore_task_mm() - the task's address space.
 * @t: the task.
 *
 * No reference is taken: the mm stays valid while @t runs and has not
 * exec'd or exited (kcore_mmget() it to keep it longer).
 *
 * Context: a reference on @t.
 * Return: the mm, NULL for kernel threads (the swapper, CLONE_VM children
 * of it, exited tasks) and for NULL.
 */
KCORE_API struct kcore_mm_struct *kcore_task_mm(struct kcore_task_struct *t);

/**
 * kcore_task_exit_code() - the status a reaper's wait(2) would see.
 * @t: the task.
 *
 * Context: a reference on @t.
 * Return: (code & 0xff) << 8 after kcore_task_exit(), the signal number
 * for a task killed by its namespace's init exiting, -1 while it runs,
 * -EINVAL for NULL.
 */
KCORE_API int kcore_task_exit_code(struct kcore_task_struct *t);

/**
 * kcore_set_current() - the task the calling thread runs as.
 * @t: the task, or NULL for none.
 *
 * No reference is taken; the thread must not use it once it is freed.
 *
 * Context: the calling thread only.
 */
KCORE_API void kcore_set_current(struct kcore_task_struct *t);

/**
 * kcore_current() - the calling thread's current task.
 *
 * Context: the calling thread only.
 * Return: what kcore_set_current() set, or NULL.
 */
KCORE_API struct kcore_task_struct *kcore_current(void);

/**
 * kcore_send_sig() - make a signal pending on a task.
 * @t: the task.
 * @sig: 1..64; 0 checks only that the task exists.
 *
 * The signal stays pending until kcore_flush_signals(); paths that fail
 * with -EINTR only look at it, as the kernel's do.
 *
 * Context: any.
 * Return: 0, or -EINVAL for NULL or a bad @sig.
 */
KCORE_API KCORE_MUST_CHECK int kcore_send_sig(struct kcore_task_struct *t, int sig);

/**
 * kcore_signal_pending() - whether any signal is pending on @t.
 * @t: the task.
 *
 * Context: any.
 * Return: true when one is; false for NULL.
 */
KCORE_API bool kcore_signal_pending(struct kcore_task_struct *t);

/**
 * kcore_flush_signals() - forget every pending signal of @t.
 * @t: the task, or NULL.
 *
 * Context: any.
 */
KCORE_API void kcore_flush_signals(struct kcore_task_struct *t);

KCORE_END_DECLS

#endif /* KCORE_PID_H */
