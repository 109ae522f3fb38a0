// SPDX-License-Identifier: GPL-2.0-only
/*
 * multigrant: grant tables between boot-time domains, three copies of this
 * guest run at once, each given its role on the command line (as multi.c;
 * tests/suites/45-domains; docs/test-guests.md). Not for Xen 4.17, which
 * has no boot-time domains: what one domain can do alone, granting to
 * itself, is in grant.c and runs on both.
 *
 *   role=granter peer=M third=T  the front end: grants M a control page, a
 *                                ring and data pages, T one page; ends by
 *                                shutting down while M still maps a page
 *   role=mapper peer=G n=K       the back end: maps G's grants, answers
 *                                1,000 ring requests, copies both ways, meets
 *                                every refusal, times K map+unmap pairs, and
 *                                outlives G with G's page still mapped
 *   role=third peer=G            maps the page G granted it, and fails to
 *                                map M's
 *   dry=1                        (any role) does nothing: the suite's
 *                                control run, for the free-page count
 *
 * G and M keep in step through a control page G grants M (ref 1): each
 * writes its step number there and notifies the other on one interdomain
 * event channel (G's port 1), and waits for the other's number. A wait
 * clears the port, looks at the page, then polls; so a notification never
 * gets lost, and a stale one only costs a look. Events stay masked.
 */
#include "domu.h"
#include <public/io/ring.h>

const char guest_name[] = "multigrant";

#define xen_mb()  __sync_synchronize()
#define xen_rmb() __sync_synchronize()
#define xen_wmb() __sync_synchronize()

/* The ring: requests carry a payload the back end checks and answers. */
struct test_req {
    uint32_t id;
    uint8_t data[44];
};
struct test_rsp {
    uint32_t id;
    uint32_t sum;                  /* of the request's bytes */
    uint8_t data[40];              /* the request's first 40 bytes, ^ 0x5a */
};
DEFINE_RING_TYPES(test, struct test_req, struct test_rsp);

struct ctl {
    volatile uint32_t step[2];     /* [0] the granter's, [1] the mapper's */
    volatile uint64_t mapper_mfn;  /* a frame of M's: G grants it as if its own */
    volatile uint64_t granter_mfn; /* a frame of G's: M names it as if its own */
};

enum {                             /* G's refs */
    REF_CTL = 1, REF_RING, REF_SRC, REF_DST, REF_THIRD, REF_REVOKE = 7, REF_BUSY,
    REF_NOT_OWNED, REF_BENCH, REF_DEATH,
};
enum { MREF_RW = 1, MREF_RO };     /* M's refs, granted to G */

#define NR_GT 2                    /* G's table frames: refs 0-1023 */
#define NR_REQS 1000
#define BURST 10                   /* requests in flight at most (the ring has 64 slots) */
#define WAIT (20000 * MS)

#define PG __attribute__((aligned(4096), section(".bss.page_aligned")))
static char gt_win[NR_GT][4096] PG;
/* G: the pages it grants. M: where it maps them, and its own pages. */
static char pg_ctl[4096] PG, pg_ring[4096] PG, pg_src[4096] PG, pg_dst[4096] PG;
static char pg_a[4096] PG, pg_b[4096] PG, pg_c[4096] PG, pg_d[4096] PG;
#define AT(page, i) (((volatile uint8_t *)(page))[i])

static volatile grant_entry_v1_t *const gnttab = (volatile grant_entry_v1_t *)gt_win;
static struct ctl *ctl;
static evtchn_port_t port;         /* the G-M channel, either end */
static domid_t peer;
static unsigned int me;            /* 0: granter, 1: mapper */

static uint8_t pat(unsigned int i, unsigned int seed)
{
    return (uint8_t)(i * 7 + seed * 13 + 3);
}

static void fill(void *page, unsigned int seed)
{
    for (unsigned int i = 0; i < 4096; i++)
        AT(page, i) = pat(i, seed);
}

/* Whether len bytes of page at off are pattern seed's bytes from pat_off. */
static bool is_pat(const void *page, unsigned int off, unsigned int len, unsigned int seed,
                   unsigned int pat_off)
{
    for (unsigned int i = 0; i < len; i++)
        if (AT(page, off + i) != pat(pat_off + i, seed))
            return false;
    return true;
}

