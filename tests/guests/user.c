// SPDX-License-Identifier: GPL-2.0-only
/*
 * user: guest user mode. We build a user page table (a copy of our kernel
 * L4 less the hypervisor's slots), install it with MMUEXT_NEW_USER_BASEPTR,
 * register a syscall callback and a kernel stack (stack_switch), then iret
 * to user mode (CS RPL 3). User code executes `syscall`, which must arrive
 * at our callback in kernel mode with Xen's frame (RCX, R11, RIP, CS, ...)
 * and the user's registers. Also times the round trip for `make bench`.
 */
#include <public/callback.h>

#include "guest.h"

const char guest_name[] = "user";

#define PG __attribute__((aligned(4096), section(".bss.page_aligned")))
static uint64_t user_l4[512] PG;
static char user_stack[4096] PG, kernel_stack[4096] PG;

#define PTE_RO (_PAGE_PRESENT | _PAGE_ACCESSED)

uint64_t kernel_resume_rsp, got_rdi, got_cs, got_rip, got_rsp, got_r11;
extern char user_entry[], user_after_syscall[], syscall_entry[];

asm(".text\n"
    ".globl user_entry\n"
    "user_entry:\n\t"
    "mov $0x5a5a, %rdi\n\t"
    "syscall\n"
    ".globl user_after_syscall\n"
    "user_after_syscall:\n\t"
    "ud2\n"
    /* kernel mode, events masked, %rsp -> RCX, R11, RIP, CS, RFLAGS, RSP, SS */
    ".globl syscall_entry\n"
    "syscall_entry:\n\t"
    "mov %rdi, got_rdi(%rip)\n\t"
    "mov 8(%rsp), %rax\n\t"
    "mov %rax, got_r11(%rip)\n\t"
    "mov 16(%rsp), %rax\n\t"
    "mov %rax, got_rip(%rip)\n\t"
    "mov 24(%rsp), %rax\n\t"
    "mov %rax, got_cs(%rip)\n\t"
    "mov 40(%rsp), %rax\n\t"
    "mov %rax, got_rsp(%rip)\n\t"
    "mov kernel_resume_rsp(%rip), %rsp\n\t"
    "jmp user_resume\n");

/* iret to user_entry in user mode; comes back through syscall_entry. */
static void round_trip(void)
{
    uint64_t ustack = (uint64_t)user_stack + sizeof(user_stack) - 64;

    asm volatile("push %%rbp\n\tpush %%rbx\n\tpush %%r12\n\t"
                 "push %%r13\n\tpush %%r14\n\tpush %%r15\n\t"
                 "mov %%rsp, kernel_resume_rsp(%%rip)\n\t"
                 "pushq $0xe02b\n\t"        /* ss */
                 "pushq %[ustack]\n\t"      /* rsp */
                 "pushq $0x202\n\t"         /* rflags */
                 "pushq $0xe033\n\t"        /* cs: RPL 3, user mode */
                 "pushq %[uentry]\n\t"      /* rip */
                 "pushq $0\n\t"             /* flags */
                 "pushq $0\n\t"             /* rcx */
                 "pushq $0\n\t"             /* r11 */
                 "pushq $0\n\t"             /* rax */
                 "mov $23, %%eax\n\t"
                 "syscall\n"
                 "user_resume:\n\t"
                 "pop %%r15\n\tpop %%r14\n\tpop %%r13\n\t"
                 "pop %%r12\n\tpop %%rbx\n\tpop %%rbp"
                 :: [ustack] "r"(ustack), [uentry] "r"(user_entry)
                 : "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "memory");
}

static long install_user_mode(void)
{
    const uint64_t *kl4 = (const uint64_t *)start_info->pt_base;
    struct mmuext_op op = { .cmd = MMUEXT_NEW_USER_BASEPTR };
    struct callback_register cb = {
        .type = CALLBACKTYPE_syscall, .flags = CALLBACKF_mask_events,
        .address = (uint64_t)syscall_entry,
    };
    unsigned int done;
    long rc;

    for (unsigned int i = 0; i < 512; i++)
        user_l4[i] = (i >= 256 && i < 272) ? 0 : kl4[i];
    rc = HYPERVISOR_update_va_mapping(user_l4, (virt_to_mfn(user_l4) << PAGE_SHIFT) | PTE_RO,
                                      UVMF_INVLPG);
    if (rc)
        return rc;
    op.arg1.mfn = virt_to_mfn(user_l4);
    rc = HYPERVISOR_mmuext_op(&op, 1, &done, DOMID_SELF);
    if (rc)
        return rc;
    rc = HYPERVISOR_callback_op(CALLBACKOP_register, &cb);
    if (rc)
        return rc;
    return HYPERVISOR_stack_switch(FLAT_KERNEL_SS, (uint64_t)kernel_stack + sizeof(kernel_stack));
}

void guest_main(void)
{
    const unsigned long n = 2000;
    uint64_t t;

    CASE("install_user_mode", install_user_mode() == 0);

    case_begin("syscall_from_user_reaches_callback");
    round_trip();
    CHECK_EQ(got_rdi, 0x5a5a);
    CHECK_EQ(got_rip, (uint64_t)user_after_syscall);
    CHECK_EQ(got_cs & 0xffff, FLAT_RING3_CS64);                 /* RPL 3: came from user */
    CHECK_EQ(got_rsp, (uint64_t)user_stack + sizeof(user_stack) - 64);
    CHECK_EQ(got_r11 & 0x200, 0x200);                          /* user rflags, IF on */
    case_end();

    case_begin("events_masked_in_callback");
    CHECK_EQ(shared_info->vcpu_info[0].evtchn_upcall_mask, 1);
    case_end();

    case_begin("kernel_mode_after_bounce");
    /* A hypercall works again: only kernel mode may make one. */
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_version, 0), (4 << 16) | 17);
    case_end();

    t = system_time_ns();
    for (unsigned long i = 0; i < n; i++)
        round_trip();
    {
        uint64_t ns = system_time_ns() - t;
        printf("BENCH user_syscall_round_trip %lu.%02lu %lu\n", ns / n, (ns % n) * 100 / n, n);
    }
    CASE("round_trips", got_rdi == 0x5a5a);
}
