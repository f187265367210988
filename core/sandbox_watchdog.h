/* sandbox_watchdog.h - the instruction budget of a rule call (part of the
 * sandbox).
 *
 * Contract:
 * - sb_wd_register/unregister add a new state to / remove it from the
 *   watchdog's list (the first registration starts the watchdog thread). A
 *   state is unregistered before lua_close.
 * - sb_call_begin/sb_call_end bracket one protected call of a state on the
 *   calling thread: the call runs without a hook; once it has run SLICE
 *   (50 ms) the watchdog arms a count hook through a signal to that thread,
 *   and from then on every VM instruction counts against sb->budget. When
 *   more than the budget have run the call is stopped (sb_stop): the hook
 *   raises "instruction budget of N exceeded" and keeps raising on every
 *   further call, line and instruction. A call still running after
 *   sb->time_limit_ns is stopped the same way through the same signal ("time
 *   limit of N ms exceeded"). After sb_call_end no hook armed for the call
 *   remains and no late signal arms one. Without a watchdog, sb_call_begin
 *   sets the hook at once and there is no time limit. A state whose output
 *   limit is spent starts every call stopped.
 * - sb_call_restart ends the current call for the budget and begins another
 *   one on the same thread (sandbox_next_call).
 */
#ifndef RHV_SANDBOX_WATCHDOG_H
#define RHV_SANDBOX_WATCHDOG_H

#include "sandbox_internal.h"

/* Stop the current call for `reason` (SB_STOP_*): from now on every call,
 * line and instruction of the state raises the reason's message, so that no
 * more rule code runs (a rule's pcall cannot go on, its xpcall handler is
 * skipped: sandbox_libs.c). No effect on the hook outside a call. */
void sb_stop(sandbox *sb, int reason);
/* The message for sb->stop, without position; like snprintf. */
size_t sb_stop_text(const sandbox *sb, char *buf, size_t n);

void sb_wd_register(sandbox *sb);
void sb_wd_unregister(sandbox *sb);
/* -1 (nothing begun) while another state's call runs on this thread. */
int sb_call_begin(sandbox *sb);
void sb_call_end(sandbox *sb);
void sb_call_restart(sandbox *sb);

#endif