/*
 * A barrier: announces step n and waits until the peer has reached n too.
 * What one side did before step(n) the other sees after it. Once a step
 * timed out, the rest fail at once rather than wait again.
 */
static void step(uint32_t n)
{
    static bool lost;
    uint64_t deadline = system_time_ns() + WAIT;

    ctl->step[me] = n;
    xen_mb();
    port_send(port);
    while (!lost && ctl->step[!me] < n) {
        if (system_time_ns() >= deadline)
            lost = true;
        else
            port_wait(port, 100 * MS);
    }
    if (lost)
        printf("FAIL: %s/step_%u the peer is at step %u\n", guest_name, n, ctl->step[!me]);
    xen_mb();
}

/* Clears a grant's flags the careful way (as Linux): only if not in use. */
static bool end_grant(grant_ref_t ref, uint16_t flags)
{
    return __sync_bool_compare_and_swap(&gnttab[ref].flags, flags, 0);
}

static void own_table(void)
{
    case_begin("own_grant_table");
    CHECK_EQ(gnttab_map_own(gt_win, NR_GT), 0);
    case_end();
}

/*
 * G's side of the ring: 1,000 requests in bursts of BURST, each burst
 * answered before the next goes, so the back end runs dry between bursts
 * and notifications flow both ways; every answer is checked.
 */
static void ring_front(void)
{
    struct test_front_ring front;
    struct test_sring *sring = (struct test_sring *)pg_ring;
    unsigned int sent = 0, got = 0, notifies = 0, bad = 0;
    uint64_t t0 = system_time_ns();
    int notify, more;

    FRONT_RING_INIT(&front, sring, PAGE_SIZE);
    case_begin("ring_requests_answered");
    while (got < NR_REQS) {
        while (sent < NR_REQS && sent - got < BURST && (sent % BURST || sent == got)) {
            struct test_req *r = RING_GET_REQUEST(&front, front.req_prod_pvt++);
            r->id = sent;
            for (unsigned int i = 0; i < sizeof(r->data); i++)
                r->data[i] = pat(i, sent);
            sent++;
        }
        RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&front, notify);
        if (notify) {
            port_send(port);
            notifies++;
        }
        RING_IDX rp = front.sring->rsp_prod, c;
        xen_rmb();
        for (c = front.rsp_cons; c != rp; c++) {
            struct test_rsp *r = RING_GET_RESPONSE(&front, c);
            uint32_t sum = 0;
            for (unsigned int i = 0; i < 44; i++)
                sum += pat(i, r->id);
            bad += r->id != got || r->sum != sum;
            for (unsigned int i = 0; i < sizeof(r->data); i++)
                bad += r->data[i] != (pat(i, r->id) ^ 0x5a);
            got++;
        }
        front.rsp_cons = c;
        if (got == NR_REQS || sent == got)
            continue;                               /* done, or the next burst */
        RING_FINAL_CHECK_FOR_RESPONSES(&front, more);
        if (!more && !port_wait(port, WAIT))
            break;
    }
    CHECK_EQ(got, NR_REQS);
    CHECK_EQ(bad, 0);
    CHECK(notifies > 0);
    printf("BENCH grant_ring_request %lu.00 %u\n", (system_time_ns() - t0) / NR_REQS, NR_REQS);
    printf("ring: %u requests answered, %u notifications sent\n", got, notifies);
    case_end();
}

