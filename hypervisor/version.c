/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xen_version (17): who the hypervisor is and what it offers. Each sub-op
 * fills an output of a fixed size that one helper copies to the guest.
 * Satori presents itself as Xen 4.17 (the ABI it implements) with an
 * extraversion naming Satori.
 *
 * XENVER_version returns its value directly and XENVER_pagesize the page
 * size (its argument must be NULL: -EINVAL otherwise, as in Xen); the
 * others return 0 or -EFAULT for a bad buffer, and unknown sub-ops -ENOSYS.
 * The command line is for privileged domains only (-EPERM), as in Xen.
 * XENVER_build_id returns the id's size: Satori links without a GNU
 * build-id note, so the id is the SHA-1 of the image's text and rodata,
 * computed on first use (the same for every boot of one build).
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

/* Xen 4.17 as Debian builds it reports an empty changeset. */
static int fill_changeset(struct domain *d, void *out)
{
    copy_str(out, sizeof(xen_changeset_info_t), "");
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

    if (fi->submap_idx != 0)
        return -EINVAL;             /* XENFEAT_NR_SUBMAPS is 1 */
    /* What Xen 4.17 gives a 64-bit PV guest (0x228f0 for dom0). */
    fi->submap = (1u << XENFEAT_pae_pgdir_above_4gb) | (1u << XENFEAT_mmu_pt_update_preserve_ad) |
                 (1u << XENFEAT_highmem_assist) | (1u << XENFEAT_gnttab_map_avail_bits) |
                 (1u << XENFEAT_memory_op_vnode_supported) | (1u << XENFEAT_direct_mapped);
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

/* SHA-1 (FIPS 180-4) of one buffer, for the build id. */
static uint32_t rol32(uint32_t x, unsigned int n)
{
    return (x << n) | (x >> (32 - n));
}

static void sha1_block(uint32_t h[5], const uint8_t *p)
{
    uint32_t w[80], a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];

    for (unsigned int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | p[4 * i + 1] << 16 | p[4 * i + 2] << 8 | p[4 * i + 3];
    for (unsigned int i = 16; i < 80; i++)
        w[i] = rol32(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    for (unsigned int i = 0; i < 80; i++) {
        uint32_t f, k, t;
        if (i < 20) {
            f = (b & c) | (~b & d);
            k = 0x5a827999;
        } else if (i < 40) {
            f = b ^ c ^ d;
            k = 0x6ed9eba1;
        } else if (i < 60) {
            f = (b & c) | (b & d) | (c & d);
            k = 0x8f1bbcdc;
        } else {
            f = b ^ c ^ d;
            k = 0xca62c1d6;
        }
        t = rol32(a, 5) + f + e + k + w[i];
        e = d;
        d = c;
        c = rol32(b, 30);
        b = a;
        a = t;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
}

static void sha1(const uint8_t *data, uint64_t len, uint8_t out[20])
{
    uint32_t h[5] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0 };
    uint8_t tail[128] = { 0 };
    uint64_t full = len & ~63UL, rest = len - full, nt = rest < 56 ? 64 : 128;

    for (uint64_t off = 0; off < full; off += 64)
        sha1_block(h, data + off);
    memcpy(tail, data + full, rest);
    tail[rest] = 0x80;
    for (unsigned int i = 0; i < 8; i++)
        tail[nt - 1 - i] = (uint8_t)((len * 8) >> (8 * i));
    for (uint64_t off = 0; off < nt; off += 64)
        sha1_block(h, tail + off);
    for (unsigned int i = 0; i < 20; i++)
        out[i] = (uint8_t)(h[i / 4] >> (24 - 8 * (i % 4)));
}

#define BUILD_ID_LEN 20

static const uint8_t *build_id(void)
{
    extern const char __text_start[], __rodata_end[];
    static uint8_t id[BUILD_ID_LEN];
    static bool done;

    if (!done) {   /* a race only computes the same bytes twice */
        sha1((const uint8_t *)__text_start, (uint64_t)(__rodata_end - __text_start), id);
        done = true;
    }
    return id;
}

/* Xen's order: read len (-EFAULT), 0 is -EINVAL, too small -ENOBUFS. */
static long version_build_id(uint64_t arg)
{
    xen_build_id_t hdr;

    if (!arg)
        return BUILD_ID_LEN;
    if (copy_from_guest(&hdr, arg, sizeof(hdr)))
        return -EFAULT;
    if (hdr.len == 0)
        return -EINVAL;
    if (hdr.len < BUILD_ID_LEN)
        return -ENOBUFS;
    if (copy_to_guest(arg + __builtin_offsetof(xen_build_id_t, buf), build_id(), BUILD_ID_LEN))
        return -EFAULT;
    return BUILD_ID_LEN;
}

long do_xen_version(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5)
{
    char buf[1024];
    const struct version_op *op;
    int rc;

    if (cmd == XENVER_version)
        return (SATORI_XEN_MAJOR << 16) | SATORI_XEN_MINOR;
    if (cmd == XENVER_pagesize)
        return arg ? -EINVAL : (long)PAGE_SIZE;
    if (cmd == XENVER_build_id)
        return version_build_id(arg);
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
