// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_oracle.c - differential oracle: the host kernel against libkcore.
 *
 * Random sequences of mmap (anonymous, or of a memfd), munmap, mprotect,
 * mremap, mlock, mlock2, munlock, mlockall(MCL_FUTURE), munlockall,
 * madvise, writes and ftruncate run twice:
 * on the host kernel, in a forked child, inside a fixed window of WIN
 * pages; and on a fresh kcore mm holding the same window at the same
 * absolute addresses.  A second run drops the child's capabilities and
 * sets RLIMIT_MEMLOCK to 6 pages on both sides.  Compared (reliability.md
 * 3.3 / 4.1 / 7.1):
 *   - every call's return value / errno; addresses as window offsets, an
 *     address outside the window as "OUT" (that mapping is then unmapped
 *     on both sides, so placement policy far away does not matter);
 *   - bytes written (on the host the kernel's own copy_to_user: read()
 *     from a pipe into the window, page by page; kcore_copy_to_user on
 *     libkcore), incl. MAP_GROWSDOWN growth;
 *   - the final layout of the window (VMA boundaries, perms, and the
 *     VmFlags bits lo/lf/sr/rr/ac/nr/mr/mw/me/ms from the host smaps);
 *   - locked_vm, total_vm, data_vm, exec_vm, stack_vm (host VmLck, VmSize,
 *     VmData, VmLib, VmStk deltas), rss of the window (sum of smaps Rss; zero-page
 *     mappings excluded on both sides);
 *   - each maps line in the window (dev/inode masked: the offset, and for
 *     anonymous memory the exact text);
 *   - a hash of every readable page.
 * The host window is reserved with a PROT_NONE mapping whose guard pages
 * on both sides are unmapped, so nothing outside can merge with it, and
 * the child performs no allocation between operations (raw syscalls, raw
 * reads of procfs into static buffers).
 *
 * Seeded (KCORE_TEST_SEED), bounded (KCORE_ORACLE_SEQS sequences, default
 * 300 + 150 x scale, of KCORE_ORACLE_OPS = 30 ops).  On a divergence the
 * sequence is minimised (ops removed one at a time while the divergence
 * stays) and printed with a replay line.  Known divergences: see
 * kd_trigger() and tests/vm/KNOWN_DIVERGENCES.md.  Skips without fork().
 */
#include "kctest.h"

#include <kcore/vm.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include "mman_compat.h"
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef PROT_SEM
#define PROT_SEM 0x8
#endif
#ifndef CAP_IPC_LOCK
#define CAP_IPC_LOCK 14
#endif

#define PG 4096UL
#define WIN 32                  /* window pages */
#define MAXOPS 64
#define RET_OUT (-100000L)      /* an address outside the window */
#define HOST_BASE0 0x10000000UL /* first window candidate */

/* kernel vm_flags bits, compared between the host smaps and libkcore */
#define F_READ 0x1UL
#define F_WRITE 0x2UL
#define F_EXEC 0x4UL
#define F_SHARED 0x8UL
#define F_MAYREAD 0x10UL
#define F_MAYWRITE 0x20UL
#define F_MAYEXEC 0x40UL
#define F_MAYSHARE 0x80UL
#define F_LOCKED 0x2000UL
#define F_SEQ_READ 0x8000UL
#define F_RAND_READ 0x10000UL
#define F_LOCKONFAULT 0x80000UL
#define F_ACCOUNT 0x100000UL
#define F_NORESERVE 0x200000UL
#define F_MASK (F_READ | F_WRITE | F_EXEC | F_SHARED | F_MAYREAD | F_MAYWRITE | F_MAYEXEC | \
		F_MAYSHARE | F_LOCKED | F_SEQ_READ | F_RAND_READ | F_LOCKONFAULT | F_ACCOUNT | \
		F_NORESERVE)

enum { OP_MMAP, OP_MUNMAP, OP_MPROTECT, OP_MREMAP, OP_MLOCK, OP_MLOCK2, OP_MUNLOCK,
       OP_MADVISE, OP_WRITE, OP_TRUNCATE, OP_MLOCKALL, OP_NR };

#define FILE_PAGES 16           /* the sequence's memfd, initial size */

/* offsets are in bytes relative to the window base, lengths in bytes */
struct op {
	int kind;
	long off;
	unsigned long len;
	unsigned long arg;      /* prot, flags or advice */
	unsigned long arg2;     /* mmap flags / mremap new_len */
	unsigned long arg3;     /* mremap flags */
	long off2;              /* mremap new address offset, or -1 for 0 */
	unsigned long tag;      /* write pattern; truncate: new size */
	int file;               /* mmap: of the sequence's memfd */
	unsigned long pgoff;    /* mmap of the memfd: offset in pages */
};

struct vma_rec {
	long start, end;        /* pages from the base */
	unsigned long flags;
	char line[112];         /* the maps line, dev and inode masked */
};

struct result {
	int setup_err;          /* host: window could not be placed */
	unsigned long base;
	int nops;
	long ret[MAXOPS];
	int nvma;
	int overflow;           /* a VMA crossed the window edge */
	struct vma_rec vma[WIN + 2];
	long locked, total, rss, data, exec, stack;
	int readable[WIN];
	uint64_t hash[WIN];
	int kd_class, kd_op;    /* libkcore side: first known-divergence trigger */
};

static const struct {
	int kind;
	const char *name;
} op_names[] = {
	{ OP_MMAP, "mmap" },       { OP_MUNMAP, "munmap" },   { OP_MPROTECT, "mprotect" },
	{ OP_MREMAP, "mremap" },   { OP_MLOCK, "mlock" },     { OP_MLOCK2, "mlock2" },
	{ OP_MUNLOCK, "munlock" }, { OP_MADVISE, "madvise" }, { OP_WRITE, "write" },
	{ OP_TRUNCATE, "truncate" },
	{ OP_MLOCKALL, "mlockall" },
};

/* ------------------------------------------------------------------ */
/* generator                                                           */

static int limit_mode;          /* see host_drop_caps() */

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#else
#define UNDER_ASAN 0
#endif

static uint64_t rnd(uint64_t *s, uint64_t n)
{
	return n ? kctest_rand(s) % n : 0;
}

static unsigned long gen_prot(uint64_t *s)
{
	static const unsigned long prots[] = {
		PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE, PROT_READ | PROT_WRITE,
		PROT_READ | PROT_EXEC, PROT_WRITE, PROT_READ | PROT_WRITE | PROT_EXEC,
		PROT_READ | PROT_WRITE,
	};
	return prots[rnd(s, sizeof(prots) / sizeof(prots[0]))];
}