/* M's side: takes requests as they come, checks them, answers each. */
static void ring_back(void)
{
    struct test_back_ring back;
    unsigned int answered = 0, bad = 0, notifies = 0;
    int notify, more;

    BACK_RING_INIT(&back, (struct test_sring *)pg_ring, PAGE_SIZE);
    case_begin("ring_requests_checked");
    while (answered < NR_REQS) {
        RING_IDX rp = back.sring->req_prod, c;
        xen_rmb();
        for (c = back.req_cons; c != rp && !RING_REQUEST_CONS_OVERFLOW(&back, c); c++) {
            struct test_req req = *RING_GET_REQUEST(&back, c);   /* its slot is reused */
            struct test_rsp *r = RING_GET_RESPONSE(&back, back.rsp_prod_pvt++);
            bad += req.id != answered;
            r->id = req.id;
            r->sum = 0;
            for (unsigned int i = 0; i < sizeof(req.data); i++) {
                bad += req.data[i] != pat(i, req.id);
                r->sum += req.data[i];
            }
            for (unsigned int i = 0; i < sizeof(r->data); i++)
                r->data[i] = req.data[i] ^ 0x5a;
            answered++;
        }
        back.req_cons = c;
        RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&back, notify);
        if (notify) {
            port_send(port);
            notifies++;
        }
        if (answered == NR_REQS)
            break;
        RING_FINAL_CHECK_FOR_REQUESTS(&back, more);
        if (!more && !port_wait(port, WAIT))
            break;
    }
    CHECK_EQ(answered, NR_REQS);
    CHECK_EQ(bad, 0);
    CHECK(notifies > 0);
    printf("ring: %u requests checked, %u notifications sent\n", answered, notifies);
    case_end();
}

