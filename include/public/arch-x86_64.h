/* SPDX-License-Identifier: MIT */
/*
 * Older name for the x86-64 architecture header, still included by some
 * guests; it is arch-x86/xen.h (and so all of xen.h).
 */
#include "arch-x86/xen.h"
