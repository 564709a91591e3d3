/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vm.h - the simulated MMU: address spaces, software page tables, the mmap
 * family, demand faults and user-memory access.
 *
 * Mirrors the observable behaviour of Linux v6.18 (the host kernel the
 * project tests against): mm/mmap.c, mm/vma.c, mm/mremap.c, mm/mprotect.c,
 * mm/mlock.c, mm/madvise.c, mm/memory.c, mm/gup.c and fs/proc/task_mmu.c.
 * The x86-64 layout is simulated: 4 KiB pages, 4-level page tables with
 * 512 entries per level, 47-bit user space, TASK_SIZE = 0x7ffffffff000.
 *
 * Every "system call" below returns what the kernel's system call returns
 * (an address or 0 on success, -errno on failure), with the kernel's errno
 * for each situation, including the partial effects the kernel leaves
 * behind (mprotect/mlock/madvise over a hole).  PROT_*, MAP_*, MREMAP_*,
 * MCL_*, MLOCK_ONFAULT and MADV_* take the Linux values from <sys/mman.h>.
 *
 * Frames come from the system's simulated RAM (kcore_system_config.nr_pages
 * frames of real 4 KiB storage).  Page descriptors (struct kcore_page) are
 * the system's mem_map and live as long as the system.
 */
#ifndef KCORE_VM_H
#define KCORE_VM_H

#include <kcore/compiler.h>
#include <kcore/core.h>
#include <stdbool.h>
#include <stddef.h>

KCORE_BEGIN_DECLS

struct kcore_mm_struct;
struct kcore_vm_area_struct;
struct kcore_page;
struct kcore_file;

/** KCORE_TASK_SIZE - the end of the simulated user address space (x86-64, 4-level). */
#define KCORE_TASK_SIZE 0x7ffffffff000UL
/** KCORE_PAGE_SIZE - the simulated page size. */
#define KCORE_PAGE_SIZE 4096UL

/* vm_flags bits returned by kcore_vma_flags(): the kernel's values. */
#define KCORE_VM_NONE 0x00000000UL
#define KCORE_VM_READ 0x00000001UL
#define KCORE_VM_WRITE 0x00000002UL
#define KCORE_VM_EXEC 0x00000004UL
#define KCORE_VM_SHARED 0x00000008UL
#define KCORE_VM_MAYREAD 0x00000010UL
#define KCORE_VM_MAYWRITE 0x00000020UL
#define KCORE_VM_MAYEXEC 0x00000040UL
#define KCORE_VM_MAYSHARE 0x00000080UL
#define KCORE_VM_GROWSDOWN 0x00000100UL
#define KCORE_VM_LOCKONFAULT 0x00080000UL
#define KCORE_VM_LOCKED 0x00002000UL
#define KCORE_VM_SEQ_READ 0x00008000UL
#define KCORE_VM_RAND_READ 0x00010000UL
#define KCORE_VM_DONTCOPY 0x00020000UL
#define KCORE_VM_DONTEXPAND 0x00040000UL
#define KCORE_VM_ACCOUNT 0x00100000UL
#define KCORE_VM_NORESERVE 0x00200000UL
#define KCORE_VM_WIPEONFORK 0x02000000UL /* MADV_WIPEONFORK */
#define KCORE_VM_DONTDUMP 0x04000000UL   /* MADV_DONTDUMP */
#define KCORE_VM_HUGEPAGE 0x20000000UL   /* MADV_HUGEPAGE */
#define KCORE_VM_NOHUGEPAGE 0x40000000UL /* MADV_NOHUGEPAGE */
#define KCORE_VM_MERGEABLE 0x80000000UL  /* MADV_MERGEABLE (KSM) */

/* gup_flags */
/** KCORE_FOLL_WRITE - the access writes (breaks COW, needs VM_WRITE). */
#define KCORE_FOLL_WRITE 0x01
/** KCORE_FOLL_FORCE - ptrace-style access that ignores missing VM_READ/VM_WRITE when VM_MAY* allows. */
#define KCORE_FOLL_FORCE 0x10