static void granter(void)
{
    struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = peer };
    domid_t third = (domid_t)cmdline_num("third", 0);
    struct gnttab_copy op;

    ctl = (struct ctl *)pg_ctl;
    own_table();
    case_begin("granter_setup");
    fill(pg_src, 1);
    memset(pg_dst, 'd', 4096);
    fill(pg_d, 9);
    ctl->granter_mfn = virt_to_mfn(pg_src);
    SHARED_RING_INIT((struct test_sring *)pg_ring);
    gnttab_grant(gt_win, REF_CTL, pg_ctl, peer, GTF_RW);
    gnttab_grant(gt_win, REF_RING, pg_ring, peer, GTF_RW);
    gnttab_grant(gt_win, REF_SRC, pg_src, peer, GTF_RO);
    gnttab_grant(gt_win, REF_DST, pg_dst, peer, GTF_RW);
    gnttab_grant(gt_win, REF_THIRD, pg_src, third, GTF_RO);
    gnttab_grant(gt_win, REF_REVOKE, pg_a, peer, GTF_RW);
    gnttab_grant(gt_win, REF_BUSY, pg_b, peer, GTF_RW);
    gnttab_grant(gt_win, REF_BENCH, pg_c, peer, GTF_RW);
    gnttab_grant(gt_win, REF_DEATH, pg_d, peer, GTF_RW);
    /* The channels come after the grants: a peer that could bind may map. */
    CHECK_EQ(HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &a), 0);
    CHECK_EQ(a.port, 1);
    port = a.port;
    a.remote_dom = third;
    CHECK_EQ(HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &a), 0);
    CHECK_EQ(a.port, 2);
    case_end();

    case_begin("mapper_arrived");
    step(1);
    /* The mapper's ctl mapping is writable: both busy bits, kept by the hypervisor. */
    CHECK_EQ(gnttab[REF_CTL].flags, GTF_RW | GTF_reading | GTF_writing);
    CHECK(!end_grant(REF_CTL, GTF_RW));
    /* A frame of the mapper's, granted as ours: refused when mapped (bad_page). */
    gnttab[REF_NOT_OWNED].domid = peer;
    gnttab[REF_NOT_OWNED].frame = (uint32_t)ctl->mapper_mfn;
    xen_wmb();
    gnttab[REF_NOT_OWNED].flags = GTF_RW;
    case_end();

    ring_front();
    step(2);
    case_begin("ring_unmapped");
    CHECK_EQ(gnttab[REF_RING].flags, GTF_RW);      /* the mapper unmapped it */
    case_end();

    step(3);                                        /* the mapper copies */
    case_begin("copies_by_mapper_arrived");
    CHECK(is_pat(pg_dst, 0, 1000, 1, 0));           /* gref -> gref */
    CHECK(is_pat(pg_dst, 4000, 96, 2, 0));          /* gmfn -> gref */
    CHECK_EQ(AT(pg_dst, 1000), 'd');
    CHECK_EQ(AT(pg_dst, 3999), 'd');
    CHECK(is_pat(pg_src, 0, 4096, 1, 0));           /* read-only: untouched */
    CHECK_EQ(gnttab[REF_SRC].flags, GTF_RO);        /* pinned only while copying */
    CHECK_EQ(gnttab[REF_DST].flags, GTF_RW);
    case_end();

    case_begin("copy_from_mapper_grants");
    /* The mapper's grant to us -> our frame, and back into it. */
    memset(pg_a, 0, 4096);
    op = (struct gnttab_copy){ .source = { .u.ref = MREF_RW, .domid = peer, .offset = 10 },
                               .dest = { .u.gmfn = virt_to_mfn(pg_a), .domid = DOMID_SELF },
                               .len = 2000, .flags = GNTCOPY_source_gref };
    CHECK_EQ(gnttab_copy1(&op), GNTST_okay);
    CHECK(is_pat(pg_a, 0, 2000, 5, 10));
    fill(pg_a, 6);
    op = (struct gnttab_copy){ .source = { .u.gmfn = virt_to_mfn(pg_a), .domid = DOMID_SELF },
                               .dest = { .u.ref = MREF_RW, .domid = peer, .offset = 3000 },
                               .len = 1096, .flags = GNTCOPY_dest_gref };
    CHECK_EQ(gnttab_copy1(&op), GNTST_okay);
    /* Its read-only grant takes no copy in, and its frames are not ours to name. */
    op.dest.u.ref = MREF_RO;
    CHECK_EQ(gnttab_copy1(&op), GNTST_general_error);
    op = (struct gnttab_copy){ .source = { .u.gmfn = ctl->mapper_mfn, .domid = DOMID_SELF },
                               .dest = { .u.gmfn = virt_to_mfn(pg_a), .domid = DOMID_SELF },
                               .len = 8 };
    CHECK_EQ(gnttab_copy1(&op), GNTST_bad_page);
    op.source.domid = peer;
    CHECK_EQ(gnttab_copy1(&op), GNTST_permission_denied);
    case_end();
    step(4);

    step(5);                                        /* the mapper mapped SRC read-only */
    case_begin("readonly_mapping_seen");
    CHECK_EQ(gnttab[REF_SRC].flags, GTF_RO | GTF_reading);
    CHECK_EQ(gnttab[REF_REVOKE].flags, GTF_RW);    /* mapped and unmapped again */
    case_end();
    step(6);
    step(7);                                        /* the mapper mapped BUSY writable */
    case_begin("end_grant_while_mapped");
    CHECK_EQ(gnttab[REF_BUSY].flags, GTF_RW | GTF_reading | GTF_writing);
    CHECK(!end_grant(REF_BUSY, GTF_RW));            /* in use: cannot end it */
    CHECK_EQ(AT(pg_b, 0), 'M');                     /* the mapper's write */
    AT(pg_b, 1) = 'G';
    case_end();
    step(8);
    step(9);                                        /* the mapper unmapped it */
    case_begin("end_grant_after_unmap");
    CHECK_EQ(gnttab[REF_BUSY].flags, GTF_RW);
    CHECK(end_grant(REF_BUSY, GTF_RW));
    CHECK(end_grant(REF_REVOKE, GTF_RW));           /* revoked before a second map */
    CHECK_EQ(gnttab[REF_BUSY].flags, 0);
    case_end();
    step(10);                                       /* refusals, the timed loop */
    step(11);                                       /* DEATH mapped, host and device */
    case_begin("dies_while_mapped");
    CHECK_EQ(gnttab[REF_DEATH].flags, GTF_RW | GTF_reading | GTF_writing);
    /* The third domain says when it is done with its grant. */
    CHECK(port_wait(2, WAIT));
    case_end();
    /* guest_finish(): SUMMARY, then poweroff with REF_DEATH and REF_CTL mapped. */
}

