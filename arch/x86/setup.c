/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * start_satori(): the boot CPU's path from head.S to the idle loop. Each
 * step depends on the ones before it:
 *   console and traps first (so anything after can report), then the boot
 *   loader's information and the command line, CPU features, the memory map,
 *   paging and the heap, ACPI, the APIC and time, the other CPUs, and last
 *   the modules that carry the dom0 kernel.
 * Any failure here is a boot-time failure: a clear message and panic().
 */
#include <satori/bootinfo.h>
#include <satori/console.h>
#include <satori/kernel_image.h>
#include <satori/errno.h>
#include <satori/hypercall.h>
#include <satori/keyhandler.h>
#include <satori/mm.h>
#include <satori/panic.h>
#include <satori/params.h>
#include <satori/sched.h>
#include <satori/selftest.h>
#include <satori/softirq.h>
#include <satori/string.h>
#include <satori/time.h>
#include <satori/timer.h>
#include <asm/acpi.h>
#include <asm/iomem.h>
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/mm.h>
#include <asm/percpu.h>
#include <asm/pirq.h>
#include <asm/pv.h>
#include <asm/serial.h>
#include <asm/smp.h>
#include <asm/time.h>
#include <asm/traps.h>
#include <asm/x86.h>

/* Below this much RAM there is no room for Satori and a dom0 together. */
#define MIN_RAM_MIB 24

void __noreturn start_satori(uint32_t magic, uint64_t info_paddr);

static struct boot_info bi;
static struct acpi_madt_info madt;
extern const char __image_start[], __image_end[];

/* The boot page tables map the first 4 GiB at the direct map. */
static const void *boot_map_fn(void *ctx, uint64_t pa, size_t len)
{
    if (pa + len < pa || pa + len > (1ULL << 32))
        return NULL;
    return __va(pa);
}

static void parse_boot_info(uint32_t magic, uint64_t info_paddr)
{
    const char *why = "";

    if (bootinfo_parse(magic, info_paddr, boot_map_fn, NULL, &bi, &why))
        panic("Bad boot information from the loader: %s", why);
    if (params_parse(bi.cmdline))
        panic("Bad command line: fix the value(s) above; the full line was:\n  %s",
              bi.cmdline);
    if (opts.com1_given)
        serial_init(&opts.com1);
    if (opts.loglvl_given)
        console_set_loglevel(opts.loglvl);
    printk("Satori hypervisor, built " __DATE__ " " __TIME__ "%s\n",
#ifdef CONFIG_DEBUG
           " (debug)"
#else
           ""
#endif
    );
    printk("Loader: %s (multiboot%u)\n", bi.loader[0] ? bi.loader : "unknown", bi.protocol);
    printk("Command line: %s\n", bi.cmdline);
    if (bi.truncated_cmdline)
        pr_warn("Command line longer than %u bytes: truncated\n", BOOTINFO_CMDLINE_MAX);
}

static void print_memory_map(const struct mem_map *m)
{
    static const char *const names[] = { "?", "RAM", "reserved", "ACPI data", "ACPI NVS",
                                         "unusable" };

    printk("Memory map:\n");
    for (unsigned int i = 0; i < m->n; i++) {
        const struct mem_region *r = &m->r[i];
        const char *name = r->type < ARRAY_SIZE(names) ? names[r->type]
                         : r->type == MEM_HYPERVISOR ? "Satori" : r->type == MEM_MODULE
                         ? "module" : "other";
        printk("  %016lx - %016lx %s\n", r->start, r->end, name);
    }
}

/* Records the image and modules as in use; garbled modules stop the boot. */
static void reserve_image_and_modules(struct mem_map *m)
{
    uint64_t start = __pa(__image_start), end = ALIGN_UP(__pa(__image_end), PAGE_SIZE);

    if (memmap_reserve(m, start, end, MEM_HYPERVISOR))
        panic("The Satori image (%lx-%lx) is not in RAM: the loader put it somewhere odd",
              start, end);
    for (unsigned int i = 0; i < bi.nr_mods; i++) {
        const struct boot_module *mod = &bi.mods[i];
        if (mod->end == mod->start)
            panic("Module %u ('%s') is empty: the file given to the loader has no data", i,
                  mod->cmdline);
        if (mod->start < end && mod->end > start)
            panic("Module %u (%lx-%lx) overlaps the Satori image: garbled module list", i,
                  mod->start, mod->end);
        if (memmap_reserve(m, mod->start & PAGE_MASK, ALIGN_UP(mod->end, PAGE_SIZE),
                           MEM_MODULE))
            panic("Module %u (%lx-%lx) is not in RAM or overlaps another module: "
                  "garbled module list", i, mod->start, mod->end);
    }
}

