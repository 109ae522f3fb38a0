/* SPDX-License-Identifier: MIT */
/*
 * Runs the function-like macros of the public headers that the layout
 * listing can only count the arguments of: the shared-ring protocol of
 * io/ring.h (indices, notification hold-off, wrap-around, the byte-stream
 * rings), the UUID initializer, trap-table flag helpers, guest handles,
 * the grant error strings. The suite builds it once against Satori's
 * headers and once against Xen's and requires the same output. Every line
 * starts with the header its macros come from.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define XEN_WANT_FLEX_CONSOLE_RING
#include "xen.h"
#include "vcpu.h"
#include "memory.h"
#include "grant_table.h"
#include "io/ring.h"
#include "io/console.h"

/* The ring macros leave barriers to the includer. */
#define xen_mb()  __sync_synchronize()
#define xen_rmb() __sync_synchronize()
#define xen_wmb() __sync_synchronize()

struct treq { uint32_t id; uint8_t op; };
struct trsp { uint32_t id; int16_t status; };
DEFINE_RING_TYPES(t, struct treq, struct trsp);

DEFINE_XEN_FLEX_RING_AND_INTF(tflex);

static union {
    t_sring_t s;
    unsigned char page[4096];
} shared;

static void ring_layout(void)
{
    printf("io/ring.h sring size=%zu ring@%zu pvt@%zu pad@%zu entry=%zu\n",
           sizeof(t_sring_t), offsetof(t_sring_t, ring),
           offsetof(t_sring_t, pvt), offsetof(t_sring_t, __pad),
           sizeof(union t_sring_entry));
    printf("io/ring.h front size=%zu sring@%zu back size=%zu sring@%zu\n",
           sizeof(t_front_ring_t), offsetof(t_front_ring_t, sring),
           sizeof(t_back_ring_t), offsetof(t_back_ring_t, sring));
    printf("io/ring.h const_ring_size(4096)=%lu (1000)=%lu\n",
           (unsigned long)__CONST_RING_SIZE(t, 4096),
           (unsigned long)__CONST_RING_SIZE(t, 1000));
    printf("io/ring.h flex intf size=%zu out@%zu ring_order@%zu ref@%zu "
           "data=%zu flex_size(0)=%lu (3)=%lu\n",
           sizeof(struct tflex_data_intf),
           offsetof(struct tflex_data_intf, out_cons),
           offsetof(struct tflex_data_intf, ring_order),
           offsetof(struct tflex_data_intf, ref),
           sizeof(struct tflex_data),
           (unsigned long)XEN_FLEX_RING_SIZE(0),
           (unsigned long)XEN_FLEX_RING_SIZE(3));
}

/*
 * A front and a back end trading batches of requests and responses, from
 * start index i (near 2^32 to cross the wrap), printing every index,
 * notification decision and count along the way.
 */
