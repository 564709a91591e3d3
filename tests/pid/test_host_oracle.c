// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_host_oracle.c - the host kernel as the oracle for allocation order.
 *
 * A child process unshares CLONE_NEWPID and forks the new namespace's
 * pid 1, which runs a script of forks, reaps, ns_last_pid writes and (when
 * the host has per-namespace pid_max, v6.14+) pid_max writes, and reports
 * every number and errno it got.  Nobody else allocates in that namespace,
 * so the sequence is deterministic.  The same script then runs against
 * libkcore (a task unshares, its first child is the namespace's init) and
 * the two sequences must be equal.
 *
 * Skips (cmocka skip()) when not root or when unshare() fails (containers
 * with seccomp).  The host part runs before libkcore starts any thread, and
 * the oracle processes create none (a thread would take a pid).
 */
#include "kctest.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum op_kind { OP_FORK_REAP, OP_FORK_KEEP, OP_REAP_KEPT, OP_SET_LAST, OP_SET_PID_MAX };

struct op {
	enum op_kind kind;
	int arg;
};

#define MAX_OPS 600
#define MAX_KEPT 32

struct script {
	int nops;
	struct op ops[MAX_OPS];
};

/* ---- host side ---------------------------------------------------------- */

static int write_sysctl(const char *path, int v)
{
	char buf[32];
	int fd = open(path, O_WRONLY), n, err = 0;

	if (fd < 0)
		return -errno;
	n = snprintf(buf, sizeof(buf), "%d", v);
	if (write(fd, buf, (size_t)n) != n)
		err = -errno;
	close(fd);
	return err;
}

static int read_sysctl(const char *path)
{
	char buf[32] = { 0 };
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? atoi(buf) : -EIO;
}

/* Runs as pid 1 of the fresh namespace; writes one int per op. */
static void host_init(const struct script *s, int out)
{
	pid_t kept[MAX_KEPT];
	int nkept = 0;

	for (int i = 0; i < s->nops; i++) {
		const struct op *op = &s->ops[i];
		int r = 0;
		pid_t c;

		switch (op->kind) {
		case OP_FORK_REAP:
		case OP_FORK_KEEP:
			c = fork();
			if (c == 0) {
				if (op->kind == OP_FORK_KEEP)
					for (;;)
						pause();
				_exit(0);
			}
			r = c < 0 ? -errno : c;
			if (c > 0 && op->kind == OP_FORK_REAP)
				waitpid(c, NULL, 0);
			else if (c > 0)
				kept[nkept++] = c;
			break;
		case OP_REAP_KEPT:
			if (op->arg < nkept) {
				kill(kept[op->arg], SIGKILL);
				waitpid(kept[op->arg], NULL, 0);
				kept[op->arg] = kept[--nkept];
			}
			break;
		case OP_SET_LAST:
			r = write_sysctl("/proc/sys/kernel/ns_last_pid", op->arg);
			break;
		case OP_SET_PID_MAX:
			r = write_sysctl("/proc/sys/kernel/pid_max", op->arg);
			break;
		}
		if (write(out, &r, sizeof(r)) != sizeof(r))
			_exit(3);
	}
	while (nkept) {
		kill(kept[--nkept], SIGKILL);
		waitpid(kept[nkept], NULL, 0);
	}
	_exit(0);
}

/* 0 = ran; 1 = skip (unshare refused). */
static int run_on_host(const struct script *s, int *res)
{
	int pfd[2], status = 0;
	pid_t h;
	size_t got = 0, want = (size_t)s->nops * sizeof(int);

	if (pipe(pfd))
		return 1;
	h = fork();
	if (h == 0) {
		pid_t init;

		close(pfd[0]);
		if (unshare(CLONE_NEWPID))
			_exit(42);
		init = fork();
		if (init == 0)
			host_init(s, pfd[1]);
		waitpid(init, &status, 0);
		_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 4);
	}
	close(pfd[1]);
	while (got < want) {
		ssize_t n = read(pfd[0], (char *)res + got, want - got);

		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(pfd[0]);
	waitpid(h, &status, 0);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 42)
		return 1;
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(got, want);
	return 0;
}