/* A page range inside the window; sometimes misaligned or empty. */
static void gen_range(uint64_t *s, long *off, unsigned long *len, unsigned long maxpages)
{
	unsigned long n = 1 + rnd(s, rnd(s, 4) ? 4 : maxpages);
	unsigned long o;

	if (n > WIN)
		n = WIN;
	o = rnd(s, WIN - n + 1);
	*off = (long)(o * PG);
	*len = n * PG;
	switch (rnd(s, 40)) {
	case 0:
		*off += 0x100;          /* misaligned start */
		break;
	case 1:
		*len = 0;
		break;
	case 2:
		*len -= 0x800;          /* unaligned length: rounded up */
		break;
	default:
		break;
	}
}

static void gen_op(uint64_t *s, struct op *o)
{
	unsigned int w = (unsigned int)rnd(s, 100);

	memset(o, 0, sizeof(*o));
	o->off2 = -1;
	if (w < 24) {
		o->kind = OP_MMAP;
		gen_range(s, &o->off, &o->len, WIN / 2);
		o->arg = gen_prot(s);
		o->arg2 = (rnd(s, 10) ? MAP_PRIVATE : MAP_SHARED) | MAP_ANONYMOUS;
		switch (rnd(s, 20)) {
		case 0 ... 8:
			o->arg2 |= MAP_FIXED;
			break;
		case 9 ... 13:
			o->arg2 |= MAP_FIXED_NOREPLACE;
			break;
		default:
			break;          /* a hint */
		}
		if (!rnd(s, 4)) {       /* a mapping of the memfd */
			o->file = 1;
			o->arg2 &= ~(unsigned long)(MAP_ANONYMOUS | MAP_SHARED | MAP_PRIVATE);
			o->arg2 |= rnd(s, 2) ? MAP_SHARED : MAP_PRIVATE;
			o->pgoff = rnd(s, FILE_PAGES - 2);
		}
		if (!o->file && !rnd(s, 16))
			o->arg2 |= MAP_GROWSDOWN;
		if (!rnd(s, 12))
			o->arg2 |= MAP_LOCKED;
		if (!rnd(s, 10))
			o->arg2 |= MAP_POPULATE;
		if (!rnd(s, 20))
			o->arg2 |= MAP_NORESERVE;
	} else if (w < 34) {
		o->kind = OP_MUNMAP;
		gen_range(s, &o->off, &o->len, WIN / 2);
	} else if (w < 48) {
		o->kind = OP_MPROTECT;
		gen_range(s, &o->off, &o->len, WIN);
		o->arg = gen_prot(s);
		if (!rnd(s, 30))
			o->arg |= 0x10;         /* unknown bit: EINVAL */
		else if (!rnd(s, 30))
			o->arg |= PROT_SEM;     /* accepted, no vm flag on x86 */
		else if (!rnd(s, 30))
			o->arg |= PROT_GROWSDOWN; /* EINVAL unless the VMA grows down */
	} else if (w < 62) {
		unsigned long oldp = 1 + rnd(s, 6), newp;
		unsigned int f = (unsigned int)rnd(s, 20);

		o->kind = OP_MREMAP;
		newp = rnd(s, 3) ? 1 + rnd(s, 8) : oldp;
		if (f < 5)
			o->arg3 = 0;
		else if (f < 10)
			o->arg3 = MREMAP_MAYMOVE;
		else if (f < 15)
			o->arg3 = MREMAP_MAYMOVE | MREMAP_FIXED;
		else if (f < 17)
			o->arg3 = MREMAP_MAYMOVE | MREMAP_DONTUNMAP;
		else if (f < 19)
			o->arg3 = MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP;
		else
			o->arg3 = rnd(s, 2) ? MREMAP_FIXED : 8; /* EINVAL */
		if ((o->arg3 & MREMAP_DONTUNMAP) && rnd(s, 5))
			newp = oldp;
		o->off = (long)(rnd(s, WIN - (oldp > newp ? oldp : newp) + 1) * PG);
		o->len = oldp * PG;
		if (!rnd(s, 40))
			o->len = 0;     /* duplicate request: EINVAL on private */
		o->arg2 = newp * PG;
		if (o->arg3 & (MREMAP_FIXED | MREMAP_DONTUNMAP))
			o->off2 = (long)(rnd(s, WIN - newp + 1) * PG);
		if (!rnd(s, 40))
			o->off += 0x80; /* misaligned old address */
	} else if (w < 68) {
		o->kind = OP_MLOCK;
		gen_range(s, &o->off, &o->len, WIN);
	} else if (w < 73) {
		o->kind = OP_MLOCK2;
		gen_range(s, &o->off, &o->len, WIN);
		o->arg = rnd(s, 25) ? (rnd(s, 2) ? MLOCK_ONFAULT : 0) : 2;
	} else if (w < 79) {
		o->kind = OP_MUNLOCK;
		gen_range(s, &o->off, &o->len, WIN);
	} else if (w < 89) {
		static const int adv[] = { MADV_DONTNEED, MADV_WILLNEED, MADV_FREE, MADV_NORMAL,
					   MADV_RANDOM, MADV_SEQUENTIAL, MADV_DONTNEED };

		o->kind = OP_MADVISE;
		gen_range(s, &o->off, &o->len, WIN);
		o->arg = (unsigned long)adv[rnd(s, sizeof(adv) / sizeof(adv[0]))];
		if (!rnd(s, 40))
			o->arg = 1234;  /* unknown advice */
	} else if (w < 92) {
		o->kind = OP_TRUNCATE;
		o->tag = rnd(s, FILE_PAGES + 4) * PG + (rnd(s, 4) ? 0 : 100);
	} else if (w < 93) {
		/* MCL_FUTURE only: MCL_CURRENT would lock the whole test process */
		static const unsigned long fl[] = { MCL_FUTURE, MCL_FUTURE | MCL_ONFAULT, 0, 0,
						    MCL_ONFAULT };
		o->kind = OP_MLOCKALL;
		o->arg = fl[rnd(s, 5)];      /* 0: munlockall(); MCL_ONFAULT alone: EINVAL */
		/* ASan's allocator maps memory in the child: MCL_FUTURE under a
		   6-page RLIMIT_MEMLOCK makes that fail and kills the child */
		if (UNDER_ASAN && limit_mode && (o->arg & MCL_FUTURE))
			o->arg = 0;
	} else {
		o->kind = OP_WRITE;
		o->off = (long)(rnd(s, WIN) * PG);
		o->len = (1 + rnd(s, 4)) * PG;
		if ((unsigned long)o->off + o->len > WIN * PG)
			o->len = WIN * PG - (unsigned long)o->off;
		if (!rnd(s, 8))
			o->off += 24;   /* start inside a page */
		if ((unsigned long)o->off + o->len > WIN * PG)
			o->len -= 24;
		o->tag = 1 + rnd(s, 0xffffff);
	}
}

