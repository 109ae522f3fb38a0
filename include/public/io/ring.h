/* SPDX-License-Identifier: MIT */
/*
 * Shared-memory rings, the transport of every split driver. A ring lives
 * in one granted page: four indices, then a power-of-two array of slots,
 * each holding a request (written by the frontend) or its response
 * (written by the backend in the same slot). Indices run freely and are
 * masked on use, so they may wrap.
 *
 *   DEFINE_RING_TYPES(foo, req_t, rsp_t) declares foo_sring_t (the shared
 *   page), foo_front_ring_t and foo_back_ring_t (each end's private
 *   cursor). The frontend calls XEN_FRONT_RING_INIT (or SHARED_RING_INIT
 *   then FRONT_RING_INIT), the backend BACK_RING_INIT.
 *
 * Notifications are held off with req_event/rsp_event: a producer only
 * signals the event channel when the index it publishes passes the event
 * index the consumer asked for (RING_PUSH_*_AND_CHECK_NOTIFY); a consumer
 * re-arms the event index before sleeping (RING_FINAL_CHECK_FOR_*).
 * The macros do no locking; the includer provides xen_mb(), xen_rmb()
 * and xen_wmb() (full, read and write barriers), and memcpy/size_t and
 * grant_ref_t for the DEFINE_XEN_FLEX_RING* variants.
 */
#ifndef __XEN_PUBLIC_IO_RING_H__
#define __XEN_PUBLIC_IO_RING_H__

#include "../xen-compat.h"
#include <stdint.h>

typedef unsigned int RING_IDX;

/*
 * The largest power of two not above _x, for 32-bit _x, as a constant
 * expression (so ring sizes can size arrays). Each step halves the
 * bits it looks at.
 */
#define __RD2(_x)  (((_x) & 0x00000002) ? 0x2 : ((_x) & 0x1))
#define __RD4(_x)  (((_x) & 0x0000000c) ? __RD2((_x) >> 2) << 2 : __RD2(_x))
#define __RD8(_x)  (((_x) & 0x000000f0) ? __RD4((_x) >> 4) << 4 : __RD4(_x))
#define __RD16(_x) (((_x) & 0x0000ff00) ? __RD8((_x) >> 8) << 8 : __RD8(_x))
#define __RD32(_x) (((_x) & 0xffff0000) ? __RD16((_x) >> 16) << 16 : __RD16(_x))

/*
 * Slots in a ring of _sz bytes: what is left after the header, in
 * entries, rounded down to a power of two. The first form takes the ring
 * type's tag (a constant), the second a pointer to the shared ring.
 */
#define __CONST_RING_SIZE(_s, _sz)                                      \
    (__RD32(((_sz) - offsetof(struct _s##_sring, ring)) /               \
            sizeof(((struct _s##_sring *)0)->ring[0])))
#define __RING_SIZE(_s, _sz)                                            \
    (__RD32(((_sz) - ((long)(_s)->ring - (long)(_s))) /                 \
            sizeof((_s)->ring[0])))

/*
 * The shared page holds the four indices, 4 bytes some protocols use
 * (netif's smartpoll flag), padding to 64 bytes, then the slots. ring[1]
 * stands for as many slots as fit.
 */
#define DEFINE_RING_TYPES(__name, __req_t, __rsp_t)                     \
                                                                        \
union __name##_sring_entry {                                            \
    __req_t req;                                                        \
    __rsp_t rsp;                                                        \
};                                                                      \
                                                                        \
struct __name##_sring {                                                 \
    RING_IDX req_prod, req_event;                                       \
    RING_IDX rsp_prod, rsp_event;                                       \
    union {                                                             \
        struct {                                                        \
            uint8_t smartpoll_active;                                   \
        } netif;                                                        \
        struct {                                                        \
            uint8_t msg;                                                \
        } tapif_user;                                                   \
        uint8_t pvt_pad[4];                                             \
    } pvt;                                                              \
    uint8_t __pad[44];                                                  \
    union __name##_sring_entry ring[1];                                 \
};                                                                      \
                                                                        \
struct __name##_front_ring {                                            \
    RING_IDX req_prod_pvt;      /* requests queued, not yet pushed */   \
    RING_IDX rsp_cons;          /* responses consumed */                \
    unsigned int nr_ents;                                               \
    struct __name##_sring *sring;                                       \
};                                                                      \
                                                                        \
struct __name##_back_ring {                                             \
    RING_IDX rsp_prod_pvt;      /* responses queued, not yet pushed */  \
    RING_IDX req_cons;          /* requests consumed */                 \
    unsigned int nr_ents;                                               \
    struct __name##_sring *sring;                                       \
};                                                                      \
                                                                        \
typedef struct __name##_sring __name##_sring_t;                         \
typedef struct __name##_front_ring __name##_front_ring_t;               \
typedef struct __name##_back_ring __name##_back_ring_t

/* Reset the shared page: no traffic, first message of each way notifies. */
#define SHARED_RING_INIT(_s) do {                                       \
    (_s)->req_prod  = (_s)->rsp_prod  = 0;                              \
    (_s)->req_event = (_s)->rsp_event = 1;                              \
    (void)memset((_s)->pvt.pvt_pad, 0, sizeof((_s)->pvt.pvt_pad));      \
    (void)memset((_s)->__pad, 0, sizeof((_s)->__pad));                  \
} while (0)

/* Attach a front end to a ring whose indices are already at _i. */
#define FRONT_RING_ATTACH(_r, _s, _i, __size) do {                      \
    (_r)->req_prod_pvt = (_i);                                          \
    (_r)->rsp_cons = (_i);                                              \
    (_r)->nr_ents = __RING_SIZE(_s, __size);                            \
    (_r)->sring = (_s);                                                 \
} while (0)

#define FRONT_RING_INIT(_r, _s, __size) FRONT_RING_ATTACH(_r, _s, 0, __size)

#define XEN_FRONT_RING_INIT(r, s, size) do {                            \
    SHARED_RING_INIT(s);                                                \
    FRONT_RING_INIT(r, s, size);                                        \
} while (0)

