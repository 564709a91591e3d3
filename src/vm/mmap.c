// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mmap.c - address spaces, mmap, munmap, placement, populate, fork, and
 * the read-only views (stats, /proc/pid/maps).
 *
 * Mirrors Linux v6.18: mm/mmap.c (do_mmap, round_hint_to_min,
 * __get_unmapped_area, generic/x86 arch_get_unmapped_area_topdown,
 * __mm_populate, may_expand_vm), mm/vma.c (mmap_region, do_vmi_align_munmap,
 * exit_mmap), mm/huge_memory.c (__thp_get_unmapped_area), kernel/fork.c
 * (dup_mm, dup_mmap), arch/x86/mm/mmap.c (mmap_base without randomisation)
 * and fs/proc/task_mmu.c / array.c (maps lines, VmPeak/VmHWM).
 *
 * Locking: the syscalls take the mmap lock for writing; populate runs
 * afterwards under the read side, as the kernel does it.
 */
#include <kcore/vm.h>

#include "vm_internal.h"
#include <errno.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/resource.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif
#define LEGACY_MAP_MASK                                                                       \
	(MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | MAP_DENYWRITE | MAP_EXECUTABLE | \
	 MAP_GROWSDOWN | MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK | MAP_STACK | \
	 MAP_HUGETLB | 0x4000000 /* MAP_UNINITIALIZED */)
#define MMAP_BASE_GAP (128UL << 20) /* x86 mmap_base(): the 128 MiB minimum gap */
#define TASK_UNMAPPED_BASE (ALIGN(TASK_SIZE / 3, PAGE_SIZE))

/* ---- mm lifetime ------------------------------------------------------ */

long kcore__get_mm_counter(struct kcore_mm_struct *mm, int member)
{
	long v = 0;

	for (int i = 0; i < NR_SLOTS; i++)
		v += __atomic_load_n(&mm->rss[i].count[member], __ATOMIC_RELAXED);
	return v < 0 ? 0 : v;
}

unsigned long kcore__get_mm_rss(struct kcore_mm_struct *mm)
{
	return (unsigned long)(kcore__get_mm_counter(mm, MM_FILEPAGES) +
			       kcore__get_mm_counter(mm, MM_ANONPAGES) +
			       kcore__get_mm_counter(mm, MM_SHMEMPAGES));
}

static struct kcore_mm_struct *mm_alloc(struct vm_sys *vs)
{
	struct kcore_mm_struct *mm = kcore__aligned_alloc(64, sizeof(*mm));

	if (!mm)
		return NULL;
	static uint64_t next_mm_id;

	mm->vs = vs;
	mm->mm_users = 1;
	mm->mm_id = __atomic_add_fetch(&next_mm_id, 1, __ATOMIC_RELAXED);
	for (int i = 0; i < NR_SLOTS; i++)
		init_rwsem(&mm->lock[i].sem);
	spin_lock_init(&mm->page_table_lock);
	mm->mmap_base = TASK_SIZE - MMAP_BASE_GAP;
	mm->rlim_as = RLIM_INFINITY;
	mm->rlim_data = RLIM_INFINITY;
	mm->rlim_memlock = 8UL << 20;
	mm->rlim_stack = 8UL << 20;
	if (kcore__pgd_alloc(mm)) {
		for (int i = 0; i < NR_SLOTS; i++)
			destroy_rwsem(&mm->lock[i].sem);
		spin_lock_destroy(&mm->page_table_lock);
		kfree(mm);
		return NULL;
	}
	mutex_lock(&vs->objs_lock);
	list_add_tail(&mm->sys_node, &vs->mms);
	mutex_unlock(&vs->objs_lock);
	return mm;
}

struct kcore_mm_struct *kcore_mm_alloc(struct kcore_system *sys)
{
	struct vm_sys *vs = kcore__vm_sys(sys);
	struct kcore_mm_struct *mm;

	if (!vs)
		return KCORE_ERR_PTR(-EINVAL);
	mm = mm_alloc(vs);
	return mm ? mm : KCORE_ERR_PTR(-ENOMEM);
}

void kcore_mmget(struct kcore_mm_struct *mm)
{
	if (mm)
		__atomic_fetch_add(&mm->mm_users, 1, __ATOMIC_RELAXED);
}