/* Capabilities understood by kcore_mm_set_capable() (linux/capability.h values). */
#define KCORE_CAP_IPC_LOCK 14
#define KCORE_CAP_SYS_RAWIO 17

/**
 * kcore_mm_alloc() - create an empty address space.
 * @sys: the system whose RAM backs it.
 *
 * The new mm has no VMAs, RLIMIT_AS = RLIM_INFINITY, RLIMIT_MEMLOCK = 8 MiB
 * and no capabilities.  The caller owns one user reference (mm_users).
 *
 * Context: any thread.
 * Return: the mm, or KCORE_ERR_PTR(-EINVAL) for a NULL or vm-less system,
 * KCORE_ERR_PTR(-ENOMEM).
 */
KCORE_API struct kcore_mm_struct *kcore_mm_alloc(struct kcore_system *sys);

/**
 * kcore_dup_mm() - a copy-on-write duplicate of an address space (fork).
 * @oldmm: the parent's mm.
 *
 * dup_mmap() semantics: every VMA is copied; private anonymous pages are
 * shared read-only by both mms and the first write fault in either copies
 * the page; shared mappings share their frames.  VM_LOCKED and
 * VM_LOCKONFAULT are cleared in the child (mlock is not inherited), so the
 * child's locked_vm is 0; def_flags from mlockall(MCL_FUTURE) are not
 * inherited either.  Limits and capabilities are inherited.
 *
 * Context: takes @oldmm's mmap lock for writing; may block.
 * Return: the new mm with one user reference, KCORE_ERR_PTR(-EINVAL) for
 * NULL, or KCORE_ERR_PTR(-ENOMEM) (the parent is unchanged).
 */
KCORE_API struct kcore_mm_struct *kcore_dup_mm(struct kcore_mm_struct *oldmm);

/**
 * kcore_mmput() - drop a user reference.
 * @mm: the mm (NULL is ignored).
 *
 * The last reference unmaps everything (exit_mmap), frees the page tables
 * and the mm.  Pages still referenced by kcore_get_user_pages_remote()
 * survive until their kcore_put_page().
 *
 * Context: may block.
 */
KCORE_API void kcore_mmput(struct kcore_mm_struct *mm);

/**
 * kcore_mmget() - take a user reference.
 * @mm: a live mm.
 *
 * Context: any.
 */
KCORE_API void kcore_mmget(struct kcore_mm_struct *mm);

/**
 * kcore_mmap() - ksys_mmap_pgoff().
 * @mm: the address space.
 * @addr: hint, or the exact address with MAP_FIXED / MAP_FIXED_NOREPLACE.
 * @len: length in bytes (rounded up to pages).
 * @prot: PROT_* (unknown bits are ignored, as the kernel does).
 * @flags: MAP_* (MAP_PRIVATE or MAP_SHARED[_VALIDATE] required).
 * @file: a kcore_memfd_create() object, or NULL with MAP_ANONYMOUS.
 * @pgoff: file offset in pages.
 *
 * Placement is top-down below mmap_base = TASK_SIZE - 128 MiB (the layout
 * the kernel uses without randomisation), falling back to bottom-up;
 * private anonymous lengths that are a multiple of 2 MiB are 2 MiB aligned
 * as the kernel's THP alignment does.  MAP_POPULATE and MAP_LOCKED fault
 * the range in after the mapping is made; failures there do not fail the
 * call.  Shared anonymous memory is backed by an internal shmem object
 * shown as "/dev/zero (deleted)".
 *
 * Context: takes the mmap lock for writing; may block.
 * Return: the address, or -EINVAL, -ENOMEM, -EEXIST, -EPERM, -EAGAIN,
 * -EOVERFLOW, -EACCES, -EOPNOTSUPP, -EBADF as the kernel returns them.
 */
KCORE_API long kcore_mmap(struct kcore_mm_struct *mm, unsigned long addr, unsigned long len,
			  unsigned long prot, unsigned long flags, struct kcore_file *file,
			  unsigned long pgoff);

