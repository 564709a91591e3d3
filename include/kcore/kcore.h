/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kcore.h - umbrella header: the whole public API of libkcore.
 *
 * Modules land one at a time; this header includes those that exist.
 */
#ifndef KCORE_KCORE_H
#define KCORE_KCORE_H

#include <kcore/compiler.h>
#include <kcore/version.h>
#include <kcore/err.h>
#include <kcore/core.h>
#include <kcore/pid.h>
#include <kcore/vm.h>

#endif /* KCORE_KCORE_H */