/* exit_mmap() */
static void exit_mmap(struct kcore_mm_struct *mm)
{
	struct mmu_gather tlb;

	update_hiwater_rss(mm);
	kcore__mmu_notifier_invalidate_range_start(mm, MMU_NOTIFY_RELEASE, 0, TASK_SIZE);
	kcore__tlb_gather_mmu(&tlb, mm);
	tlb.drop_markers = true;
	for (int i = 0; i < mm->map_count; i++)
		kcore__zap_page_range(&tlb, mm->vmas[i], mm->vmas[i]->vm_start, mm->vmas[i]->vm_end);
	kcore__tlb_finish_mmu(&tlb);
	kcore__mmu_notifier_invalidate_range_end(mm, MMU_NOTIFY_RELEASE, 0, TASK_SIZE);
	/* A racing truncate must not find a VMA whose tables are gone
	   (free_pgtables() unlinks before it frees). */
	for (int i = 0; i < mm->map_count; i++)
		kcore__vma_unlink_file(mm->vmas[i]);
	kcore__free_all_pgtables(mm);
	for (int i = 0; i < mm->map_count; i++)
		kcore__vm_area_free(mm->vmas[i]);
	mm->map_count = 0;
}

void kcore__vm_free_mm(struct kcore_mm_struct *mm)
{
	exit_mmap(mm);
	kfree(mm->vmas);
	for (int i = 0; i < NR_SLOTS; i++)
		destroy_rwsem(&mm->lock[i].sem);
	spin_lock_destroy(&mm->page_table_lock);
	kfree(mm);
}

void kcore_mmput(struct kcore_mm_struct *mm)
{
	struct vm_sys *vs;

	if (!mm || __atomic_sub_fetch(&mm->mm_users, 1, __ATOMIC_ACQ_REL))
		return;
	vs = mm->vs;
	mutex_lock(&vs->objs_lock);
	list_del(&mm->sys_node);
	mutex_unlock(&vs->objs_lock);
	kcore__vm_free_mm(mm);
}

/* dup_mm() / dup_mmap() */
struct kcore_mm_struct *kcore_dup_mm(struct kcore_mm_struct *oldmm)
{
	struct kcore_mm_struct *mm;
	int err = 0;

	if (!oldmm)
		return KCORE_ERR_PTR(-EINVAL);
	mm = mm_alloc(oldmm->vs);
	if (!mm)
		return KCORE_ERR_PTR(-ENOMEM);
	mmap_write_lock(oldmm);
	mm->mmap_base = oldmm->mmap_base;
	mm->rlim_as = oldmm->rlim_as;
	mm->rlim_data = oldmm->rlim_data;
	mm->rlim_memlock = oldmm->rlim_memlock;
	mm->rlim_stack = oldmm->rlim_stack;
	mm->cap_ipc_lock = oldmm->cap_ipc_lock;
	mm->cap_sys_rawio = oldmm->cap_sys_rawio;
	err = kcore__vma_reserve(mm, oldmm->map_count);
	for (int i = 0; !err && i < oldmm->map_count; i++) {
		struct kcore_vm_area_struct *src = oldmm->vmas[i], *dst;

		/* MADV_DONTFORK: the child does not get this VMA at all. */
		if (src->vm_flags & VM_DONTCOPY)
			continue;
		dst = knew(struct kcore_vm_area_struct);
		if (!dst) {
			err = -ENOMEM;
			break;
		}
		*dst = *src;
		dst->vm_mm = mm;
		INIT_LIST_HEAD(&dst->shared);
		dst->anon_vma = NULL;
		if (dst->vm_file)
			kcore__vm_get_file(dst->vm_file);
		/* mlock is not inherited. */
		dst->vm_flags &= ~VM_LOCKED_MASK;
		if (src->anon_vma && !(src->vm_flags & VM_WIPEONFORK)) {
			/* anon_vma_fork(): a new anon_vma chained to the parent's. */
			dst->anon_vma = kcore__anon_vma_alloc();
			if (!dst->anon_vma) {
				kcore__vm_area_free(dst);
				err = -ENOMEM;
				break;
			}
			dst->anon_vma->cloned = true;
		}
		kcore__vma_insert(mm, dst);
		kcore__vma_link_file(dst);
		kcore__vm_stat_account(mm, dst->vm_flags, (long)vma_pages(dst));
		/* MADV_WIPEONFORK: the child starts with empty (zero-filled) memory. */
		if (!(src->vm_flags & VM_WIPEONFORK))
			err = kcore__copy_page_range(dst, src);
	}
	mmap_write_unlock(oldmm);
	if (err) {
		kcore_mmput(mm);
		return KCORE_ERR_PTR(err);
	}
	mm->hiwater_rss = kcore__get_mm_rss(mm);
	mm->hiwater_vm = mm->total_vm;
	return mm;
}