static void mapper_copies(void)
{
    struct gnttab_copy op;

    case_begin("copy_gref_to_gmfn");
    memset(pg_a, 0, 4096);
    op = (struct gnttab_copy){ .source = { .u.ref = REF_SRC, .domid = peer, .offset = 100 },
                               .dest = { .u.gmfn = virt_to_mfn(pg_a), .domid = DOMID_SELF,
                                         .offset = 200 },
                               .len = 50, .flags = GNTCOPY_source_gref };
    CHECK_EQ(gnttab_copy1(&op), GNTST_okay);
    CHECK(is_pat(pg_a, 200, 50, 1, 100));
    CHECK_EQ(AT(pg_a, 199), 0);
    CHECK_EQ(AT(pg_a, 250), 0);
    op.source.offset = op.dest.offset = 0;
    op.len = 4096;
    CHECK_EQ(gnttab_copy1(&op), GNTST_okay);
    CHECK(is_pat(pg_a, 0, 4096, 1, 0));
    case_end();

    case_begin("copy_gmfn_to_gref");
    fill(pg_a, 2);
    op = (struct gnttab_copy){ .source = { .u.gmfn = virt_to_mfn(pg_a), .domid = DOMID_SELF },
                               .dest = { .u.ref = REF_DST, .domid = peer, .offset = 4000 },
                               .len = 96, .flags = GNTCOPY_dest_gref };
    CHECK_EQ(gnttab_copy1(&op), GNTST_okay);
    case_end();

    case_begin("copy_gref_to_gref");
    op = (struct gnttab_copy){ .source = { .u.ref = REF_SRC, .domid = peer },
                               .dest = { .u.ref = REF_DST, .domid = peer },
                               .len = 1000, .flags = GNTCOPY_source_gref | GNTCOPY_dest_gref };
    CHECK_EQ(gnttab_copy1(&op), GNTST_okay);
    case_end();

    case_begin("copy_refusals");
    op.dest.u.ref = REF_SRC;                        /* into a read-only grant */
    CHECK_EQ(gnttab_copy1(&op), GNTST_general_error);
    op.dest.u.ref = REF_DST;
    op.source.u.ref = REF_THIRD;                    /* granted to the third domain */
    CHECK_EQ(gnttab_copy1(&op), GNTST_general_error);
    op.source.u.ref = NR_GT * 512;                  /* beyond the granter's table */
    CHECK_EQ(gnttab_copy1(&op), GNTST_bad_gntref);
    op.source.u.ref = REF_SRC;
    op.source.domid = 77;                           /* no such domain */
    CHECK_EQ(gnttab_copy1(&op), GNTST_bad_domain);
    op.source.domid = peer;
    op.source.offset = 4000;                        /* past the page's end */
    op.len = 97;
    CHECK_EQ(gnttab_copy1(&op), GNTST_bad_copy_arg);
    /* Raw frames: only our own, named DOMID_SELF. */
    op = (struct gnttab_copy){ .source = { .u.gmfn = ctl->granter_mfn, .domid = peer },
                               .dest = { .u.gmfn = virt_to_mfn(pg_a), .domid = DOMID_SELF },
                               .len = 8 };
    CHECK_EQ(gnttab_copy1(&op), GNTST_permission_denied);
    op.source.domid = DOMID_SELF;
    CHECK_EQ(gnttab_copy1(&op), GNTST_bad_page);
    case_end();
}

