/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Input from the serial console. A timer polls the UART every 20 ms (the
 * UART's interrupt is not routed yet) and feeds each byte to one of two
 * places:
 *   - dom0: a ring it drains with console_io(CONSOLEIO_read); each new
 *     batch raises VIRQ_CONSOLE so dom0 knows to read;
 *   - Satori's debug console, entered and left with three Ctrl-A in a row,
 *     whose keys dump the machine's state: h help, d domains and vCPUs,
 *     c CPUs, m memory, e pending event channels, t timers, R reboot.
 * A byte that does not fit in the ring is dropped (counted, and reported
 * by 'm'); the console never blocks.
 *
 * Lock: input_lock protects the ring and its counters; the timer runs on
 * one CPU but CONSOLEIO_read may come from any.
 */
#include <satori/console.h>
#include <satori/domain.h>
#include <satori/event.h>
#include <satori/keyhandler.h>
#include <satori/mm.h>
#include <satori/panic.h>
#include <satori/perfc.h>
#include <satori/pirq.h>
#include <satori/sched.h>
#include <satori/spinlock.h>
#include <satori/time.h>
#include <satori/timer.h>
#include <asm/mm.h>
#include <asm/percpu.h>
#include <asm/serial.h>

#define POLL_MS 20
#define RING_SIZE 1024
#define CTRL_A 0x01

static DEFINE_SPINLOCK(input_lock);   /* protects: ring, head, tail, dropped */
static char ring[RING_SIZE];
static unsigned int head, tail;       /* tail - head bytes pending, mod RING_SIZE */
static unsigned long dropped;
static unsigned int ctrl_a_run;
static bool debug_mode;
static struct timer poll_timer;

size_t console_input_read(char *buf, size_t max)
{
    uint64_t flags = spin_lock_irqsave(&input_lock);
    size_t n = 0;

    while (n < max && head != tail) {
        buf[n++] = ring[head];
        head = (head + 1) % RING_SIZE;
    }
    spin_unlock_irqrestore(&input_lock, flags);
    return n;
}

static bool to_dom0(char c)
{
    uint64_t flags = spin_lock_irqsave(&input_lock);
    bool ok = (tail + 1) % RING_SIZE != head;

    if (ok) {
        ring[tail] = c;
        tail = (tail + 1) % RING_SIZE;
    } else {
        dropped++;
    }
    spin_unlock_irqrestore(&input_lock, flags);
    return ok;
}

static const char *const runstate_names[] = { "running", "runnable", "blocked", "offline" };

static void dump_domain(struct domain *d)
{
    static const char *const states[] = { "running", "shut down", "crashed", "dying" };

    int paused = __atomic_load_n(&d->pause_count, __ATOMIC_SEQ_CST);

    printk("d%u (%s): %s%s, %lu pages (max %lu), %u vCPU(s), weight %u, cap %u%%%s\n",
           d->domain_id, d->name, states[d->state], paused ? ", paused" : "", d->tot_pages,
           d->max_pages, d->max_vcpus, d->weight, d->cap, d->privileged ? ", privileged" : "");
    if (paused)
        printk("  paused %d time(s), %d by the control domain\n", paused,
               __atomic_load_n(&d->controller_pause_count, __ATOMIC_SEQ_CST));
    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        struct vcpu *v = d->vcpu[i];
        vcpu_info_t *vi = vcpu_info(v);
        printk("  v%u %s on CPU %u, %s mode, cr3 %lx, upcall pending %u mask %u\n",
               v->vcpu_id, runstate_names[v->runstate.state & 3], v->processor,
               v->kernel_mode ? "kernel" : "user", v->guest_cr3, vi->evtchn_upcall_pending,
               vi->evtchn_upcall_mask);
    }
}

static void dump_event_channels(struct domain *d)
{
    for (unsigned int w = 0; w < 64; w++)
        if (d->shared_info->evtchn_pending[w])
            printk("d%u pending ports %u-%u: %016lx (mask %016lx)\n", d->domain_id, w * 64,
                   w * 64 + 63, d->shared_info->evtchn_pending[w],
                   d->shared_info->evtchn_mask[w]);
    printk("d%u: end of pending event channels\n", d->domain_id);
}

/* fn on every domain that exists, each held by a reference meanwhile. */
static void for_each_domain(void (*fn)(struct domain *d))
{
    unsigned int n = 0;

    for (unsigned int id = 0; id < MAX_DOMAINS; id++) {
        struct domain *d = domain_get_any((domid_t)id);   /* dying ones too */
        if (!d)
            continue;
        fn(d);
        domain_put(d);
        n++;
    }
    if (!n)
        printk("No domains\n");
}

static void dump_cpus(void)
{
    for (unsigned int i = 0; i < nr_cpus_online; i++) {
        struct pcpu *p = &pcpus[i];
        printk("CPU %u: APIC %u, %lu interrupts (%lu timer), idle %ld ms, %s\n", p->id,
               p->apic_id, p->irq_count, p->timer_irqs, cpu_halted_ns(p->id) / 1000000,
               p->curr_vcpu ? "running a vCPU" : "idle");
    }
}

static void dump_memory(void)
{
    printk("Heap: %lu of %lu MiB free; frame table covers %lu frames; input dropped %lu\n",
           heap_free_pages() >> (20 - PAGE_SHIFT), heap_total_pages() >> (20 - PAGE_SHIFT),
           max_page, dropped);
}

static void dump_timers(void)
{
    for (unsigned int i = 0; i < nr_cpus_online; i++)
        printk("CPU %u: %u timer(s) armed\n", i, pcpus[i].timers.n);
}

static void debug_key(char c)
{
    switch (c) {
    case 'd': for_each_domain(dump_domain); break;
    case 'c': dump_cpus(); break;
    case 'm': dump_memory(); break;
    case 'e': for_each_domain(dump_event_channels); break;
    case 'i': irq_dump(); break;
    case 'q': sched_dump(); break;
    case 't': dump_timers(); break;
    case 'p': perfc_dump_and_reset(); break;
    case 'R': machine_restart();
    case 'h':
    default:
        printk("Debug console keys: d domains, c CPUs, m memory, e events, i IRQs, "
               "t timers, q run queues, p perf counters (and clear), R reboot; "
               "Ctrl-A x3 returns input to dom0\n");
    }
}

static void handle_byte(char c, bool *for_dom0)
{
    ctrl_a_run = c == CTRL_A ? ctrl_a_run + 1 : 0;
    if (ctrl_a_run == 3) {
        ctrl_a_run = 0;
        debug_mode = !debug_mode;
        printk("*** Serial input to %s (type Ctrl-A three times to switch)\n",
               debug_mode ? "Satori's debug console, h for help" : "dom0");
        return;
    }
    if (c == CTRL_A)
        return;
    if (debug_mode)
        debug_key(c);
    else if (to_dom0(c))
        *for_dom0 = true;
}

static void poll_input(void *data)
{
    bool for_dom0 = false;
    struct domain *d0;
    int c;

    while ((c = serial_getc()) >= 0)
        handle_byte((char)c, &for_dom0);
    /* dom0 is never torn down (its end ends the machine): no reference needed. */
    if (for_dom0 && (d0 = domain_lookup(0)) && d0->evtchn)
        evtchn_send_global_virq(d0, VIRQ_CONSOLE);
    set_timer(&poll_timer, NOW() + MILLISECS(POLL_MS));
}

void console_input_init(void)
{
    timer_init(&poll_timer, poll_input, NULL);
    set_timer(&poll_timer, NOW() + MILLISECS(POLL_MS));
}
