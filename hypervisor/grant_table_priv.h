/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private interface of hypervisor/grant_table.c to its boot self test
 * (gnttab_selftest.c): one map or unmap on behalf of a domain, without
 * guest memory, and a domain's shared entry.
 */
#ifndef HYPERVISOR_GRANT_TABLE_PRIV_H
#define HYPERVISOR_GRANT_TABLE_PRIV_H

#include <satori/domain.h>
#include <satori/grant_table.h>

/* GNTTABOP_map_grant_ref / unmap_grant_ref of one op by ld: its status. */
int16_t gnttab_map_one(struct domain *ld, struct gnttab_map_grant_ref *op);
int16_t gnttab_unmap_one(struct domain *ld, const struct gnttab_unmap_grant_ref *op);
/* Entry ref of d's table (direct map), NULL beyond it. */
grant_entry_v1_t *gnttab_entry_of(struct domain *d, grant_ref_t ref);

/* selftest=grant (gnttab_selftest.c, CONFIG_BOOT_SELFTESTS). */
void gnttab_selftest(void);

#endif
