/* The hand-written cliff walking: see hand_cliff.h. */
#include "experiments/bench/hand_cliff.h"

enum {
    ROWS = RL_HAND_CLIFF_ROWS,
    COLS = RL_HAND_CLIFF_COLS,
    N_ACTIONS = RL_HAND_CLIFF_ACTIONS,
    START = RL_HAND_CLIFF_START,
};

/* Moves up, right, down, left (gridrl's order, so the tables line up); off the grid stays
 * put. Every move costs 1; a move into the cliff costs 100 and goes back to the start. */
int rl_hand_cliff_step(int s, int a, double *reward)
{
    int row = s / COLS, col = s % COLS;
    switch (a) {
    case 0:
        if (row > 0)
            row--;
        break;
    case 1:
        if (col < COLS - 1)
            col++;
        break;
    case 2:
        if (row < ROWS - 1)
            row++;
        break;
    default:
        if (col > 0)
            col--;
        break;
    }
    if (row == ROWS - 1 && col > 0 && col < COLS - 1) {
        *reward = -100.0;
        return START;
    }
    *reward = -1.0;
    return row * COLS + col;
}

/* Epsilon-greedy with one draw u: u < epsilon picks uniformly from u itself, otherwise the
 * greedy action, ties broken at random by the rest of u. (gridrl's rule: with the same draws,
 * the same actions.) */
int rl_hand_cliff_choose(const double *q, double epsilon, gsl_rng *r)
{
    double u = gsl_rng_uniform(r);
    if (u < epsilon) {
        int a = (int)(u / epsilon * N_ACTIONS);
        return a < N_ACTIONS ? a : N_ACTIONS - 1;
    }
    double best = q[0];
    int ties = 1;
    for (int a = 1; a < N_ACTIONS; a++) {
        if (q[a] > best) {
            best = q[a];
            ties = 1;
        } else if (q[a] == best) {
            ties++;
        }
    }
    int k = (int)((u - epsilon) / (1.0 - epsilon) * ties);
    if (k >= ties)
        k = ties - 1;
    for (int a = 0; a < N_ACTIONS; a++)
        if (q[a] == best && k-- == 0)
            return a;
    return 0;
}

double rl_hand_cliff_max_q(const double *q)
{
    double best = q[0];
    for (int a = 1; a < N_ACTIONS; a++)
        best = q[a] > best ? q[a] : best;
    return best;
}


int rl_hand_cliff_is_cliff(int s)
{
    int row = s / COLS, col = s % COLS;
    return row == ROWS - 1 && col > 0 && col < COLS - 1;
}