static void ring_traffic(RING_IDX i)
{
    t_front_ring_t f;
    t_back_ring_t b;
    unsigned int round, k, id = 0;
    int notify, work;

    memset(&shared, 0xa5, sizeof(shared));
    if (i == 0) {
        XEN_FRONT_RING_INIT(&f, &shared.s, sizeof(shared));
    } else {
        SHARED_RING_INIT(&shared.s);
        shared.s.req_prod = shared.s.rsp_prod = i;
        shared.s.req_event = shared.s.rsp_event = i + 1;
        FRONT_RING_ATTACH(&f, &shared.s, i, sizeof(shared));
    }
    BACK_RING_ATTACH(&b, &shared.s, i, sizeof(shared));
    printf("io/ring.h init %08x: size=%u pvt=%02x%02x pad0=%02x pad43=%02x "
           "events=%u/%u free=%u full=%d\n", i, RING_SIZE(&f),
           shared.s.pvt.pvt_pad[0], shared.s.pvt.pvt_pad[3],
           shared.s.__pad[0], shared.s.__pad[43], shared.s.req_event - i,
           shared.s.rsp_event - i, RING_FREE_REQUESTS(&f), RING_FULL(&f));

    for (round = 0; round < 40; round++) {
        unsigned int want = (round * 7) % 37 + 1, sent = 0, got = 0;

        while (sent < want && !RING_FULL(&f)) {
            struct treq *rq = RING_GET_REQUEST(&f, f.req_prod_pvt);
            rq->id = id++;
            rq->op = (uint8_t)round;
            f.req_prod_pvt++;
            sent++;
        }
        RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&f, notify);
        printf("io/ring.h r%u front sent=%u notify=%d free=%u full=%d "
               "unconsumed_req=%u", round, sent, notify,
               RING_FREE_REQUESTS(&f), RING_FULL(&f),
               (unsigned int)RING_HAS_UNCONSUMED_REQUESTS(&b));

        /* The back end answers all but a few, every third round none. */
        for (k = 0; round % 3 != 2 && RING_HAS_UNCONSUMED_REQUESTS(&b); k++) {
            struct treq rq;
            struct trsp *rs;

            if (RING_REQUEST_CONS_OVERFLOW(&b, b.req_cons))
                break;
            RING_COPY_REQUEST(&b, b.req_cons, &rq);
            b.req_cons++;
            rs = RING_GET_RESPONSE(&b, b.rsp_prod_pvt);
            rs->id = rq.id;
            rs->status = (int16_t)(rq.op - 3);
            b.rsp_prod_pvt++;
            got++;
            if (got == 20)
                break;
        }
        RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&b, notify);
        RING_FINAL_CHECK_FOR_REQUESTS(&b, work);
        printf(" back got=%u notify=%d work=%d req_event=%u", got, notify,
               work, shared.s.req_event - i);

        got = 0;
        while (RING_HAS_UNCONSUMED_RESPONSES(&f)) {
            struct trsp rs;

            RING_COPY_RESPONSE(&f, f.rsp_cons, &rs);
            f.rsp_cons++;
            got += (unsigned int)rs.status;
        }
        RING_FINAL_CHECK_FOR_RESPONSES(&f, work);
        printf(" front sum=%u work=%d rsp_event=%u\n", got, work,
               shared.s.rsp_event - i);
    }

    /* A misbehaving peer: indices beyond what the ring can hold. */
    shared.s.req_prod = b.req_cons + 1000;
    printf("io/ring.h bogus unconsumed_req=%u prod_overflow=%d/%d "
           "rsp_overflow=%d/%d\n",
           (unsigned int)RING_HAS_UNCONSUMED_REQUESTS(&b),
           RING_REQUEST_PROD_OVERFLOW(&b, b.rsp_prod_pvt + RING_SIZE(&b)),
           RING_REQUEST_PROD_OVERFLOW(&b, b.rsp_prod_pvt + RING_SIZE(&b) + 1),
           RING_RESPONSE_PROD_OVERFLOW(&f, f.rsp_cons + RING_SIZE(&f)),
           RING_RESPONSE_PROD_OVERFLOW(&f, f.rsp_cons + RING_SIZE(&f) + 1));
}

/* Byte-stream ring: packets of awkward sizes written and read across wraps. */
static void flex_traffic(void)
{
    static unsigned char buf[XEN_FLEX_RING_SIZE(0)], in[600], out[600];
    RING_IDX size = XEN_FLEX_RING_SIZE(0), prod = 0, cons = 0;
    RING_IDX mprod = 0, mcons = 0;
    unsigned int n, i, sum;

    for (n = 0; n < 30; n++) {
        size_t len = (n * 131) % 577 + 1;

        for (i = 0; i < len; i++)
            in[i] = (unsigned char)(n * 31 + i);
        tflex_write_packet(buf, in, len, &mprod, mcons, size);
        prod += (RING_IDX)len;
        printf("io/ring.h flex w%u len=%zu mprod=%u queued=%u", n, len,
               mprod, tflex_queued(prod, cons, size));
        memset(out, 0, sizeof(out));
        tflex_read_packet(out, buf, len, mprod, &mcons, size);
        cons += (RING_IDX)len;
        for (i = 0, sum = 0; i < len; i++)
            sum = sum * 33 + out[i];
        printf(" mcons=%u sum=%08x queued=%u ptr=%td\n", mcons, sum,
               tflex_queued(prod, cons, size),
               tflex_get_ring_ptr(buf, prod, size) - buf);
    }
    printf("io/ring.h flex full queued=%u mask=%u\n",
           tflex_queued(size, 0, size), tflex_mask(size + 5, size));
}

