/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A boot-time domain's configuration, parsed from its module's command
 * line (hypervisor/domu_config.c, pure: tests/unit/test_domu_config.c):
 *
 *   domU [name=N] [mem=SIZE] [vcpus=N] [weight=N] [cap=PCT] [cpus=LIST]
 *        [on_poweroff=ACTION] [on_crash=ACTION] [restarts=N] [-- GUEST CMDLINE]
 *
 * ACTION is destroy, restart or preserve; LIST is CPU numbers and ranges
 * ("0-1,3"). See docs/boot-domains.md.
 */
#ifndef SATORI_DOMU_CONFIG_H
#define SATORI_DOMU_CONFIG_H

#include <satori/types.h>

#define DOMU_DEFAULT_MEM (32ULL << 20)
#define DOMU_MIN_MEM (4ULL << 20)
#define DOMU_MAX_VCPUS 32

enum domu_action { DOMU_DESTROY, DOMU_RESTART, DOMU_PRESERVE };

struct domu_config {
    char name[32];
    uint64_t mem;                   /* bytes */
    unsigned int vcpus;
    unsigned int weight;            /* 1..65535 */
    unsigned int cap;               /* percent of one CPU, 0: none */
    uint64_t cpus;                  /* hard affinity, bit n: CPU n */
    enum domu_action on_poweroff, on_crash;
    unsigned long restarts;         /* restarts left; ~0UL: no limit */
    const char *cmdline;            /* the guest's, inside the parsed string */
};

/* Whether a module command line describes a boot-time domain. */
bool domu_config_is_domu(const char *cmdline);
/* 0, or -EINVAL with a one-line reason in why. */
int domu_config_parse(const char *cmdline, struct domu_config *c, char *why, size_t why_len);

#endif
