/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * console_io (18): a guest's emergency console. CONSOLEIO_write prints the
 * guest's bytes on the hypervisor console (dom0's as they are, others'
 * prefixed with their domain id) and returns 0, as Xen does; Xen refuses
 * a domU (-EPERM), Satori lets it write as a debugging aid.
 * An unprivileged domain's output goes out a whole line at a time (so
 * domains writing at once do not mix within a line) and is rate-limited:
 * a budget of CONSOLE_BURST bytes refilled at CONSOLE_RATE bytes/s; what
 * exceeds it is dropped and counted, and the count printed once the
 * budget allows, so a chatty guest cannot drown the others' lines.
 * CONSOLEIO_read hands dom0 the serial input buffered for it
 * (keyhandler.c, which also raises VIRQ_CONSOLE) and returns the count,
 * 0 if none; a count above INT_MAX is -E2BIG. The count is Xen's unsigned
 * int. Bytes are copied in small chunks through the fault-safe accessor;
 * a bad buffer is -EFAULT, and a zero count never touches the buffer.
 */
#include <public/xen.h>
#include <satori/console.h>
#include <satori/domain.h>
#include <satori/errno.h>
#include <satori/hypercall.h>
#include <satori/keyhandler.h>
#include <satori/lib.h>
#include <satori/time.h>
#include <asm/uaccess.h>

#define CHUNK 128
#define CONSOLE_BURST 16384             /* bytes a domU may write at once */
#define CONSOLE_RATE 8192               /* bytes per second after that */

/* Refills d's budget for the time passed; true if one more byte may go out. */
static bool console_budget_take(struct domain *d)
{
    s_time_t now = NOW();
    int64_t refill = d->console_refill_at
                     ? (now - d->console_refill_at) * CONSOLE_RATE / 1000000000LL
                     : CONSOLE_BURST;           /* its first write: a full budget */

    if (refill > 0) {
        d->console_budget = MIN(CONSOLE_BURST, d->console_budget + refill);
        d->console_refill_at = now;
    }
    if (d->console_budget <= 0)
        return false;
    d->console_budget--;
    return true;
}

/* A domU's line (or a full buffer) goes out whole, after any drop notice. */
static void console_flush_line(struct domain *d)
{
    char note[80];

    if (d->console_dropped && d->console_budget > 0) {
        int n = snprintf(note, sizeof(note), "[%lu bytes of console output dropped: rate "
                         "limit]\n", d->console_dropped);
        console_write_guest(d->domain_id, note, (size_t)n);
        d->console_dropped = 0;
    }
    console_write_guest(d->domain_id, d->console_line, d->console_len);
    d->console_len = 0;
}

static void console_domu_bytes(struct domain *d, const char *buf, uint64_t n)
{
    for (uint64_t i = 0; i < n; i++) {
        if (!console_budget_take(d)) {
            d->console_dropped++;
            continue;
        }
        d->console_line[d->console_len++] = buf[i];
        if (buf[i] == '\n' || d->console_len == sizeof(d->console_line))
            console_flush_line(d);
    }
}

static long console_write(struct domain *d, uint64_t count, uint64_t buffer)
{
    char chunk[CHUNK];
    uint64_t flags;

    while (count) {
        uint64_t n = count < CHUNK ? count : CHUNK;
        if (copy_from_guest(chunk, buffer, n))
            return -EFAULT;
        if (d->privileged) {
            console_write_guest(d->domain_id, chunk, n);
        } else {
            flags = spin_lock_irqsave(&d->console_lock);
            console_domu_bytes(d, chunk, n);
            spin_unlock_irqrestore(&d->console_lock, flags);
        }
        buffer += n;
        count -= n;
    }
    return 0;
}

static long console_read(uint64_t count, uint64_t buffer)
{
    char chunk[CHUNK];
    long done = 0;

    if (count > 0x7fffffff)
        return -E2BIG;
    while ((uint64_t)done < count) {
        size_t n = console_input_read(chunk, MIN(CHUNK, count - (uint64_t)done));
        if (!n)
            break;
        if (copy_to_guest(buffer + (uint64_t)done, chunk, n))
            return -EFAULT;
        done += n;
    }
    return done;
}

long do_console_io(uint64_t cmd, uint64_t count, uint64_t buffer, uint64_t a4, uint64_t a5)
{
    struct domain *d = current_vcpu()->domain;

    count = (uint32_t)count;
    switch ((uint32_t)cmd) {
    case CONSOLEIO_write:
        return console_write(d, count, buffer);
    case CONSOLEIO_read:
        if (!d->privileged)
            return -EPERM;
        return console_read(count, buffer);
    default:
        return -ENOSYS;
    }
}
