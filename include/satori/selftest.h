/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Boot-time self tests, chosen with selftest=a,b,... (hypervisor/selftest.c,
 * built with CONFIG_BOOT_SELFTESTS; without it these are empty stubs).
 */
#ifndef SATORI_SELFTEST_H
#define SATORI_SELFTEST_H

#ifdef CONFIG_BOOT_SELFTESTS
/* Runs the requested tests once the machine is up. */
void selftests_run(void);
#else
#include <satori/console.h>
#include <satori/params.h>
static inline void selftests_run(void)
{
    if (opts.selftest[0])
        pr_warn("selftest=%s: this build has no self tests (CONFIG_BOOT_SELFTESTS)\n",
                opts.selftest);
}
#endif

#endif
