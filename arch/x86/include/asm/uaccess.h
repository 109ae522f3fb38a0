/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Fault-safe access to guest memory: the only way Satori reads or writes a
 * guest's virtual addresses. The address range is checked to lie wholly in
 * guest space (never the hypervisor hole), SMAP is opened only around the
 * copy, and a fault inside it resumes at an exception-table fixup, so the
 * caller gets -EFAULT instead of a crash. The current page tables are the
 * calling guest's (true inside a hypercall or trap from that guest).
 */
#ifndef ASM_UACCESS_H
#define ASM_UACCESS_H

#include <satori/compiler.h>
#include <satori/errno.h>
#include <satori/types.h>
#include <asm/layout.h>
#include <asm/x86.h>

#define _ASM_EXTABLE(from, to)                  \
    ".pushsection .ex_table, \"a\"\n\t"         \
    ".balign 4\n\t"                             \
    ".long " #from " - .\n\t"                   \
    ".long " #to " - .\n\t"                     \
    ".popsection\n\t"

/* A guest data selector register. */
#define READ_SEG(seg) ({ uint16_t _s; __asm__ volatile("mov %%" #seg ", %0" : "=r"(_s)); _s; })

/* Loads sel into a data segment register, or null if it does not load. */
#define LOAD_SEG_SAFE(seg, sel)                                                          \
    __asm__ volatile("1: mov %k0, %%" #seg "\n"                                         \
                     "2:\n\t"                                                           \
                     ".pushsection .text.fixup, \"ax\"\n"                              \
                     "3: xor %k0, %k0\n\t"                                              \
                     "mov %k0, %%" #seg "\n\t"                                          \
                     "jmp 2b\n\t"                                                       \
                     ".popsection\n\t"                                                  \
                     _ASM_EXTABLE(1b, 3b)                                               \
                     : : "r"((uint32_t)(sel)) : "memory")

/* A 48-bit canonical address (what iretq and the MSRs accept). */
static inline bool is_canonical(uint64_t va)
{
    return va < 0x0000800000000000UL || va >= 0xffff800000000000UL;
}

/* A guest virtual address range: canonical, no wrap, outside the hole. */
static inline bool guest_range_ok(uint64_t va, uint64_t len)
{
    uint64_t end = va + len;

    if (end < va)
        return false;
    if (!len)
        return true;
    if (va < 0x0000800000000000UL)
        return end <= 0x0000800000000000UL;
    return va >= HYPERVISOR_VIRT_END;
}

/*
 * Copies n bytes with faults caught; returns the bytes NOT copied. Whole
 * quadwords first (rep movsq: an eighth of the iterations, which matters
 * under QEMU's TCG, where each iteration is a trip through the loop), then
 * the byte tail. A fault in the first part reports its remaining quadwords
 * as bytes, plus the tail.
 */
static inline uint64_t raw_copy_guest(void *dst, const void *src, uint64_t n)
{
    uint64_t tail = n & 7, left = n >> 3;

    stac();
    __asm__ volatile("1: rep movsq\n\t"
                     "mov %[tail], %[left]\n"
                     "2: rep movsb\n"
                     "3:\n\t"
                     ".pushsection .text.fixup, \"ax\"\n"
                     "4: lea (%[tail], %[left], 8), %[left]\n\t"
                     "jmp 3b\n\t"
                     ".popsection\n\t"
                     _ASM_EXTABLE(1b, 4b)
                     _ASM_EXTABLE(2b, 3b)
                     : "+D"(dst), "+S"(src), [left] "+c"(left) : [tail] "r"(tail) : "memory");
    clac();
    return left;
}

static inline int __must_check copy_from_guest(void *dst, uint64_t guest_va, uint64_t n)
{
    if (!guest_range_ok(guest_va, n))
        return -EFAULT;
    return raw_copy_guest(dst, (const void *)guest_va, n) ? -EFAULT : 0;
}

static inline int __must_check copy_to_guest(uint64_t guest_va, const void *src, uint64_t n)
{
    if (!guest_range_ok(guest_va, n))
        return -EFAULT;
    return raw_copy_guest((void *)guest_va, src, n) ? -EFAULT : 0;
}

#endif
