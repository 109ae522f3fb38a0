/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xen_version (17): who the hypervisor is and what it offers. Each sub-op
 * fills an output of a fixed size that one helper copies to the guest.
 * Satori presents itself as Xen 4.17 (the ABI it implements) with an
 * extraversion naming Satori.
 *
 * XENVER_version returns its value directly and XENVER_pagesize the page
 * size; the others return 0 or -EFAULT for a bad buffer. The command line
 * is for privileged domains only (-EPERM), as in Xen.
 */
#include <public/features.h>
#include <public/version.h>
#include <satori/domain.h>
#include <satori/errno.h>
#include <satori/hypercall.h>
#include <satori/string.h>
#include <asm/uaccess.h>

#define SATORI_XEN_MAJOR 4
#define SATORI_XEN_MINOR 17
#define SATORI_EXTRAVERSION ".0-satori"

static void copy_str(char *dst, size_t size, const char *src)
{
    size_t n = strnlen(src, size - 1);

    memcpy(dst, src, n);
    dst[n] = '\0';
}

static int fill_extraversion(struct domain *d, void *out)
{
    copy_str(out, sizeof(xen_extraversion_t), SATORI_EXTRAVERSION);
    return 0;
}

static int fill_compile_info(struct domain *d, void *out)
{
    struct xen_compile_info *ci = out;

    copy_str(ci->compiler, sizeof(ci->compiler), "gcc " __VERSION__);
    copy_str(ci->compile_by, sizeof(ci->compile_by), "satori");
    copy_str(ci->compile_domain, sizeof(ci->compile_domain), "");
    copy_str(ci->compile_date, sizeof(ci->compile_date), __DATE__ " " __TIME__);
    return 0;
}

static int fill_capabilities(struct domain *d, void *out)
{
    copy_str(out, sizeof(xen_capabilities_info_t), "xen-3.0-x86_64 ");
    return 0;
}

static int fill_changeset(struct domain *d, void *out)
{
    copy_str(out, sizeof(xen_changeset_info_t), "satori");
    return 0;
}

static int fill_platform_parameters(struct domain *d, void *out)
{
    ((struct xen_platform_parameters *)out)->virt_start = HYPERVISOR_VIRT_START;
    return 0;
}

/* In and out: the guest names the submap it wants. */
static int fill_features(struct domain *d, void *inout)
{
    struct xen_feature_info *fi = inout;

    if (fi->submap_idx != 0) {
        fi->submap = 0;
        return 0;
    }
    fi->submap = (1u << XENFEAT_mmu_pt_update_preserve_ad) | (1u << XENFEAT_highmem_assist) |
                 (1u << XENFEAT_gnttab_map_avail_bits);
    if (d->privileged)
        fi->submap |= 1u << XENFEAT_dom0;
    return 0;
}

static int fill_guest_handle(struct domain *d, void *out)
{
    memset(out, 0, sizeof(xen_domain_handle_t));
    return 0;
}

static int fill_commandline(struct domain *d, void *out)
{
    if (!d->privileged)
        return -EPERM;
    copy_str(out, sizeof(xen_commandline_t), hypervisor_cmdline());
    return 0;
}

struct version_op {
    size_t size;
    bool copy_in;                     /* the argument is also an input */
    int (*fill)(struct domain *d, void *buf);
};

static const struct version_op version_ops[] = {
    [XENVER_extraversion] = { sizeof(xen_extraversion_t), false, fill_extraversion },
    [XENVER_compile_info] = { sizeof(xen_compile_info_t), false, fill_compile_info },
    [XENVER_capabilities] = { sizeof(xen_capabilities_info_t), false, fill_capabilities },
    [XENVER_changeset] = { sizeof(xen_changeset_info_t), false, fill_changeset },
    [XENVER_platform_parameters] = { sizeof(xen_platform_parameters_t), false,
                                     fill_platform_parameters },
    [XENVER_get_features] = { sizeof(xen_feature_info_t), true, fill_features },
    [XENVER_guest_handle] = { sizeof(xen_domain_handle_t), false, fill_guest_handle },
    [XENVER_commandline] = { sizeof(xen_commandline_t), false, fill_commandline },
};

long do_xen_version(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5)
{
    char buf[1024];
    const struct version_op *op;
    int rc;

    if (cmd == XENVER_version)
        return (SATORI_XEN_MAJOR << 16) | SATORI_XEN_MINOR;
    if (cmd == XENVER_pagesize)
        return PAGE_SIZE;
    if (cmd >= ARRAY_SIZE(version_ops) || !version_ops[cmd].fill)
        return -ENOSYS;
    op = &version_ops[cmd];
    _Static_assert(sizeof(buf) >= sizeof(xen_capabilities_info_t), "buffer");
    memset(buf, 0, op->size);
    if (op->copy_in && copy_from_guest(buf, arg, op->size))
        return -EFAULT;
    rc = op->fill(current_vcpu()->domain, buf);
    if (rc)
        return rc;
    return copy_to_guest(arg, buf, op->size);
}
