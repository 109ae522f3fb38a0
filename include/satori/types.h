/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Basic types shared by all of Satori, hypervisor and host-tested modules
 * alike. Machine frame numbers, guest pseudo-physical frame numbers and
 * machine addresses are distinct single-member structs so that confusing one
 * for another is a compile error rather than a PV MMU hole.
 */
#ifndef SATORI_TYPES_H
#define SATORI_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int64_t s_time_t;           /* system time, ns since boot */
#define STIME_MAX INT64_MAX

typedef uint16_t domid_t;

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))

typedef struct { uint64_t m; } mfn_t;   /* machine frame number */
typedef struct { uint64_t p; } pfn_t;   /* guest pseudo-physical frame */
typedef struct { uint64_t a; } maddr_t; /* machine address */

static inline mfn_t _mfn(uint64_t m) { return (mfn_t){ m }; }
static inline uint64_t mfn_x(mfn_t m) { return m.m; }
static inline pfn_t _pfn(uint64_t p) { return (pfn_t){ p }; }
static inline uint64_t pfn_x(pfn_t p) { return p.p; }
static inline maddr_t _maddr(uint64_t a) { return (maddr_t){ a }; }
static inline uint64_t maddr_x(maddr_t a) { return a.a; }
static inline maddr_t mfn_to_maddr(mfn_t m) { return _maddr(m.m << PAGE_SHIFT); }
static inline mfn_t maddr_to_mfn(maddr_t a) { return _mfn(a.a >> PAGE_SHIFT); }
static inline bool mfn_eq(mfn_t a, mfn_t b) { return a.m == b.m; }

#define INVALID_MFN _mfn(~0ULL)

#endif
