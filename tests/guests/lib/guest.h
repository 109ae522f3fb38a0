/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The test-guest framework: what a test guest (one .c file under
 * tests/guests/) uses. A guest defines
 *     const char guest_name[] = "hello";
 *     void guest_main(void) { ... CHECK(...) / CHECK_EQ(...) ... }
 * and each case is `case_begin("name")`, checks, `case_end()` (or the
 * one-shot `CASE(name, expr)`). Results print as
 *     PASS: <guest>/<case>         FAIL: <guest>/<case> <why>
 * then `SUMMARY <guest>: N passed, M failed`, and the guest powers off.
 */
#ifndef GUEST_H
#define GUEST_H

#include <stdint.h>
#include <stddef.h>
#include <stdarg.h>
#include <public/xen.h>
#include <public/version.h>
#include <public/sched.h>
#include <public/memory.h>
#include <public/event_channel.h>
#include "hypercall.h"

#define PAGE_SIZE   4096UL
#define PAGE_SHIFT  12
#define VIRT_BASE   0xffffffff80000000UL

/* Xen's errno values (include/public/errno.h in Xen; not in our headers). */
#define EPERM    1
#define ENOENT   2
#define ESRCH    3
#define EIO      5
#define ENXIO    6
#define ENOMEM  12
#define EACCES  13
#define EFAULT  14
#define EBUSY   16
#define EEXIST  17
#define ENODEV  19
#define EINVAL  22
#define ENOSPC  28
#define EDOM    33
#define ERANGE  34
#define ENOSYS  38
#define ENODATA 61
#define ENOBUFS 105
#define EOPNOTSUPP 95

extern start_info_t *start_info;
extern shared_info_t *shared_info;   /* mapped by the framework at boot */
extern const char guest_name[];
void guest_main(void);

/* Output. */
void putstr(const char *s);
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int snprintf(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);

/* Small libc. */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t n);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
const char *strstr(const char *h, const char *n);

/* Cases. */
void case_begin(const char *name);
void case_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void case_end(void);
void guest_finish(void) __attribute__((noreturn));
void guest_panic(const char *why) __attribute__((noreturn));

#define CASE(name, expr) do {                                                \
        case_begin(name);                                                    \
        if (!(expr))                                                         \
            case_fail("%s", #expr);                                          \
        case_end();                                                          \
    } while (0)
#define CHECK(expr) do { if (!(expr)) case_fail("line %d: %s", __LINE__, #expr); } while (0)
#define CHECK_EQ(got, want) do {                                             \
        long _g = (long)(got), _w = (long)(want);                            \
        if (_g != _w) case_fail("line %d: %s = %ld (%#lx), want %ld (%#lx)", \
                                __LINE__, #got, _g, _g, _w, _w);             \
    } while (0)

/*
 * Traps. The framework installs a handler for vectors 0-21 at boot. A
 * fault that no test expects fails the running case and powers off. To
 * expect one, run the faulting instruction inside EXPECT_TRAP: the
 * handler records it in last_trap and resumes after the asm block.
 */
struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error_code;
    uint64_t rip, cs, rflags, rsp, ss;      /* Xen's bounce frame */
};
struct trap_record {
    int taken;              /* number of traps since trap_reset() */
    unsigned int vector;
    uint64_t error_code;
    uint64_t rip, cs, rflags;
    uint64_t cr2;           /* vcpu_info.arch.cr2 at #PF */
};
extern volatile struct trap_record last_trap;
extern volatile uint64_t trap_resume;   /* where to resume; 0 = unexpected */
void trap_reset(void);
/* Install the framework's trap table again (a test may have replaced it). */
long traps_install(void);

#define TRAP_NONE 0xffffffffu
/* Runs `insns` (an asm string) expecting maybe a trap; resumes after it. */
#define EXPECT_TRAP(insns, ...) do {                                         \
        trap_reset();                                                        \
        asm volatile("lea 9f(%%rip), %%rax\n\t"                              \
                     "mov %%rax, trap_resume(%%rip)\n\t"                     \
                     insns "\n9:\n\t"                                        \
                     "movq $0, trap_resume(%%rip)"                           \
                     ::: "rax", "memory" __VA_ARGS__);                       \
    } while (0)

/* The same with two register inputs, %0 and %1, for `insns`. */
#define EXPECT_TRAP_IN(insns, in0, in1) do {                                 \
        trap_reset();                                                        \
        asm volatile("lea 9f(%%rip), %%rax\n\t"                              \
                     "mov %%rax, trap_resume(%%rip)\n\t"                     \
                     insns "\n9:\n\t"                                        \
                     "movq $0, trap_resume(%%rip)"                           \
                     :: "r"(in0), "r"(in1) : "rax", "memory");               \
    } while (0)

/* Memory helpers (lib/mm.c). */
extern uint64_t *const m2p;                 /* RO M2P at 0xffff800000000000 */
uint64_t virt_to_pfn(const void *va);
uint64_t pfn_to_mfn(uint64_t pfn);
uint64_t virt_to_mfn(const void *va);
void *mfn_to_virt(uint64_t mfn);            /* own frames only */
/* One mmuext_op on DOMID_SELF with arg1 (an MFN or a VA); a success that did not count it fails the case. */
long mmuext1(unsigned int cmd, uint64_t arg1);
/* Machine address of the L1 entry mapping va (0 if not 4K-mapped). */
uint64_t pte_maddr(const void *va);
uint64_t pte_read(const void *va);          /* the L1 entry itself */

#define _PAGE_PRESENT  0x001UL
#define _PAGE_RW       0x002UL
#define _PAGE_USER     0x004UL
#define _PAGE_ACCESSED 0x020UL
#define _PAGE_DIRTY    0x040UL
#define _PAGE_PSE      0x080UL
#define PTE_FLAGS_MASK 0xfff0000000000fffUL
#define PTE_ADDR_MASK  0x000ffffffffff000UL

/* Per-vCPU time, from vcpu_info[0] (ns since boot). */
uint64_t system_time_ns(void);

#endif
