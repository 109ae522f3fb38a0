/* SPDX-License-Identifier: GPL-2.0-only */
/* PV guest support in arch/x86/pv/: entry, traps, the dom0 builder. */
#ifndef ASM_PV_H
#define ASM_PV_H

#include <satori/bootinfo.h>
#include <satori/domain.h>
#include <asm/regs.h>

/* FLAT_KERNEL_CS64/CS32/SS are the ABI's (public/arch-x86/xen-x86_64.h). */
#define SYSCALL_VECTOR 0x100
#define SYSCALL_STUB_SIZE 64

static inline bool guest_mode(const struct cpu_regs *r)
{
    return (r->cs & 3) == 3;
}

/* Where the entry paths build the running guest's frame on this CPU. */
struct cpu_regs *guest_cpu_regs(void);

/* syscall MSRs and the per-CPU entry stub; every CPU, at start-up. */
void pv_init_cpu(unsigned int cpu, void *stack);
/* An exception from guest context (vector < 32, not NMI). */
void pv_guest_exception(struct cpu_regs *regs);
/* Last work before an interrupt or trap returns to the guest. */
void pv_exit_to_guest(struct cpu_regs *regs);
bool do_guest_syscall(struct cpu_regs *regs);
/* Makes v (down, its initial frame set) initialised and up, and wakes it. */
void vcpu_start(struct vcpu *v);

/* Bounces into the guest kernel (bounce.c); err NULL: no error code. */
void pv_bounce(struct cpu_regs *regs, uint64_t handler, bool mask_events, const uint32_t *err);
bool pv_inject_exception(struct cpu_regs *regs, unsigned int vec, uint32_t error_code);
bool pv_software_interrupt(struct cpu_regs *regs);
/* The CS and SS a guest frame may hold: the flat ring-3 ones (iret.c). */
bool pv_frame_selectors_ok(uint64_t cs, uint64_t ss);
/* Is cs (in the loaded GDT/LDT) a 64-bit code segment? (iret.c) */
bool pv_cs_is_64bit(uint64_t cs);
/*
 * May a guest frame load a segment with these access rights (descriptor
 * bits 32-55 >> 32, as lar gives them): present, DPL 3, code (or writable
 * data)? (iret.c)
 */
bool pv_segment_ar_ok(uint32_t ar, bool code);
/* Does sel name such a descriptor in v's own GDT? */
bool pv_gdt_selector_ok(const struct vcpu *v, uint16_t sel, bool code);
/* A guest iretq QEMU's TCG faulted under SMAP, completed (iret.c). */
bool pv_emulate_iretq(struct cpu_regs *regs);
void pv_toggle_guest_mode(struct vcpu *v);
/* The virtual CR0.TS, mirrored in hardware (cpu_state.c). */
void pv_set_fpu_ts(struct vcpu *v, bool set);

/*
 * A frame the hypervisor keeps writing into on the guest's behalf
 * (vcpu_info): holds a general and a writable-type reference, so the guest
 * can neither free it nor turn it into a page table or descriptor page
 * while it is in use. 0 or -EINVAL (mm.c).
 */
int pv_get_writable_frame(struct domain *d, uint64_t mfn);
void pv_put_writable_frame(uint64_t mfn);
/* PHYSDEVOP_set_iobitmap (physdev.c): may v's guest touch these ports without IOPL? */
bool pv_iobmp_permits(struct vcpu *v, unsigned int port, unsigned int bytes);

/*
 * decrease_reservation of one frame (Xen's guest_remove_page for a PV
 * guest, mm.c): drops d's allocation reference on mfn; the frame goes
 * back to the heap at its last put (now, unless mapped, pinned or held).
 * 0; -EINVAL for an MFN beyond the frame table; -ENXIO for a frame not
 * d's, or a hypervisor page d may map (shared_info: on no list).
 */
int __must_check pv_remove_page(struct domain *d, uint64_t mfn);
/*
 * XENMEM_exchange's input (Xen's steal_page, mm.c): takes mfn from d if
 * nothing but its allocation holds it (no mapping, pin or other use). The
 * frame leaves d->pages and tot_pages with no owner and no reference;
 * *out is it. 0 or -EINVAL. pv_free_stolen_page() frees such a frame
 * (TLB flush, M2P entry invalidated); domain_assign_pages() gives it back.
 */
int __must_check pv_steal_page(struct domain *d, uint64_t mfn, struct page_info **out);
void pv_free_stolen_page(struct page_info *pg);

/* What the PV builder loads into a new domain (dom0_build.c). */
struct pv_build_args {
    const void *kernel;           /* ELF64 image with Xen notes, or a bzImage */
    uint64_t kernel_len;
    const void *initrd;
    uint64_t initrd_len;
    const char *cmdline;
    uint64_t nr_pages;            /* memory, in 4 KiB pages */
    const char *kernel_desc;      /* "dom0 kernel (module 0)": for messages */
};

/*
 * Builds d (fresh from domain_create) from a: memory, kernel, initrd,
 * start_info, page tables, vCPU 0's first frame; does not start it.
 * 0, or -errno with the reason, one line, in why.
 */
int pv_domain_build(struct domain *d, const struct pv_build_args *a, char *why, size_t why_len);
/* Builds dom0 from module 0 (kernel) and module 1 (initrd) and starts it. */
void dom0_build(const struct boot_info *bi);
/* Boot-time domains (dom_build.c): every module whose command line starts "domU". */
bool boot_module_is_domu(const struct boot_module *m);
void domus_build(const struct boot_info *bi);

/* Hypercall dispatch (hypervisor/hypercall.c). */
void hypercall_dispatch(struct cpu_regs *regs);

#endif
