/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Every inline-assembly wrapper for x86 instructions lives here: port I/O,
 * MSRs, control registers, CPUID, TSC, descriptor tables, interrupts flag.
 */
#ifndef ASM_X86_H
#define ASM_X86_H

#include <satori/types.h>

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" :: "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline uint16_t inw(uint16_t port) { uint16_t v; __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline uint32_t inl(uint16_t port) { uint32_t v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port)); return v; }

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" :: "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

static inline void cpuid_count(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b,
                               uint32_t *c, uint32_t *d)
{
    __asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(sub));
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* rdtsc that is not executed before earlier loads (for calibration). */
static inline uint64_t rdtsc_ordered(void)
{
    __asm__ volatile("lfence" ::: "memory");
    return rdtsc();
}

#define DEFINE_CR(n)                                                                  \
    static inline uint64_t read_cr##n(void)                                           \
    { uint64_t v; __asm__ volatile("mov %%cr" #n ", %0" : "=r"(v)); return v; }       \
    static inline void write_cr##n(uint64_t v)                                        \
    { __asm__ volatile("mov %0, %%cr" #n :: "r"(v) : "memory"); }
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR

static inline void write_xcr0(uint64_t v)
{
    __asm__ volatile("xsetbv" :: "c"(0), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

struct __attribute__((packed)) desc_ptr {
    uint16_t limit;
    uint64_t base;
};

static inline void lgdt(const struct desc_ptr *p) { __asm__ volatile("lgdt %0" :: "m"(*p)); }
static inline void lidt(const struct desc_ptr *p) { __asm__ volatile("lidt %0" :: "m"(*p)); }
static inline void ltr(uint16_t sel) { __asm__ volatile("ltr %0" :: "rm"(sel)); }
static inline void lldt(uint16_t sel) { __asm__ volatile("lldt %0" :: "rm"(sel)); }

/* Page-fault error code bits. */
#define PFEC_PRESENT 1u
#define PFEC_WRITE   2u
#define PFEC_USER    4u
#define PFEC_RSVD    8u
#define PFEC_INSN    16u

/*
 * lar: *ar gets the access-rights bits (descriptor bits 40-55 in place,
 * shifted down by 32) of sel's descriptor in the loaded GDT/LDT; false when
 * sel is null, outside the table or names a descriptor lar refuses.
 */
static inline bool lar(uint16_t sel, uint32_t *ar)
{
    bool ok;

    __asm__ volatile("lar %2, %0" : "=r"(*ar), "=@ccz"(ok) : "r"((uint32_t)sel));
    return ok;
}

static inline void invlpg(const void *va) { __asm__ volatile("invlpg (%0)" :: "r"(va) : "memory"); }
static inline void flush_tlb_local(void) { write_cr3(read_cr3()); }
/* Zeroes a page by quadwords (an eighth of the iterations under TCG). */
static inline void clear_page(void *va)
{
    uint64_t n = 4096 / 8;

    __asm__ volatile("rep stosq" : "+D"(va), "+c"(n) : "a"(0ULL) : "memory");
}

static inline void local_irq_disable(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void local_irq_enable(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void cpu_relax(void) { __asm__ volatile("pause" ::: "memory"); }
static inline void halt(void) { __asm__ volatile("hlt" ::: "memory"); }
/* Enable interrupts and halt with no window for a wake-up to slip between. */
static inline void safe_halt(void) { __asm__ volatile("sti; hlt" ::: "memory"); }

static inline uint64_t read_rflags(void)
{
    uint64_t f;
    __asm__ volatile("pushf; pop %0" : "=r"(f) :: "memory");
    return f;
}

#define X86_EFLAGS_IF (1UL << 9)
#define X86_EFLAGS_AC (1UL << 18)

static inline uint64_t local_irq_save(void)
{
    uint64_t f = read_rflags();
    local_irq_disable();
    return f;
}

static inline void local_irq_restore(uint64_t flags)
{
    if (flags & X86_EFLAGS_IF)
        local_irq_enable();
}

static inline bool local_irq_is_enabled(void) { return read_rflags() & X86_EFLAGS_IF; }

/*
 * SMAP: open and close the window for touching guest (user) pages. The
 * instructions are #UD on CPUs without SMAP, hence the flag (cpu.c).
 */
extern bool smap_active;
static inline void stac(void)
{
    if (smap_active)
        __asm__ volatile(".byte 0x0f,0x01,0xcb" ::: "memory");
}
static inline void clac(void)
{
    if (smap_active)
        __asm__ volatile(".byte 0x0f,0x01,0xca" ::: "memory");
}

static inline uint64_t read_rbp(void)
{
    return (uint64_t)__builtin_frame_address(0);
}

#define MSR_EFER          0xc0000080
#define MSR_STAR          0xc0000081
#define MSR_LSTAR         0xc0000082
#define MSR_FS_BASE       0xc0000100
#define MSR_GS_BASE       0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102
#define MSR_APIC_BASE     0x0000001b
#define MSR_TSC_DEADLINE  0x000006e0
#define MSR_PAT           0x00000277

#define EFER_SCE (1UL << 0)
#define EFER_LME (1UL << 8)
#define EFER_NXE (1UL << 11)

#define X86_CR0_PE (1UL << 0)
#define X86_CR0_MP (1UL << 1)
#define X86_CR0_EM (1UL << 2)
#define X86_CR0_TS (1UL << 3)
#define X86_CR0_NE (1UL << 5)
#define X86_CR0_WP (1UL << 16)
#define X86_CR0_PG (1UL << 31)
#define X86_CR4_PAE (1UL << 5)
#define X86_CR4_PGE (1UL << 7)
#define X86_CR4_OSFXSR (1UL << 9)
#define X86_CR4_OSXMMEXCPT (1UL << 10)
#define X86_CR4_FSGSBASE (1UL << 16)
#define X86_CR4_OSXSAVE (1UL << 18)
#define X86_CR4_SMEP (1UL << 20)
#define X86_CR4_SMAP (1UL << 21)

#endif
