// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_task_mm.c - what fork, exec and exit do to a task's address space
 * (pid module wired to the vm module through <kcore/vm.h>).
 */
#include "kctest.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#define PROT_RW (PROT_READ | PROT_WRITE)
#define THREAD_FLAGS (KCORE_CLONE_VM | KCORE_CLONE_SIGHAND | KCORE_CLONE_THREAD)

static struct kcore_task_struct *fork_ok(struct kcore_task_struct *parent, unsigned long flags)
{
	struct kcore_task_struct *c = kcore_task_fork(parent, flags, NULL, 0);

	assert_false(KCORE_IS_ERR_OR_NULL(c));
	return c;
}

static void finish(struct kcore_task_struct *t)
{
	assert_int_equal(kcore_task_exit(t, 0), 0);
	assert_int_equal(kcore_task_reap(t), 0);
}

static void test_pid_task_mm__fork_exec_exit(void **state)
{
	struct kcore_system *sys = kctest_sys(state);
	struct kcore_task_struct *sw = kcore_init_task(sys), *init, *child, *thread, *kthread;
	struct kcore_mm_struct *mm, *cmm;
	struct kcore_mm_stats st;
	char buf[8] = { 0 };
	long addr;

	assert_null(kcore_task_mm(sw));
	/* From the swapper: a new empty mm (KCORE: the kernel's comes at exec). */
	init = fork_ok(sw, 0);
	mm = kcore_task_mm(init);
	assert_non_null(mm);
	kcore_mm_get_stats(mm, &st);
	assert_int_equal(st.total_vm, 0);
	/* CLONE_VM from the swapper: a kernel thread, no mm. */
	kthread = fork_ok(sw, KCORE_CLONE_VM);
	assert_null(kcore_task_mm(kthread));

	addr = kcore_mmap(mm, 0, 4096, PROT_RW, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
	assert_true(addr > 0);
	assert_int_equal(kcore_copy_to_user(mm, (unsigned long)addr, "parent", 7), 0);

	/* A thread shares the mm; a child gets a copy-on-write duplicate. */
	thread = fork_ok(init, THREAD_FLAGS);
	assert_ptr_equal(kcore_task_mm(thread), mm);
	child = fork_ok(init, 0);
	cmm = kcore_task_mm(child);
	assert_non_null(cmm);
	assert_ptr_not_equal(cmm, mm);
	assert_int_equal(kcore_copy_from_user(cmm, buf, (unsigned long)addr, 7), 0);
	assert_string_equal(buf, "parent");
	assert_int_equal(kcore_copy_to_user(cmm, (unsigned long)addr, "child!", 7), 0);
	assert_int_equal(kcore_copy_from_user(mm, buf, (unsigned long)addr, 7), 0);
	assert_string_equal(buf, "parent");

	/* exec: a fresh, empty address space; the old one keeps its other users. */
	kcore_get_task_struct(init); /* exec releases the old leader */
	assert_int_equal(kcore_task_exec(thread), 0);
	assert_non_null(kcore_task_mm(thread));
	assert_ptr_not_equal(kcore_task_mm(thread), mm);
	kcore_mm_get_stats(kcore_task_mm(thread), &st);
	assert_int_equal(st.total_vm, 0);
	/* thread became the leader of init's group: init itself exited. */
	assert_null(kcore_task_mm(init));
	kcore_put_task_struct(init);
	/* The child's copy survived the parent's exec. */
	assert_int_equal(kcore_copy_from_user(cmm, buf, (unsigned long)addr, 7), 0);
	assert_string_equal(buf, "child!");

	kcore_get_task_struct(child);
	finish(child);
	assert_null(kcore_task_mm(child));
	kcore_put_task_struct(child);
	finish(kthread);
}

static void test_pid_task_mm__fork_oom(void **state)
{
	struct kcore_system *sys = kctest_sys(state);
	struct kcore_task_struct *sw = kcore_init_task(sys), *init, *c = NULL;
	struct kcore_mm_struct *mm;
	long addr;
	unsigned int n;
	int r;

	init = fork_ok(sw, 0);
	mm = kcore_task_mm(init);
	addr = kcore_mmap(mm, 0, 8 * 4096, PROT_RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
			  NULL, 0);
	assert_true(addr > 0);
	KCTEST_OOM_SWEEP(n, c = kcore_task_fork(init, 0, NULL, 0),
			 {
				 assert_true(KCORE_IS_ERR(c));
				 assert_int_equal(KCORE_PTR_ERR(c), -ENOMEM);
			 },
			 { assert_false(KCORE_IS_ERR_OR_NULL(c)); });
	assert_non_null(kcore_task_mm(c));
	mm = kcore_task_mm(c);
	KCTEST_OOM_SWEEP(n, r = kcore_task_exec(c),
			 {
				 assert_int_equal(r, -ENOMEM);
				 assert_ptr_equal(kcore_task_mm(c), mm); /* untouched */
			 },
			 { assert_int_equal(r, 0); });
	assert_ptr_not_equal(kcore_task_mm(c), mm);
	finish(c);
}

#define SYS_TEST(fn) cmocka_unit_test_setup_teardown(fn, kctest_sys_setup, kctest_sys_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		SYS_TEST(test_pid_task_mm__fork_exec_exit),
		SYS_TEST(test_pid_task_mm__fork_oom),
	};
	return cmocka_run_group_tests_name("pid.task_mm", tests, NULL, NULL);
}
