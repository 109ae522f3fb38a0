// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz: random hypercalls with random arguments, from fixed seeds, at least
 * 100,000 of them. The hypervisor must answer every one (an error code is
 * fine) and stay up; the guest must still work afterwards. Calls that would
 * legitimately end or derail this guest are left out: shutdown (sched_op),
 * iret, set_trap_table and callbacks (they would replace our own handlers),
 * vcpu_op (could take our only vCPU down), hardware debug registers,
 * console_io (noise), and the dom0-only calls that can change the machine
 * (platform_op, kexec, domctl, sysctl, dm_op). Calls that take guest
 * buffers and could legitimately remap or free our own memory (MMU and
 * memory_op) get only pointers that cannot be ours.
 */
#include <stdbool.h>

#include "guest.h"

const char guest_name[] = "fuzz";

#define CALLS_PER_SEED 34000
static const uint64_t seeds[] = { 0x5a7041, 0xdecafbad, 0x1234567890abcdefULL };

static uint8_t scratch[2][4096] __attribute__((aligned(4096)));
static uint64_t rng;
static unsigned long by_result[8];   /* 0, -ENOSYS, -EFAULT, -EINVAL, -EPERM, other<0, >0 */

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static bool excluded(unsigned int nr)
{
    switch (nr) {
    case __HYPERVISOR_set_trap_table: case __HYPERVISOR_set_callbacks:
    case __HYPERVISOR_platform_op: case __HYPERVISOR_set_debugreg:
    case __HYPERVISOR_console_io: case __HYPERVISOR_iret: case __HYPERVISOR_vcpu_op:
    case __HYPERVISOR_sched_op: case __HYPERVISOR_sched_op_compat:
    case __HYPERVISOR_callback_op: case __HYPERVISOR_sysctl: case __HYPERVISOR_domctl:
    case __HYPERVISOR_kexec_op: case __HYPERVISOR_dm_op: case __HYPERVISOR_nmi_op:
        return true;
    default:
        return false;
    }
}

static bool may_touch_own_memory(unsigned int nr)
{
    return nr == __HYPERVISOR_mmu_update || nr == __HYPERVISOR_update_va_mapping ||
           nr == __HYPERVISOR_mmuext_op || nr == __HYPERVISOR_multicall ||
           nr == __HYPERVISOR_update_va_mapping_otherdomain ||
           nr == __HYPERVISOR_memory_op || nr == __HYPERVISOR_set_gdt ||
           nr == __HYPERVISOR_update_descriptor || nr == __HYPERVISOR_grant_table_op ||
           nr == __HYPERVISOR_physdev_op || nr == __HYPERVISOR_physdev_op_compat ||
           nr == __HYPERVISOR_event_channel_op_compat || nr == __HYPERVISOR_xenpmu_op;
}

/* An argument: small numbers, edge values, or pointers good and bad. */
static uint64_t arg(bool own_ok)
{
    static const uint64_t bad_ptrs[] = {
        0, 8, 0x1000, 0x00007ffffffff000UL, 0x0000800000000000UL, 0xffff800000000000UL,
        0xffff82d080200000UL, 0xffff830000000000UL, 0xfffffffffffff000UL, ~0UL,
    };
    uint64_t r = next();

    switch (r % 6) {
    case 0:
        return r >> 60;                                   /* small */
    case 1:
        return (r >> 8) & 0xffff;
    case 2:
        return bad_ptrs[(r >> 8) % (sizeof(bad_ptrs) / sizeof(bad_ptrs[0]))];
    case 3:
        if (own_ok)
            return (uint64_t)&scratch[(r >> 8) & 1][(r >> 16) & 0xff8];
        return 0xffffffffc0000000UL + ((r >> 8) & 0xfff000);   /* past our mapping */
    case 4:
        return (uint64_t)-(long)((r >> 8) % 130);          /* negative errno-like */
    default:
        return r;
    }
}

static void tally(long rc)
{
    unsigned int k = rc == 0 ? 0 : rc == -ENOSYS ? 1 : rc == -EFAULT ? 2 : rc == -EINVAL ? 3
                   : rc == -EPERM ? 4 : rc < 0 ? 5 : 6;
    by_result[k]++;
}

void guest_main(void)
{
    unsigned long calls = 0;

    for (unsigned int s = 0; s < sizeof(seeds) / sizeof(seeds[0]); s++) {
        rng = seeds[s];
        for (unsigned int i = 0; i < CALLS_PER_SEED;) {
            unsigned int nr = next() % 64;
            bool own = !may_touch_own_memory(nr);
            if (excluded(nr))
                continue;
            i++;
            for (unsigned int b = 0; b < 2; b++)
                for (unsigned int w = 0; w < 4096 / 8; w += 64)
                    ((uint64_t *)scratch[b])[w] = next();
            tally(hypercall5(nr, arg(own), arg(own), arg(own), arg(own), arg(own)));
            calls++;
        }
    }
    printf("fuzz: %lu calls: %lu ok, %lu ENOSYS, %lu EFAULT, %lu EINVAL, %lu EPERM, "
           "%lu other errors, %lu positive\n", calls, by_result[0], by_result[1], by_result[2],
           by_result[3], by_result[4], by_result[5], by_result[6]);
    CASE("survived_all_calls", calls == CALLS_PER_SEED * (sizeof(seeds) / sizeof(seeds[0])));
    CASE("still_works", HYPERVISOR_xen_version(XENVER_version, 0) == ((4 << 16) | 17));
}