/**
 * kcore_munmap() - munmap(2).
 * @mm: the address space.
 * @addr: page-aligned start.
 * @len: length (rounded up to pages).
 *
 * Context: takes the mmap lock for writing; may block.
 * Return: 0 (also when nothing was mapped), -EINVAL, or -ENOMEM when a
 * split would exceed vm.max_map_count.
 */
KCORE_API long kcore_munmap(struct kcore_mm_struct *mm, unsigned long addr, unsigned long len);

/**
 * kcore_mremap() - mremap(2): shrink, grow in place, move.
 * @mm: the address space.
 * @old_addr: page-aligned start of the old range.
 * @old_len: old length (0 duplicates a shared mapping).
 * @new_len: new length.
 * @flags: MREMAP_MAYMOVE, MREMAP_FIXED, MREMAP_DONTUNMAP.
 * @new_addr: destination for MREMAP_FIXED (hint for MREMAP_DONTUNMAP).
 *
 * Moves transfer the page-table entries an extent at a time
 * (move_page_tables()); the data is never copied.
 *
 * Context: takes the mmap lock for writing; may block.
 * Return: the (new) address, or -EINVAL, -EFAULT, -ENOMEM, -EAGAIN.
 */
KCORE_API long kcore_mremap(struct kcore_mm_struct *mm, unsigned long old_addr,
			    unsigned long old_len, unsigned long new_len, unsigned long flags,
			    unsigned long new_addr);

/**
 * kcore_mprotect() - mprotect(2).
 * @mm: the address space.
 * @addr: page-aligned start.
 * @len: length (rounded up).
 * @prot: PROT_READ/WRITE/EXEC/NONE (unknown bits: -EINVAL).
 *
 * Like the kernel, the change applies VMA by VMA; a hole stops it with
 * -ENOMEM after the VMAs before the hole have changed.
 *
 * Context: takes the mmap lock for writing; may block.
 * Return: 0, -EINVAL, -ENOMEM, -EACCES (PROT_WRITE on a shared mapping of
 * a read-only file).
 */
KCORE_API long kcore_mprotect(struct kcore_mm_struct *mm, unsigned long addr, unsigned long len,
			      unsigned long prot);

/**
 * kcore_mlock() - mlock(2).
 * @mm: the address space.
 * @addr: start (rounded down to a page).
 * @len: length.
 *
 * Context: takes the mmap lock for writing, then populates; may block.
 * Return: 0, -EPERM (RLIMIT_MEMLOCK 0 without CAP_IPC_LOCK), -ENOMEM (over
 * the limit, or a hole: the VMAs before it stay locked), -EAGAIN (no RAM).
 */
KCORE_API long kcore_mlock(struct kcore_mm_struct *mm, unsigned long addr, unsigned long len);

/**
 * kcore_mlock2() - mlock2(2).
 * @mm: the address space.
 * @addr: start.
 * @len: length.
 * @flags: 0 or MLOCK_ONFAULT (lock pages as they are faulted in).
 *
 * Context: as kcore_mlock().
 * Return: as kcore_mlock(), and -EINVAL for unknown flags.
 */
KCORE_API long kcore_mlock2(struct kcore_mm_struct *mm, unsigned long addr, unsigned long len,
			    unsigned int flags);

/**
 * kcore_munlock() - munlock(2).
 * @mm: the address space.
 * @addr: start.
 * @len: length.
 *
 * Context: takes the mmap lock for writing; may block.
 * Return: 0 or -ENOMEM for a hole (partial effect as the kernel).
 */
KCORE_API long kcore_munlock(struct kcore_mm_struct *mm, unsigned long addr, unsigned long len);

/**
 * kcore_mlockall() - mlockall(2).
 * @mm: the address space.
 * @flags: MCL_CURRENT, MCL_FUTURE, MCL_ONFAULT.
 *
 * Context: takes the mmap lock for writing; may block.
 * Return: 0, -EINVAL, -EPERM, -ENOMEM (total_vm over RLIMIT_MEMLOCK).
 */