/* Whether the host has per-namespace pid_max (a child reads 4194304). */
static bool host_pidns_pid_max(void)
{
	int pfd[2], v = 0, status;
	pid_t h;

	if (pipe(pfd))
		return false;
	h = fork();
	if (h == 0) {
		if (unshare(CLONE_NEWPID))
			_exit(1);
		pid_t c = fork();

		if (c == 0) {
			int r = read_sysctl("/proc/sys/kernel/pid_max");

			_exit(write(pfd[1], &r, sizeof(r)) == sizeof(r) ? 0 : 1);
		}
		waitpid(c, &status, 0);
		_exit(0);
	}
	waitpid(h, &status, 0);
	if (read(pfd[0], &v, sizeof(v)) != sizeof(v))
		v = 0;
	close(pfd[0]);
	close(pfd[1]);
	return v == 4194304 && read_sysctl("/proc/sys/kernel/pid_max") != 4194304;
}

/* ---- libkcore side ------------------------------------------------------ */

static void run_on_kcore(const struct script *s, int *res)
{
	struct kcore_system_config cfg = { .clock = KCORE_CLOCK_MANUAL, .nr_cpus = 2 };
	struct kcore_system *sys = kcore_system_create(&cfg);
	struct kcore_task_struct *p, *init, *kept[MAX_KEPT];
	struct kcore_pid_namespace *ns;
	int nkept = 0;

	assert_false(KCORE_IS_ERR(sys));
	p = kcore_task_fork(kcore_init_task(sys), 0, NULL, 0);
	assert_false(KCORE_IS_ERR(p));
	assert_int_equal(kcore_task_unshare(p, KCORE_CLONE_NEWPID), 0);
	init = kcore_task_fork(p, 0, NULL, 0);
	assert_false(KCORE_IS_ERR(init));
	ns = kcore_task_active_pid_ns(init);
	assert_int_equal(kcore_task_pid_nr_ns(init, KCORE_PIDTYPE_PID, ns), 1);
	for (int i = 0; i < s->nops; i++) {
		const struct op *op = &s->ops[i];
		struct kcore_task_struct *c;
		int r = 0;

		switch (op->kind) {
		case OP_FORK_REAP:
		case OP_FORK_KEEP:
			c = kcore_task_fork(init, 0, NULL, 0);
			if (KCORE_IS_ERR(c)) {
				r = (int)KCORE_PTR_ERR(c);
				break;
			}
			r = kcore_task_pid_nr_ns(c, KCORE_PIDTYPE_PID, ns);
			if (op->kind == OP_FORK_KEEP) {
				kept[nkept++] = c;
				break;
			}
			assert_int_equal(kcore_task_exit(c, 0), 0);
			assert_int_equal(kcore_task_reap(c), 0);
			break;
		case OP_REAP_KEPT:
			if (op->arg < nkept) {
				c = kept[op->arg];
				assert_int_equal(kcore_task_exit(c, 0), 0);
				assert_int_equal(kcore_task_reap(c), 0);
				kept[op->arg] = kept[--nkept];
			}
			break;
		case OP_SET_LAST:
			r = kcore_pid_ns_set_last_pid(ns, op->arg);
			break;
		case OP_SET_PID_MAX:
			r = kcore_pid_ns_set_pid_max(ns, op->arg);
			break;
		}
		res[i] = r;
	}
	kcore_system_destroy(sys);
}

/* ---- scripts ------------------------------------------------------------ */

static void add(struct script *s, enum op_kind k, int arg)
{
	assert_true(s->nops < MAX_OPS);
	s->ops[s->nops++] = (struct op){ k, arg };
}