static void print_op(FILE *f, int i, const struct op *o)
{
	fprintf(f, "  [%2d] %-8s off=%#lx len=%#lx", i, op_names[o->kind].name,
		(unsigned long)o->off, o->len);
	switch (o->kind) {
	case OP_MMAP:
		fprintf(f, " prot=%#lx flags=%#lx", o->arg, o->arg2);
		if (o->file)
			fprintf(f, " memfd pgoff=%lu", o->pgoff);
		break;
	case OP_TRUNCATE:
		fprintf(f, " size=%#lx", o->tag);
		break;
	case OP_MLOCKALL:
		fprintf(f, " flags=%#lx%s", o->arg, o->arg ? "" : " (munlockall)");
		break;
	case OP_MPROTECT:
		fprintf(f, " prot=%#lx", o->arg);
		break;
	case OP_MREMAP:
		fprintf(f, " new_len=%#lx flags=%#lx new_off=%ld", o->arg2, o->arg3,
			o->off2 < 0 ? -1L : o->off2);
		break;
	case OP_MLOCK2:
		fprintf(f, " flags=%#lx", o->arg);
		break;
	case OP_MADVISE:
		fprintf(f, " advice=%lu", o->arg);
		break;
	case OP_WRITE:
		fprintf(f, " tag=%#lx", o->tag);
		break;
	default:
		break;
	}
	fputc('\n', f);
}

/* ------------------------------------------------------------------ */
/* shared helpers (no allocation: the host child uses them too)        */

static unsigned char wbuf[WIN * PG];
static unsigned char rbuf[PG];

static void fill_pattern(unsigned long tag, unsigned long len)
{
	uint64_t *w = (uint64_t *)wbuf;
	unsigned long i;

	for (i = 0; i < len / 8; i++)
		w[i] = ((uint64_t)tag << 32) ^ (i * 0x9e3779b97f4a7c15ull);
}