static void init_memory(void)
{
    uint64_t ram;

    /* The boot tests' stand-ins for loaders that give less. */
    if (selftest_requested("no-mmap") || selftest_requested("no-meminfo")) {
        pr_warn("selftest: ignoring the loader's memory map\n");
        bi.have_map = false;
        bi.map.n = 0;
        bi.have_basic_mem &= !selftest_requested("no-meminfo");
    }
    if (!bi.have_map) {
        if (bootinfo_map_from_basic(&bi))
            panic("The boot loader gave no memory map and no memory size: "
                  "cannot tell where RAM is");
        pr_warn("No memory map from the loader: using its lower/upper memory sizes\n");
    }
    memmap_sanitize(&bi.map);
    memmap_page_align_ram(&bi.map);
    ram = memmap_total(&bi.map, MEM_RAM);
    printk("RAM: %lu KiB (%lu MiB) in the memory map\n", ram >> 10, ram >> 20);
    if (ram < (MIN_RAM_MIB << 20))
        panic("Not enough memory: Satori needs at least %u MiB of RAM, this machine has "
              "%lu MiB", MIN_RAM_MIB, ram >> 20);
    reserve_image_and_modules(&bi.map);
    mm_init_paging(&bi.map);
    print_memory_map(&bi.map);
    heap_init(&bi.map);
    desc_init_gdt_window(&pcpus[0], true);
}

static void init_time_and_interrupts(void)
{
    pv_init_cpu(0, pcpus[0].stack);
    apic_init_bsp();
    apic_init_cpu();
    time_calibrate();
    console_enable_timestamps();
    smp_init_ipis();
    timers_init_cpu();
    local_irq_enable();
    console_input_init();
}

static void init_smp(void)
{
    const char *why = "";

    if (acpi_find_madt(&bi, &madt, &why)) {
        pr_warn("ACPI: %s: running on the boot CPU only\n", why);
        madt.nr_cpus = 0;
    } else {
        printk("ACPI: MADT lists %u enabled CPU(s), %u disabled, %u I/O APIC(s)\n",
               madt.nr_cpus, madt.nr_disabled, madt.nr_ioapics);
    }
    iomem_init(&madt);
    smp_boot_cpus(&madt, (unsigned int)opts.maxcpus);
    irq_init(&madt);                    /* I/O APICs and IRQ routes, for dom0's pirqs */
}

static void list_modules(void)
{
    printk("Modules: %u\n", bi.nr_mods);
    for (unsigned int i = 0; i < bi.nr_mods; i++)
        printk("  module %u: %lx-%lx (%lu KiB) '%s'\n", i, bi.mods[i].start, bi.mods[i].end,
               (bi.mods[i].end - bi.mods[i].start + 1023) >> 10, bi.mods[i].cmdline);
    if (bi.dropped_mods)
        pr_warn("%u module(s) past the first %u ignored\n", bi.dropped_mods,
                BOOTINFO_MAX_MODULES);
}

static void start_dom0(void)
{
    const char *kind;

    if (!bi.nr_mods)
        panic("No dom0 kernel: give it to the loader as the first module "
              "(GRUB: module2 /boot/vmlinuz ...; QEMU: -initrd 'vmlinuz args')");
    kind = kernel_image_kind(__va(bi.mods[0].start), bi.mods[0].end - bi.mods[0].start);
    if (!kind)
        panic("Module 0 ('%s') is not a kernel: no ELF or bzImage header", bi.mods[0].cmdline);
    printk("dom0 kernel: module 0 is %s of %lu KiB\n", kind,
           (bi.mods[0].end - bi.mods[0].start) >> 10);
    dom0_build(&bi);
}

const char *hypervisor_cmdline(void)
{
    return bi.cmdline;
}

const struct mem_map *boot_memory_map(void)
{
    return &bi.map;
}

void __noreturn start_satori(uint32_t magic, uint64_t info_paddr)
{
    serial_init(NULL);
    smp_prepare_boot_cpu();
    traps_init_bsp();
    parse_boot_info(magic, info_paddr);
    cpu_identify_bsp();
    cpu_init_local();
    init_memory();
    init_time_and_interrupts();
    init_smp();
    list_modules();
    printk("Satori ready: %u CPU(s) online, %lu MiB free of %lu MiB, boot took %ld ms\n",
           nr_cpus_online, heap_free_pages() >> (20 - PAGE_SHIFT),
           heap_total_pages() >> (20 - PAGE_SHIFT), NOW() / 1000000);
    scheduler_init();                   /* self tests create domains too */
    selftests_run();
    if (opts.selftest[0])
        idle_loop();
    if (!bi.nr_mods || !boot_module_is_domu(&bi.mods[0]))
        start_dom0();
    domus_build(&bi);
    if (!domains_alive())
        panic("No domain could be started: see the messages above");
    idle_loop();
}