#define BACK_RING_ATTACH(_r, _s, _i, __size) do {                       \
    (_r)->rsp_prod_pvt = (_i);                                          \
    (_r)->req_cons = (_i);                                              \
    (_r)->nr_ents = __RING_SIZE(_s, __size);                            \
    (_r)->sring = (_s);                                                 \
} while (0)

#define BACK_RING_INIT(_r, _s, __size) BACK_RING_ATTACH(_r, _s, 0, __size)

/* Slots in the ring. */
#define RING_SIZE(_r) ((_r)->nr_ents)

/* Front end: slots free for new requests; none free. */
#define RING_FREE_REQUESTS(_r)                                          \
    (RING_SIZE(_r) - ((_r)->req_prod_pvt - (_r)->rsp_cons))
#define RING_FULL(_r) (RING_FREE_REQUESTS(_r) == 0)

/* Responses published and not consumed yet (front end). */
#define XEN_RING_NR_UNCONSUMED_RESPONSES(_r)                            \
    ((_r)->sring->rsp_prod - (_r)->rsp_cons)

/*
 * Requests published and not consumed yet (back end). A front end cannot
 * legitimately have more outstanding than the ring holds, so the count is
 * capped there: a bad req_prod cannot make the back end overrun.
 */
#ifdef __GNUC__
#define XEN_RING_NR_UNCONSUMED_REQUESTS(_r) ({                          \
    unsigned int __unc_req = (_r)->sring->req_prod - (_r)->req_cons;    \
    unsigned int __unc_cap = RING_SIZE(_r) -                            \
        ((_r)->req_cons - (_r)->rsp_prod_pvt);                          \
    __unc_req < __unc_cap ? __unc_req : __unc_cap;                      \
})
#else
#define XEN_RING_NR_UNCONSUMED_REQUESTS(_r)                             \
    ((((_r)->sring->req_prod - (_r)->req_cons) <                        \
      (RING_SIZE(_r) - ((_r)->req_cons - (_r)->rsp_prod_pvt))) ?        \
     ((_r)->sring->req_prod - (_r)->req_cons) :                         \
     (RING_SIZE(_r) - ((_r)->req_cons - (_r)->rsp_prod_pvt)))
#endif

/* Older callers use the counts as truth values; define this for 0/1. */
#ifdef XEN_RING_HAS_UNCONSUMED_IS_BOOL
#define RING_HAS_UNCONSUMED_RESPONSES(_r)                               \
    (!!XEN_RING_NR_UNCONSUMED_RESPONSES(_r))
#define RING_HAS_UNCONSUMED_REQUESTS(_r)                                \
    (!!XEN_RING_NR_UNCONSUMED_REQUESTS(_r))
#else
#define RING_HAS_UNCONSUMED_RESPONSES(_r) XEN_RING_NR_UNCONSUMED_RESPONSES(_r)
#define RING_HAS_UNCONSUMED_REQUESTS(_r)  XEN_RING_NR_UNCONSUMED_REQUESTS(_r)
#endif

/* The slot of index _idx, as a request or as a response. */
#define RING_GET_REQUEST(_r, _idx)                                      \
    (&((_r)->sring->ring[((_idx) & (RING_SIZE(_r) - 1))].req))
