// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * printk.c - the kernel log ring.
 *
 * Mirrors what dmesg shows of kernel/printk/printk.c (v6.12): each record
 * is stamped "[%5lu.%06lu] " with the time since boot, records are kept in
 * a ring of 2^CONFIG_LOG_BUF_SHIFT bytes, and when the ring is full the
 * oldest whole records go.  Consoles (here: the sink) see every record.
 * SIM: the ring holds text, not binary records; the level travels to the
 * sink only.
 */
#include <kcore/core.h>

#include "alloc.h"
#include "system.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>

int kcore__printk_init(struct kcore_system *sys)
{
	sys->log.buf = kmalloc(KCORE__LOG_BUF_LEN);
	if (!sys->log.buf)
		return -ENOMEM;
	spin_lock_init(&sys->log.lock);
	sys->log.head = 0;
	sys->log.len = 0;
	return 0;
}

void kcore__printk_exit(struct kcore_system *sys)
{
	spin_lock_destroy(&sys->log.lock);
	kfree(sys->log.buf);
}

/* Drops whole lines from the front until @need more bytes fit. */
static void make_room(struct kcore__printk_ring *r, size_t need)
{
	while (r->len && KCORE__LOG_BUF_LEN - r->len < need) {
		char c;

		do {
			c = r->buf[r->head];
			r->head = (r->head + 1) % KCORE__LOG_BUF_LEN;
			r->len--;
		} while (c != '\n' && r->len);
	}
}

static void ring_append(struct kcore__printk_ring *r, const char *s, size_t n)
{
	make_room(r, n);
	for (size_t i = 0; i < n; i++)
		r->buf[(r->head + r->len + i) % KCORE__LOG_BUF_LEN] = s[i];
	r->len += n;
}

int kcore__vprintk(struct kcore_system *sys, int level, const char *fmt, va_list ap)
{
	char line[KCORE__LOG_LINE_MAX + 32];
	uint64_t ns = kcore_clock_now_ns(sys);
	int stamp, msg;
	size_t n;

	if (level < 0 || level > 7)
		level = KERN_WARNING;
	stamp = snprintf(line, sizeof(line), "[%5lu.%06lu] ", (unsigned long)(ns / 1000000000ull),
			 (unsigned long)(ns % 1000000000ull / 1000));
	msg = vsnprintf(line + stamp, sizeof(line) - (size_t)stamp - 1, fmt, ap);
	if (msg < 0)
		return -EINVAL;
	n = strlen(line);
	while (n > (size_t)stamp && line[n - 1] == '\n')
		line[--n] = '\0';

	spin_lock(&sys->log.lock);
	ring_append(&sys->log, line, n);
	ring_append(&sys->log, "\n", 1);
	spin_unlock(&sys->log.lock);

	if (sys->cfg.log)
		sys->cfg.log(sys->cfg.log_arg, level, line);
	else if (level <= KERN_WARNING)
		fprintf(stderr, "%s\n", line);
	return msg;
}

int kcore_printk(struct kcore_system *sys, int level, const char *fmt, ...)
{
	va_list ap;
	int ret;

	if (!sys || !fmt)
		return -EINVAL;
	va_start(ap, fmt);
	ret = kcore__vprintk(sys, level, fmt, ap);
	va_end(ap);
	return ret;
}

size_t kcore_dmesg(struct kcore_system *sys, char *buf, size_t len)
{
	struct kcore__printk_ring *r;
	size_t n;

	if (!sys)
		return 0;
	r = &sys->log;
	spin_lock(&r->lock);
	if (!buf || !len) {
		n = r->len;
		spin_unlock(&r->lock);
		return n;
	}
	/* Keep the newest whole lines when the buffer is short, as
	   SYSLOG_ACTION_READ_ALL does. */
	size_t skip = r->len - min(r->len, len - 1);
	while (skip && skip < r->len && r->buf[(r->head + skip - 1) % KCORE__LOG_BUF_LEN] != '\n')
		skip++;
	n = r->len - skip;
	for (size_t i = 0; i < n; i++)
		buf[i] = r->buf[(r->head + skip + i) % KCORE__LOG_BUF_LEN];
	buf[n] = '\0';
	spin_unlock(&r->lock);
	return n;
}
