/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Scheduling vCPUs on physical CPUs (hypervisor/schedule.c): the credit
 * policy (sched_credit.c) under one lock, the schedule softirq, blocking
 * and waking, pausing, and the per-CPU idle context.
 */
#ifndef SATORI_SCHED_H
#define SATORI_SCHED_H

#include <satori/domain.h>
#include <satori/types.h>

/* Once every CPU is up, before the first vCPU is added. */
void scheduler_init(void);
/* Adds v (down: VPF_down set) with its domain's weight and cap. 0 or -errno. */
int sched_add_vcpu(struct vcpu *v, sched_cpumask_t affinity);
/* Weight, cap (% of a CPU per vCPU) and CPUs of d's vCPUs, none running. 0 or -EINVAL. */
int domain_set_sched(struct domain *d, unsigned int weight, unsigned int cap, uint64_t cpus);
/* v must not be running anywhere. */
void sched_remove_vcpu(struct vcpu *v);
int vcpu_set_affinity(struct vcpu *v, sched_cpumask_t hard);

/* Makes v run if nothing keeps it from running (pause_flags, domain state). */
void vcpu_wake(struct vcpu *v);
/* Takes v off the CPUs if something keeps it from running; returns at once. */
void vcpu_sleep_nosync(struct vcpu *v);
/* Clears VPF_blocked and wakes v if it was blocked (an event arrived). */
void vcpu_unblock(struct vcpu *v);
/*
 * True once no CPU runs v, has picked it to run next, or still saves its
 * context. Stays true while nothing lets v run (paused, down, domain
 * stopped). Takes the scheduler lock.
 */
bool vcpu_descheduled(struct vcpu *v);

/*
 * Waits until done(arg) holds, letting other vCPUs run meanwhile. Whoever
 * makes done() true must call vcpu_unblock() on the waiter afterwards.
 */
void sched_wait(bool (*done)(void *arg), void *arg);
/* SCHEDOP_yield: lets other runnable vCPUs of equal priority go first. */
void sched_yield_cpu(void);
/* The running vCPU stops for good (its domain died): never returns. */
void __noreturn sched_exit_vcpu(void);

/* Time cpu has spent halted, including a halt in progress. */
s_time_t cpu_halted_ns(unsigned int cpu);
/* The idle context of every CPU: softirqs, the reaper, halt. */
void __noreturn idle_loop(void);
/* Debug console: run queues and per-CPU state. */
void sched_dump(void);

#endif
