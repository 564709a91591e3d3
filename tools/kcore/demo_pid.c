// SPDX-License-Identifier: LGPL-2.1-or-later
/* demo_pid.c - `kcore demo pid`: a fork tree, a nested namespace, readdir. */
#include <kcore/kcore.h>

#include "demo.h"
#include <errno.h>
#include <string.h>

static int nr_in(struct kcore_task_struct *t, struct kcore_pid_namespace *ns)
{
	return kcore_task_pid_nr_ns(t, KCORE_PIDTYPE_PID, ns);
}

static struct kcore_task_struct *spawn(struct kcore_task_struct *parent, unsigned long flags,
				       const char *comm)
{
	struct kcore_task_struct *t = kcore_task_fork(parent, flags, NULL, 0);

	if (!KCORE_IS_ERR(t) && kcore_task_set_comm(t, comm))
		return NULL;
	return KCORE_IS_ERR(t) ? NULL : t;
}

static void show_log(void *arg, int level, const char *line)
{
	(void)arg;
	if (level <= 4)
		printf("  log<%d> %s\n", level, line);
}

int demo_pid(void)
{
	struct kcore_system_config cfg = { .clock = KCORE_CLOCK_MANUAL, .log = show_log };
	struct kcore_system *sys = kcore_system_create(&cfg);
	struct kcore_task_struct *sw, *init, *shell, *job, *thr, *cinit, *worker;
	struct kcore_pid_namespace *root, *cns;
	struct kcore_pid *p;
	int bad = 0, n, last;

	if (KCORE_IS_ERR(sys))
		return demo_check(0, "kcore_system_create: %s", kcore_strerror((int)KCORE_PTR_ERR(sys)));
	sw = kcore_init_task(sys);
	root = kcore_init_pid_ns(sys);

	printf("A fork tree.  The swapper is pid 0; its first child is pid 1 (init).\n");
	init = spawn(sw, 0, "init");
	bad |= demo_check(init && nr_in(init, root) == 1, "init is pid %d", nr_in(init, root));
	bad |= demo_check(kcore_task_setsid(init) == 1, "init runs setsid(): session 1, group 1");
	shell = spawn(init, 0, "sh");
	job = spawn(shell, 0, "make");
	n = kcore_task_setpgid(job, 0);
	bad |= demo_check(n == 0 && kcore_pid_nr(kcore_task_pgrp(job)) == nr_in(job, root),
			  "sh (pid %d) forks make (pid %d), which makes its own process group %d",
			  nr_in(shell, root), nr_in(job, root), kcore_pid_nr(kcore_task_pgrp(job)));
	thr = spawn(job, KCORE_CLONE_VM | KCORE_CLONE_SIGHAND | KCORE_CLONE_THREAD, "make-thr");
	bad |= demo_check(thr && kcore_pid_nr(kcore_task_tgid(thr)) == nr_in(job, root),
			  "make starts a thread: tid %d, tgid %d", nr_in(thr, root),
			  kcore_pid_nr(kcore_task_tgid(thr)));
	last = nr_in(thr, root);
	n = kcore_task_exec(thr);
	bad |= demo_check(n == 0 && kcore_task_set_comm(thr, "cc") == 0 &&
			  nr_in(thr, root) == kcore_pid_nr(kcore_task_tgid(thr)),
			  "the thread calls execve(\"cc\"): de_thread() gives it the process's pid %d (tid %d is free)",
			  nr_in(thr, root), last);
	job = thr;
	n = kcore_task_exit(shell, 0);
	bad |= demo_check(n == 0 && kcore_task_real_parent(job) == init,
			  "sh exits: cc is reparented to init");
	bad |= demo_check(kcore_task_reap(shell) == 0, "init reaps the zombie sh; its pid is free again");

	printf("A container: clone(CLONE_NEWPID) from init.\n");
	cinit = spawn(init, KCORE_CLONE_NEWPID, "container-init");
	cns = kcore_task_active_pid_ns(cinit);
	bad |= demo_check(cinit && kcore_pid_ns_level(cns) == 1 && nr_in(cinit, cns) == 1,
			  "its first task is pid 1 inside (level %u), pid %d outside",
			  kcore_pid_ns_level(cns), nr_in(cinit, root));
	worker = spawn(cinit, 0, "worker");
	bad |= demo_check(nr_in(worker, cns) == 2 && nr_in(init, cns) == 0,
			  "a worker is pid %d inside and %d outside; the host's init is invisible inside (0)",
			  nr_in(worker, cns), nr_in(worker, root));
	bad |= demo_check(kcore_task_exit(cinit, 0) == 0, "the container's init exits...");
	p = kcore_alloc_pid(cns, NULL, 0);
	bad |= demo_check(KCORE_IS_ERR(p) && KCORE_PTR_ERR(p) == -ENOMEM,
			  "...its worker is killed and reaped, and the namespace takes no new pid (ENOMEM)");
	bad |= demo_check(kcore_task_reap(cinit) == 0, "init reaps the container's init");

	printf("Allocation order: ns_last_pid, and the wrap to %d.\n", KCORE_RESERVED_PIDS);
	bad |= demo_check(kcore_pid_ns_set_last_pid(root, 32766) == 0, "echo 32766 > ns_last_pid");
	p = kcore_alloc_pid(root, NULL, 0);
	n = kcore_pid_nr(p);
	kcore_free_pid(p);
	p = kcore_alloc_pid(root, NULL, 0);
	last = kcore_pid_nr(p);
	kcore_free_pid(p);
	bad |= demo_check(n == 32767 && last == 300, "the next pids are %d, then %d", n, last);

	printf("A readdir walk of /proc (find_ge_pid from 1 upwards):\n  ");
	n = 1;
	for (;;) {
		struct kcore_task_struct *t;

		kcore_rcu_read_lock();
		p = kcore_find_ge_pid(n, root);
		t = kcore_pid_task(p, KCORE_PIDTYPE_TGID);
		if (p)
			n = kcore_pid_nr(p);
		if (t)
			printf("%d:%s ", n, kcore_task_comm(t));
		kcore_rcu_read_unlock();
		if (!p)
			break;
		n++;
	}
	printf("\n");
	bad |= demo_check(kcore_task_exit(init, 0) == -EPERM,
			  "and init itself cannot exit (the kernel would panic)");
	kcore_system_destroy(sys);
	return bad;
}
