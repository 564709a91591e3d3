/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * core.h - the simulated machine: system, clock, CPUs, kernel log, fault
 * injection and RCU.
 *
 * One struct kcore_system is one simulated machine.  Several may live in one
 * process; they share nothing but the process-wide allocation counter and the
 * RCU domain (one liburcu flavour for the whole process, as one kernel has
 * one RCU).
 *
 * Threads: any thread may call any function without registering first.  RCU
 * reader registration happens on first use and is undone when the thread
 * exits; kcore_thread_register() does it eagerly.
 */
#ifndef KCORE_CORE_H
#define KCORE_CORE_H

#include <kcore/compiler.h>
#include <kcore/err.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

KCORE_BEGIN_DECLS

/** struct kcore_system - one simulated machine (opaque). */
struct kcore_system;

/**
 * enum kcore_clock_mode - how simulated time moves.
 * @KCORE_CLOCK_REAL: simulated time is host CLOCK_MONOTONIC time since
 *	the system was created.
 * @KCORE_CLOCK_SCALED: simulated time runs time_scale times faster than
 *	host time; timers fire accordingly sooner in host time.
 * @KCORE_CLOCK_MANUAL: time moves only by kcore_clock_advance(), which
 *	fires every timer that falls due, in expiry order, at its exact
 *	expiry time.
 */
enum kcore_clock_mode {
	KCORE_CLOCK_REAL,
	KCORE_CLOCK_SCALED,
	KCORE_CLOCK_MANUAL,
};

/**
 * struct kcore_system_config - what the simulated machine looks like.
 * @nr_cpus: simulated CPUs; 0 = 4.  At most KCORE_NR_CPUS_MAX.
 * @nr_pages: simulated RAM in 4 KiB frames; 0 = 65536 (256 MiB).
 * @mmap_min_addr: vm.mmap_min_addr; 0 = 65536 (the kernel default).
 * @pid_max: kernel.pid_max of the init namespace; 0 = 32768.  Must lie in
 *	[max(301, 8 * nr_cpus), 4194304] (the sysctl's bounds).
 * @max_map_count: vm.max_map_count; 0 = 65530.
 * @clock: clock mode; default (0) KCORE_CLOCK_REAL.
 * @time_scale: speed-up for KCORE_CLOCK_SCALED; 0 = 1.
 * @log: kernel log sink called for every line printed, with the level
 *	(0 = KERN_EMERG ... 7 = KERN_DEBUG) and the line without its
 *	trailing newline; NULL = lines of level <= 4 go to stderr.
 * @log_arg: passed to @log.
 *
 * A zero-filled config (or NULL) gives the defaults.
 */
struct kcore_system_config {
	unsigned int nr_cpus;
	unsigned long nr_pages;
	unsigned long mmap_min_addr;
	int pid_max;
	int max_map_count;
	enum kcore_clock_mode clock;
	unsigned int time_scale;
	void (*log)(void *arg, int level, const char *line);
	void *log_arg;
};

/** KCORE_NR_CPUS_MAX - the most simulated CPUs one system can have. */
#define KCORE_NR_CPUS_MAX 256

/**
 * kcore_system_create() - boot a simulated machine.
 * @cfg: the machine; NULL or zero fields give the defaults.
 *
 * Every module is initialised: the init pid namespace and swapper task,
 * simulated RAM, the reference PMU, and so on.
 *
 * Context: any thread; may block.
 * Return: the system, or KCORE_ERR_PTR(-EINVAL) for a config the kernel
 * would refuse (pid_max out of range, unknown clock mode, nr_cpus above
 * KCORE_NR_CPUS_MAX), KCORE_ERR_PTR(-ENOMEM) when an allocation fails.
 */
KCORE_API struct kcore_system *kcore_system_create(const struct kcore_system_config *cfg);

/**
 * kcore_system_destroy() - shut a machine down and free all it owns.
 * @sys: the system, or NULL (nothing happens).
 *
 * Stops its timers, runs every pending RCU callback, tears modules down in
 * reverse order.  No thread may still be inside the system's CPUs or be
 * calling into it.
 *
 * Context: any thread but a timer callback of @sys; blocks.
 */
KCORE_API void kcore_system_destroy(struct kcore_system *sys);

/**
 * kcore_system_get_config() - the effective config, defaults filled in.
 * @sys: the system.
 * @cfg: filled with the values the system runs with.
 *
 * Context: any.
 * Return: 0, or -EINVAL for NULL arguments.
 */
