/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dom0's micro-benchmarks (make bench): placeholder until the benchmark
 * program lands; prints nothing but its name.
 */
#include <stdio.h>

int main(void)
{
    puts("dom0-bench: none yet");
    return 0;
}
