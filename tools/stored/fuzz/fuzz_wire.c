/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libFuzzer target of the message parser: the input is a byte stream as a
 * client would send it, cut into chunks of sizes taken from the input
 * itself; every framed message is decoded and its strings run through the
 * path and permission parsers. Checks W1-W3 (wire.c) as it goes.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "path.h"
#include "perms.h"
#include "wire.h"

static void exercise(const struct wire_in *w)
{
    struct wire_req r;
    char out[PATH_BUF];
    struct perm p;
    bool rel;

    assert(w->hdr.len <= XENSTORE_PAYLOAD_MAX);   /* W1 */
    assert(w->payload[w->hdr.len] == '\0');       /* W2 */
    if (wire_decode(&w->hdr, w->payload, &r))
        return;
    assert(r.argc <= WIRE_MAX_ARGS);
    for (unsigned i = 0; i < r.argc; i++) {       /* W3 */
        assert(r.argv[i] >= w->payload &&
               r.argv[i] + strlen(r.argv[i]) < w->payload + w->hdr.len + 1);
        path_canon(r.argv[i], w->hdr.req_id & 0xffff, i & 1,
                   (w->hdr.tx_id & 1) ? 2048 : 0, out, &rel);
        perm_parse(r.argv[i], &p);
    }
    if (r.data)
        assert(r.data + r.dlen == w->payload + w->hdr.len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct wire_in w;
    size_t off = 0, used, chunk;
    uint8_t step = size ? data[0] : 1;

    wire_in_reset(&w);
    while (off < size) {
        chunk = (size_t)(step % 64) + 1;
        step = (uint8_t)(step * 37 + 11);
        if (chunk > size - off)
            chunk = size - off;
        while (chunk) {
            enum wire_status st = wire_in_feed(&w, data + off, chunk, &used);
            assert(used <= chunk);
            off += used;
            chunk -= used;
            if (st == WIRE_BAD_LEN)
                return 0; /* the connection would be dropped */
            if (st == WIRE_MSG) {
                exercise(&w);
                wire_in_reset(&w);
            }
        }
    }
    return 0;
}
