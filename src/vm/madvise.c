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
 * KCORE: the other advice values the kernel knows (MADV_REMOVE,
 * MADV_DONTFORK, MADV_COLD, ...) are refused with -EINVAL here.
 */
#include <kcore/vm.h>

#include "vm_internal.h"
#include <errno.h>
#include <sys/mman.h>

static bool behavior_valid(int advice)
{
	switch (advice) {
	case MADV_NORMAL:
	case MADV_RANDOM:
	case MADV_SEQUENTIAL:
	case MADV_WILLNEED:
	case MADV_DONTNEED:
	case MADV_FREE:
		return true;
	default:
		return false;
	}
}

static bool behavior_needs_write_lock(int advice)
{
	return advice == MADV_NORMAL || advice == MADV_RANDOM || advice == MADV_SEQUENTIAL;
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
	default:
		newflags = vma->vm_flags & ~(VM_RAND_READ | VM_SEQ_READ);
		if (advice == MADV_RANDOM)
			newflags |= VM_RAND_READ;
		else if (advice == MADV_SEQUENTIAL)
			newflags |= VM_SEQ_READ;
		if (newflags == vma->vm_flags)
			return vma;
		vma = kcore__vma_modify_flags(mm, vma, start, end, newflags);
		/* madvise_vma_behavior(): resources temporarily unavailable */
		if (KCORE_IS_ERR(vma) && KCORE_PTR_ERR(vma) == -ENOMEM)
			return KCORE_ERR_PTR(-EAGAIN);
		return vma;
	}
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
