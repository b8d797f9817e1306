/* SIGINT and SIGTERM while an experiment runs: they set a flag that the runs poll, so runs in
 * flight are abandoned at their next episode and finished runs stay on disk. The flag is the
 * program's one piece of process-wide state (a signal handler can reach nothing else).
 */
#ifndef GRIDRL_EXPERIMENTS_CLI_INTERRUPT_H
#define GRIDRL_EXPERIMENTS_CLI_INTERRUPT_H

#include <signal.h>
#include <stdbool.h>

/* The flag: nonzero once a run should stop. */
const volatile sig_atomic_t *rl_interrupt_flag(void);

/* Installs (on) or removes (off) the handlers of SIGINT and SIGTERM. */
void rl_interrupt_catch(bool on);

/* Sets the flag from the program itself: another process of the same experiment failed
 * (an MPI rank), so these runs stop too. */
void rl_interrupt_request(void);

/* The signal that set the flag first (SIGINT or SIGTERM); 0 when none did. */
int rl_interrupt_signal(void);

#endif
