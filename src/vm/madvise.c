// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * madvise.c - madvise(2) for MADV_NORMAL, RANDOM, SEQUENTIAL, WILLNEED,
 * DONTNEED and FREE.
 *
 * Mirrors Linux v6.18 mm/madvise.c: is_valid_madvise() (alignment, length
 * and behaviour checks), madvise_walk_vmas() (mapped parts are advised,
 * a hole makes the result -ENOMEM), madvise_update_vma() (split failures
 * become -EAGAIN), madvise_dontneed_free_valid_vma() (-EINVAL on locked
 * VMAs), MADV_FREE only on anonymous private memory.
 *
 * Also the fork/dump/THP/KSM flag advices (DONTFORK, DOFORK, WIPEONFORK,
 * KEEPONFORK, DONTDUMP, DODUMP, HUGEPAGE, NOHUGEPAGE, MERGEABLE,
 * UNMERGEABLE: VMA flags with split/merge), REMOVE (hole punch of shared
 * memory), COLD/PAGEOUT (validated; no reclaim until vm 2/2),
 * POPULATE_READ/WRITE (madvise_populate()), DONTNEED_LOCKED and COLLAPSE
 * (-EINVAL per VMA, as the host answers for base pages).
 *
 * MADV_GUARD_INSTALL/REMOVE (v6.13 guard regions): marker PTEs that fault
 * with SIGSEGV, survive MADV_DONTNEED, truncate, mprotect and fork, and go
 * away with munmap.
 *
 * KCORE: the CAP_SYS_ADMIN-only HWPOISON/SOFT_OFFLINE are refused with -EINVAL.
 */
#include <kcore/vm.h>

#include "vm_internal.h"
#include <errno.h>
#include <sys/mman.h>

/* Advice values newer than some libc headers. */
#define ADV_COLD 20
#define ADV_PAGEOUT 21
#define ADV_POPULATE_READ 22
#define ADV_POPULATE_WRITE 23
#define ADV_DONTNEED_LOCKED 24
#define ADV_COLLAPSE 25
#define ADV_GUARD_INSTALL 102
#define ADV_GUARD_REMOVE 103

static bool behavior_valid(int advice)
{
	switch (advice) {
	case MADV_NORMAL:
	case MADV_RANDOM:
	case MADV_SEQUENTIAL:
	case MADV_WILLNEED:
	case MADV_DONTNEED:
	case MADV_FREE:
	case MADV_REMOVE:
	case MADV_DONTFORK:
	case MADV_DOFORK:
	case MADV_MERGEABLE:
	case MADV_UNMERGEABLE:
	case MADV_HUGEPAGE:
	case MADV_NOHUGEPAGE:
	case MADV_DONTDUMP:
	case MADV_DODUMP:
	case MADV_WIPEONFORK:
	case MADV_KEEPONFORK:
	case ADV_COLD:
	case ADV_PAGEOUT:
	case ADV_POPULATE_READ:
	case ADV_POPULATE_WRITE:
	case ADV_DONTNEED_LOCKED:
	case ADV_COLLAPSE:
	case ADV_GUARD_INSTALL:
	case ADV_GUARD_REMOVE:
		return true;
	default:
		return false;
	}
}

/* Advice that only changes VMA flags takes the mmap lock for writing. */
static bool behavior_needs_write_lock(int advice)
{
	switch (advice) {
	case MADV_NORMAL:
	case MADV_RANDOM:
	case MADV_SEQUENTIAL:
	case MADV_DONTFORK:
	case MADV_DOFORK:
	case MADV_MERGEABLE:
	case MADV_UNMERGEABLE:
	case MADV_HUGEPAGE:
	case MADV_NOHUGEPAGE:
	case MADV_DONTDUMP:
	case MADV_DODUMP:
	case MADV_WIPEONFORK:
	case MADV_KEEPONFORK:
		return true;
	default:
		return false;
	}
}