/* ---- placement ----------------------------------------------------------- */

static unsigned long unmapped_area_topdown(struct kcore_mm_struct *mm, unsigned long len,
					   unsigned long low, unsigned long high)
{
	for (int i = mm->map_count; i >= 0; i--) {
		unsigned long gs = i > 0 ? mm->vmas[i - 1]->vm_end : 0;
		unsigned long ge = i < mm->map_count ? vm_start_gap(mm->vmas[i]) : ~0UL;

		if (gs >= high)
			continue;
		gs = max(gs, low);
		ge = min(ge, high);
		if (ge > gs && ge - gs >= len)
			return ge - len;
		if (ge <= low)
			break;
	}
	return -ENOMEM;
}

static unsigned long unmapped_area(struct kcore_mm_struct *mm, unsigned long len,
				   unsigned long low, unsigned long high)
{
	for (int i = 0; i <= mm->map_count; i++) {
		unsigned long gs = i > 0 ? mm->vmas[i - 1]->vm_end : 0;
		unsigned long ge = i < mm->map_count ? vm_start_gap(mm->vmas[i]) : ~0UL;

		if (ge <= low)
			continue;
		gs = max(gs, low);
		ge = min(ge, high);
		if (gs >= high)
			break;
		if (ge > gs && ge - gs >= len)
			return gs;
	}
	return -ENOMEM;
}

/* arch_get_unmapped_area_topdown() */
static unsigned long get_area_topdown(struct kcore_mm_struct *mm, unsigned long addr,
				      unsigned long len, unsigned long flags)
{
	unsigned long min_addr = mm->vs->sys->cfg.mmap_min_addr;
	unsigned long low = max(PAGE_SIZE, PAGE_ALIGN(min_addr)), a;

	if (len > TASK_SIZE - min(min_addr, TASK_SIZE))
		return -ENOMEM;
	if (flags & MAP_FIXED)
		return addr;
	if (flags & MAP_32BIT) {
		/* x86 arch_get_unmapped_area(), find_start_end(): bottom-up in [1 GiB, 2 GiB). */
		const unsigned long begin = 0x40000000UL, end = 0x80000000UL;

		if (len > end)
			return -ENOMEM;
		if (addr) {
			struct kcore_vm_area_struct *next;

			addr = PAGE_ALIGN(addr);
			next = kcore__find_vma(mm, addr);
			if (end - len >= addr && addr >= min_addr &&
			    (!next || addr + len <= vm_start_gap(next)))
				return addr;
		}
		return unmapped_area(mm, len, begin, end);
	}
	if (addr) {
		int i;
		struct kcore_vm_area_struct *next, *prev;

		addr = PAGE_ALIGN(addr);
		i = kcore__vma_index(mm, addr);
		next = kcore__vma_at(mm, i);
		prev = kcore__vma_at(mm, i - 1);
		if (TASK_SIZE - len >= addr && addr >= min_addr &&
		    (!next || addr + len <= vm_start_gap(next)) && (!prev || addr >= prev->vm_end))
			return addr;
	}
	a = unmapped_area_topdown(mm, len, low, mm->mmap_base);
	if (!IS_ALIGNED(a, PAGE_SIZE))
		a = unmapped_area(mm, len, max(low, TASK_UNMAPPED_BASE), TASK_SIZE);
	return a;
}

