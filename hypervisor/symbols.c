/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Lookup in the symbol table that the build links into the image (generated
 * by scripts/gen-symbols.sh from the first link pass): sorted text
 * addresses, name offsets, a string blob and nm type letters. Binary search,
 * no allocation, so it works from any panic path.
 */
#include <satori/lib.h>
#include <satori/string.h>
#include <satori/symbols.h>

extern const uint64_t symbols_count;
extern const uint64_t symbols_addrs[];
extern const uint32_t symbols_name_offs[];
extern const char symbols_names[];
extern const char symbols_types[];
extern const char __text_start[], __text_end[];

uint64_t symbols_lookup(uint64_t addr, const char **name, uint64_t *size)
{
    uint64_t lo = 0, hi = symbols_count;

    if (addr < (uint64_t)__text_start || addr >= (uint64_t)__text_end || !hi)
        return 0;
    /* find the last symbol at or below addr */
    while (hi - lo > 1) {
        uint64_t mid = (lo + hi) / 2;
        if (symbols_addrs[mid] <= addr)
            lo = mid;
        else
            hi = mid;
    }
    if (symbols_addrs[lo] > addr)
        return 0;
    *name = symbols_names + symbols_name_offs[lo];
    *size = (lo + 1 < symbols_count ? symbols_addrs[lo + 1] : (uint64_t)__text_end) -
            symbols_addrs[lo];
    return symbols_addrs[lo];
}

size_t symbols_describe(uint64_t addr, char *buf, size_t size)
{
    const char *name;
    uint64_t len;
    uint64_t start = symbols_lookup(addr, &name, &len);
    int n;

    if (start)
        n = snprintf(buf, size, "%s+0x%lx/0x%lx", name, addr - start, len);
    else
        n = snprintf(buf, size, "%016lx", addr);
    return (size_t)n < size ? (size_t)n : size - 1;
}

bool symbols_nth(uint64_t n, const char **name, uint64_t *addr, char *type)
{
    if (n >= symbols_count)
        return false;
    *name = symbols_names + symbols_name_offs[n];
    *addr = symbols_addrs[n];
    *type = symbols_types[n];
    return true;
}

uint64_t symbols_total(void)
{
    return symbols_count;
}
