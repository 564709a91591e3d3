// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mlock.c - mlock, mlock2, munlock, mlockall, munlockall.
 *
 * Mirrors Linux v6.18 mm/mlock.c: do_mlock() (EPERM from can_do_mlock,
 * the RLIMIT_MEMLOCK check that discounts already-locked pages,
 * count_mm_mlocked_page_nr), apply_vma_lock_flags() (not atomic across a
 * hole: -ENOMEM after the VMAs before it changed), mlock_fixup()
 * (locked_vm accounting, no double count when re-locking),
 * apply_mlockall_flags() and __mlock_posix_error_return().
 */
#include <kcore/vm.h>

#include "vm_internal.h"
#include <errno.h>
#include <sys/mman.h>

#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT 0x01
#endif
#ifndef MCL_ONFAULT
#define MCL_ONFAULT 4
#endif

/* mlock_fixup(): returns the VMA now covering [start, end), or ERR_PTR. */
static struct kcore_vm_area_struct *mlock_fixup(struct kcore_mm_struct *mm,
						struct kcore_vm_area_struct *vma,
						unsigned long start, unsigned long end,
						unsigned long newflags)
{
	unsigned long oldflags = vma->vm_flags;
	long nr_pages;

	if (newflags == oldflags || (oldflags & VM_SPECIAL))
		return vma;
	vma = kcore__vma_modify_flags(mm, vma, start, end, newflags);
	if (KCORE_IS_ERR(vma))
		return vma;
	nr_pages = (long)((end - start) >> PAGE_SHIFT);
	if (!(newflags & VM_LOCKED))
		nr_pages = -nr_pages;
	else if (oldflags & VM_LOCKED)
		nr_pages = 0;
	mm->locked_vm += (unsigned long)nr_pages;
	/* Re-locking a locked range changes only the flags (no second mlock). */
	if (!((newflags & VM_LOCKED) && (oldflags & VM_LOCKED)) &&
	    ((newflags ^ oldflags) & VM_LOCKED))
		kcore__mlock_page_range(vma, start, end, newflags & VM_LOCKED);
	return vma;
}

static int apply_vma_lock_flags(struct kcore_mm_struct *mm, unsigned long start,
				unsigned long len, unsigned long flags)
{
	unsigned long end = start + len, nstart, tmp;
	struct kcore_vm_area_struct *vma;

	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	vma = kcore__find_vma(mm, start);
	if (!vma || vma->vm_start > start)
		return -ENOMEM;
	nstart = start;
	tmp = vma->vm_start;
	while (vma && vma->vm_start < end) {
		unsigned long newflags;

		if (vma->vm_start != tmp)
			return -ENOMEM;
		newflags = (vma->vm_flags & ~VM_LOCKED_MASK) | flags;
		tmp = min(vma->vm_end, end);
		vma = mlock_fixup(mm, vma, nstart, tmp, newflags);
		if (KCORE_IS_ERR(vma))
			return (int)KCORE_PTR_ERR(vma);
		tmp = vma->vm_end;
		nstart = tmp;
		vma = kcore__find_vma(mm, tmp);
	}
	if (tmp < end)
		return -ENOMEM;
	return 0;
}

/* count_mm_mlocked_page_nr(), including its arithmetic. */
static unsigned long count_mm_mlocked_page_nr(struct kcore_mm_struct *mm, unsigned long start,
					      unsigned long len)
{
	unsigned long end = start + len, count = 0;

	if (end < start)
		end = ~0UL;
	for (int i = kcore__vma_index(mm, start); i < mm->map_count; i++) {
		struct kcore_vm_area_struct *v = mm->vmas[i];

		if (v->vm_start >= end)
			break;
		if (v->vm_flags & VM_LOCKED) {
			if (start > v->vm_start)
				count -= start - v->vm_start;
			if (end < v->vm_end) {
				count += end - v->vm_start;
				break;
			}
			count += v->vm_end - v->vm_start;
		}
	}
	return count >> PAGE_SHIFT;
}