static void console(void)
{
    struct xencons_interface intf;

    printf("io/console.h mask in=%lu out=%lu queued=%u\n",
           (unsigned long)MASK_XENCONS_IDX(5000, intf.in),
           (unsigned long)MASK_XENCONS_IDX(5000, intf.out),
           xencons_queued(3000, 1000, sizeof(intf.out)));
}

static void core(void)
{
    xen_uuid_t u = XEN_DEFINE_UUID(0x12345678, 0x9abc, 0xdef0, 0x4321,
                                   0x0f, 0x1e, 0x2d, 0x3c, 0x4b, 0x5a);
    static const xen_uuid_t su = XEN_DEFINE_UUID_(0xa1b2c3d4, 0xe5f6,
                                   0x0718, 0x293a, 1, 2, 3, 4, 5, 6);
    struct trap_info ti = { 0x80, 0, 0, 0 };
    XEN_GUEST_HANDLE(uint64_t) h;
    XEN_GUEST_HANDLE_PARAM(void) hp;
    XEN_GUEST_HANDLE_64(uint8) h64;
    uint64_t x = 7;
    unsigned int i;

    printf("xen.h uuid");
    for (i = 0; i < 16; i++)
        printf(" %02x/%02x", u.a[i], su.a[i]);
    printf("\n");

    TI_SET_DPL(&ti, 3);
    TI_SET_IF(&ti, 5);
    printf("xen.h trap dpl=%d if=%d flags=%u\n", TI_GET_DPL(&ti),
           TI_GET_IF(&ti), ti.flags);

    set_xen_guest_handle(h, &x);
    set_xen_guest_handle_raw(hp, (void *)0);
    set_xen_guest_handle(h64, (uint8_t *)&x);
    printf("xen.h handle same=%d null=%d sizes=%zu/%zu/%zu\n", h.p == &x,
           hp.p == (void *)0, sizeof(h), sizeof(hp), sizeof(h64));
    printf("xen.h cr3=%lx pfn=%lx m2p=%p\n", xen_pfn_to_cr3(0x12345),
           xen_cr3_to_pfn(0x12345678UL), (void *)machine_to_phys_mapping);

    printf("vcpu.h physid apic=%x acpi=%x\n",
           xen_vcpu_physid_to_x86_apicid(0x1122334455667788ULL),
           xen_vcpu_physid_to_x86_acpiid(0x1122334455667788ULL));

    x = 0;
    XENMEM_SHARING_OP_FIELD_MAKE_GREF(x, 0x1234);
    printf("memory.h gref field=%llx is=%d get=%llx node=%x exact=%x\n",
           (unsigned long long)x, XENMEM_SHARING_OP_FIELD_IS_GREF(x) != 0,
           (unsigned long long)XENMEM_SHARING_OP_FIELD_GET_GREF(x),
           XENMEMF_get_node(XENMEMF_node(5)), XENMEMF_exact_node(2));
}

static void grant_messages(void)
{
    static const char *const msgs[] = GNTTABOP_error_msgs;
    size_t i;

    for (i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++)
        printf("grant_table.h GNTST -%zu \"%s\"\n", i, msgs[i]);
}

int main(void)
{
    ring_layout();
    ring_traffic(0);
    ring_traffic(0xfffffff0u);
    flex_traffic();
    console();
    core();
    grant_messages();
    return 0;
}