KCORE_API long kcore_mlockall(struct kcore_mm_struct *mm, int flags);

/**
 * kcore_munlockall() - munlockall(2).
 * @mm: the address space.
 *
 * Context: takes the mmap lock for writing; may block.
 * Return: 0.
 */
KCORE_API long kcore_munlockall(struct kcore_mm_struct *mm);

/**
 * kcore_madvise() - madvise(2): MADV_NORMAL, RANDOM, SEQUENTIAL, WILLNEED,
 * DONTNEED, FREE, REMOVE, DONTFORK, DOFORK, MERGEABLE, UNMERGEABLE,
 * HUGEPAGE, NOHUGEPAGE, DONTDUMP, DODUMP, WIPEONFORK, KEEPONFORK, COLD,
 * PAGEOUT, POPULATE_READ, POPULATE_WRITE, DONTNEED_LOCKED, COLLAPSE,
 * GUARD_INSTALL, GUARD_REMOVE (102, 103: accesses to a guard region fail
 * as SIGSEGV does; the markers survive DONTNEED, mprotect and fork).
 * @mm: the address space.
 * @addr: page-aligned start.
 * @len: length (0 succeeds).
 * @advice: MADV_*.
 *
 * Context: takes the mmap lock (read for DONTNEED/FREE/WILLNEED, write for
 * the behaviour flags); may block.
 * Return: 0, -EINVAL (unknown advice, misaligned, MADV_FREE on a shared
 * mapping, advice a VMA does not allow), -ENOMEM (a hole in the range; the
 * mapped parts are advised), -EAGAIN (a split failed), -EACCES
 * (MADV_REMOVE on memory that is not shared and writable), -EFAULT
 * (MADV_POPULATE_* hit SIGBUS or a guard region).
 */
KCORE_API long kcore_madvise(struct kcore_mm_struct *mm, unsigned long addr, unsigned long len,
			     int advice);

/**
 * kcore_copy_to_user() - write @n bytes at user address @to.
 * @mm: the address space.
 * @to: user address.
 * @from: source buffer.
 * @n: bytes.
 *
 * Pages are faulted in as the kernel would (write faults, COW).  Copying
 * stops at the first page that cannot be written (hole, no VM_WRITE,
 * SIGBUS beyond a file's end, out of simulated RAM).
 *
 * Context: takes the mmap lock for reading; may block.
 * Return: the number of bytes NOT copied.
 */
KCORE_API unsigned long kcore_copy_to_user(struct kcore_mm_struct *mm, unsigned long to,
					   const void *from, unsigned long n);

/**
 * kcore_copy_from_user() - read @n bytes at user address @from.
 * @mm: the address space.
 * @to: destination buffer.
 * @from: user address.
 * @n: bytes.
 *
 * Read faults on unpopulated private anonymous pages map the shared zero
 * page (no RSS charge).  Any accessible VMA (VM_READ, VM_WRITE or VM_EXEC)
 * can be read, as on x86.
 *
 * Context: takes the mmap lock for reading; may block.
 * Return: the number of bytes NOT copied.
 */
KCORE_API unsigned long kcore_copy_from_user(struct kcore_mm_struct *mm, void *to,
					     unsigned long from, unsigned long n);

/**
 * kcore_access_remote_vm() - access_remote_vm(): ptrace-style access.
 * @mm: the address space.
 * @addr: user address.
 * @buf: buffer.
 * @len: bytes.
 * @gup_flags: KCORE_FOLL_WRITE to write @buf into @mm, KCORE_FOLL_FORCE.
 *
 * Context: takes the mmap lock for reading; may block.
 * Return: bytes transferred (0 if the first page fails).
 */
KCORE_API int kcore_access_remote_vm(struct kcore_mm_struct *mm, unsigned long addr, void *buf,
				     int len, unsigned int gup_flags);