/* Refusals; steps 5 to 10 interleave them with the granter's checks. */
static void mapper_refusals(void)
{
    struct gnttab_map_grant_ref op, op2;
    struct gnttab_query_size q = { .dom = peer };
    struct gnttab_setup_table st = { .dom = peer, .nr_frames = 1 };
    struct gnttab_get_version gv = { .dom = peer };
    uint64_t frame;

    case_begin("map_grant_for_another_domain");
    CHECK_EQ(gnttab_map1(&op, (uint64_t)pg_b, GNTMAP_host_map | GNTMAP_readonly, REF_THIRD,
                         peer), GNTST_general_error);
    CHECK_EQ(peek(pg_b), 0);                        /* our own page still there */
    case_end();

    case_begin("map_readonly_grant");
    CHECK_EQ(gnttab_map1(&op, (uint64_t)pg_b, GNTMAP_host_map, REF_SRC, peer),
             GNTST_general_error);                  /* writable: refused */
    CHECK_EQ(gnttab_map1(&op, (uint64_t)pg_b, GNTMAP_host_map | GNTMAP_readonly, REF_SRC, peer),
             GNTST_okay);
    CHECK(is_pat(pg_b, 0, 4096, 1, 0));
    EXPECT_TRAP_IN("movb $1, (%0)", pg_b, 0);
    CHECK_EQ(last_trap.vector, 14);
    CHECK_EQ(last_trap.error_code, 3);              /* present, write */
    /* REVOKE is good now: mapped and unmapped, then the granter ends it. */
    CHECK_EQ(gnttab_map1(&op2, (uint64_t)pg_c, GNTMAP_host_map, REF_REVOKE, peer), GNTST_okay);
    CHECK_EQ(gnttab_unmap1((uint64_t)pg_c, 0, op2.handle), GNTST_okay);
    page_restore(pg_c);
    case_end();
    step(5);
    step(6);

    case_begin("double_unmap");
    CHECK_EQ(gnttab_unmap1((uint64_t)pg_b, 0, op.handle), GNTST_okay);
    CHECK_EQ(peek(pg_b), -1);
    CHECK_EQ(gnttab_unmap1((uint64_t)pg_b, 0, op.handle), GNTST_bad_handle);
    page_restore(pg_b);
    case_end();

    case_begin("map_busy_grant");
    CHECK_EQ(gnttab_map1(&op, (uint64_t)pg_b, GNTMAP_host_map, REF_BUSY, peer), GNTST_okay);
    AT(pg_b, 0) = 'M';
    case_end();
    step(7);
    step(8);                                        /* the granter failed to end it */
    case_begin("busy_grant_still_mapped");
    CHECK_EQ(AT(pg_b, 1), 'G');
    CHECK_EQ(gnttab_unmap1((uint64_t)pg_b, 0, op.handle), GNTST_okay);
    page_restore(pg_b);
    case_end();
    step(9);
    step(10);                                       /* the granter ended BUSY, REVOKE */

    case_begin("map_ended_grants");
    CHECK_EQ(gnttab_map1(&op, (uint64_t)pg_b, GNTMAP_host_map, REF_BUSY, peer),
             GNTST_general_error);
    CHECK_EQ(gnttab_map1(&op, (uint64_t)pg_b, GNTMAP_host_map | GNTMAP_readonly, REF_REVOKE,
                         peer), GNTST_general_error);
    CHECK_EQ(peek(pg_b), 0);
    case_end();

    case_begin("bad_refs_domains_handles");
    CHECK_EQ(gnttab_map1(&op, (uint64_t)pg_b, GNTMAP_host_map, NR_GT * 512, peer),
             GNTST_bad_gntref);
    CHECK_EQ(gnttab_map1(&op, (uint64_t)pg_b, GNTMAP_host_map, 0xffffffffu, peer),
             GNTST_bad_gntref);
    CHECK_EQ(gnttab_map1(&op, (uint64_t)pg_b, 0, REF_BENCH, peer), GNTST_bad_gntref);
    CHECK_EQ(gnttab_map1(&op, (uint64_t)pg_b, GNTMAP_host_map, REF_BENCH, 77), GNTST_bad_domain);
    CHECK_EQ(gnttab_map1(&op, (uint64_t)pg_b, GNTMAP_host_map, REF_BENCH, DOMID_SELF),
             GNTST_bad_domain);
    /* The granter put one of our frames in its entry: not its to grant. */
    CHECK_EQ(gnttab_map1(&op, (uint64_t)pg_b, GNTMAP_host_map, REF_NOT_OWNED, peer),
             GNTST_bad_page);
    CHECK_EQ(gnttab_unmap1((uint64_t)pg_b, 0, 100000), GNTST_bad_handle);
    CHECK_EQ(gnttab_unmap1((uint64_t)pg_b, 0, 200), GNTST_bad_handle);   /* never handed out */
    CHECK_EQ(peek(pg_b), 0);
    case_end();

    case_begin("other_domains_table");
    /* An unprivileged domain may not set up or query another's table. */
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 1), 0);
    CHECK_EQ(q.status, GNTST_permission_denied);
    set_xen_guest_handle(st.frame_list, &frame);
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1), 0);
    CHECK_EQ(st.status, GNTST_permission_denied);
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_get_version, &gv, 1), -EPERM);
    case_end();
}