unsigned long kcore__get_unmapped_area(struct kcore_mm_struct *mm, struct kcore_file *file,
				       unsigned long addr, unsigned long len, unsigned long pgoff,
				       unsigned long flags)
{
	unsigned long a = 0;

	(void)pgoff;
	if (len > TASK_SIZE)
		return -ENOMEM;
	if (!file && !(flags & MAP_SHARED) && !addr && !(flags & MAP_FIXED) &&
	    IS_ALIGNED(len, PMD_SIZE)) {
		/* __thp_get_unmapped_area(): pad by a PMD and align up. */
		unsigned long pad = len + PMD_SIZE, off_sub;

		if (pad > len) {
			a = get_area_topdown(mm, 0, pad, flags);
			if (IS_ALIGNED(a, PAGE_SIZE)) {
				off_sub = (0 - a) & (PMD_SIZE - 1);
				a = off_sub ? a + off_sub : a + PMD_SIZE;
			} else {
				a = 0;
			}
		}
	}
	if (!a)
		a = get_area_topdown(mm, addr, len, flags);
	if (!IS_ALIGNED(a, PAGE_SIZE) && a > -4096UL)
		return a;
	if (a > TASK_SIZE - len)
		return -ENOMEM;
	if (offset_in_page(a))
		return -EINVAL;
	/* cap_mmap_addr() */
	if (a < mm->vs->sys->cfg.mmap_min_addr && !mm->cap_sys_rawio)
		return -EPERM;
	return a;
}

/* ---- munmap -------------------------------------------------------------- */

/* do_vmi_align_munmap(): @start/@len page aligned and checked. */
int kcore__do_munmap(struct kcore_mm_struct *mm, unsigned long start, unsigned long len)
{
	unsigned long end = start + len;
	struct kcore_vm_area_struct *vma, *last, *spare[2] = { NULL, NULL };
	struct mmu_gather tlb;
	bool need[2];
	int i, first, n;

	vma = kcore__find_vma_intersection(mm, start, end);
	if (!vma)
		return 0;
	/* Splitting in the middle adds a VMA: refused at the limit (LTP munmap04). */
	if (start > vma->vm_start && end < vma->vm_end &&
	    mm->map_count >= mm->vs->sys->cfg.max_map_count)
		return -ENOMEM;
	/* Everything that can fail is allocated before anything changes. */
	last = kcore__find_vma(mm, end - 1);
	if (last && last->vm_start >= end)
		last = NULL;
	need[0] = start > vma->vm_start;
	need[1] = last && last->vm_end > end;
	if ((need[0] || need[1]) && kcore__vma_reserve(mm, 2))
		return -ENOMEM;
	for (i = 0; i < 2; i++) {
		if (!need[i])
			continue;
		spare[i] = kcore__vm_area_alloc(mm);
		if (!spare[i]) {
			kfree(spare[0]);
			return -ENOMEM;
		}
	}
	if (need[0]) {
		kcore__split_vma_prealloc(mm, vma, start, 1, spare[0]);
		spare[0] = NULL;
	}
	if (need[1]) {
		last = kcore__find_vma(mm, end - 1);
		kcore__split_vma_prealloc(mm, last, end, 0, spare[1]);
		spare[1] = NULL;
	}
	kfree(spare[0]);
	kfree(spare[1]);

	first = kcore__vma_index(mm, start);
	for (n = 0; first + n < mm->map_count && mm->vmas[first + n]->vm_start < end; n++)
		;
	update_hiwater_rss(mm);
	kcore__mmu_notifier_invalidate_range_start(mm, MMU_NOTIFY_UNMAP, start, end);
	kcore__tlb_gather_mmu(&tlb, mm);
	tlb.drop_markers = true;
	for (i = 0; i < n; i++) {
		struct kcore_vm_area_struct *v = mm->vmas[first + i];

		kcore__vma_unlink_file(v);
		kcore__zap_page_range(&tlb, v, v->vm_start, v->vm_end);
	}
	kcore__tlb_finish_mmu(&tlb);
	kcore__mmu_notifier_invalidate_range_end(mm, MMU_NOTIFY_UNMAP, start, end);
	update_hiwater_vm(mm);
	for (i = 0; i < n; i++) {
		struct kcore_vm_area_struct *v = mm->vmas[first + i];

		kcore__vm_stat_account(mm, v->vm_flags, -(long)vma_pages(v));
		if (v->vm_flags & VM_LOCKED)
			mm->locked_vm -= vma_pages(v);
		/* The array slot is dropped just below without being read again. */
		kcore__vm_area_free(v);
	}
	memmove(&mm->vmas[first], &mm->vmas[first + n],
		(size_t)(mm->map_count - first - n) * sizeof(vma));
	mm->map_count -= n;
	kcore__free_pgtables(mm, start, end);
	return 0;
}