/**
 * kcore_get_user_pages_remote() - get_user_pages_remote().
 * @mm: the address space.
 * @start: page-aligned start.
 * @nr_pages: pages to get.
 * @gup_flags: KCORE_FOLL_WRITE, KCORE_FOLL_FORCE.
 * @pages: array of @nr_pages, or NULL to only fault them in.
 *
 * Each returned page holds a reference the caller drops with
 * kcore_put_page().  A hole or a PROT_NONE/non-writable VMA stops the walk.
 *
 * Context: takes the mmap lock for reading; may block.
 * Return: pages got (possibly fewer than asked), or -EFAULT / -ENOMEM when
 * the first page fails, -EINVAL for bad arguments.
 */
KCORE_API long kcore_get_user_pages_remote(struct kcore_mm_struct *mm, unsigned long start,
					   unsigned long nr_pages, unsigned int gup_flags,
					   struct kcore_page **pages);

/**
 * kcore_put_page() - drop a page reference.
 * @page: a page from kcore_get_user_pages_remote() (NULL ignored).
 *
 * The last reference returns the frame to the system's free list.
 *
 * Context: any.
 */
KCORE_API void kcore_put_page(struct kcore_page *page);

/**
 * kcore_page_address() - the frame's 4 KiB of storage.
 * @page: a page.
 *
 * Context: any.
 * Return: the address, or NULL for NULL.
 */
KCORE_API void *kcore_page_address(struct kcore_page *page);

/**
 * kcore_page_to_pfn() - the frame number of @page in its system's RAM.
 * @page: a page.
 *
 * Context: any.
 * Return: the pfn (0 for NULL).
 */
KCORE_API unsigned long kcore_page_to_pfn(struct kcore_page *page);

/**
 * kcore_memfd_create() - a shared memory object (memfd/shmem-like).
 * @sys: the system.
 * @name: the name shown as "/memfd:<name> (deleted)" in maps (at most 249 bytes).
 *
 * The object starts with size 0, is readable and writable, and keeps its
 * pages in a page cache until truncated or the last reference goes.
 *
 * Context: any.
 * Return: the file with one reference, or KCORE_ERR_PTR(-EINVAL / -ENOMEM).
 */
KCORE_API struct kcore_file *kcore_memfd_create(struct kcore_system *sys, const char *name);

/**
 * kcore_file_truncate() - ftruncate(2).
 * @f: the file.
 * @size: the new size in bytes.
 *
 * Shrinking unmaps the pages beyond the new end from every mapping and
 * drops them; accesses there then fail as SIGBUS does.
 *
 * Context: may block.
 * Return: 0, -EINVAL (NULL, or a size above the maximum file size).
 */
KCORE_API KCORE_MUST_CHECK int kcore_file_truncate(struct kcore_file *f, unsigned long size);

/**
 * kcore_fput() - drop a file reference (mappings hold their own).
 * @f: the file (NULL ignored).
 *
 * Context: any.
 */
KCORE_API void kcore_fput(struct kcore_file *f);

/**
 * kcore_find_vma() - find_vma(): the first VMA with vm_end > @addr.
 * @mm: the address space.
 * @addr: address.
 *
 * Context: any thread; the result stays valid until the mm changes.
 * Return: the VMA or NULL.
 */
KCORE_API struct kcore_vm_area_struct *kcore_find_vma(struct kcore_mm_struct *mm, unsigned long addr);

/**
 * kcore_vma_start() - vm_start.
 * @vma: a VMA (NULL gives 0).
 *
 * Context: any.
 * Return: the start address.
 */
KCORE_API unsigned long kcore_vma_start(const struct kcore_vm_area_struct *vma);

/**
 * kcore_vma_end() - vm_end.
 * @vma: a VMA (NULL gives 0).
 *
 * Context: any.
 * Return: the end address (exclusive).
 */
KCORE_API unsigned long kcore_vma_end(const struct kcore_vm_area_struct *vma);

/**
 * kcore_vma_flags() - vm_flags (KCORE_VM_*).
 * @vma: a VMA (NULL gives 0).
 *
 * Context: any.
 * Return: the flags.
 */