/* n map+unmap pairs of one page of the granter's, timed. */
static void mapper_timed(void)
{
    unsigned long n = cmdline_num("n", 200), i;
    struct gnttab_map_grant_ref op;
    uint64_t t0;
    int16_t rc = 0;

    case_begin("map_unmap_repeated");
    AT(pg_c, 0) = 0;
    /* The first map replaces our own page: gnttab_map1's invlpg matters then only. */
    CHECK_EQ(gnttab_map1(&op, (uint64_t)pg_c, GNTMAP_host_map, REF_BENCH, peer), GNTST_okay);
    CHECK_EQ(gnttab_unmap1((uint64_t)pg_c, 0, op.handle), GNTST_okay);
    t0 = system_time_ns();
    for (i = 0; i < n && !rc; i++) {
        op = (struct gnttab_map_grant_ref){ .host_addr = (uint64_t)pg_c, .ref = REF_BENCH,
                                            .flags = GNTMAP_host_map, .dom = peer };
        HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &op, 1);
        rc = op.status;
        AT(pg_c, i % 4096) = (uint8_t)i;            /* used through the mapping */
        if (!rc)
            rc = gnttab_unmap1((uint64_t)pg_c, 0, op.handle);
    }
    printf("BENCH grant_map_unmap_interdomain %lu.00 %lu\n",
           n ? (system_time_ns() - t0) / n : 0, n);
    CHECK_EQ(rc, 0);
    CHECK_EQ(i, n);
    page_restore(pg_c);
    case_end();
}

/*
 * The granter shuts down while we map its page, by host and device
 * mappings: the mappings stay valid until we unmap them (its frames
 * outlive it), its id names no domain any more, and its end of our
 * channel is closed. The control page we leave mapped for our own end.
 */
static void mapper_outlives_granter(void)
{
    struct gnttab_map_grant_ref h, d, op;
    struct gnttab_query_size q = { .dom = peer };
    struct evtchn_status es = { .dom = DOMID_SELF, .port = port };
    unsigned int i;

    case_begin("map_before_granter_dies");
    CHECK_EQ(gnttab_map1(&h, (uint64_t)pg_d, GNTMAP_host_map, REF_DEATH, peer), GNTST_okay);
    CHECK_EQ(gnttab_map1(&d, 0, GNTMAP_device_map | GNTMAP_readonly, REF_DEATH, peer),
             GNTST_okay);
    CHECK(is_pat(pg_d, 0, 4096, 9, 0));
    case_end();
    step(11);

    case_begin("granter_gone");
    /*
     * Until its id names no domain and its end of our channel is closed:
     * a dying domain is refused at once, its channels close when it is
     * torn down, a moment later.
     */
    for (i = 0; i < 2000; i++) {
        HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 1);
        if (q.status == GNTST_bad_domain &&
            !HYPERVISOR_event_channel_op(EVTCHNOP_status, &es) &&
            es.status == EVTCHNSTAT_unbound)
            break;
        sleep_ns(10 * MS);
    }
    CHECK_EQ(q.status, GNTST_bad_domain);
    CHECK_EQ(HYPERVISOR_event_channel_op(EVTCHNOP_status, &es), 0);
    CHECK_EQ(es.status, EVTCHNSTAT_unbound);
    case_end();

    case_begin("mapping_outlives_granter");
    CHECK(is_pat(pg_d, 0, 4096, 9, 0));
    fill(pg_d, 10);                                 /* still writable, still its frame */
    CHECK(is_pat(pg_d, 0, 4096, 10, 0));
    CHECK_EQ(ctl->step[0], 11);                     /* its control page too */
    CHECK_EQ(gnttab_map1(&op, (uint64_t)pg_b, GNTMAP_host_map, REF_DEATH, peer),
             GNTST_bad_domain);
    CHECK_EQ(gnttab_unmap1((uint64_t)pg_d, 0, h.handle), GNTST_okay);
    CHECK_EQ(peek(pg_d), -1);
    CHECK_EQ(gnttab_unmap1(0, d.dev_bus_addr, d.handle), GNTST_okay);
    CHECK_EQ(gnttab_unmap1(0, d.dev_bus_addr, d.handle), GNTST_bad_handle);
    page_restore(pg_d);
    case_end();
    /* The suite checks the frame went back: the free-page count at the end. */
}