long kcore_munmap(struct kcore_mm_struct *mm, unsigned long addr, unsigned long len)
{
	int ret;

	if (!mm)
		return -EINVAL;
	/* __vm_munmap() / do_vmi_munmap() argument checks */
	if (offset_in_page(addr) || addr > TASK_SIZE || len > TASK_SIZE - addr)
		return -EINVAL;
	len = PAGE_ALIGN(len);
	if (!len)
		return -EINVAL;
	mmap_write_lock(mm);
	ret = kcore__do_munmap(mm, addr, len);
	mmap_write_unlock(mm);
	return ret;
}

/* ---- mmap ------------------------------------------------------------------ */

static unsigned long count_vma_pages_range(struct kcore_mm_struct *mm, unsigned long start,
					   unsigned long end)
{
	unsigned long n = 0;

	for (int i = kcore__vma_index(mm, start); i < mm->map_count; i++) {
		struct kcore_vm_area_struct *v = mm->vmas[i];

		if (v->vm_start >= end)
			break;
		n += (min(end, v->vm_end) - max(start, v->vm_start)) >> PAGE_SHIFT;
	}
	return n;
}

/* mmap_region() */
static long mmap_region(struct kcore_mm_struct *mm, struct kcore_file *file, unsigned long addr,
			unsigned long len, unsigned long vm_flags, unsigned long pgoff)
{
	unsigned long end = addr + len, pglen = len >> PAGE_SHIFT;
	struct kcore_vm_area_struct *vma, *prev, *next;
	struct kcore_file *shm = NULL;
	int i, err;

	if (!kcore__may_expand_vm(mm, vm_flags, pglen)) {
		unsigned long nr = count_vma_pages_range(mm, addr, end);

		if (!kcore__may_expand_vm(mm, vm_flags, pglen - nr))
			return -ENOMEM;
	}
	if ((vm_flags & (VM_NORESERVE | VM_SHARED | VM_WRITE)) == VM_WRITE)
		vm_flags |= VM_ACCOUNT; /* KCORE: overcommit heuristic mode, never refused */

	/* Allocate first: a failure must leave the old mappings in place. */
	vma = kcore__vm_area_alloc(mm);
	if (!vma)
		return -ENOMEM;
	if (!file && (vm_flags & VM_SHARED)) {
		shm = kcore__vm_shmem_file(mm->vs, len);
		if (!shm) {
			kfree(vma);
			return -ENOMEM;
		}
	}
	if (kcore__vma_reserve(mm, 3)) {
		kcore_fput(shm);
		kfree(vma);
		return -ENOMEM;
	}
	err = kcore__do_munmap(mm, addr, len);
	if (err) {
		kcore_fput(shm);
		kfree(vma);
		return err == -EPERM ? -EPERM : -ENOMEM;
	}
	if (kcore__vma_reserve(mm, 1)) {
		/* cannot happen: reserved above and munmap never grows the set by more */
		kcore_fput(shm);
		kfree(vma);
		return -ENOMEM;
	}

	vma->vm_start = addr;
	vma->vm_end = end;
	vma->vm_flags = vm_flags;
	vma->vm_pgoff = pgoff;
	vma->vm_file = shm ? shm : (file ? kcore__vm_get_file(file) : NULL);

	/* vma_merge_new_range(): only plain anonymous/file mappings merge. */
	i = kcore__vma_index(mm, addr);
	prev = kcore__vma_at(mm, i - 1);
	next = kcore__vma_at(mm, i);
	if (!shm && ((prev && prev->vm_end == addr && kcore__vma_can_merge(prev, vma)) ||
		     (next && next->vm_start == end && kcore__vma_can_merge(vma, next)))) {
		kcore__vma_insert(mm, vma);
		kcore__vma_link_file(vma);
		vma = kcore__vma_merge_neighbours(mm, vma);
	} else {
		kcore__vma_insert(mm, vma);
		kcore__vma_link_file(vma);
	}
	kcore__vm_stat_account(mm, vm_flags, (long)pglen);
	if (vm_flags & VM_LOCKED)
		mm->locked_vm += pglen;
	return (long)addr;
}