#define RING_GET_RESPONSE(_r, _idx)                                     \
    (&((_r)->sring->ring[((_idx) & (RING_SIZE(_r) - 1))].rsp))

/*
 * Copy a slot into private memory before looking at it: the other end can
 * rewrite the slot at any time, so a request must be checked and used from
 * one copy (checking one read and using another is a classic bug). The
 * volatile cast is Xen's; note that it qualifies the pointer, not the slot.
 */
#define RING_COPY_(type, r, idx, dest) do {                             \
    *(dest) = *(volatile __typeof__(dest))RING_GET_##type(r, idx);      \
} while (0)
#define RING_COPY_REQUEST(r, idx, req)  RING_COPY_(REQUEST, r, idx, req)
#define RING_COPY_RESPONSE(r, idx, rsp) RING_COPY_(RESPONSE, r, idx, rsp)

/* Back end: would consuming request _cons overrun the responses? */
#define RING_REQUEST_CONS_OVERFLOW(_r, _cons)                           \
    (((_cons) - (_r)->rsp_prod_pvt) >= RING_SIZE(_r))
/* Did the front end publish more requests than the ring can hold? */
#define RING_REQUEST_PROD_OVERFLOW(_r, _prod)                           \
    (((_prod) - (_r)->rsp_prod_pvt) > RING_SIZE(_r))
/* Did the back end publish more responses than requests outstanding? */
#define RING_RESPONSE_PROD_OVERFLOW(_r, _prod)                          \
    (((_prod) - (_r)->rsp_cons) > RING_SIZE(_r))

/* Publish queued messages (the barrier orders the slots before the index). */
#define RING_PUSH_REQUESTS(_r) do {                                     \
    xen_wmb();                                                          \
    (_r)->sring->req_prod = (_r)->req_prod_pvt;                         \
} while (0)

#define RING_PUSH_RESPONSES(_r) do {                                    \
    xen_wmb();                                                          \
    (_r)->sring->rsp_prod = (_r)->rsp_prod_pvt;                         \
} while (0)

/*
 * Publish, and set _notify when the consumer's event index lies in the
 * range just published, i.e. it asked to be woken by one of these.
 * The full barrier orders the index store before the event-index load.
 */
#define RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(_r, _notify) do {           \
    RING_IDX __old = (_r)->sring->req_prod;                             \
    RING_IDX __new = (_r)->req_prod_pvt;                                \
    xen_wmb();                                                          \
    (_r)->sring->req_prod = __new;                                      \
    xen_mb();                                                           \
    (_notify) = ((RING_IDX)(__new - (_r)->sring->req_event) <           \
                 (RING_IDX)(__new - __old));                            \
} while (0)

#define RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(_r, _notify) do {          \
    RING_IDX __old = (_r)->sring->rsp_prod;                             \
    RING_IDX __new = (_r)->rsp_prod_pvt;                                \
    xen_wmb();                                                          \
    (_r)->sring->rsp_prod = __new;                                      \
    xen_mb();                                                           \
    (_notify) = ((RING_IDX)(__new - (_r)->sring->rsp_event) <           \
                 (RING_IDX)(__new - __old));                            \
} while (0)

/*
 * Before sleeping: if nothing is left, ask to be notified of the next
 * message and look once more, closing the race with a producer that
 * published just before the event index moved.
 */
#define RING_FINAL_CHECK_FOR_REQUESTS(_r, _work_to_do) do {             \
    (_work_to_do) = RING_HAS_UNCONSUMED_REQUESTS(_r);                   \
    if (_work_to_do)                                                    \
        break;                                                          \
    (_r)->sring->req_event = (_r)->req_cons + 1;                        \
    xen_mb();                                                           \
    (_work_to_do) = RING_HAS_UNCONSUMED_REQUESTS(_r);                   \
} while (0)

#define RING_FINAL_CHECK_FOR_RESPONSES(_r, _work_to_do) do {            \
    (_work_to_do) = RING_HAS_UNCONSUMED_RESPONSES(_r);                  \
    if (_work_to_do)                                                    \
        break;                                                          \
    (_r)->sring->rsp_event = (_r)->rsp_cons + 1;                        \
    xen_mb();                                                           \
    (_work_to_do) = RING_HAS_UNCONSUMED_RESPONSES(_r);                  \
} while (0)