static void build_script(struct script *s, bool pid_max, uint64_t seed)
{
	int kept = 0;

	s->nops = 0;
	for (int i = 0; i < 3; i++)
		add(s, OP_FORK_REAP, 0);
	add(s, OP_FORK_KEEP, 0);
	add(s, OP_FORK_KEEP, 0);
	kept = 2;
	add(s, OP_SET_LAST, 100);
	add(s, OP_FORK_REAP, 0);
	add(s, OP_SET_LAST, 4);
	add(s, OP_FORK_REAP, 0);
	add(s, OP_REAP_KEPT, 0);
	kept--;
	add(s, OP_SET_LAST, 4);
	add(s, OP_FORK_REAP, 0);
	add(s, OP_SET_LAST, -1);        /* EINVAL */
	add(s, OP_SET_LAST, 4194305);   /* EINVAL */
	if (pid_max) {
		add(s, OP_SET_PID_MAX, 300);  /* EINVAL: below the minimum */
		add(s, OP_SET_PID_MAX, 400);
		add(s, OP_SET_LAST, 401);     /* EINVAL: above pid_max */
		add(s, OP_SET_LAST, 398);
		add(s, OP_FORK_REAP, 0);      /* 399 */
		add(s, OP_FORK_REAP, 0);      /* wraps to 300 */
		add(s, OP_FORK_REAP, 0);      /* 301 */
		add(s, OP_SET_LAST, 399);
		add(s, OP_FORK_REAP, 0);      /* 300 again */
		add(s, OP_SET_LAST, 299);
		add(s, OP_FORK_KEEP, 0);      /* 300 */
		kept++;
		add(s, OP_SET_LAST, 399);
		add(s, OP_FORK_REAP, 0);      /* 301: 300 is taken */
	}
	/* A seeded random tail. */
	for (int i = 0; i < 150 && s->nops < MAX_OPS - 40; i++) {
		uint64_t r = kctest_rand(&seed) % 100;

		if (r < 45) {
			add(s, OP_FORK_REAP, 0);
		} else if (r < 70 && kept < MAX_KEPT - 1) {
			add(s, OP_FORK_KEEP, 0);
			kept++;
		} else if (r < 88 && kept) {
			add(s, OP_REAP_KEPT, (int)(kctest_rand(&seed) % (uint64_t)kept));
			kept--;
		} else if (r < 96) {
			add(s, OP_SET_LAST, (int)(kctest_rand(&seed) % 60));
		} else if (pid_max) {
			add(s, OP_SET_LAST, 380 + (int)(kctest_rand(&seed) % 25));
		}
	}
}

static void test_pid_host_oracle__allocation_sequences(void **state)
{
	static struct script s;
	static int host[MAX_OPS], sim[MAX_OPS];
	bool pid_max;
	int diffs = 0;

	(void)state;
#if defined(__SANITIZE_THREAD__)
	/* TSan's runtime starts a thread in forked children: each takes a pid. */
	fprintf(stderr, "host oracle: ThreadSanitizer build, skipped\n");
	skip();
#endif
	if (geteuid() != 0) {
		fprintf(stderr, "host oracle: not root, skipped\n");
		skip();
	}
	pid_max = host_pidns_pid_max();
	for (int round = 0; round < 3; round++) {
		build_script(&s, pid_max, kctest_seed() + (uint64_t)round);
		if (run_on_host(&s, host)) {
			fprintf(stderr, "host oracle: unshare(CLONE_NEWPID) refused, skipped\n");
			skip();
		}
		run_on_kcore(&s, sim);
		for (int i = 0; i < s.nops; i++) {
			if (host[i] != sim[i] && diffs++ < 10)
				fprintf(stderr, "round %d op %d (kind %d arg %d): host %d, libkcore %d\n",
					round, i, s.ops[i].kind, s.ops[i].arg, host[i], sim[i]);
		}
	}
	fprintf(stderr, "host oracle: %d ops x 3 rounds compared, per-namespace pid_max %s\n", s.nops,
		pid_max ? "yes" : "no");
	assert_int_equal(diffs, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pid_host_oracle__allocation_sequences),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