long kcore_mmap(struct kcore_mm_struct *mm, unsigned long addr, unsigned long len,
		unsigned long prot, unsigned long flags, struct kcore_file *file, unsigned long pgoff)
{
	unsigned long vm_flags, min_addr;
	bool populate = false;
	long ret;

	if (!mm)
		return -EINVAL;
	if (flags & MAP_ANONYMOUS)
		file = NULL; /* the fd is ignored for anonymous mappings */
	else if (!file)
		return -EBADF;
	/* KCORE: a file of another simulated machine is not this mm's to map. */
	if (file && file->vs != mm->vs)
		return -EINVAL;
	if (flags & MAP_HUGETLB) {
		/* KCORE: the simulated machine has no huge page pool: anonymous
		   MAP_HUGETLB fails as on a host with nr_hugepages = 0. */
		return file ? -EINVAL : -ENOMEM;
	}
	if (!len)
		return -EINVAL;
	/* MAP_FIXED_NOREPLACE places like MAP_FIXED, then refuses an overlap. */
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	min_addr = mm->vs->sys->cfg.mmap_min_addr;
	if (!(flags & MAP_FIXED)) {
		/* round_hint_to_min() */
		addr &= PAGE_MASK;
		if (addr && addr < min_addr)
			addr = PAGE_ALIGN(min_addr);
	}
	len = PAGE_ALIGN(len);
	if (!len)
		return -ENOMEM;
	if (pgoff + (len >> PAGE_SHIFT) < pgoff)
		return -EOVERFLOW;

	mmap_write_lock(mm);
	if (mm->map_count > mm->vs->sys->cfg.max_map_count) {
		ret = -ENOMEM;
		goto out;
	}
	/* calc_vm_prot_bits() | calc_vm_flag_bits() | def_flags | VM_MAY* */
	vm_flags = (prot & PROT_READ ? VM_READ : 0) | (prot & PROT_WRITE ? VM_WRITE : 0) |
		   (prot & PROT_EXEC ? VM_EXEC : 0) | (flags & MAP_GROWSDOWN ? VM_GROWSDOWN : 0) |
		   (flags & MAP_LOCKED ? VM_LOCKED : 0) | mm->def_flags | VM_MAYREAD | VM_MAYWRITE |
		   VM_MAYEXEC;
	ret = (long)kcore__get_unmapped_area(mm, file, addr, len, pgoff, flags);
	if (ret < 0)
		goto out;
	addr = (unsigned long)ret;
	if ((flags & MAP_FIXED_NOREPLACE) && kcore__find_vma_intersection(mm, addr, addr + len)) {
		ret = -EEXIST;
		goto out;
	}
	if ((flags & MAP_LOCKED) && !kcore__can_do_mlock(mm)) {
		ret = -EPERM;
		goto out;
	}
	if (!kcore__mlock_future_ok(mm, vm_flags, len)) {
		ret = -EAGAIN;
		goto out;
	}
	if (file) {
		switch (flags & MAP_TYPE) {
		case MAP_SHARED:
			flags &= LEGACY_MAP_MASK | MAP_FIXED_NOREPLACE;
			/* fallthrough */
		case MAP_SHARED_VALIDATE:
			if (flags & ~(unsigned long)(LEGACY_MAP_MASK | MAP_FIXED_NOREPLACE)) {
				ret = -EOPNOTSUPP;
				goto out;
			}
			vm_flags |= VM_SHARED | VM_MAYSHARE;
			/* fallthrough */
		case MAP_PRIVATE:
			if (vm_flags & VM_GROWSDOWN) {
				ret = -EINVAL;
				goto out;
			}
			break;
		default:
			ret = -EINVAL;
			goto out;
		}
		/* shmem/memfd: the offset plus length must fit the maximum file size. */
		if (pgoff > (MAX_LFS_FILESIZE >> PAGE_SHIFT) - (len >> PAGE_SHIFT)) {
			ret = -EOVERFLOW;
			goto out;
		}
	} else {
		switch (flags & MAP_TYPE) {
		case MAP_SHARED:
			if (vm_flags & VM_GROWSDOWN) {
				ret = -EINVAL;
				goto out;
			}
			pgoff = 0;
			vm_flags |= VM_SHARED | VM_MAYSHARE;
			break;
		case MAP_PRIVATE:
			pgoff = addr >> PAGE_SHIFT;
			break;
		default:
			ret = -EINVAL;
			goto out;
		}
	}
	if (flags & MAP_NORESERVE)
		vm_flags |= VM_NORESERVE;
	ret = mmap_region(mm, file, addr, len, vm_flags, pgoff);
	populate = ret >= 0 && ((vm_flags & VM_LOCKED) || (flags & (MAP_POPULATE | MAP_NONBLOCK)) == MAP_POPULATE);
out:
	mmap_write_unlock(mm);
	if (ret >= 0 && populate)
		(void)kcore__mm_populate(mm, (unsigned long)ret, len, true);
	return ret;
}

