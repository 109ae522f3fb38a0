/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The idle loop every CPU ends up in when it has nothing to run: handle
 * softirqs, then halt until the next interrupt. Interrupts are disabled
 * between the last check for work and the halt (sti;hlt is atomic), so a
 * wake-up cannot be lost.
 */
#include <satori/compiler.h>
#include <satori/softirq.h>
#include <satori/time.h>
#include <asm/percpu.h>
#include <asm/x86.h>

void __noreturn idle_loop(void);

void __noreturn idle_loop(void)
{
    struct pcpu *p = this_pcpu();

    for (;;) {
        do_softirq();
        local_irq_disable();
        if (softirq_pending(p->id)) {
            local_irq_enable();
            continue;
        }
        s_time_t start = NOW();
        safe_halt();
        p->idle_ns += NOW() - start;
    }
}
