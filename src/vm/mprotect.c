// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mprotect.c - mprotect(2).
 *
 * Mirrors Linux v6.18 mm/mprotect.c: do_mprotect_pkey() (argument order,
 * PROT_GROWSDOWN, the VMA-by-VMA walk that stops with -ENOMEM at a hole
 * after changing the VMAs before it, -EACCES when VM_MAY* forbids) and
 * mprotect_fixup() (VM_ACCOUNT on first write permission, vma_modify,
 * vm_stat_account, change_protection, one TLB flush per range).
 */
#include <kcore/vm.h>

#include "vm_internal.h"
#include <errno.h>
#include <sys/mman.h>

#ifndef PROT_SEM
#define PROT_SEM 0x8
#endif

static unsigned long calc_vm_prot_bits(unsigned long prot)
{
	return (prot & PROT_READ ? VM_READ : 0) | (prot & PROT_WRITE ? VM_WRITE : 0) |
	       (prot & PROT_EXEC ? VM_EXEC : 0);
}

/* mprotect_fixup(): returns the VMA covering [start, end) or an ERR_PTR. */
static struct kcore_vm_area_struct *mprotect_fixup(struct kcore_mm_struct *mm,
						   struct kcore_vm_area_struct *vma,
						   unsigned long start, unsigned long end,
						   unsigned long newflags)
{
	unsigned long oldflags = vma->vm_flags;
	long nrpages = (long)((end - start) >> PAGE_SHIFT);

	if (newflags == oldflags)
		return vma;
	if (newflags & VM_WRITE) {
		/* Check space limits when the area turns into data. */
		if (!kcore__may_expand_vm(mm, newflags, (unsigned long)nrpages) &&
		    kcore__may_expand_vm(mm, oldflags, (unsigned long)nrpages))
			return KCORE_ERR_PTR(-ENOMEM);
		/* A private mapping gaining write permission is charged (VM_ACCOUNT). */
		if (!(oldflags & (VM_ACCOUNT | VM_WRITE | VM_SHARED | VM_NORESERVE)))
			newflags |= VM_ACCOUNT;
	} else if ((oldflags & VM_ACCOUNT) && vma_is_anonymous(vma) && !vma->anon_vma) {
		/* Nothing was written yet: the charge is given back. */
		newflags &= ~VM_ACCOUNT;
	}
	vma = kcore__vma_modify_flags(mm, vma, start, end, newflags);
	if (KCORE_IS_ERR(vma))
		return vma;
	kcore__vm_stat_account(mm, oldflags, -nrpages);
	kcore__vm_stat_account(mm, newflags, nrpages);
	kcore__mmu_notifier_invalidate_range_start(mm, MMU_NOTIFY_PROTECTION_VMA, start, end);
	if (kcore__change_protection(vma, start, end, newflags))
		kcore__flush_tlb_range(mm, start, end);
	kcore__mmu_notifier_invalidate_range_end(mm, MMU_NOTIFY_PROTECTION_VMA, start, end);
	/* A private VM_LOCKED VMA becoming writable: break COW now, not on access. */
	if ((oldflags & (VM_WRITE | VM_SHARED | VM_LOCKED)) == VM_LOCKED && (newflags & VM_WRITE) &&
	    !(newflags & VM_LOCKONFAULT))
		(void)kcore__get_user_pages(mm, start, (end - start) >> PAGE_SHIFT,
					    FOLL_WRITE | FOLL_FORCE, NULL);
	return vma;
}

long kcore_mprotect(struct kcore_mm_struct *mm, unsigned long start, unsigned long len,
		    unsigned long prot)
{
	unsigned long grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP), end, nstart, tmp;
	struct kcore_vm_area_struct *vma;
	long error = 0;

	if (!mm)
		return -EINVAL;
	prot &= ~grows;
	if (grows == (PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	if (offset_in_page(start))
		return -EINVAL;
	if (!len)
		return 0;
	len = PAGE_ALIGN(len);
	end = start + len;
	if (end <= start)
		return -ENOMEM;
	/* arch_validate_prot() */
	if (prot & ~(unsigned long)(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM))
		return -EINVAL;

	mmap_write_lock(mm);
	vma = kcore__find_vma_intersection(mm, start, end);
	if (!vma) {
		error = -ENOMEM;
		goto out;
	}
	if (grows & PROT_GROWSDOWN) {
		if (vma->vm_start >= end) {
			error = -ENOMEM;
			goto out;
		}
		start = vma->vm_start;
		if (!(vma->vm_flags & VM_GROWSDOWN)) {
			error = -EINVAL;
			goto out;
		}
	} else if (vma->vm_start > start) {
		error = -ENOMEM;
		goto out;
	}
	nstart = start;
	tmp = vma->vm_start;
	while (vma && vma->vm_start < end) {
		unsigned long newflags;

		if (vma->vm_start != tmp) {
			error = -ENOMEM;
			break;
		}
		newflags = calc_vm_prot_bits(prot) | (vma->vm_flags & ~VM_ACCESS_FLAGS);
		/* newflags >> 4 shifts VM_MAY% into VM_% */
		if ((newflags & ~(newflags >> 4)) & VM_ACCESS_FLAGS) {
			error = -EACCES;
			break;
		}
		tmp = min(vma->vm_end, end);
		vma = mprotect_fixup(mm, vma, nstart, tmp, newflags);
		if (KCORE_IS_ERR(vma)) {
			error = KCORE_PTR_ERR(vma);
			break;
		}
		tmp = vma->vm_end;
		nstart = tmp;
		vma = kcore__find_vma(mm, tmp);
	}
	if (!error && tmp < end)
		error = -ENOMEM;
out:
	mmap_write_unlock(mm);
	return error;
}