static void mapper(void)
{
    struct evtchn_bind_interdomain b = { .remote_dom = peer, .remote_port = 1 };
    struct gnttab_map_grant_ref op;
    unsigned int i;
    long rc = -1;

    own_table();
    case_begin("mapper_setup");
    fill(pg_dst, 5);                                /* granted to G below */
    fill(pg_src, 7);
    gnttab_grant(gt_win, MREF_RW, pg_dst, peer, GTF_RW);
    gnttab_grant(gt_win, MREF_RO, pg_src, peer, GTF_RO);
    for (i = 0; i < 2000 && (rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &b));
         i++)
        sleep_ns(MS);                               /* the granter has not offered it yet */
    CHECK_EQ(rc, 0);
    port = b.local_port;
    /* It granted before it offered the channel: the control page is there. */
    CHECK_EQ(gnttab_map1(&op, (uint64_t)pg_ctl, GNTMAP_host_map, REF_CTL, peer), GNTST_okay);
    ctl = (struct ctl *)pg_ctl;
    ctl->mapper_mfn = virt_to_mfn(pg_a);
    case_end();
    step(1);

    case_begin("map_ring");
    CHECK_EQ(gnttab_map1(&op, (uint64_t)pg_ring, GNTMAP_host_map, REF_RING, peer), GNTST_okay);
    case_end();
    ring_back();
    case_begin("unmap_ring");
    CHECK_EQ(gnttab_unmap1((uint64_t)pg_ring, 0, op.handle), GNTST_okay);
    page_restore(pg_ring);
    case_end();
    step(2);

    mapper_copies();
    step(3);
    step(4);                                        /* the granter copied into ours */
    case_begin("copies_by_granter_arrived");
    CHECK(is_pat(pg_dst, 3000, 1096, 6, 0));
    CHECK(is_pat(pg_dst, 0, 3000, 5, 0));
    CHECK(is_pat(pg_src, 0, 4096, 7, 0));
    CHECK_EQ(gnttab[MREF_RW].flags, GTF_RW);
    CHECK_EQ(gnttab[MREF_RO].flags, GTF_RO);
    case_end();

    mapper_refusals();
    mapper_timed();
    mapper_outlives_granter();
}

/* Maps the grant the granter made it, and tries the mapper's. */
static void third(void)
{
    struct evtchn_bind_interdomain b = { .remote_dom = peer, .remote_port = 2 };
    struct gnttab_map_grant_ref op;
    unsigned int i;
    long rc = -1;

    case_begin("third_maps_its_grant");
    for (i = 0; i < 2000 && (rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &b));
         i++)
        sleep_ns(MS);
    CHECK_EQ(rc, 0);
    CHECK_EQ(gnttab_map1(&op, (uint64_t)pg_a, GNTMAP_host_map, REF_THIRD, peer),
             GNTST_general_error);                  /* read-only */
    CHECK_EQ(gnttab_map1(&op, (uint64_t)pg_a, GNTMAP_host_map | GNTMAP_readonly, REF_THIRD,
                         peer), GNTST_okay);
    CHECK(is_pat(pg_a, 0, 4096, 1, 0));
    CHECK_EQ(gnttab_unmap1((uint64_t)pg_a, 0, op.handle), GNTST_okay);
    page_restore(pg_a);
    /* The granter's grants to the mapper are not ours. */
    CHECK_EQ(gnttab_map1(&op, (uint64_t)pg_a, GNTMAP_host_map | GNTMAP_readonly, REF_SRC, peer),
             GNTST_general_error);
    CHECK_EQ(gnttab_map1(&op, (uint64_t)pg_a, GNTMAP_host_map | GNTMAP_readonly, REF_DEATH,
                         peer), GNTST_general_error);
    CHECK_EQ(peek(pg_a), 0);
    CHECK_EQ(port_send(b.local_port), 0);          /* done: the granter may go */
    case_end();
}

void guest_main(void)
{
    peer = (domid_t)cmdline_num("peer", 0);
    printf("multigrant: domain command line '%s'\n", (const char *)start_info->cmd_line);
    if (cmdline_is("dry", "1"))
        return;
    if (cmdline_is("role", "granter"))
        granter();
    else if (cmdline_is("role", "mapper")) {
        me = 1;
        mapper();
    } else if (cmdline_is("role", "third"))
        third();
    else
        CASE("known_role", false);
}