/* ---- populate ------------------------------------------------------------- */

int kcore__mm_populate(struct kcore_mm_struct *mm, unsigned long start, unsigned long len,
		       bool ignore_errors)
{
	unsigned long end = start + len, nstart, nend;
	unsigned int slot = mmap_read_lock(mm);
	long ret = 0, err = -EFAULT;

	for (nstart = start; nstart < end; nstart = nend) {
		struct kcore_vm_area_struct *vma = kcore__find_vma(mm, nstart);
		unsigned int gup_flags = FOLL_TOUCH;

		if (!vma || vma->vm_start >= end)
			break;
		nend = min(end, vma->vm_end);
		if (vma->vm_flags & (VM_IO | VM_PFNMAP))
			continue;
		if (nstart < vma->vm_start)
			nstart = vma->vm_start;
		/* populate_vma_page_range() */
		if (vma->vm_flags & VM_LOCKONFAULT)
			continue;
		if ((vma->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE)
			gup_flags |= FOLL_WRITE;
		if (vma_is_accessible(vma))
			gup_flags |= FOLL_FORCE;
		ret = kcore__get_user_pages_err(mm, nstart, (nend - nstart) >> PAGE_SHIFT, gup_flags,
						NULL, &err);
		if (ret >= 0 && (unsigned long)ret < (nend - nstart) >> PAGE_SHIFT)
			ret = err; /* gup stopped early: the error of the page it stopped at */
		if (ret < 0) {
			if (ignore_errors) {
				ret = 0;
				continue;
			}
			break;
		}
	}
	mmap_read_unlock(mm, slot);
	return ret < 0 ? (int)ret : 0;
}

/* ---- inspection ------------------------------------------------------------ */

struct kcore_vm_area_struct *kcore_find_vma(struct kcore_mm_struct *mm, unsigned long addr)
{
	struct kcore_vm_area_struct *v;
	unsigned int slot;

	if (!mm)
		return NULL;
	slot = mmap_read_lock(mm);
	v = kcore__find_vma(mm, addr);
	mmap_read_unlock(mm, slot);
	return v;
}

unsigned long kcore_vma_start(const struct kcore_vm_area_struct *vma)
{
	return vma ? vma->vm_start : 0;
}

unsigned long kcore_vma_end(const struct kcore_vm_area_struct *vma)
{
	return vma ? vma->vm_end : 0;
}

unsigned long kcore_vma_flags(const struct kcore_vm_area_struct *vma)
{
	return vma ? vma->vm_flags : 0;
}

void kcore_mm_get_stats(struct kcore_mm_struct *mm, struct kcore_mm_stats *st)
{
	unsigned int slot;
	unsigned long rss;

	if (!st)
		return;
	memset(st, 0, sizeof(*st));
	if (!mm)
		return;
	slot = mmap_read_lock(mm);
	st->total_vm = mm->total_vm;
	st->locked_vm = mm->locked_vm;
	st->pinned_vm = __atomic_load_n(&mm->pinned_vm, __ATOMIC_RELAXED);
	st->data_vm = mm->data_vm;
	st->exec_vm = mm->exec_vm;
	st->stack_vm = mm->stack_vm;
	st->rss_anon = (unsigned long)kcore__get_mm_counter(mm, MM_ANONPAGES);
	st->rss_file = (unsigned long)kcore__get_mm_counter(mm, MM_FILEPAGES);
	st->rss_shmem = (unsigned long)kcore__get_mm_counter(mm, MM_SHMEMPAGES);
	st->swap_ents = (unsigned long)kcore__get_mm_counter(mm, MM_SWAPENTS);
	rss = st->rss_anon + st->rss_file + st->rss_shmem;
	/* get_mm_hiwater_rss()/_vm(): the lazily kept mark or the current value. */
	st->hiwater_rss = max(READ_ONCE(mm->hiwater_rss), rss);
	st->hiwater_vm = max(mm->hiwater_vm, mm->total_vm);
	mmap_read_unlock(mm, slot);
}

void kcore_vm_get_tlb_stats(struct kcore_mm_struct *mm, struct kcore_vm_tlb_stats *st)
{
	if (!st)
		return;
	memset(st, 0, sizeof(*st));
	if (!mm)
		return;
	st->flushes = __atomic_load_n(&mm->st_flushes, __ATOMIC_RELAXED);
	st->flushed_pages = __atomic_load_n(&mm->st_flushed_pages, __ATOMIC_RELAXED);
	st->freed_batches = __atomic_load_n(&mm->st_freed_batches, __ATOMIC_RELAXED);
	st->lazy_mmu_batches = __atomic_load_n(&mm->st_lazy_batches, __ATOMIC_RELAXED);
	st->lazy_mmu_updates = __atomic_load_n(&mm->st_lazy_updates, __ATOMIC_RELAXED);
	st->invalidate_ranges = __atomic_load_n(&mm->st_invalidate_ranges, __ATOMIC_RELAXED);
	st->pte_tables = __atomic_load_n(&mm->st_pte_tables, __ATOMIC_RELAXED);
	st->moved_extents = __atomic_load_n(&mm->st_moved_extents, __ATOMIC_RELAXED);
}

/* show_map_vma(): one line of /proc/pid/maps. */
static int maps_line(const struct kcore_vm_area_struct *v, char *out, size_t size)
{
	unsigned long long off = v->vm_file ? (unsigned long long)v->vm_pgoff << PAGE_SHIFT : 0;
	unsigned int major = 0, minor = v->vm_file ? 1 : 0; /* shmem's anonymous superblock: 00:01 */
	unsigned long ino = v->vm_file ? v->vm_file->ino : 0;
	int n;

	n = snprintf(out, size, "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu ", v->vm_start, v->vm_end,
		     v->vm_flags & VM_READ ? 'r' : '-', v->vm_flags & VM_WRITE ? 'w' : '-',
		     v->vm_flags & VM_EXEC ? 'x' : '-', v->vm_flags & VM_MAYSHARE ? 's' : 'p', off,
		     major, minor, ino);
	if (v->vm_file) {
		/* seq_pad(): to column 72, then one space, then the name */
		if (n < 72)
			n += snprintf(out + n, size - (size_t)n, "%*s", 72 - n, "");
		n += snprintf(out + n, size - (size_t)n, " %s", v->vm_file->name);
	}
	n += snprintf(out + n, size - (size_t)n, "\n");
	return n;
}

int kcore_mm_format_maps(struct kcore_mm_struct *mm, char *buf, size_t len)
{
	char line[512];
	size_t total = 0;
	unsigned int slot;

	if (!mm || (!buf && len))
		return -EINVAL;
	slot = mmap_read_lock(mm);
	for (int i = 0; i < mm->map_count; i++) {
		int n = maps_line(mm->vmas[i], line, sizeof(line));

		if (buf && total < len)
			memcpy(buf + total, line, min((size_t)n, len - total));
		total += (size_t)n;
	}
	mmap_read_unlock(mm, slot);
	if (buf && len)
		buf[min(total, len - 1)] = '\0';
	if (total > 0x7fffffff)
		return -EOVERFLOW;
	return (int)total;
}

int kcore_mm_setrlimit(struct kcore_mm_struct *mm, int resource, unsigned long cur)
{
	if (!mm)
		return -EINVAL;
	mmap_write_lock(mm);
	switch (resource) {
	case RLIMIT_AS:
		mm->rlim_as = cur;
		break;
	case RLIMIT_MEMLOCK:
		mm->rlim_memlock = cur;
		break;
	default:
		mmap_write_unlock(mm);
		return -EINVAL;
	}
	mmap_write_unlock(mm);
	return 0;
}

int kcore_mm_set_capable(struct kcore_mm_struct *mm, int cap, bool on)
{
	if (!mm)
		return -EINVAL;
	mmap_write_lock(mm);
	switch (cap) {
	case KCORE_CAP_IPC_LOCK:
		mm->cap_ipc_lock = on;
		break;
	case KCORE_CAP_SYS_RAWIO:
		mm->cap_sys_rawio = on;
		break;
	default:
		mmap_write_unlock(mm);
		return -EINVAL;
	}
	mmap_write_unlock(mm);
	return 0;
}
