/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * selftest=grant: the grant-table lifecycle that no single-domain guest can
 * reach, on two domains created for the test (ids 201 and 202, never run):
 * a granter destroyed while its grant is mapped keeps its table and frames
 * until the mapping goes (grant_table.c invariant 8), and
 * grant_table_release_mappings() undoes what a domain still holds, with
 * every frame count back where it was. Device mappings only: host mappings
 * need a running vCPU's page tables (tests/guests/grant.c has those).
 * Prints "selftest grant: ok" or the first check that failed.
 */
#include <satori/console.h>
#include <satori/domain.h>
#include <satori/grant_table.h>
#include <asm/mm.h>
#include "grant_table_priv.h"

#define DOM_A 201
#define DOM_B 202

#define T(c) do {                                                               \
        if (!(c)) {                                                             \
            printk("selftest grant: FAILED line %d: %s\n", __LINE__, #c);      \
            return;                                                             \
        }                                                                       \
    } while (0)

static grant_entry_v1_t *grant(struct domain *a, grant_ref_t ref, struct page_info *pg,
                               uint16_t flags)
{
    grant_entry_v1_t *e = gnttab_entry_of(a, ref);

    if (e) {
        e->domid = DOM_B;
        e->frame = (uint32_t)mfn_x(page_to_mfn(pg));
        __atomic_store_n(&e->flags, flags, __ATOMIC_RELEASE);
    }
    return e;
}

static int16_t map_dev(struct domain *b, grant_ref_t ref, uint32_t flags,
                       struct gnttab_map_grant_ref *op)
{
    *op = (struct gnttab_map_grant_ref){ .flags = GNTMAP_device_map | flags, .ref = ref,
                                         .dom = DOM_A };
    return gnttab_map_one(b, op);
}

static int16_t unmap_dev(struct domain *b, const struct gnttab_map_grant_ref *op)
{
    struct gnttab_unmap_grant_ref u = { .dev_bus_addr = op->dev_bus_addr, .handle = op->handle };

    return gnttab_unmap_one(b, &u);
}

static struct page_info *table_frame(struct domain *d)
{
    return mfn_to_page(_mfn(__pa(gnttab_entry_of(d, 0)) >> PAGE_SHIFT));
}

void gnttab_selftest(void)
{
    struct domain *a = domain_create(DOM_A, false, 1), *b = domain_create(DOM_B, false, 1);
    struct gnttab_map_grant_ref op, op2;
    struct page_info *pg, *tf;
    grant_entry_v1_t *e;

    T(a && b && (pg = domain_alloc_page(a)));
    /* A dies while B maps its grant: table and frame stay until the unmap. */
    T((e = grant(a, 10, pg, GTF_permit_access)));
    tf = table_frame(a);
    T(map_dev(b, 10, 0, &op) == GNTST_okay);
    T(op.dev_bus_addr == mfn_x(page_to_mfn(pg)) << PAGE_SHIFT);
    T(e->flags == (GTF_permit_access | GTF_reading | GTF_writing));
    T(page_get_count(pg) == 2 && page_type_count(pg) == 1);
    grant_table_destroy(a);
    T(!a->grant_table && map_dev(b, 10, 0, &op2) == GNTST_bad_domain);
    T(!page_is_free(tf) && tf->owner == DOM_A);
    T(unmap_dev(b, &op) == GNTST_okay);
    T(page_get_count(pg) == 1 && page_type_count(pg) == 0);
    T(page_is_free(tf));                              /* the last user freed it */
    T(unmap_dev(b, &op) == GNTST_bad_handle);
    /* What B still holds when it goes is released, counts back to start. */
    T(grant_table_init(a) == 0);
    T(grant(a, 3, pg, GTF_permit_access | GTF_readonly) && (e = grant(a, 4, pg, GTF_permit_access)));
    tf = table_frame(a);
    T(map_dev(b, 3, GNTMAP_readonly, &op) == GNTST_okay);
    T(map_dev(b, 4, 0, &op2) == GNTST_okay);
    T(map_dev(b, 3, 0, &op2) == GNTST_general_error);   /* read-only grant */
    T(page_get_count(pg) == 3 && page_type_count(pg) == 1);
    grant_table_release_mappings(b);
    T(page_get_count(pg) == 1 && page_type_count(pg) == 0);
    T(e->flags == GTF_permit_access);
    T(unmap_dev(b, &op) == GNTST_bad_handle);
    grant_table_release_mappings(b);                  /* idempotent */
    grant_table_destroy(b);
    grant_table_destroy(a);
    T(page_is_free(tf) && page_get_count(pg) == 1);
    printk("selftest grant: ok\n");
}
