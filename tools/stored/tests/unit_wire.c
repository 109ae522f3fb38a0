/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Unit tests of the message parser (wire.c): invariants W1-W3, and the
 * perms and path parsers it feeds.
 */
#include <errno.h>
#include <stdlib.h>

#include "path.h"
#include "perms.h"
#include "unit.h"
#include "wire.h"

static enum wire_status feed_all(struct wire_in *w, const void *p, size_t n,
                                 size_t *used)
{
    return wire_in_feed(w, p, n, used);
}

static void framing_whole_and_split(void)
{
    char buf[64];
    struct xsd_sockmsg h = { XS_READ, 7, 0, 3 };
    struct wire_in w;
    size_t used, i;
    enum wire_status st = WIRE_NEED_MORE;

    memcpy(buf, &h, sizeof(h));
    memcpy(buf + sizeof(h), "/a", 3);
    wire_in_reset(&w);
    CHECK(feed_all(&w, buf, sizeof(h) + 3, &used) == WIRE_MSG);
    CHECK_EQ_INT(used, sizeof(h) + 3);
    CHECK_STR(w.payload, "/a");
    /* One byte at a time. */
    wire_in_reset(&w);
    for (i = 0; i < sizeof(h) + 3; i++) {
        st = wire_in_feed(&w, buf + i, 1, &used);
        CHECK_EQ_INT(used, 1);
        if (i + 1 < sizeof(h) + 3)
            CHECK(st == WIRE_NEED_MORE);
    }
    CHECK(st == WIRE_MSG);
    CHECK_EQ_INT(w.hdr.req_id, 7);
}

static void framing_two_messages_one_buffer(void)
{
    char buf[64];
    struct xsd_sockmsg h = { XS_READ, 1, 0, 2 };
    struct wire_in w;
    size_t used;

    memcpy(buf, &h, sizeof(h));
    memcpy(buf + 16, "/\0", 2);
    h.req_id = 2;
    memcpy(buf + 18, &h, sizeof(h));
    memcpy(buf + 34, "/\0", 2);
    wire_in_reset(&w);
    CHECK(wire_in_feed(&w, buf, 36, &used) == WIRE_MSG);
    CHECK_EQ_INT(used, 18); /* stops at the message boundary */
    wire_in_reset(&w);
    CHECK(wire_in_feed(&w, buf + 18, 18, &used) == WIRE_MSG);
    CHECK_EQ_INT(w.hdr.req_id, 2);
}

static void w1_oversized_length_refused(void)
{
    struct xsd_sockmsg h = { XS_WRITE, 1, 0, XENSTORE_PAYLOAD_MAX + 1 };
    struct wire_in w;
    size_t used;

    wire_in_reset(&w);
    CHECK(wire_in_feed(&w, &h, sizeof(h), &used) == WIRE_BAD_LEN);
    h.len = XENSTORE_PAYLOAD_MAX;
    wire_in_reset(&w);
    CHECK(wire_in_feed(&w, &h, sizeof(h), &used) == WIRE_NEED_MORE);
    h.len = 0xffffffffu;
    wire_in_reset(&w);
    CHECK(wire_in_feed(&w, &h, sizeof(h), &used) == WIRE_BAD_LEN);
}

static int dec(uint32_t type, const char *p, uint32_t len,
               struct wire_req *r)
{
    struct xsd_sockmsg h = { type, 1, 0, len };

    return wire_decode(&h, p, r);
}

static void w3_decode_rules(void)
{
    struct wire_req r;

    CHECK_EQ_INT(dec(XS_READ, "/a", 3, &r), 0);
    CHECK_EQ_INT(dec(XS_READ, "/a", 2, &r), EINVAL); /* not terminated */
    CHECK_EQ_INT(dec(XS_READ, "/a\0/b", 6, &r), EINVAL); /* two args */
    CHECK_EQ_INT(dec(XS_READ, "", 0, &r), EINVAL);
    CHECK_EQ_INT(dec(XS_WRITE, "/a\0v\0x", 6, &r), 0);
    CHECK_EQ_INT(r.dlen, 3);
    CHECK(!memcmp(r.data, "v\0x", 3));
    CHECK_EQ_INT(dec(XS_WRITE, "/a", 2, &r), EINVAL);
    CHECK_EQ_INT(dec(XS_WATCH, "/a\0tok", 7, &r), 0);
    CHECK_EQ_INT(dec(XS_WATCH, "/a", 3, &r), EINVAL);
    CHECK_EQ_INT(dec(XS_SET_PERMS, "/a\0n0", 6, &r), 0);
    CHECK_EQ_INT(dec(XS_DIRECTORY_PART, "/a\0", 3, &r), EINVAL);
    CHECK_EQ_INT(dec(XS_TRANSACTION_START, "", 1, &r), 0);
    CHECK_EQ_INT(dec(XS_TRANSACTION_START, "", 0, &r), 0);
    CHECK_EQ_INT(dec(99, "", 0, &r), ENOSYS);
    CHECK_EQ_INT(dec(20, "", 0, &r), ENOSYS);
    CHECK_EQ_INT(dec(XS_WATCH_EVENT, "a\0b", 4, &r), ENOSYS);
    CHECK_EQ_INT(dec(XS_ERROR, "EINVAL", 7, &r), ENOSYS);
}

static void errno_names_match_xen_table(void)
{
    CHECK_STR(wire_errno_name(ENOENT), "ENOENT");
    CHECK_STR(wire_errno_name(E2BIG), "E2BIG");
    CHECK_STR(wire_errno_name(12345), "EINVAL");
    CHECK_EQ_INT(wire_errno_from_name("EAGAIN"), EAGAIN);
    CHECK_EQ_INT(wire_errno_from_name("EWHAT"), EINVAL);
}

