/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Satori's boot options (hypervisor/params.c), parsed from the multiboot
 * command line in Xen's syntax. docs/command-line.md lists them.
 */
#ifndef SATORI_PARAMS_H
#define SATORI_PARAMS_H

#include <satori/cmdline.h>
#include <satori/types.h>

struct boot_params {
    char console[32];
    struct com_spec com1;
    bool com1_given;
    int loglvl, loglvl_rate_limited;   /* loglvl=<level>[/<rate-limited level>] */
    bool loglvl_given;
    struct dom0_mem_spec dom0_mem;
    uint64_t maxcpus;
    uint64_t dom0_max_vcpus;
    char selftest[64];
    /* Grant tables (Xen's options): frames per table, maptrack chunks. */
    uint64_t gnttab_max_frames;            /* gnttab_max_frames=, default 64 */
    uint64_t gnttab_max_maptrack_frames;   /* gnttab_max_maptrack_frames=, 1024 */
};

extern struct boot_params opts;

/*
 * Parses cmdline into opts. Unknown options are warned about; returns the
 * number of malformed values (each already reported on the console).
 */
int params_parse(const char *cmdline);
/* True if word is one of the comma-separated words of selftest=. */
bool selftest_requested(const char *word);

#endif
