// SPDX-License-Identifier: GPL-2.0-only
/*
 * vcpuinfo: VCPUOP_register_vcpu_info moves vCPU 0's vcpu_info into a page
 * of ours. The hypervisor then keeps writing there, so it must hold that
 * frame as a writable page: it can no longer become a page table (pinning
 * it as an L1 fails even once our own mapping is read-only), and a second
 * registration is refused. Last in its own guest: afterwards the
 * framework's view of vcpu_info (shared_info's slot) is stale.
 */
#include <public/vcpu.h>

#include "guest.h"

const char guest_name[] = "vcpuinfo";

#define PG __attribute__((aligned(4096), section(".bss.page_aligned")))
static char page[4096] PG;

void guest_main(void)
{
    struct vcpu_register_vcpu_info info = { .offset = 64 };
    struct mmuext_op op = { .cmd = MMUEXT_PIN_L1_TABLE };
    const volatile vcpu_info_t *vi = (const volatile vcpu_info_t *)(page + 64);
    unsigned int done;

    info.mfn = virt_to_mfn(page);
    op.arg1.mfn = info.mfn;

    CASE("register", HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &info) == 0);
    CASE("mask_carried_over", vi->evtchn_upcall_mask == 1);
    CASE("second_registration_refused",
         HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &info) < 0);

    case_begin("frame_cannot_become_page_table");
    /* Zero everything, vcpu_info included, so the page would validate as
     * an empty L1: only the hypervisor's reference can refuse the pin. */
    memset(page, 0, sizeof(page));
    CHECK_EQ(HYPERVISOR_update_va_mapping(page, (info.mfn << PAGE_SHIFT) | _PAGE_PRESENT |
                                          _PAGE_ACCESSED, UVMF_INVLPG), 0);
    CHECK(HYPERVISOR_mmuext_op(&op, 1, &done, DOMID_SELF) < 0);
    case_end();
}
