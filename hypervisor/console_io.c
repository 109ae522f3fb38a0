/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * console_io (18): a guest's emergency console. CONSOLEIO_write prints the
 * guest's bytes on the hypervisor console (dom0's as they are, others'
 * prefixed with their domain id); CONSOLEIO_read hands dom0 the serial
 * input (none is buffered yet, so it reads 0 bytes). Bytes are copied in
 * small chunks through the fault-safe accessor; a bad buffer is -EFAULT.
 */
#include <public/xen.h>
#include <satori/console.h>
#include <satori/domain.h>
#include <satori/errno.h>
#include <satori/hypercall.h>
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

long do_console_io(uint64_t cmd, uint64_t count, uint64_t buffer, uint64_t a4, uint64_t a5)
{
    struct domain *d = current_vcpu()->domain;

    switch (cmd) {
    case CONSOLEIO_write:
        return console_write(d, count, buffer);
    case CONSOLEIO_read:
        if (!d->privileged)
            return -EPERM;
        return 0;
    default:
        return -ENOSYS;
    }
}
