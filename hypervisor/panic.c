/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The end of the line: panic() for boot failures and our own bugs, and the
 * halt and restart paths. Only one CPU panics; the others are stopped with an
 * NMI so they cannot scribble over the report. After the report the machine
 * reboots, or halts when noreboot is given (tests and debugging want that).
 */
#include <stdarg.h>
#include <satori/bug.h>
#include <satori/console.h>
#include <satori/lib.h>
#include <satori/panic.h>
#include <asm/percpu.h>
#include <asm/x86.h>

bool opt_noreboot;
static volatile int panicking = -1;   /* CPU that owns the panic path */

bool in_panic(void)
{
    return panicking >= 0;
}

/* Returns false if another CPU is already panicking (we then just stop). */
static bool enter_panic(void)
{
    int expected = -1;
    int me = (int)smp_processor_id();

    local_irq_disable();
    if (__atomic_compare_exchange_n(&panicking, &expected, me, false, __ATOMIC_SEQ_CST,
                                    __ATOMIC_SEQ_CST) || expected == me)
        return true;
    return false;
}

void __noreturn machine_halt(void)
{
    local_irq_disable();
    arch_stop_other_cpus();
    for (;;)
        halt();
}

void __noreturn machine_restart(void)
{
    local_irq_disable();
    arch_stop_other_cpus();
    arch_reset();
}

static void __noreturn panic_stop(void)
{
    if (opt_noreboot) {
        console_puts("System halted (noreboot): press the reset button\n");
        machine_halt();
    }
    console_puts("Rebooting...\n");
    machine_restart();
}

static void __noreturn panic_report(const char *msg, bool backtrace)
{
    if (!enter_panic())
        for (;;)
            halt();
    console_force_unlock();
    pr_always("****************************************\n");
    pr_always("Panic on CPU %u:\n%s\n", smp_processor_id(), msg);
    pr_always("****************************************\n");
    if (backtrace)
        show_backtrace(read_rbp(), 0);
    panic_stop();
}

void __noreturn panic(const char *fmt, ...)
{
    char msg[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    panic_report(msg, true);
}

void __noreturn panic_after_dump(const char *cause)
{
    panic_report(cause, false);
}

void __noreturn assert_failed(const char *expr, const char *file, int line)
{
    panic("Assertion '%s' failed at %s:%d", expr, file, line);
}