static uint64_t hash_page(const unsigned char *p)
{
	uint64_t h = 0xcbf29ce484222325ull;
	unsigned long i;

	for (i = 0; i < PG; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

static long norm_addr(long r, unsigned long base)
{
	if (r < 0)
		return r;
	if ((unsigned long)r >= base && (unsigned long)r < base + WIN * PG)
		return (long)((unsigned long)r - base);
	return RET_OUT;
}

static unsigned long page_up(unsigned long x)
{
	return (x + PG - 1) & ~(PG - 1);
}

/* ------------------------------------------------------------------ */
/* host side: runs in the forked child                                 */

static char procbuf[1 << 20];

static long raw_read_file(const char *path)
{
	long n = 0, r;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	while ((r = read(fd, procbuf + n, sizeof(procbuf) - 1 - (size_t)n)) > 0)
		n += r;
	close(fd);
	procbuf[n] = 0;
	return n;
}

static unsigned long parse_hex(const char **pp)
{
	const char *p = *pp;
	unsigned long v = 0;

	for (;; p++) {
		if (*p >= '0' && *p <= '9')
			v = v * 16 + (unsigned long)(*p - '0');
		else if (*p >= 'a' && *p <= 'f')
			v = v * 16 + (unsigned long)(*p - 'a' + 10);
		else
			break;
	}
	*pp = p;
	return v;
}

static long status_kb(const char *key)
{
	size_t kl = strlen(key);
	const char *p = procbuf;

	while (p && *p) {
		if (!strncmp(p, key, kl)) {
			long v = 0;

			p += kl;
			while (*p == ' ' || *p == '\t')
				p++;
			while (*p >= '0' && *p <= '9')
				v = v * 10 + (*p++ - '0');
			return v;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

static unsigned long vmflag_bit(const char *m)
{
	static const struct {
		char m[3];
		unsigned long bit;
	} tab[] = {
		{ "rd", F_READ },     { "wr", F_WRITE },      { "ex", F_EXEC },
		{ "sh", F_SHARED },   { "mr", F_MAYREAD },    { "mw", F_MAYWRITE },
		{ "me", F_MAYEXEC },  { "ms", F_MAYSHARE },   { "lo", F_LOCKED },
		{ "sr", F_SEQ_READ }, { "rr", F_RAND_READ },  { "lf", F_LOCKONFAULT },
		{ "ac", F_ACCOUNT },  { "nr", F_NORESERVE },
	};
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (m[0] == tab[i].m[0] && m[1] == tab[i].m[1])
			return tab[i].bit;
	return 0;
}

/*
 * A maps line with the device and inode fields replaced by "*" and the
 * padding before the path collapsed: the rest (range, perms, offset, and
 * for anonymous memory the exact text including the trailing space; for
 * the memfd its name) must match between the host and libkcore.
 */
static void norm_maps_line(char *out, const char *in)
{
	size_t o = 0;
	int field = 0, in_space = 0;

	for (; *in && *in != '\n' && o < 100; in++) {
		if (*in == ' ') {
			if (!in_space)
				field++;
			if (in_space && field >= 5)
				continue;       /* padding before the path */
			in_space = 1;
			out[o++] = ' ';
			continue;
		}
		in_space = 0;
		if (field == 3 || field == 4) {         /* dev, inode */
			if (out[o - 1] != '*')
				out[o++] = '*';
			continue;
		}
		out[o++] = *in;
	}
	out[o] = 0;
}

/* Parse the host smaps: VMAs intersecting the window, their flags, Rss. */
static void host_layout(struct result *res, unsigned long base)
{
	const char *p = procbuf;
	unsigned long wend = base + WIN * PG;
	int cur = -1;

	res->nvma = 0;
	res->rss = 0;
	if (raw_read_file("/proc/self/smaps") < 0) {
		res->setup_err = 3;
		return;
	}
	while (*p) {
		const char *line = p;
		const char *nl = strchr(p, '\n');

		if ((*line >= '0' && *line <= '9') || (*line >= 'a' && *line <= 'f')) {
			const char *q = line;
			unsigned long s = parse_hex(&q), e;

			cur = -1;
			if (*q == '-') {
				q++;
				e = parse_hex(&q);
				if (e > base && s < wend) {
					if (s < base || e > wend || res->nvma >= WIN + 2) {
						res->overflow = 1;
					} else {
						cur = res->nvma++;
						res->vma[cur].start = (long)((s - base) / PG);
						res->vma[cur].end = (long)((e - base) / PG);
						res->vma[cur].flags = 0;
						norm_maps_line(res->vma[cur].line, line);
					}
				}
			}
		} else if (cur >= 0 && !strncmp(line, "Rss:", 4)) {
			const char *q = line + 4;
			long v = 0;

			while (*q == ' ')
				q++;
			while (*q >= '0' && *q <= '9')
				v = v * 10 + (*q++ - '0');
			res->rss += v / 4;
		} else if (cur >= 0 && !strncmp(line, "VmFlags:", 8)) {
			const char *q = line + 8;

			while (*q && *q != '\n') {
				while (*q == ' ')
					q++;
				if (q[0] && q[0] != '\n' && q[1] && q[1] != '\n') {
					res->vma[cur].flags |= vmflag_bit(q);
					q += 2;
				} else if (*q && *q != '\n') {
					q++;
				}
			}
		}
		if (!nl)
			break;
		p = nl + 1;
	}
}

static int host_fd = -1;
static int host_pipe[2] = { -1, -1 };
static sigjmp_buf child_jmp;
static volatile sig_atomic_t child_jmp_armed;

static long host_call(const struct op *o, unsigned long base)
{
	unsigned long a = base + (unsigned long)o->off;
	long r;

	errno = 0;
	switch (o->kind) {
	case OP_MMAP:
		if (o->file)
			r = syscall(SYS_mmap, a, o->len, o->arg, o->arg2, host_fd, o->pgoff * PG);
		else
			r = syscall(SYS_mmap, a, o->len, o->arg, o->arg2, -1, 0);
		break;
	case OP_TRUNCATE:
		r = syscall(SYS_ftruncate, host_fd, o->tag);
		break;
	case OP_MLOCKALL:
		r = o->arg ? syscall(SYS_mlockall, o->arg) : syscall(SYS_munlockall);
		break;
	case OP_MUNMAP:
		r = syscall(SYS_munmap, a, o->len);
		break;
	case OP_MPROTECT:
		r = syscall(SYS_mprotect, a, o->len, o->arg);
		break;
	case OP_MREMAP:
		r = syscall(SYS_mremap, a, o->len, o->arg2, o->arg3,
			    o->off2 < 0 ? 0UL : base + (unsigned long)o->off2);
		break;
	case OP_MLOCK:
		r = syscall(SYS_mlock, a, o->len);
		break;
	case OP_MLOCK2:
		r = syscall(SYS_mlock2, a, o->len, o->arg);
		break;
	case OP_MUNLOCK:
		r = syscall(SYS_munlock, a, o->len);
		break;
	case OP_MADVISE:
		r = syscall(SYS_madvise, a, o->len, o->arg);
		break;
	case OP_WRITE: {
		unsigned long done = 0;

		/*
		 * The host kernel's own copy_to_user: read() from a pipe into
		 * the target, page by page in order.  A fault ends the copy
		 * (-EFAULT, the rest is drained from the pipe); a store just
		 * below a MAP_GROWSDOWN VMA grows it, as for a CPU store (GUP,
		 * and so process_vm_writev, no longer grows stacks).  No signal
		 * handling, so nothing in the child allocates (ASan included).
		 */
		fill_pattern(o->tag, o->len);
		while (done < o->len) {
			unsigned long chunk = PG - ((a + done) & (PG - 1));
			long got;

			if (chunk > o->len - done)
				chunk = o->len - done;
			if (syscall(SYS_write, host_pipe[1], wbuf + done, chunk) != (long)chunk)
				return -10000;  /* unusable: caught by the probe */
			got = syscall(SYS_read, host_pipe[0], a + done, chunk);
			if (got == (long)chunk) {
				done += chunk;
				continue;
			}
			if (got > 0)
				done += (unsigned long)got;
			syscall(SYS_read, host_pipe[0], rbuf, chunk - (got > 0 ? (unsigned long)got : 0));
			break;
		}
		return (long)done;
	}
	default:
		return -EINVAL;
	}
	if (r == -1)
		return -errno;
	if (o->kind == OP_MMAP || o->kind == OP_MREMAP) {
		long n = norm_addr(r, base);

		if (n == RET_OUT)
			syscall(SYS_munmap, r, o->kind == OP_MMAP ? page_up(o->len) : page_up(o->arg2));
		return n;
	}
	return r;
}

static int host_place_window(unsigned long *basep)
{
	unsigned long b;
	int i;

	for (i = 0; i < 64; i++) {
		long r;

		b = HOST_BASE0 + (unsigned long)i * 0x1000000UL;
		r = syscall(SYS_mmap, b - 2 * PG, (WIN + 4) * PG, PROT_NONE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (r == -1)
			continue;
		if ((unsigned long)r != b - 2 * PG) {   /* a kernel without NOREPLACE */
			syscall(SYS_munmap, r, (WIN + 4) * PG);
			continue;
		}
		syscall(SYS_munmap, b - 2 * PG, 2 * PG);
		syscall(SYS_munmap, b + WIN * PG, 2 * PG);
		*basep = b;
		return 0;
	}
	return -1;
}

/*
 * Limit mode: the host child drops its capabilities and both sides get
 * RLIMIT_MEMLOCK = LIMIT_PAGES, so mlock/MAP_LOCKED/mremap hit the
 * EPERM/EAGAIN/ENOMEM limit paths.
 */
#define LIMIT_PAGES 6

static void host_drop_caps(void)
{
	struct {
		uint32_t version;
		int pid;
	} hdr = { 0x20080522, 0 };
	struct {
		uint32_t effective, permitted, inheritable;
	} data[2];
	struct rlimit rl = { LIMIT_PAGES * PG, LIMIT_PAGES * PG };

	memset(data, 0, sizeof(data));
	syscall(SYS_capset, &hdr, data);
	setrlimit(RLIMIT_MEMLOCK, &rl);
}

static char altstack[64 * 1024];

static void child_fault(int sig)
{
	if (child_jmp_armed) {
		child_jmp_armed = 0;
		siglongjmp(child_jmp, 1);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void host_child(const struct op *ops, int n, struct result *res)
{
	struct sigaction sa;
	long vmsize0, vmlck0, vmdata0, vmlib0, vmstk0;
	unsigned long base;
	int i;

	/* the test runner's handlers must not run in the child; the fault
	   handler runs on its own stack so the main stack (VmStk) never grows */
	{
		stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack), .ss_flags = 0 };

		sigaltstack(&ss, NULL);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = child_fault;
	sa.sa_flags = SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	signal(SIGILL, SIG_DFL);
	signal(SIGFPE, SIG_DFL);
	signal(SIGABRT, SIG_DFL);

	if (limit_mode)
		host_drop_caps();
	if (syscall(SYS_pipe2, host_pipe, O_CLOEXEC)) {
		res->setup_err = 5;
		return;
	}
	host_fd = (int)syscall(SYS_memfd_create, "kcore-oracle", 0);
	if (host_fd < 0 || syscall(SYS_ftruncate, host_fd, FILE_PAGES * PG)) {
		res->setup_err = 4;
		return;
	}
	if (host_place_window(&base)) {
		res->setup_err = 1;
		return;
	}
	res->base = base;
	if (raw_read_file("/proc/self/status") < 0) {
		res->setup_err = 2;
		return;
	}
	vmsize0 = status_kb("VmSize:") / 4 - WIN;
	vmlck0 = status_kb("VmLck:") / 4;
	vmdata0 = status_kb("VmData:") / 4;
	vmlib0 = status_kb("VmLib:") / 4;      /* exec_vm minus the fixed text size */
	vmstk0 = status_kb("VmStk:") / 4;
	for (i = 0; i < n; i++)
		res->ret[i] = host_call(&ops[i], base);
	res->nops = n;
	host_layout(res, base);
	if (raw_read_file("/proc/self/status") < 0) {
		res->setup_err = 2;
		return;
	}
	res->total = status_kb("VmSize:") / 4 - vmsize0;
	res->locked = status_kb("VmLck:") / 4 - vmlck0;
	res->data = status_kb("VmData:") / 4 - vmdata0;
	res->exec = status_kb("VmLib:") / 4 - vmlib0;
	res->stack = status_kb("VmStk:") / 4 - vmstk0;
	for (i = 0; i < res->nvma; i++) {
		volatile long pg;

		/* exec-only pages are skipped: with protection keys they fault */
		if (!(res->vma[i].flags & (F_READ | F_WRITE)))
			continue;
		for (pg = res->vma[i].start; pg < res->vma[i].end; pg++) {
			/* a shared mapping grown by mremap past its object: SIGBUS */
			if (sigsetjmp(child_jmp, 1)) {
				res->readable[pg] = 3;
				continue;
			}
			child_jmp_armed = 1;
			res->hash[pg] = hash_page((const unsigned char *)(base + (unsigned long)pg * PG));
			child_jmp_armed = 0;
			res->readable[pg] = 1;
		}
	}
}

static struct result *shared_res;


/* 0 = ran, 1 = fork unavailable */
static int run_host(const struct op *ops, int n, struct result *res)
{
	pid_t pid;
	int st;

	memset(shared_res, 0, sizeof(*shared_res));
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		host_child(ops, n, shared_res);
		_exit(0);
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	*res = *shared_res;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		res->setup_err = 100 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	return 0;
}

/* ------------------------------------------------------------------ */
/* libkcore side                                                       */

/*
 * Known divergences (tests/vm/KNOWN_DIVERGENCES.md).  A diverging sequence
 * that matches an open class counts as known (unless
 * KCORE_TEST_KNOWN_DIVERGENCES=1); every other difference fails.  All the
 * classes found so far (multi-VMA mremap, mprotect populate and VM_ACCOUNT
 * release, anon_vma reuse, FIXED shrink of a locked VMA, partial-page
 * truncate, DONTUNMAP source flags, shmem fault-around, private-file
 * anon_vma merges, MAP_GROWSDOWN pgoff merges) were fixed in vm: none is
 * open, everything is compared strictly.  kd_trigger() is the hook for a
 * new open class: it recognises the situation in the libkcore state before
 * a call and returns the class number (1 .. KD_NR - 1).
 */
#define KD_NR 1

static int kd_trigger(struct kcore_mm_struct *mm, const struct op *o, unsigned long a)
{
	(void)mm;
	(void)o;
	(void)a;
	return 0;
}

static long kc_call1(struct kcore_mm_struct *mm, const struct op *o, unsigned long base);
static struct kcore_file *kc_file;
static unsigned long kc_ok[OP_NR + 1];   /* successful calls per kind (+ file mmaps) */

static long kc_call(struct kcore_mm_struct *mm, const struct op *o, unsigned long base,
		    struct result *res, int i)
{
	unsigned long a = base + (unsigned long)o->off;
	long r;

	if (!res->kd_class) {
		res->kd_class = kd_trigger(mm, o, a);
		res->kd_op = i;
	}
	r = kc_call1(mm, o, base);
	if (r >= 0 || r == RET_OUT)
		kc_ok[o->file ? OP_NR : o->kind]++;
	return r;
}

static long kc_call1(struct kcore_mm_struct *mm, const struct op *o, unsigned long base)
{
	unsigned long a = base + (unsigned long)o->off;
	long r;

	switch (o->kind) {
	case OP_MMAP:
		r = kcore_mmap(mm, a, o->len, o->arg, o->arg2, o->file ? kc_file : NULL,
			       o->file ? o->pgoff : 0);
		break;
	case OP_TRUNCATE:
		return kcore_file_truncate(kc_file, o->tag);
	case OP_MLOCKALL:
		return o->arg ? kcore_mlockall(mm, (int)o->arg) : kcore_munlockall(mm);
	case OP_MUNMAP:
		return kcore_munmap(mm, a, o->len);
	case OP_MPROTECT:
		return kcore_mprotect(mm, a, o->len, o->arg);
	case OP_MREMAP:
		r = kcore_mremap(mm, a, o->len, o->arg2, o->arg3,
				 o->off2 < 0 ? 0UL : base + (unsigned long)o->off2);
		break;
	case OP_MLOCK:
		return kcore_mlock(mm, a, o->len);
	case OP_MLOCK2:
		return kcore_mlock2(mm, a, o->len, (unsigned int)o->arg);
	case OP_MUNLOCK:
		return kcore_munlock(mm, a, o->len);
	case OP_MADVISE:
		return kcore_madvise(mm, a, o->len, (int)o->arg);
	case OP_WRITE:
		fill_pattern(o->tag, o->len);
		return (long)(o->len - kcore_copy_to_user(mm, a, wbuf, o->len));
	default:
		return -EINVAL;
	}
	{
		long nrm = norm_addr(r, base);

		if (nrm == RET_OUT) {
			unsigned long l = o->kind == OP_MMAP ? page_up(o->len) : page_up(o->arg2);

			if (kcore_munmap(mm, (unsigned long)r, l))
				return -99999; /* could not undo: reported as a divergence */
		}
		return nrm;
	}
}

/* Is @cap in this process's effective set (capget, version 3)? */
static int host_has_cap(int cap)
{
	struct {
		uint32_t version;
		int pid;
	} hdr = { 0x20080522, 0 };
	struct {
		uint32_t effective, permitted, inheritable;
	} data[2];

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data))
		return geteuid() == 0;
	return !!(data[cap / 32].effective & (1u << (cap % 32)));
}

static int kc_run(struct kcore_system *sys, const struct op *ops, int n, unsigned long base,
		  struct result *res)
{
	struct kcore_mm_struct *mm = kcore_mm_alloc(sys);
	struct kcore_mm_stats st;
	unsigned long addr;
	struct kcore_vm_area_struct *vma;
	long r;
	int i;

	memset(res, 0, sizeof(*res));
	res->base = base;
	if (KCORE_IS_ERR_OR_NULL(mm))
		return -1;
	kc_file = kcore_memfd_create(sys, "kcore-oracle");
	if (KCORE_IS_ERR_OR_NULL(kc_file)) {
		kcore_mmput(mm);
		return -1;
	}
	assert_int_equal(kcore_file_truncate(kc_file, FILE_PAGES * PG), 0);
	/* the host child's privileges and limit, mirrored */
	if (limit_mode) {
		assert_int_equal(kcore_mm_setrlimit(mm, RLIMIT_MEMLOCK, LIMIT_PAGES * PG), 0);
	} else if (host_has_cap(CAP_IPC_LOCK)) {
		assert_int_equal(kcore_mm_set_capable(mm, CAP_IPC_LOCK, true), 0);
	}
	if (!limit_mode) {
		struct rlimit rl;

		if (!getrlimit(RLIMIT_MEMLOCK, &rl))
			assert_int_equal(kcore_mm_setrlimit(mm, RLIMIT_MEMLOCK, rl.rlim_cur), 0);
	}
	r = kcore_mmap(mm, base, WIN * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0);
	if (r != (long)base) {
		kcore_mmput(mm);
		kcore_fput(kc_file);
		return -1;
	}
	for (i = 0; i < n; i++)
		res->ret[i] = kc_call(mm, &ops[i], base, res, i);
	res->nops = n;
	kcore_mm_get_stats(mm, &st);
	res->total = (long)st.total_vm;
	res->locked = (long)st.locked_vm;
	res->data = (long)st.data_vm;
	res->exec = (long)st.exec_vm;
	res->stack = (long)st.stack_vm;
	res->rss = (long)(st.rss_anon + st.rss_shmem + st.rss_file);
	for (addr = 0; (vma = kcore_find_vma(mm, addr)) != NULL; addr = kcore_vma_end(vma)) {
		unsigned long s = kcore_vma_start(vma), e = kcore_vma_end(vma);

		if (e <= base || s >= base + WIN * PG) {
			res->overflow = 2;      /* a leftover outside the window */
			continue;
		}
		if (s < base || e > base + WIN * PG || res->nvma >= WIN + 2) {
			res->overflow = 1;
			continue;
		}
		res->vma[res->nvma].start = (long)((s - base) / PG);
		res->vma[res->nvma].end = (long)((e - base) / PG);
		res->vma[res->nvma].flags = kcore_vma_flags(vma) & F_MASK;
		res->nvma++;
	}
	{
		static char maps[64 * 1024];
		const char *p = maps;
		int len = kcore_mm_format_maps(mm, maps, sizeof(maps));

		assert_true(len >= 0 && (size_t)len < sizeof(maps));
		while (*p) {
			const char *q = p;
			unsigned long st0 = parse_hex(&q);

			for (i = 0; i < res->nvma; i++)
				if (base + (unsigned long)res->vma[i].start * PG == st0)
					norm_maps_line(res->vma[i].line, p);
			p = strchr(p, '\n');
			if (!p)
				break;
			p++;
		}
	}
	for (i = 0; i < res->nvma; i++) {
		long pg;

		if (!(res->vma[i].flags & (F_READ | F_WRITE)))
			continue;
		for (pg = res->vma[i].start; pg < res->vma[i].end; pg++) {
			/* 3: the read faulted (a shared mapping past its object) */
			if (kcore_copy_from_user(mm, rbuf, base + (unsigned long)pg * PG, PG)) {
				res->readable[pg] = 3;
			} else {
				res->readable[pg] = 1;
				res->hash[pg] = hash_page(rbuf);
			}
		}
	}
	kcore_mmput(mm);
	kcore_fput(kc_file);
	kc_file = NULL;
	return 0;
}

/* ------------------------------------------------------------------ */
/* comparison                                                          */

static char diffbuf[8192];

/* what compare() found */
enum {
	D_RET = 1, D_LAYOUT = 2, D_COVERAGE = 4, D_COUNTERS = 8, D_RSS_LESS = 16, D_RSS_MORE = 32,
	D_CONTENT = 64, D_OTHER = 128,
};
static unsigned int diffmask;
static int diff_op = -1;

/* The layout in "coverage mode": VM_ACCOUNT ignored, adjacent VMAs with
   equal remaining flags coalesced (reliability.md 3.3). */
static int coverage(const struct result *r, struct vma_rec *out)
{
	int i, n = 0;

	for (i = 0; i < r->nvma; i++) {
		unsigned long f = r->vma[i].flags & F_MASK & ~F_ACCOUNT;

		if (n && out[n - 1].end == r->vma[i].start && out[n - 1].flags == f) {
			out[n - 1].end = r->vma[i].end;
			continue;
		}
		out[n].start = r->vma[i].start;
		out[n].end = r->vma[i].end;
		out[n].flags = f;
		n++;
	}
	return n;
}

static void fmt_layout(char *buf, size_t len, const struct result *r)
{
	size_t o = 0;
	int i;

	buf[0] = 0;
	for (i = 0; i < r->nvma && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "[%ld,%ld)%#lx ", r->vma[i].start,
				      r->vma[i].end, r->vma[i].flags & F_MASK);
}

/* Returns 0 when equal, else 1 with a description in diffbuf. */
static int compare(const struct op *ops, const struct result *h, const struct result *k)
{
	size_t o = 0;
	int i, bad = 0;

#define DIFF(...)                                                                          \
	do {                                                                               \
		if (o < sizeof(diffbuf))                                                   \
			o += (size_t)snprintf(diffbuf + o, sizeof(diffbuf) - o, __VA_ARGS__); \
		bad = 1;                                                                   \
	} while (0)
	diffbuf[0] = 0;
	diffmask = 0;
	diff_op = -1;
	for (i = 0; i < h->nops; i++) {
		if (h->ret[i] != k->ret[i]) {
			DIFF("op %d (%s): host %ld, kcore %ld\n", i, op_names[ops[i].kind].name,
			     h->ret[i], k->ret[i]);
			diffmask |= D_RET;
			diff_op = i;
			return bad; /* later state is meaningless to compare */
		}
	}
	if (h->overflow || k->overflow) {
		DIFF("mappings outside the window: host %d kcore %d\n", h->overflow, k->overflow);
		diffmask |= D_OTHER;
	}
	{
		struct vma_rec ch[WIN + 2], ck[WIN + 2];
		int nh = coverage(h, ch), nk = coverage(k, ck), same = nh == nk;

		for (i = 0; same && i < nh; i++)
			same = ch[i].start == ck[i].start && ch[i].end == ck[i].end &&
			       ch[i].flags == ck[i].flags;
		if (!same)
			diffmask |= D_COVERAGE;
	}
	{
		int same = h->nvma == k->nvma;

		for (i = 0; same && i < h->nvma; i++)
			same = h->vma[i].start == k->vma[i].start && h->vma[i].end == k->vma[i].end &&
			       (h->vma[i].flags & F_MASK) == (k->vma[i].flags & F_MASK);
		for (i = 0; same && i < h->nvma; i++) {
			if (strcmp(h->vma[i].line, k->vma[i].line)) {
				DIFF("maps line %d:\n  host  '%s'\n  kcore '%s'\n", i, h->vma[i].line,
				     k->vma[i].line);
				diffmask |= D_OTHER;
			}
		}
		if (!same) {
			char a[2048], b[2048];

			fmt_layout(a, sizeof(a), h);
			fmt_layout(b, sizeof(b), k);
			DIFF("layout:\n  host  %s\n  kcore %s\n", a, b);
			if (!(diffmask & D_COVERAGE))
				DIFF("  (page by page the same modulo VM_ACCOUNT: only merges differ)\n");
			diffmask |= D_LAYOUT;
		}
	}
	if (h->total != k->total || h->locked != k->locked || h->data != k->data ||
	    h->exec != k->exec || h->stack != k->stack) {
		DIFF("total_vm: host %ld kcore %ld; locked_vm: host %ld kcore %ld; data_vm: host %ld "
		     "kcore %ld; exec_vm: host %ld kcore %ld; stack_vm: host %ld kcore %ld\n",
		     h->total, k->total, h->locked, k->locked, h->data, k->data, h->exec, k->exec,
		     h->stack, k->stack);
		diffmask |= D_COUNTERS;
	}
	if (h->rss != k->rss) {
		DIFF("rss: host %ld kcore %ld\n", h->rss, k->rss);
		diffmask |= k->rss < h->rss ? D_RSS_LESS : D_RSS_MORE;
	}
	for (i = 0; i < WIN; i++) {
		if (h->readable[i] != k->readable[i]) {
			DIFF("page %d readable: host %d kcore %d\n", i, h->readable[i],
			     k->readable[i]);
			diffmask |= D_CONTENT;
		} else if (h->readable[i] == 1 && h->hash[i] != k->hash[i]) {
			DIFF("page %d contents differ (host %016" PRIx64 " kcore %016" PRIx64 ")\n",
			     i, h->hash[i], k->hash[i]);
			diffmask |= D_CONTENT;
		}
	}
#undef DIFF
	return bad;
}

static int vmconf_strict(void)
{
	const char *s = getenv("KCORE_TEST_KNOWN_DIVERGENCES");

	return s && s[0] == '1';
}

struct oracle_ctx {
	struct kcore_system *sys;
	int fork_unavailable;
	int strict;                     /* KCORE_TEST_KNOWN_DIVERGENCES=1 */
	unsigned long known[KD_NR];
};

/* 1 = diverges, 0 = same (or a known divergence), -1 = cannot run */
static int run_both(struct oracle_ctx *c, const struct op *ops, int n)
{
	static struct result h, k;

	if (run_host(ops, n, &h)) {
		c->fork_unavailable = 1;
		return -1;
	}
	if (h.setup_err) {
		snprintf(diffbuf, sizeof(diffbuf), "host child failed (%d)\n", h.setup_err);
		return h.setup_err >= 100 ? 1 : -1;
	}
	if (kc_run(c->sys, ops, n, h.base, &k)) {
		snprintf(diffbuf, sizeof(diffbuf), "kcore could not set up the window\n");
		return 1;
	}
	if (!compare(ops, &h, &k))
		return 0;
	/* a known divergence whose trigger came no later than the difference */
	if (!c->strict && k.kd_class && (!(diffmask & D_RET) || k.kd_op <= diff_op)) {
		c->known[k.kd_class]++;
		return 0;
	}

	return 1;
}

static void minimise_and_report(struct oracle_ctx *c, struct op *ops, int n, uint64_t seed,
				int seq)
{
	struct op tmp[MAXOPS];
	int i, changed = 1;

	while (changed) {
		changed = 0;
		for (i = n - 1; i >= 0 && n > 1; i--) {
			int m = 0, j;

			for (j = 0; j < n; j++)
				if (j != i)
					tmp[m++] = ops[j];
			if (run_both(c, tmp, m) == 1) {
				memcpy(ops, tmp, sizeof(tmp[0]) * (size_t)m);
				n = m;
				changed = 1;
			}
		}
	}
	run_both(c, ops, n);
	fprintf(stderr, "oracle divergence (%s): KCORE_TEST_SEED=%" PRIu64 " sequence %d, "
		"minimised to %d ops:\n", limit_mode ? "memlock-limit run" : "main run", seed, seq, n);
	for (i = 0; i < n; i++)
		print_op(stderr, i, &ops[i]);
	fprintf(stderr, "%s", diffbuf);
}

static int probe_host(struct oracle_ctx *c)
{
	struct op o[2];
	static struct result h;

	memset(o, 0, sizeof(o));
	o[0].kind = OP_MPROTECT;
	o[0].len = PG;
	o[0].arg = PROT_READ | PROT_WRITE;
	o[1].kind = OP_WRITE;
	o[1].len = PG;
	o[1].tag = 1;
	if (run_host(o, 2, &h))
		return -1;
	if (h.setup_err || h.ret[0] != 0 || h.ret[1] != (long)PG)
		return -1;
	(void)c;
	return 0;
}

/*
 * The expectations are those of Linux >= 6.17 (multi-VMA mremap moves,
 * the modern DONTUNMAP and merge rules; reliability.md 7.1 "kernel version
 * drift"): an older host kernel skips the oracle unless
 * KCORE_ORACLE_ANY_KERNEL=1.
 */
static int host_kernel_too_old(void)
{
	struct utsname u;
	unsigned int major = 0, minor = 0;
	const char *e = getenv("KCORE_ORACLE_ANY_KERNEL");

	if (e && e[0] == '1')
		return 0;
	if (uname(&u) || sscanf(u.release, "%u.%u", &major, &minor) != 2)
		return 1;
	return major < 6 || (major == 6 && minor < 17);
}

static unsigned int env_uint(const char *name, unsigned int dflt)
{
	const char *s = getenv(name);
	long v = s ? strtol(s, NULL, 0) : 0;

	return v > 0 ? (unsigned int)v : dflt;
}

static unsigned long known_total(const struct oracle_ctx *c)
{
	unsigned long t = 0;
	int i;

	for (i = 1; i < KD_NR; i++)
		t += c->known[i];
	return t;
}

static void run_oracle(void **state, unsigned int dflt_seqs)
{
	struct oracle_ctx c = { .sys = kctest_sys(state), .strict = vmconf_strict() };
	uint64_t seed = kctest_seed();     /* printed; the stream adds limit_mode */
	unsigned int nseq = env_uint("KCORE_ORACLE_SEQS", dflt_seqs) * kctest_scale();
	unsigned int nops = env_uint("KCORE_ORACLE_OPS", 30);
	unsigned int only = env_uint("KCORE_ORACLE_ONLY", 0);
	unsigned int s, failures = 0, ran = 0;
	unsigned long known;
	struct op ops[MAXOPS];

	if (nops > MAXOPS)
		nops = MAXOPS;
#if defined(__SANITIZE_THREAD__)
	/* The host child runs under TSan's runtime, which maps its own memory
	   and breaks under the child's mlockall(MCL_FUTURE) and memlock
	   limits; the oracle is about the host's answers, which TSan does not
	   change.  libkcore's side is covered under TSan by the other tests. */
	if (!c.strict) {
		fprintf(stderr, "oracle: skipped under TSan (the host child cannot run under "
			"TSan's runtime; KCORE_TEST_KNOWN_DIVERGENCES=1 runs it)\n");
		skip();
	}
#endif
	if (host_kernel_too_old()) {
		fprintf(stderr, "oracle: host kernel older than 6.17, skipped "
			"(KCORE_ORACLE_ANY_KERNEL=1 runs it)\n");
		skip();
	}
	shared_res = mmap(NULL, sizeof(*shared_res), PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_true(shared_res != MAP_FAILED);
	if (probe_host(&c)) {
		munmap(shared_res, sizeof(*shared_res));
		skip();
	}
	for (s = 0; s < nseq; s++) {
		uint64_t rs = (seed + (uint64_t)limit_mode) ^ ((uint64_t)(s + 1) * 0xd1342543de82ef95ull);
		unsigned int i;
		int r;

		if (only && s + 1 != only)
			continue;
		for (i = 0; i < nops; i++)
			gen_op(&rs, &ops[i]);
		known = known_total(&c);
		r = run_both(&c, ops, (int)nops);
		if (r < 0 && c.fork_unavailable)
			break;
		if (r == 0 && known == known_total(&c))
			ran++;
		if (r == 1) {
			minimise_and_report(&c, ops, (int)nops, seed, (int)s + 1);
			fprintf(stderr, "  (replay: KCORE_TEST_SEED=%" PRIu64 " KCORE_ORACLE_ONLY=%u)\n",
				seed, s + 1);
			if (++failures >= 3)
				break;
		}
	}
	munmap(shared_res, sizeof(*shared_res));
	if (c.fork_unavailable)
		skip();
	fprintf(stderr, "oracle: %u sequences x %u ops, %u compared equal, %lu known divergences "
		"(KNOWN_DIVERGENCES.md)\n", nseq, nops, ran, known_total(&c));
	assert_int_equal(failures, 0);
	fprintf(stderr, "oracle: successful libkcore calls: mmap %lu (memfd %lu) munmap %lu "
		"mprotect %lu mremap %lu mlock %lu mlock2 %lu munlock %lu madvise %lu write %lu "
		"truncate %lu mlockall/munlockall %lu\n", kc_ok[OP_MMAP], kc_ok[OP_NR], kc_ok[OP_MUNMAP],
		kc_ok[OP_MPROTECT], kc_ok[OP_MREMAP], kc_ok[OP_MLOCK], kc_ok[OP_MLOCK2],
		kc_ok[OP_MUNLOCK], kc_ok[OP_MADVISE], kc_ok[OP_WRITE], kc_ok[OP_TRUNCATE],
		kc_ok[OP_MLOCKALL]);
	/* a pass must mean something: a third of the sequences fully compared,
	   and every kind of call succeeded often */
	if (!only) {
		assert_true(ran >= nseq / 3);
		for (s = 0; s <= OP_NR; s++)
			assert_true(kc_ok[s] >= nseq / 10);
	}
	memset(kc_ok, 0, sizeof(kc_ok));
}

static void test_vm_oracle__random_sequences(void **state)
{
	limit_mode = 0;
	run_oracle(state, 300);
}

/* The same with no capabilities and RLIMIT_MEMLOCK = 6 pages (seed + 1). */
static void test_vm_oracle__random_sequences_memlock_limit(void **state)
{
	limit_mode = 1;
	run_oracle(state, 150);
	limit_mode = 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_vm_oracle__random_sequences, kctest_sys_setup,
						kctest_sys_teardown),
		cmocka_unit_test_setup_teardown(test_vm_oracle__random_sequences_memlock_limit,
						kctest_sys_setup, kctest_sys_teardown),
	};
	return cmocka_run_group_tests_name("vm.oracle", tests, NULL, NULL);
}
