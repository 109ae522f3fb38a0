/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Page-table write emulation ("ptwr"): a guest kernel stores directly into
 * one of its L1 page tables, which are mapped read-only to it. The store
 * faults; here it is decoded (hypervisor/x86_decode.c), the new entry is
 * validated exactly as mmu_update would (page_type.c), applied, and the
 * guest resumes after the instruction, as if the store had simply worked.
 *
 * Invariants:
 *  1. Only a write fault (P|W, not reserved-bit, not fetch) from guest
 *     kernel mode, on a read-only L1 entry that maps a validated L1 table
 *     of the faulting domain, is emulated; anything else is returned to the
 *     caller (false) as an ordinary guest fault.
 *  2. The decoded write lies wholly inside the one 8-byte entry that
 *     contains the fault address; smaller writes are merged with the
 *     current entry. The guest's instruction bytes are read only with
 *     copy_from_guest.
 *  3. The new entry is validated before it is stored (pt_update_entry);
 *     when it fails nothing changes and the fault goes back to the guest
 *     (Xen: #PF with the original error code).
 *  4. Registers and flags change only after the entry did: the old value
 *     for xchg and a failed cmpxchg, ZF for cmpxchg, CF for bt*, the
 *     logic flags for and/or; rip advances by the instruction's length.
 *
 * As on hardware, no TLB flush follows: the guest flushes what it changed.
 */
#include <satori/domain.h>
#include <satori/perfc.h>
#include <satori/x86_decode.h>
#include <asm/mm.h>
#include <asm/pv.h>
#include <asm/traps.h>
#include <asm/uaccess.h>
#include <asm/x86.h>
#include "pv_mm.h"


#define EFL_CF 0x001UL
#define EFL_PF 0x004UL
#define EFL_AF 0x010UL
#define EFL_ZF 0x040UL
#define EFL_SF 0x080UL
#define EFL_OF 0x800UL
#define EFL_ARITH (EFL_CF | EFL_PF | EFL_AF | EFL_ZF | EFL_SF | EFL_OF)

/* cpu_regs in encoding order (rax rcx rdx rbx rsp rbp rsi rdi r8..r15). */
static uint64_t *gpr_slot(struct cpu_regs *r, unsigned int n)
{
    uint64_t *const slots[16] = { &r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp, &r->rbp,
                                  &r->rsi, &r->rdi, &r->r8,  &r->r9,  &r->r10, &r->r11,
                                  &r->r12, &r->r13, &r->r14, &r->r15 };
    return slots[n & 15];
}

static uint64_t size_mask(unsigned int size)
{
    return size == 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
}

/* A register write of `size` bytes: 4 zero-extends, 1 and 2 merge. */
static void set_reg(struct cpu_regs *r, unsigned int n, unsigned int size, uint64_t v)
{
    uint64_t *p = gpr_slot(r, n), m = size_mask(size);

    *p = size >= 4 ? v & m : (*p & ~m) | (v & m);
}

static uint64_t result_flags(uint64_t res, unsigned int size)
{
    uint64_t f = 0;

    res &= size_mask(size);
    if (!res)
        f |= EFL_ZF;
    if ((res >> (8 * size - 1)) & 1)
        f |= EFL_SF;
    if (!(__builtin_popcount((unsigned int)(res & 0xff)) & 1))
        f |= EFL_PF;
    return f;
}

/* The flags of cmp a, b (a - b), as cmpxchg sets them. */
static uint64_t sub_flags(uint64_t a, uint64_t b, unsigned int size)
{
    uint64_t m = size_mask(size), res = (a - b) & m, top = 8 * size - 1;
    uint64_t f = result_flags(res, size);

    a &= m;
    b &= m;
    if (a < b)
        f |= EFL_CF;
    if ((((a ^ b) & (a ^ res)) >> top) & 1)
        f |= EFL_OF;
    if ((a ^ b ^ res) & 0x10)
        f |= EFL_AF;
    return f;
}

struct ptwr_op {
    uint64_t cur;        /* the operand's current value (size bytes) */
    uint64_t val;        /* the value to write back (size bytes) */
    bool write;          /* false: a cmpxchg that failed its comparison */
    uint64_t flags;      /* new arithmetic flags */
    bool set_flags;
};

/* Computes what the instruction does to the operand (invariant 4). */
static bool ptwr_compute(const struct x86_dec_insn *in, struct cpu_regs *r, struct ptwr_op *o)
{
    uint64_t src = in->src_imm ? in->imm : *gpr_slot(r, in->src_reg), bit;

    o->write = true;
    o->set_flags = in->op != XD_MOV && in->op != XD_XCHG;
    switch (in->op) {
    case XD_MOV:
    case XD_XCHG:
        o->val = src;
        break;
    case XD_CMPXCHG:
        o->flags = sub_flags(r->rax, o->cur, in->size);
        o->write = (o->flags & EFL_ZF) != 0;
        o->val = o->write ? src : o->cur;
        break;
    case XD_AND:
    case XD_OR:
        o->val = in->op == XD_AND ? o->cur & src : o->cur | src;
        o->flags = result_flags(o->val, in->size);
        break;
    case XD_BTS:
    case XD_BTR:
        bit = src;
        if (in->src_imm)
            bit &= 8 * in->size - 1;
        else if (bit >= 8 * in->size)
            return false;      /* a bit beyond this operand: another address */
        o->flags = (o->cur >> bit) & 1 ? EFL_CF : 0;
        o->val = in->op == XD_BTS ? o->cur | (1ULL << bit) : o->cur & ~(1ULL << bit);
        break;
    default:
        return false;
    }
    o->val &= size_mask(in->size);
    return true;
}

static void ptwr_retire(const struct x86_dec_insn *in, struct cpu_regs *r, const struct ptwr_op *o)
{
    if (in->op == XD_XCHG)
        set_reg(r, in->src_reg, in->size, o->cur);
    if (in->op == XD_CMPXCHG && !o->write)
        set_reg(r, 0, in->size, o->cur);
    if (o->set_flags) {
        uint64_t keep = in->op == XD_BTS || in->op == XD_BTR ? ~EFL_CF : ~EFL_ARITH;
        r->rflags = (r->rflags & keep) | o->flags;
    }
    r->rip += in->len;
}

/* Fetches and decodes the instruction at rip; the address it writes. */
static bool ptwr_decode(struct cpu_regs *r, struct x86_dec_insn *in, uint64_t *addr)
{
    uint8_t buf[X86_DECODE_MAX_LEN];
    uint64_t gpr[16];
    unsigned int n = X86_DECODE_MAX_LEN;

    /* The instruction may end just before an unmapped page. */
    if (copy_from_guest(buf, r->rip, n)) {
        n = (unsigned int)(PAGE_SIZE - (r->rip & ~PAGE_MASK));
        if (n >= X86_DECODE_MAX_LEN || copy_from_guest(buf, r->rip, n))
            return false;
    }
    if (x86_decode_mem_write(buf, n, in))
        return false;
    for (unsigned int i = 0; i < 16; i++)
        gpr[i] = *gpr_slot(r, i);
    *addr = x86_dec_address(in, gpr, r->rip);
    return true;
}

/* The validated L1 of d that the read-only mapping of va shows, or NULL. */
static struct page_info *ptwr_target(struct domain *d, uint64_t va)
{
    struct page_info *l1, *pg;
    unsigned int idx;
    uint64_t e;

    if (pv_find_l1e(d, va, &l1, &idx))
        return NULL;
    e = ((const uint64_t *)page_to_virt(l1))[idx];
    if ((e & (_PAGE_PRESENT | _PAGE_RW)) != _PAGE_PRESENT)
        return NULL;
    pg = pv_pt_env.frame(&pv_pt_env, (e & PTE_ADDR_MASK) >> PAGE_SHIFT);
    if (!pg || pg->owner != d->domain_id || page_get_type(pg) != PGT_l1_page_table ||
        !(pg->type_info & PGT_validated) || !page_type_count(pg))
        return NULL;
    return pg;
}

bool pv_ptwr_fault(struct cpu_regs *regs)
{
    struct vcpu *v = current_vcpu();
    uint64_t cr2 = read_cr2(), addr, shift, mask, old, entry;
    struct x86_dec_insn in;
    struct page_info *pg;
    struct ptwr_op o = { 0 };
    int rc = -1;

    if (!v || !v->kernel_mode || regs->entry_vector != X86_EXC_PF ||
        (regs->error_code & (PFEC_PRESENT | PFEC_WRITE | PFEC_RSVD | PFEC_INSN)) !=
            (PFEC_PRESENT | PFEC_WRITE))
        return false;
    if (!ptwr_decode(regs, &in, &addr) || (addr & ~7ULL) != (cr2 & ~7ULL) ||
        (addr & 7) + in.size > 8)                           /* invariant 2 */
        return false;
    shift = (addr & 7) * 8;
    mask = size_mask(in.size) << shift;
    pv_mm_lock();
    pg = ptwr_target(v->domain, cr2);
    if (pg) {
        entry = ((const uint64_t *)page_to_virt(pg))[(cr2 & ~PAGE_MASK) / 8];
        o.cur = (entry & mask) >> shift;
        rc = ptwr_compute(&in, regs, &o) ? 0 : -1;
        if (!rc && o.write)                                 /* invariant 3 */
            rc = pt_update_entry(&pv_pt_env, v->domain->domain_id, pg,
                                 (unsigned int)((cr2 & ~PAGE_MASK) / 8),
                                 (entry & ~mask) | (o.val << shift), false, &old);
    }
    pv_mm_unlock();
    if (rc)
        return false;
    ptwr_retire(&in, regs, &o);
    perfc_incr(ptwr_emulated);
    return true;
}