/* The new vm_flags for a flag advice, or an errno (negative). */
static long advice_flags(const struct kcore_vm_area_struct *vma, int advice)
{
	unsigned long f = vma->vm_flags;

	switch (advice) {
	case MADV_NORMAL:
		return (long)(f & ~(VM_RAND_READ | VM_SEQ_READ));
	case MADV_RANDOM:
		return (long)((f & ~VM_SEQ_READ) | VM_RAND_READ);
	case MADV_SEQUENTIAL:
		return (long)((f & ~VM_RAND_READ) | VM_SEQ_READ);
	case MADV_DONTFORK:
		return (long)(f | VM_DONTCOPY);
	case MADV_DOFORK:
		if (f & VM_IO)
			return -EINVAL;
		return (long)(f & ~VM_DONTCOPY);
	case MADV_WIPEONFORK:
		/* only anonymous private memory */
		if (vma->vm_file || (f & VM_SHARED))
			return -EINVAL;
		return (long)(f | VM_WIPEONFORK);
	case MADV_KEEPONFORK:
		return (long)(f & ~VM_WIPEONFORK);
	case MADV_DONTDUMP:
		return (long)(f | VM_DONTDUMP);
	case MADV_DODUMP:
		if (f & VM_SPECIAL)
			return -EINVAL;
		return (long)(f & ~VM_DONTDUMP);
	case MADV_HUGEPAGE:
		return (long)((f & ~VM_NOHUGEPAGE) | VM_HUGEPAGE);
	case MADV_NOHUGEPAGE:
		return (long)((f & ~VM_HUGEPAGE) | VM_NOHUGEPAGE);
	case MADV_MERGEABLE:
		/* vma_ksm_compatible(): KSM leaves shared and special memory alone */
		if (f & (VM_SHARED | VM_MAYSHARE | VM_PFNMAP | VM_IO | VM_DONTEXPAND | VM_MIXEDMAP))
			return (long)f;
		return (long)(f | VM_MERGEABLE);
	default: /* MADV_UNMERGEABLE */
		return (long)(f & ~VM_MERGEABLE);
	}
}

/* One VMA piece; returns the VMA that now covers [start, end) or ERR_PTR. */
static struct kcore_vm_area_struct *visit(struct kcore_mm_struct *mm,
					  struct kcore_vm_area_struct *vma, unsigned long start,
					  unsigned long end, int advice)
{
	unsigned long newflags;
	struct mmu_gather tlb;

	switch (advice) {
	case MADV_WILLNEED:
		/* Anonymous memory has nothing to read ahead; shmem pages appear on fault. */
		return vma;
	case MADV_DONTNEED:
	case MADV_FREE:
		if (vma->vm_flags & (VM_LOCKED | VM_PFNMAP))
			return KCORE_ERR_PTR(-EINVAL);
		if (advice == MADV_FREE) {
			if (!vma_is_anonymous(vma))
				return KCORE_ERR_PTR(-EINVAL);
			kcore__mmu_notifier_invalidate_range_start(mm, MMU_NOTIFY_CLEAR, start, end);
			kcore__madv_free_range(vma, start, end);
			kcore__mmu_notifier_invalidate_range_end(mm, MMU_NOTIFY_CLEAR, start, end);
			return vma;
		}
		update_hiwater_rss(mm);
		kcore__mmu_notifier_invalidate_range_start(mm, MMU_NOTIFY_CLEAR, start, end);
		kcore__tlb_gather_mmu(&tlb, mm);
		kcore__zap_page_range(&tlb, vma, start, end);
		kcore__tlb_finish_mmu(&tlb);
		kcore__mmu_notifier_invalidate_range_end(mm, MMU_NOTIFY_CLEAR, start, end);
		return vma;
	case ADV_DONTNEED_LOCKED:
		if (vma->vm_flags & VM_PFNMAP)
			return KCORE_ERR_PTR(-EINVAL);
		update_hiwater_rss(mm);
		kcore__mmu_notifier_invalidate_range_start(mm, MMU_NOTIFY_CLEAR, start, end);
		kcore__tlb_gather_mmu(&tlb, mm);
		kcore__zap_page_range(&tlb, vma, start, end);
		kcore__tlb_finish_mmu(&tlb);
		kcore__mmu_notifier_invalidate_range_end(mm, MMU_NOTIFY_CLEAR, start, end);
		return vma;
	case MADV_REMOVE:
		/* madvise_remove(): punch a hole in shared, writable memory */
		if (vma->vm_flags & VM_LOCKED)
			return KCORE_ERR_PTR(-EINVAL);
		if (!vma->vm_file)
			return KCORE_ERR_PTR(-EINVAL);
		if ((vma->vm_flags & (VM_SHARED | VM_MAYWRITE)) != (VM_SHARED | VM_MAYWRITE))
			return KCORE_ERR_PTR(-EACCES);
		kcore__vm_file_punch(vma->vm_file, linear_page_index(vma, start),
				     linear_page_index(vma, end));
		return vma;
	case ADV_COLD:
	case ADV_PAGEOUT:
		/* can_madv_lru_vma(); the reclaim itself comes with vm 2/2 */
		if (vma->vm_flags & (VM_LOCKED | VM_PFNMAP))
			return KCORE_ERR_PTR(-EINVAL);
		return vma;
	case ADV_COLLAPSE:
		/* no huge pages here: nothing can be collapsed */
		return KCORE_ERR_PTR(-EINVAL);
	case ADV_GUARD_INSTALL:
		/* is_valid_guard_vma(): not on locked or special memory */
		if (vma->vm_flags & (VM_LOCKED | VM_SPECIAL))
			return KCORE_ERR_PTR(-EINVAL);
		/* fork copies the markers only where it copies page tables */
		if (vma_is_anonymous(vma) && kcore__anon_vma_prepare(vma))
			return KCORE_ERR_PTR(-ENOMEM);
		update_hiwater_rss(mm);
		kcore__mmu_notifier_invalidate_range_start(mm, MMU_NOTIFY_CLEAR, start, end);
		kcore__tlb_gather_mmu(&tlb, mm);
		kcore__zap_page_range(&tlb, vma, start, end);
		kcore__tlb_finish_mmu(&tlb);
		kcore__mmu_notifier_invalidate_range_end(mm, MMU_NOTIFY_CLEAR, start, end);
		if (kcore__guard_install_range(vma, start, end))
			return KCORE_ERR_PTR(-ENOMEM);
		return vma;
	case ADV_GUARD_REMOVE:
		if (vma->vm_flags & VM_SPECIAL)
			return KCORE_ERR_PTR(-EINVAL);
		kcore__guard_remove_range(vma, start, end);
		return vma;
	default:
		newflags = (unsigned long)advice_flags(vma, advice);
		if ((long)newflags < 0 && (long)newflags > -4096)
			return KCORE_ERR_PTR((long)newflags);
		if (newflags == vma->vm_flags)
			return vma;
		vma = kcore__vma_modify_flags(mm, vma, start, end, newflags);
		/* madvise_vma_behavior(): resources temporarily unavailable */
		if (KCORE_IS_ERR(vma) && KCORE_PTR_ERR(vma) == -ENOMEM)
			return KCORE_ERR_PTR(-EAGAIN);
		return vma;
	}
}

