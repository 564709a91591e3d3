/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mman_compat.h - the Linux <sys/mman.h> values the vm tests use that an
 * older libc may not define (values from the kernel's uapi headers).
 */
#ifndef KCORE_TESTS_VM_MMAN_COMPAT_H
#define KCORE_TESTS_VM_MMAN_COMPAT_H

#include <sys/mman.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif
#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT 1
#endif
#ifndef MCL_ONFAULT
#define MCL_ONFAULT 4
#endif
#ifndef MADV_FREE
#define MADV_FREE 8
#endif

#endif /* KCORE_TESTS_VM_MMAN_COMPAT_H */