KCORE_API KCORE_MUST_CHECK int kcore_system_get_config(struct kcore_system *sys,
						      struct kcore_system_config *cfg);

/**
 * kcore_num_possible_cpus() - how many simulated CPUs @sys has.
 * @sys: the system.
 *
 * Context: any.
 * Return: the count, or 0 for NULL.
 */
KCORE_API unsigned int kcore_num_possible_cpus(struct kcore_system *sys);

/**
 * kcore_clock_now_ns() - simulated monotonic time.
 * @sys: the system.
 *
 * Context: any.  Never goes backwards.
 * Return: nanoseconds since the system booted (0 for NULL).
 */
KCORE_API uint64_t kcore_clock_now_ns(struct kcore_system *sys);

/**
 * kcore_clock_advance() - move a MANUAL clock forward.
 * @sys: a system whose clock is KCORE_CLOCK_MANUAL.
 * @ns: how far.
 *
 * Timers that fall due are run, in expiry order, with the clock set to
 * their exact expiry time, before the clock lands on now + @ns.  A periodic
 * timer that falls due several times runs several times.
 *
 * Context: any thread but a timer callback of @sys; runs callbacks on the
 * calling thread; serialised against other advances.
 * Return: 0, or -EINVAL when @sys is NULL or its clock is not MANUAL.
 */
KCORE_API KCORE_MUST_CHECK int kcore_clock_advance(struct kcore_system *sys, uint64_t ns);

/**
 * kcore_clock_mode_name() - "real", "scaled" or "manual".
 * @sys: the system.
 *
 * Context: any.
 * Return: a static string; "?" for NULL.
 */
KCORE_API const char *kcore_clock_mode_name(struct kcore_system *sys);

/**
 * kcore_cpu_enter() - make the calling thread run on a simulated CPU.
 * @sys: the system.
 * @cpu: CPU number, below kcore_num_possible_cpus().
 *
 * One thread per CPU at a time.  The thread stays there until
 * kcore_cpu_leave() or until it exits.
 *
 * Context: a thread on no simulated CPU.
 * Return: 0; -EINVAL for a bad @sys or @cpu or when the thread is already
 * on a CPU; -EBUSY when another thread runs on @cpu.
 */
KCORE_API KCORE_MUST_CHECK int kcore_cpu_enter(struct kcore_system *sys, unsigned int cpu);

/**
 * kcore_cpu_leave() - leave the simulated CPU the thread runs on.
 *
 * Interrupts held by kcore_local_irq_disable() are delivered first.
 *
 * Context: any; a thread on no CPU does nothing.
 */
KCORE_API void kcore_cpu_leave(void);

/**
 * kcore_smp_processor_id() - the simulated CPU of the calling thread.
 *
 * Inside a timer callback bound to a CPU, that CPU.
 *
 * Context: any.
 * Return: the CPU number, or -1 on no simulated CPU.
 */
KCORE_API int kcore_smp_processor_id(void);

/**
 * kcore_cond_resched() - a scheduling point.
 *
 * Runs the stopper work queued for the thread's CPU (the watchdog's
 * per-CPU kick, for instance) before returning.
 *
 * Context: a thread on a simulated CPU; elsewhere it does nothing.
 */
KCORE_API void kcore_cond_resched(void);

/**
 * kcore_local_irq_disable() - hold the timer interrupts of this CPU.
 *
 * Timers bound to the CPU that fall due meanwhile are delivered by
 * kcore_local_irq_enable().  Like the kernel's, it does not nest.
 *
 * Context: a thread on a simulated CPU; elsewhere it does nothing.
 */
KCORE_API void kcore_local_irq_disable(void);

/**
 * kcore_local_irq_enable() - deliver held interrupts and let new ones in.
 *
 * Context: a thread on a simulated CPU; elsewhere it does nothing.
 */
KCORE_API void kcore_local_irq_enable(void);

/**
 * kcore_irqs_disabled() - whether this CPU's interrupts are held.
 *
 * Context: any.
 * Return: true between kcore_local_irq_disable() and enable.
 */
KCORE_API bool kcore_irqs_disabled(void);