/*
 * Byte-stream rings (pvcalls, 9pfs, the console's flex form): two
 * one-way rings of XEN_FLEX_RING_SIZE(order) bytes each in granted pages,
 * with their indices in a separate page.
 *
 * DEFINE_XEN_FLEX_RING(name) defines, for a power-of-two ring_size:
 *   name_mask(idx, size)        idx reduced into the ring
 *   name_get_ring_ptr(buf, idx, size)
 *   name_read_packet(dst, buf, size, masked_prod, &masked_cons, ring_size)
 *   name_write_packet(buf, src, size, &masked_prod, masked_cons, ring_size)
 *   name_queued(prod, cons, ring_size)   bytes waiting to be read
 *   struct name_data { in, out }         each end's view of the two rings
 * The caller checks there is room (or data) before writing (reading).
 * DEFINE_XEN_FLEX_RING_AND_INTF(name) adds the index page,
 * struct name_data_intf, ending in the grant refs of the ring pages.
 */
#ifndef XEN_PAGE_SHIFT
/* Ring and hypercall pages are always 4 KiB, whatever the guest uses. */
#define XEN_PAGE_SHIFT 12
#endif
#define XEN_FLEX_RING_SIZE(order) (1UL << ((order) + XEN_PAGE_SHIFT - 1))

#define DEFINE_XEN_FLEX_RING(name)                                            \
static inline RING_IDX name##_mask(RING_IDX idx, RING_IDX ring_size)          \
{                                                                             \
    return idx & (ring_size - 1);                                             \
}                                                                             \
                                                                              \
static inline unsigned char *name##_get_ring_ptr(unsigned char *buf,          \
                                                 RING_IDX idx,                \
                                                 RING_IDX ring_size)          \
{                                                                             \
    return buf + name##_mask(idx, ring_size);                                 \
}                                                                             \
                                                                              \
static inline void name##_read_packet(void *opaque,                           \
                                      const unsigned char *buf,               \
                                      size_t size,                            \
                                      RING_IDX masked_prod,                   \
                                      RING_IDX *masked_cons,                  \
                                      RING_IDX ring_size)                     \
{                                                                             \
    /* Contiguous unless the data wraps past the end of buf. */              \
    RING_IDX to_end = ring_size - *masked_cons;                               \
                                                                              \
    if (*masked_cons < masked_prod || size <= to_end) {                       \
        memcpy(opaque, buf + *masked_cons, size);                             \
    } else {                                                                  \
        memcpy(opaque, buf + *masked_cons, to_end);                           \
        memcpy((unsigned char *)opaque + to_end, buf, size - to_end);         \
    }                                                                         \
    *masked_cons = name##_mask(*masked_cons + size, ring_size);               \
}                                                                             \
                                                                              \
static inline void name##_write_packet(unsigned char *buf,                    \
                                       const void *opaque,                    \
                                       size_t size,                           \
                                       RING_IDX *masked_prod,                 \
                                       RING_IDX masked_cons,                  \
                                       RING_IDX ring_size)                    \
{                                                                             \
    RING_IDX to_end = ring_size - *masked_prod;                               \
                                                                              \
    if (*masked_prod < masked_cons || size <= to_end) {                       \
        memcpy(buf + *masked_prod, opaque, size);                             \
    } else {                                                                  \
        memcpy(buf + *masked_prod, opaque, to_end);                           \
        memcpy(buf, (const unsigned char *)opaque + to_end, size - to_end);   \
    }                                                                         \
    *masked_prod = name##_mask(*masked_prod + size, ring_size);               \
}                                                                             \
                                                                              \
static inline RING_IDX name##_queued(RING_IDX prod,                           \
                                     RING_IDX cons,                           \
                                     RING_IDX ring_size)                      \
{                                                                             \
    /* Equal free-running indices: empty; equal once masked: full. */        \
    if (prod == cons)                                                         \
        return 0;                                                             \
    prod = name##_mask(prod, ring_size);                                      \
    cons = name##_mask(cons, ring_size);                                      \
    if (prod == cons)                                                         \
        return ring_size;                                                     \
    return prod > cons ? prod - cons : ring_size - (cons - prod);             \
}                                                                             \
                                                                              \
struct name##_data {                                                          \
    unsigned char *in;          /* the half this end reads */                 \
    unsigned char *out;         /* the half this end writes */                \
}

#define DEFINE_XEN_FLEX_RING_AND_INTF(name)                                   \
struct name##_data_intf {                                                     \
    RING_IDX in_cons, in_prod;                                                \
                                                                              \
    uint8_t pad1[56];           /* each index pair in its own cache line */   \
                                                                              \
    RING_IDX out_cons, out_prod;                                              \
                                                                              \
    uint8_t pad2[56];                                                         \
                                                                              \
    RING_IDX ring_order;                                                      \
    grant_ref_t ref[];                                                        \
};                                                                            \
DEFINE_XEN_FLEX_RING(name)

#endif /* __XEN_PUBLIC_IO_RING_H__ */
