/* SPDX-License-Identifier: MIT */
/*
 * Interface version selection. Xen lets a guest pin an older version of
 * its public interface by defining __XEN_INTERFACE_VERSION__ (and gives
 * the oldest to a guest that defines nothing). Satori implements exactly
 * one, the one Xen 4.17 calls the latest, 0x00040e00: a guest that names
 * no version gets it, and so do the hypervisor and the toolstack. Naming
 * any other version is a compile error rather than a silent difference:
 * older versions change hypercall numbers (sched_op, event_channel_op),
 * structure sizes (dom0_vga_console_info) and the type of guest handles.
 */
#ifndef __XEN_PUBLIC_XEN_COMPAT_H__
#define __XEN_PUBLIC_XEN_COMPAT_H__

#define __XEN_LATEST_INTERFACE_VERSION__ 0x00040e00

#if defined(__XEN__) || defined(__XEN_TOOLS__)
#define __XEN_INTERFACE_VERSION__ __XEN_LATEST_INTERFACE_VERSION__
#elif !defined(__XEN_INTERFACE_VERSION__)
#define __XEN_INTERFACE_VERSION__ __XEN_LATEST_INTERFACE_VERSION__
#endif

#if __XEN_INTERFACE_VERSION__ != __XEN_LATEST_INTERFACE_VERSION__
#error "Satori's public headers implement interface 0x00040e00 only: leave __XEN_INTERFACE_VERSION__ undefined or set it to __XEN_LATEST_INTERFACE_VERSION__."
#endif

/* Older spelling of XEN_FLEX_ARRAY_DIM (xen.h), still used by some headers. */
#define COMPAT_FLEX_ARRAY_DIM XEN_FLEX_ARRAY_DIM

#endif /* __XEN_PUBLIC_XEN_COMPAT_H__ */