/**
 * kcore_printk() - print a line into the system's kernel log.
 * @sys: the system.
 * @level: 0 (KERN_EMERG) ... 7 (KERN_DEBUG); out-of-range values are
 *	clamped to 4 (the kernel's default message level).
 * @fmt: printf format.
 *
 * The line is stamped with simulated time as dmesg prints it
 * ("[    1.000000] text") and passed to the log sink.
 *
 * Context: any, including timer callbacks.
 * Return: the number of characters of the message (not of the stamp), or
 * -EINVAL for NULL arguments.
 */
KCORE_API int kcore_printk(struct kcore_system *sys, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/**
 * kcore_dmesg() - copy the kernel log ring.
 * @sys: the system.
 * @buf: destination; NULL with @len 0 asks for the size.
 * @len: size of @buf.
 *
 * Lines appear oldest first, each with its stamp and a newline.  When the
 * ring (128 KiB, CONFIG_LOG_BUF_SHIFT=17) has wrapped, the oldest whole
 * lines are gone.
 *
 * Context: any.
 * Return: bytes copied, not counting the NUL; with @buf NULL or @len 0, the
 * bytes the whole log needs (not counting the NUL).
 */
KCORE_API size_t kcore_dmesg(struct kcore_system *sys, char *buf, size_t len);

/**
 * kcore_fail_nth() - fail one future allocation of this thread.
 * @n: 1 = the next allocation fails, 2 = the one after, ...; 0 = off.
 *
 * Every allocation libkcore makes goes through one wrapper, so every
 * -ENOMEM path can be reached this way (the kernel's fail-nth).
 *
 * Context: affects the calling thread only.
 */
KCORE_API void kcore_fail_nth(unsigned int n);

/**
 * kcore_fail_nth_pending() - whether the armed failure has not fired yet.
 *
 * Context: the calling thread's injection state.
 * Return: true while an armed kcore_fail_nth() has not been consumed.
 */
KCORE_API bool kcore_fail_nth_pending(void);

/**
 * kcore_alloc_outstanding() - live libkcore allocations, process-wide.
 *
 * Context: any; a snapshot.  Callbacks queued with call_rcu still own
 * memory: kcore_rcu_barrier() first for an exact leak check.
 * Return: the count.
 */
KCORE_API unsigned long kcore_alloc_outstanding(void);

/**
 * kcore_warn_count() - how many WARN_ON()s fired in this process.
 *
 * Context: any.
 * Return: the count.  A test that expects none asserts it stays put.
 */
KCORE_API unsigned long kcore_warn_count(void);

/**
 * kcore_version() - the library version.
 *
 * Context: any.
 * Return: "MAJOR.MINOR.PATCH", static.
 */
KCORE_API const char *kcore_version(void);

/**
 * kcore_rcu_flavor_name() - which liburcu flavour the library uses.
 *
 * Context: any.
 * Return: "memb" (static).
 */
KCORE_API const char *kcore_rcu_flavor_name(void);

/**
 * kcore_thread_register() - register the calling thread as an RCU reader.
 *
 * Optional: every libkcore entry point registers on first use.  Nested
 * calls are counted.
 *
 * Context: outside any read-side critical section.
 * Return: 0.
 */
KCORE_API KCORE_MUST_CHECK int kcore_thread_register(void);

/**
 * kcore_thread_unregister() - undo kcore_thread_register().
 *
 * The last call unregisters the reader; a thread that exits is
 * unregistered automatically.
 *
 * Context: outside any read-side critical section.
 */
KCORE_API void kcore_thread_unregister(void);

/**
 * kcore_rcu_read_lock() - enter an RCU read-side critical section.
 *
 * Nests.  Objects found under it stay valid until the matching unlock.
 *
 * Context: any thread; must not block on kcore_synchronize_rcu() inside.
 */
KCORE_API void kcore_rcu_read_lock(void);

/** kcore_rcu_read_unlock() - leave an RCU read-side critical section. */
KCORE_API void kcore_rcu_read_unlock(void);

/**
 * kcore_synchronize_rcu() - wait for a grace period.
 *
 * Context: outside any read-side critical section; blocks.
 */
KCORE_API void kcore_synchronize_rcu(void);

/**
 * kcore_rcu_barrier() - wait until every queued RCU callback has run.
 *
 * Context: outside any read-side critical section and outside RCU
 * callbacks; blocks.
 */
KCORE_API void kcore_rcu_barrier(void);

KCORE_END_DECLS

#endif /* KCORE_CORE_H */
