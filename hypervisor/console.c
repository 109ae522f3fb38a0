/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hypervisor console: formats printk messages into lines with a
 * "(SATORI)" prefix and an uptime stamp and hands them to the serial driver.
 *
 * Lock: console_lock serialises whole lines so CPUs never interleave
 * mid-line; it is taken with interrupts off because interrupt handlers
 * print. The panic path steals it (console_force_unlock) rather than risk a
 * deadlock with a CPU that died holding it.
 */
#include <satori/console.h>
#include <satori/lib.h>
#include <satori/spinlock.h>
#include <satori/string.h>
#include <satori/time.h>
#include <asm/serial.h>

static DEFINE_SPINLOCK(console_lock);  /* protects: line output, at_line_start */
static int log_level = CONFIG_LOG_LEVEL;
static bool timestamps;
static bool at_line_start = true;

void console_set_loglevel(int level)
{
    log_level = level;
}

void console_enable_timestamps(void)
{
    timestamps = true;
}

void console_force_unlock(void)
{
    spin_lock_init(&console_lock);
}

/* Caller holds console_lock. */
static void emit(const char *s)
{
    char prefix[40];

    for (; *s; s++) {
        if (at_line_start) {
            s_time_t now = timestamps ? NOW() : 0;
            if (timestamps)
                snprintf(prefix, sizeof(prefix), "(SATORI) [%4ld.%06ld] ",
                         now / 1000000000, (now / 1000) % 1000000);
            else
                snprintf(prefix, sizeof(prefix), "(SATORI) ");
            serial_puts(prefix);
            at_line_start = false;
        }
        if (*s == '\n') {
            serial_putc('\r');
            at_line_start = true;
        }
        serial_putc(*s);
    }
}

void vprintk_level(enum log_level lvl, const char *fmt, va_list ap)
{
    char buf[512];
    uint64_t flags;

    if ((int)lvl > log_level)
        return;
    vsnprintf(buf, sizeof(buf), fmt, ap);
    flags = spin_lock_irqsave(&console_lock);
    emit(buf);
    spin_unlock_irqrestore(&console_lock, flags);
}

void printk_level(enum log_level lvl, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintk_level(lvl, fmt, ap);
    va_end(ap);
}

void console_puts(const char *s)
{
    uint64_t flags = spin_lock_irqsave(&console_lock);

    emit(s);
    spin_unlock_irqrestore(&console_lock, flags);
}

/*
 * A guest's console_io output: dom0's bytes go out as they are (it is the
 * machine's console), other domains' lines are prefixed "(dN) ".
 */
void console_write_guest(domid_t domid, const char *buf, size_t len)
{
    uint64_t flags = spin_lock_irqsave(&console_lock);
    static bool guest_line_start = true;
    static domid_t last_writer;

    if (len && domid != last_writer && !guest_line_start) {
        serial_puts("\r\n");              /* another domain's line is unfinished */
        guest_line_start = true;
    }
    if (len)
        last_writer = domid;
    for (size_t i = 0; i < len; i++) {
        char c = buf[i];
        if (domid != 0 && guest_line_start) {
            char prefix[12];
            snprintf(prefix, sizeof(prefix), "(d%u) ", domid);
            serial_puts(prefix);
        }
        if (c == '\n')
            serial_putc('\r');
        serial_putc(c);
        guest_line_start = c == '\n';
    }
    spin_unlock_irqrestore(&console_lock, flags);
}
