/* Fuzz target: the MDP file parser (envs/mdp_file.h), and the compiler on what it accepts,
 * each compiled model checked for the invariants rl_mdp_finish promises, and the expected
 * rewards for being finite. Input: the file's bytes as they are (the parser takes a length:
 * NUL bytes are input like any other). */
#include <math.h>
#include <stdlib.h>

#include "envs/mdp_file.h"
#include "tests/fuzz/fuzz.h"

/* Models past this many state-action pairs are not compiled: the parser is the target. */
#define COMPILE_MAX_PAIRS 65536

static void check_model(const rl_mdp *m)
{
    size_t n_sa = m->n_states * m->n_actions;
    for (size_t sa = 0; sa < n_sa; sa++) {
        double sum = 0.0;
        for (uint32_t k = m->first[sa]; k < m->first[sa + 1]; k++) {
            const rl_outcome *o = &m->outcomes[k];
            if (!(o->probability > 0.0) || !isfinite(o->reward) || o->next < 0 ||
                (size_t)o->next >= m->n_states)
                abort();
            sum += o->probability;
        }
        if (!(sum > 1.0 - 1e-9 && sum < 1.0 + 1e-9))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rl_mdp_file *f = NULL;
    rl_error err;
    if (rl_mdp_file_parse((const char *)data, size, "fuzz.mdp", &f, &err) == RL_OK) {
        /* An accepted file has a start state, and each non-terminal state an action. */
        double total = 0.0;
        for (size_t s = 0; s < f->n_states; s++) {
            total += f->start[s];
            size_t own = 0;
            for (size_t a = 0; a < f->n_actions; a++)
                own += rl_mdp_file_has(f, s, a);
            if (!f->terminal[s] && !own)
                abort();
        }
        if (!(total > 1.0 - 1e-9 && total < 1.0 + 1e-9))
            abort();
        rl_mdp *m = NULL;
        if (f->n_states * f->n_actions <= COMPILE_MAX_PAIRS &&
            rl_mdp_file_compile(f, &m, &err) == RL_OK)
            check_model(m);
        rl_mdp_free(m);
    } else if (!err.message[0]) {
        abort(); /* a refusal always says why */
    }
    rl_mdp_file_free(f);
    return 0;
}