static void parse_uint_bounds(void)
{
    uint64_t v;

    CHECK_EQ_INT(wire_parse_uint("65535", 65535, &v), 0);
    CHECK_EQ_INT(wire_parse_uint("65536", 65535, &v), EINVAL);
    CHECK_EQ_INT(wire_parse_uint("", 10, &v), EINVAL);
    CHECK_EQ_INT(wire_parse_uint("-1", 10, &v), EINVAL);
    CHECK_EQ_INT(wire_parse_uint("18446744073709551616", UINT64_MAX, &v),
                 EINVAL);
    CHECK_EQ_INT(wire_parse_uint("18446744073709551615", UINT64_MAX, &v), 0);
    CHECK_EQ_INT(wire_parse_uint("5", 0, &v), EINVAL);
}

static void p1_path_syntax(void)
{
    char out[PATH_BUF], big[4000];
    bool rel;

    CHECK_EQ_INT(path_canon("/", 0, false, 0, out, &rel), 0);
    CHECK_EQ_INT(path_canon("/a/b-c_d@e", 0, false, 0, out, &rel), 0);
    CHECK_EQ_INT(path_canon("//", 0, false, 0, out, &rel), EINVAL);
    CHECK_EQ_INT(path_canon("/a//b", 0, false, 0, out, &rel), EINVAL);
    CHECK_EQ_INT(path_canon("/a/", 0, false, 0, out, &rel), EINVAL);
    CHECK_EQ_INT(path_canon("/a b", 0, false, 0, out, &rel), EINVAL);
    CHECK_EQ_INT(path_canon("", 0, false, 0, out, &rel), EINVAL);
    CHECK_EQ_INT(path_canon("@x", 0, false, 0, out, &rel), EINVAL);
    CHECK_EQ_INT(path_canon("@x", 0, true, 0, out, &rel), 0);
    memset(big, 'a', sizeof(big));
    big[0] = '/';
    big[XENSTORE_ABS_PATH_MAX] = '\0';
    CHECK_EQ_INT(path_canon(big, 0, false, 0, out, &rel), 0);
    big[XENSTORE_ABS_PATH_MAX] = 'a';
    big[XENSTORE_ABS_PATH_MAX + 1] = '\0';
    CHECK_EQ_INT(path_canon(big, 0, false, 0, out, &rel), EINVAL);
}

static void p3_relative_paths(void)
{
    char out[PATH_BUF];
    bool rel;

    CHECK_EQ_INT(path_canon("device/vbd", 7, false, 0, out, &rel), 0);
    CHECK_STR(out, "/local/domain/7/device/vbd");
    CHECK(rel);
    CHECK_EQ_INT(path_canon("a/", 7, false, 0, out, &rel), EINVAL);
    /* Path-length quota counts below the home only. */
    CHECK_EQ_INT(path_canon("/local/domain/7/abcd", 7, false, 4, out, &rel),
                 0);
    CHECK_EQ_INT(path_canon("/local/domain/7/abcde", 7, false, 4, out, &rel),
                 EINVAL);
    path_parent("/a/b", out);
    CHECK_STR(out, "/a");
    path_parent("/a", out);
    CHECK_STR(out, "/");
    CHECK(path_is_child("/a/b", "/a"));
    CHECK(!path_is_child("/ab", "/a"));
    CHECK(path_is_child("/ab", "/"));
}

static void r1_r3_permissions(void)
{
    struct perm p[3];
    struct perm_caller dom5 = { 5, false, -1 }, dom0 = { 0, true, -1 };
    struct perm_caller dom6t5 = { 6, false, 5 }, dom7 = { 7, false, -1 };
    char buf[16];

    CHECK_EQ_INT(perm_parse("n5", &p[0]), 0);
    CHECK_EQ_INT(perm_parse("r7", &p[1]), 0);
    CHECK_EQ_INT(perm_parse("b9", &p[2]), 0);
    CHECK_EQ_INT(perm_for(&dom5, p, 3), PERM_READ | PERM_WRITE | PERM_OWNER);
    CHECK_EQ_INT(perm_for(&dom0, p, 3), PERM_READ | PERM_WRITE | PERM_OWNER);
    CHECK_EQ_INT(perm_for(&dom6t5, p, 3), PERM_READ | PERM_WRITE | PERM_OWNER);
    CHECK_EQ_INT(perm_for(&dom7, p, 3), PERM_READ);
    dom7.domid = 8;
    CHECK_EQ_INT(perm_for(&dom7, p, 3), PERM_NONE);
    CHECK_EQ_INT(perm_parse("x1", &p[0]), EINVAL);
    CHECK_EQ_INT(perm_parse("r", &p[0]), EINVAL);
    CHECK_EQ_INT(perm_parse("r-1", &p[0]), EINVAL);
    CHECK_EQ_INT(perm_parse("r65536", &p[0]), EINVAL);
    CHECK_EQ_INT(perm_parse("", &p[0]), EINVAL);
    CHECK_EQ_INT(perm_parse("w12", &p[0]), 0);
    perm_format(&p[0], buf);
    CHECK_STR(buf, "w12");
}

int main(void)
{
    unit_suite = "stored/unit-wire";
    RUN(framing_whole_and_split);
    RUN(framing_two_messages_one_buffer);
    RUN(w1_oversized_length_refused);
    RUN(w3_decode_rules);
    RUN(errno_names_match_xen_table);
    RUN(parse_uint_bounds);
    RUN(p1_path_syntax);
    RUN(p3_relative_paths);
    RUN(r1_r3_permissions);
    return 0;
}
