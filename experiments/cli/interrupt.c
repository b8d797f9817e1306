/* The stop flag of SIGINT and SIGTERM: see interrupt.h. */
#include "experiments/cli/interrupt.h"

#include <string.h>

/* 0: go on; a signal number: that signal arrived first; REQUESTED: rl_interrupt_request. */
#define REQUESTED (-1)

static volatile sig_atomic_t stop_requested;

static void on_signal(int signo)
{
    if (!stop_requested)
        stop_requested = signo; /* the first: the exit status says which */
}

const volatile sig_atomic_t *rl_interrupt_flag(void)
{
    return &stop_requested;
}

void rl_interrupt_catch(bool on)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on ? on_signal : SIG_DFL;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

void rl_interrupt_request(void)
{
    if (!stop_requested)
        stop_requested = REQUESTED;
}

int rl_interrupt_signal(void)
{
    return stop_requested > 0 ? (int)stop_requested : 0;
}