static long do_mlock(struct kcore_mm_struct *mm, unsigned long start, unsigned long len,
		     unsigned long flags)
{
	unsigned long lock_limit, locked;
	long error = -ENOMEM;

	if (!kcore__can_do_mlock(mm))
		return -EPERM;
	len = PAGE_ALIGN(len + offset_in_page(start));
	start &= PAGE_MASK;
	lock_limit = mm->rlim_memlock >> PAGE_SHIFT;
	locked = len >> PAGE_SHIFT;

	mmap_write_lock(mm);
	locked += mm->locked_vm;
	if (locked > lock_limit && !mm->cap_ipc_lock)
		locked -= count_mm_mlocked_page_nr(mm, start, len);
	if (locked <= lock_limit || mm->cap_ipc_lock)
		error = apply_vma_lock_flags(mm, start, len, flags);
	mmap_write_unlock(mm);
	if (error)
		return error;
	error = kcore__mm_populate(mm, start, len, false);
	/* __mlock_posix_error_return() */
	if (error == -EFAULT)
		return -ENOMEM;
	if (error == -ENOMEM)
		return -EAGAIN;
	return error;
}

long kcore_mlock(struct kcore_mm_struct *mm, unsigned long addr, unsigned long len)
{
	if (!mm)
		return -EINVAL;
	return do_mlock(mm, addr, len, VM_LOCKED);
}

long kcore_mlock2(struct kcore_mm_struct *mm, unsigned long addr, unsigned long len,
		  unsigned int flags)
{
	unsigned long vm_flags = VM_LOCKED;

	if (!mm || (flags & ~(unsigned int)MLOCK_ONFAULT))
		return -EINVAL;
	if (flags & MLOCK_ONFAULT)
		vm_flags |= VM_LOCKONFAULT;
	return do_mlock(mm, addr, len, vm_flags);
}

long kcore_munlock(struct kcore_mm_struct *mm, unsigned long addr, unsigned long len)
{
	long ret;

	if (!mm)
		return -EINVAL;
	len = PAGE_ALIGN(len + offset_in_page(addr));
	addr &= PAGE_MASK;
	mmap_write_lock(mm);
	ret = apply_vma_lock_flags(mm, addr, len, 0);
	mmap_write_unlock(mm);
	return ret;
}

static void apply_mlockall_flags(struct kcore_mm_struct *mm, int flags)
{
	unsigned long to_add = 0, addr = 0;

	mm->def_flags &= ~VM_LOCKED_MASK;
	if (flags & MCL_FUTURE) {
		mm->def_flags |= VM_LOCKED;
		if (flags & MCL_ONFAULT)
			mm->def_flags |= VM_LOCKONFAULT;
		if (!(flags & MCL_CURRENT))
			return;
	}
	if (flags & MCL_CURRENT) {
		to_add |= VM_LOCKED;
		if (flags & MCL_ONFAULT)
			to_add |= VM_LOCKONFAULT;
	}
	for (;;) {
		struct kcore_vm_area_struct *vma = kcore__find_vma(mm, addr), *r;
		unsigned long newflags;

		if (!vma)
			break;
		newflags = (vma->vm_flags & ~VM_LOCKED_MASK) | to_add;
		/* Errors are ignored, as the kernel does. */
		r = mlock_fixup(mm, vma, vma->vm_start, vma->vm_end, newflags);
		addr = KCORE_IS_ERR(r) ? vma->vm_end : r->vm_end;
	}
}

long kcore_mlockall(struct kcore_mm_struct *mm, int flags)
{
	long ret = -ENOMEM;

	if (!mm)
		return -EINVAL;
	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) || flags == MCL_ONFAULT)
		return -EINVAL;
	if (!kcore__can_do_mlock(mm))
		return -EPERM;
	mmap_write_lock(mm);
	/* The whole total_vm, not a request size, is compared with the limit. */
	if (!(flags & MCL_CURRENT) || mm->total_vm <= mm->rlim_memlock >> PAGE_SHIFT ||
	    mm->cap_ipc_lock) {
		apply_mlockall_flags(mm, flags);
		ret = 0;
	}
	mmap_write_unlock(mm);
	if (!ret && (flags & MCL_CURRENT))
		(void)kcore__mm_populate(mm, 0, TASK_SIZE, true);
	return ret;
}

long kcore_munlockall(struct kcore_mm_struct *mm)
{
	if (!mm)
		return -EINVAL;
	mmap_write_lock(mm);
	apply_mlockall_flags(mm, 0);
	mmap_write_unlock(mm);
	return 0;
}
