/* SPDX-License-Identifier: MIT */
/*
 * Interface version selection. Xen lets a guest pin an older version of
 * the public interface by defining __XEN_INTERFACE_VERSION__; Satori
 * implements exactly one, the one Xen 4.17 calls the latest (0x00040e00).
 * A guest that names no version gets it; the hypervisor and the toolstack
 * always do. A guest that names an older one gets it too: on x86-64 none of
 * the structures Xen versioned changed layout, only legacy alias names went
 * away, so such a guest either builds against the same ABI or fails to
 * compile, never silently differs.
 */
#ifndef __XEN_PUBLIC_XEN_COMPAT_H__
#define __XEN_PUBLIC_XEN_COMPAT_H__

#define __XEN_LATEST_INTERFACE_VERSION__ 0x00040e00

#if defined(__XEN__) || defined(__XEN_TOOLS__)
#define __XEN_INTERFACE_VERSION__ __XEN_LATEST_INTERFACE_VERSION__
#elif !defined(__XEN_INTERFACE_VERSION__)
#define __XEN_INTERFACE_VERSION__ __XEN_LATEST_INTERFACE_VERSION__
#endif

#if __XEN_INTERFACE_VERSION__ > __XEN_LATEST_INTERFACE_VERSION__
#error "Satori's public headers implement interface 0x00040e00 at most."
#endif

/* Older spelling of XEN_FLEX_ARRAY_DIM (xen.h), still used by some headers. */
#define COMPAT_FLEX_ARRAY_DIM XEN_FLEX_ARRAY_DIM

#endif /* __XEN_PUBLIC_XEN_COMPAT_H__ */