KCORE_API unsigned long kcore_vma_flags(const struct kcore_vm_area_struct *vma);

/** struct kcore_mm_stats - per-mm counters, in pages. */
struct kcore_mm_stats {
	unsigned long total_vm, locked_vm, pinned_vm, data_vm, exec_vm, stack_vm, rss_anon,
		rss_file, rss_shmem, swap_ents, hiwater_rss, hiwater_vm;
};

/**
 * kcore_mm_get_stats() - read the counters.
 * @mm: the address space.
 * @st: filled in; hiwater_rss and hiwater_vm are reported as VmHWM and
 * VmPeak are: the maximum of the lazily updated mark and the current value.
 *
 * Context: any.
 */
KCORE_API void kcore_mm_get_stats(struct kcore_mm_struct *mm, struct kcore_mm_stats *st);

/**
 * kcore_mm_format_maps() - the /proc/pid/maps text.
 * @mm: the address space.
 * @buf: output buffer (may be NULL when @len is 0).
 * @len: its size.
 *
 * Same format as fs/proc/task_mmu.c: "start-end perms offset dev inode",
 * padded to column 73 before a name.
 *
 * Context: takes the mmap lock for reading.
 * Return: the length of the whole text (snprintf rules), or -EINVAL.
 */
KCORE_API int kcore_mm_format_maps(struct kcore_mm_struct *mm, char *buf, size_t len);

/**
 * kcore_mm_setrlimit() - set a soft limit.
 * @mm: the address space.
 * @resource: RLIMIT_AS or RLIMIT_MEMLOCK (bytes; RLIM_INFINITY = ~0UL).
 * @cur: the value.
 *
 * Context: any.
 * Return: 0 or -EINVAL.
 */
KCORE_API KCORE_MUST_CHECK int kcore_mm_setrlimit(struct kcore_mm_struct *mm, int resource,
						  unsigned long cur);

/**
 * kcore_mm_set_capable() - grant or drop a capability for calls on @mm.
 * @mm: the address space.
 * @cap: KCORE_CAP_IPC_LOCK or KCORE_CAP_SYS_RAWIO.
 * @on: whether the caller has it.
 *
 * Context: any.
 * Return: 0 or -EINVAL.
 */
KCORE_API KCORE_MUST_CHECK int kcore_mm_set_capable(struct kcore_mm_struct *mm, int cap, bool on);

/**
 * struct kcore_vm_tlb_stats - TLB-flush and page-table batching counters.
 * @flushes: TLB flushes issued (one per mmu_gather flush or range flush).
 * @flushed_pages: pages covered by those flushes.
 * @freed_batches: mmu_gather page batches released.
 * @lazy_mmu_batches: lazy MMU mode sections that committed queued updates.
 * @lazy_mmu_updates: PTE updates that went through the lazy MMU queue.
 * @invalidate_ranges: invalidate_range_start/end pairs issued (the hook the
 *                     secondary-MMU notifiers attach to).
 * @pte_tables: PTE tables currently allocated.
 * @moved_extents: move_page_tables() extents (mremap).
 */
struct kcore_vm_tlb_stats {
	unsigned long flushes, flushed_pages, freed_batches, lazy_mmu_batches, lazy_mmu_updates,
		invalidate_ranges, pte_tables, moved_extents;
};

/**
 * kcore_vm_get_tlb_stats() - read @mm's batching counters.
 * @mm: the address space.
 * @st: filled in.
 *
 * Context: any.
 */
KCORE_API void kcore_vm_get_tlb_stats(struct kcore_mm_struct *mm, struct kcore_vm_tlb_stats *st);

/**
 * kcore_vm_free_pages() - frames of simulated RAM not in use.
 * @sys: the system.
 *
 * Context: any.
 * Return: the count (0 for a NULL system).
 */
KCORE_API unsigned long kcore_vm_free_pages(struct kcore_system *sys);

KCORE_END_DECLS

#endif /* KCORE_VM_H */
