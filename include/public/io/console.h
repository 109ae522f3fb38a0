/* SPDX-License-Identifier: MIT */
/*
 * The PV console ring: one shared page (its frame in
 * start_info.console.domU, or a grant the toolstack set up) holding an
 * input ring written by the backend and an output ring written by the
 * guest, each with free-running indices, signalled through the console
 * event channel.
 */
#ifndef __XEN_PUBLIC_IO_CONSOLE_H__
#define __XEN_PUBLIC_IO_CONSOLE_H__

#include <stdint.h>

typedef uint32_t XENCONS_RING_IDX;

/* idx reduced into ring, an array whose size is a power of two. */
#define MASK_XENCONS_IDX(idx, ring) ((idx) & (sizeof(ring) - 1))

struct xencons_interface {
    char in[1024];
    char out[2048];
    XENCONS_RING_IDX in_cons, in_prod;
    XENCONS_RING_IDX out_cons, out_prod;
};

/* The byte-stream helpers of io/ring.h for this ring, on request. */
#ifdef XEN_WANT_FLEX_CONSOLE_RING
#include "ring.h"
DEFINE_XEN_FLEX_RING(xencons);
#endif

#endif /* __XEN_PUBLIC_IO_CONSOLE_H__ */
