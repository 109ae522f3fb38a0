/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * console_io (18): a guest's emergency console. CONSOLEIO_write prints the
 * guest's bytes on the hypervisor console (dom0's as they are, others'
 * prefixed with their domain id) and returns 0, as Xen does; Xen refuses
 * a domU (-EPERM), Satori lets it write as a debugging aid.
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
#include <asm/uaccess.h>

#define CHUNK 128

static long console_write(struct domain *d, uint64_t count, uint64_t buffer)
{
    char chunk[CHUNK];

    while (count) {
        uint64_t n = count < CHUNK ? count : CHUNK;
        if (copy_from_guest(chunk, buffer, n))
            return -EFAULT;
        console_write_guest(d->domain_id, chunk, n);
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
