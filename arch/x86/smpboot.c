/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Bringing up application processors: for each enabled CPU of the MADT
 * (up to maxcpus), allocate its stack block and descriptor page, copy the
 * real-mode trampoline below 1 MiB, and send INIT-SIPI-SIPI; the CPU then
 * runs start_secondary() and reports itself online.
 *
 * APs are started one at a time: ap_boot_rsp and the trampoline page are
 * shared, and the boot CPU waits for each to come online (or times out and
 * reports it) before starting the next.
 */
#include <satori/console.h>
#include <satori/mm.h>
#include <satori/panic.h>
#include <satori/sched.h>
#include <satori/string.h>
#include <satori/time.h>
#include <satori/timer.h>
#include <asm/acpi.h>
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/mm.h>
#include <asm/percpu.h>
#include <asm/pv.h>
#include <asm/smp.h>
#include <asm/time.h>
#include <asm/traps.h>
#include <asm/x86.h>

#define AP_START_TIMEOUT_MS 5000

struct pcpu pcpus[CONFIG_NR_CPUS];
unsigned int nr_cpus_online;
uint64_t ap_boot_rsp;                       /* read by ap_start_high */

extern char boot_stack[];
extern const char trampoline_start[], trampoline_end[], tramp_efer[];
static uint64_t bsp_gdt_page[512] __aligned(4096);

void __noreturn start_secondary(void);

void smp_prepare_boot_cpu(void)
{
    struct pcpu *p = &pcpus[0];

    get_cpu_info()->cpu = 0;
    p->id = 0;
    p->stack = boot_stack;
    p->gdt = bsp_gdt_page;
    p->present = true;
    desc_init_cpu(p);
}

static void copy_trampoline(void)
{
    size_t len = trampoline_end - trampoline_start;
    uint8_t *dst = __va(TRAMPOLINE_PADDR);
    uint32_t efer_bits = EFER_LME | (cpu_has(X86_FEATURE_NX) ? EFER_NXE : 0);

    memcpy(dst, trampoline_start, len);
    memcpy(dst + (tramp_efer - trampoline_start), &efer_bits, 4);
}

static bool wait_online(struct pcpu *p, s_time_t timeout)
{
    s_time_t end = NOW() + timeout;

    while (!p->online && NOW() < end)
        cpu_relax();
    return p->online;
}

static bool start_cpu(unsigned int id, uint32_t apic, uint32_t acpi_id)
{
    struct pcpu *p = &pcpus[id];
    struct cpu_info *ci;

    p->id = id;
    p->apic_id = apic;
    p->acpi_id = acpi_id;
    p->present = true;
    p->stack = alloc_heap_pages(STACK_ORDER);
    p->gdt = alloc_heap_pages(0);
    if (!p->stack || !p->gdt) {
        pr_err("SMP: no memory for CPU %u\n", id);
        return false;
    }
    ci = (struct cpu_info *)((char *)p->stack + STACK_SIZE - CPU_INFO_SIZE);
    memset(ci, 0, sizeof(*ci));
    ci->cpu = id;
    ap_boot_rsp = (uint64_t)p->stack + STACK_SIZE - STACK_TOP_RESERVE;
    desc_init_gdt_window(p, false);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);

    apic_send_init(apic);
    udelay(10000);
    for (int i = 0; i < 2 && !p->online; i++) {
        apic_send_sipi(apic, TRAMPOLINE_PADDR >> PAGE_SHIFT);
        udelay(200);
    }
    if (wait_online(p, MILLISECS(AP_START_TIMEOUT_MS)))
        return true;
    pr_err("SMP: CPU %u (APIC id %u) did not come online within %u ms\n", id, apic,
           AP_START_TIMEOUT_MS);
    return false;
}

void smp_boot_cpus(const struct acpi_madt_info *madt, unsigned int maxcpus)
{
    unsigned int limit = MIN(maxcpus ? maxcpus : CONFIG_NR_CPUS, CONFIG_NR_CPUS);
    unsigned int next = 1, skipped = 0;

    pcpus[0].apic_id = apic_id();
    pcpus[0].acpi_id = ACPI_ID_INVALID;
    pcpus[0].online = true;
    nr_cpus_online = 1;
    copy_trampoline();
    for (unsigned int i = 0; i < madt->nr_cpus; i++) {
        uint32_t apic = madt->apic_ids[i];
        if (apic == pcpus[0].apic_id) {
            pcpus[0].acpi_id = madt->acpi_ids[i];
            continue;
        }
        if (next >= limit) {
            skipped++;
            continue;
        }
        if (start_cpu(next, apic, madt->acpi_ids[i]))
            next++;
    }
    if (skipped)
        printk("SMP: %u CPU(s) left offline (maxcpus=%u, NR_CPUS=%u)\n", skipped, maxcpus,
               CONFIG_NR_CPUS);
    printk("SMP: %u of %u CPUs online\n", nr_cpus_online, madt->nr_cpus ? madt->nr_cpus : 1);
}

void __noreturn start_secondary(void)
{
    struct pcpu *p = this_pcpu();

    desc_init_cpu(p);
    traps_load();
    cpu_init_local();
    pv_init_cpu(p->id, p->stack);
    apic_init_cpu();
    timers_init_cpu();
    __atomic_fetch_add(&nr_cpus_online, 1, __ATOMIC_SEQ_CST);
    p->online = true;
    printk("CPU %u (APIC id %u) online\n", p->id, p->apic_id);
    idle_loop();
}