/* madvise_populate(): fault the whole range in, without walking holes. */
static long madvise_populate(struct kcore_mm_struct *mm, unsigned long start, unsigned long end,
			     bool write)
{
	unsigned int gup_flags = write ? FOLL_WRITE : 0;

	while (start < end) {
		struct kcore_vm_area_struct *vma = kcore__find_vma(mm, start);
		unsigned long e;
		long ret, err = -EFAULT;

		if (!vma || vma->vm_start > start)
			return -ENOMEM;
		if (vma->vm_flags & (VM_IO | VM_PFNMAP))
			return -EINVAL;
		/* check_vma_flags(): incompatible permissions */
		if (write ? !(vma->vm_flags & VM_WRITE) : !(vma->vm_flags & VM_READ))
			return -EINVAL;
		e = min(end, vma->vm_end);
		ret = kcore__get_user_pages_err(mm, start, (e - start) >> PAGE_SHIFT, gup_flags, NULL,
						&err);
		if (ret < 0 || (unsigned long)ret < (e - start) >> PAGE_SHIFT)
			return (ret < 0 ? ret : err) == -EFAULT ? -EFAULT : -ENOMEM;
		start = e;
	}
	return 0;
}

long kcore_madvise(struct kcore_mm_struct *mm, unsigned long start, unsigned long len_in,
		   int advice)
{
	unsigned long len, end, s;
	struct kcore_vm_area_struct *vma;
	long unmapped_error = 0, error = 0;
	unsigned int slot = 0;
	bool write;

	if (!mm)
		return -EINVAL;
	/* is_valid_madvise() */
	if (offset_in_page(start))
		return -EINVAL;
	len = PAGE_ALIGN(len_in);
	if (len_in && !len)
		return -EINVAL;
	if (start + len < start)
		return -EINVAL;
	if (!behavior_valid(advice))
		return -EINVAL;
	end = start + len;
	if (end == start)
		return 0;

	if (advice == ADV_POPULATE_READ || advice == ADV_POPULATE_WRITE) {
		slot = mmap_read_lock(mm);
		error = madvise_populate(mm, start, end, advice == ADV_POPULATE_WRITE);
		mmap_read_unlock(mm, slot);
		return error;
	}
	write = behavior_needs_write_lock(advice);
	if (write)
		mmap_write_lock(mm);
	else
		slot = mmap_read_lock(mm);
	/* madvise_walk_vmas() */
	s = start;
	vma = kcore__find_vma(mm, s);
	for (;;) {
		unsigned long tmp;

		if (!vma) {
			error = -ENOMEM;
			break;
		}
		if (s < vma->vm_start) {
			unmapped_error = -ENOMEM;
			s = vma->vm_start;
			if (s >= end)
				break;
		}
		tmp = min(vma->vm_end, end);
		vma = visit(mm, vma, s, tmp, advice);
		if (KCORE_IS_ERR(vma)) {
			error = KCORE_PTR_ERR(vma);
			break;
		}
		s = max(tmp, vma->vm_end);
		if (s >= end)
			break;
		vma = kcore__find_vma(mm, s);
	}
	if (write)
		mmap_write_unlock(mm);
	else
		mmap_read_unlock(mm, slot);
	return error ? error : unmapped_error;
}
