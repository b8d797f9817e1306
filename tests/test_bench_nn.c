/* Tests of the DQN update benchmark (experiments/bench/bench_nn.h), run small: hidden width
 * 16, 60 updates checked side by side, 25 timed updates, 3 repeats. No timing is asserted
 * (these run under the sanitizers and on busy machines): the tests check that rl_nn and the
 * plain-loop reference computed the same training run, and the structure of the result.
 *
 * The independent numbers: the agreement is between two implementations that share only
 * the parameter layout and the formulas (rl_nn on sgemm, and the triple loops in
 * bench_nn.c), within the tolerance the header derives; the parameter counts are by hand
 * (n_in H + H + H n_out + n_out); the shapes and batches are the ones the header promises;
 * the thread count is the one rl_gsl_init sets.
 */
#include "tests/support.h"

#include <stdlib.h>

#include "experiments/bench/bench_nn.h"
#include "rl/rng.h"

static void check_rate(const rl_bench_nn_rate *r)
{
    assert_true(isfinite(r->median) && r->min > 0.0);
    assert_true(r->min <= r->median && r->median <= r->max);
}

static void test_small_run_agrees(void **state)
{
    (void)state;
    rl_bench_nn_options opt = {25, 3, 60, 16, 7};
    rl_bench_nn_result res;
    rl_error err;
    if (rl_bench_nn_run(&opt, &res, &err) != 0)
        fail_msg("rl_bench_nn_run: %s", err.message);
    /* Agreement, case by case, so a failure says which shape. */
    for (int k = 0; k < RL_BENCH_NN_CASES; k++) {
        const rl_bench_nn_case *c = &res.cases[k];
        if (!c->agrees)
            fail_msg("shape %d: the implementations disagree from update %zu (max relative "
                     "loss difference %g)", k, c->first_disagreement, c->max_loss_diff);
        assert_int_equal(c->first_disagreement, 0);
        assert_true(c->max_loss_diff >= 0.0 && c->max_loss_diff <= res.tolerance);
        assert_int_equal(c->checked, 60);
        assert_true(isfinite(c->first_loss) && c->first_loss > 0.0);
        assert_true(isfinite(c->last_loss) && c->last_loss > 0.0);
        assert_true(c->max_param_diff >= 0.0 && c->max_param_diff < 1e-2);
    }
    assert_true(rl_bench_nn_agrees(&res));
    assert_close(res.tolerance, RL_BENCH_NN_LOSS_TOLERANCE, 0.0);

    /* The shapes: 3-H-1 batch 100 and 2-H-5 batch 32; parameters counted by hand. */
    const rl_bench_nn_case *a = &res.cases[0], *b = &res.cases[1];
    assert_int_equal(a->n_inputs, 3);
    assert_int_equal(a->hidden, 16);
    assert_int_equal(a->n_outputs, 1);
    assert_int_equal(a->batch, 100);
    assert_int_equal(a->n_params, 3 * 16 + 16 + 16 * 1 + 1); /* 81 */
    assert_int_equal(b->n_inputs, 2);
    assert_int_equal(b->hidden, 16);
    assert_int_equal(b->n_outputs, 5);
    assert_int_equal(b->batch, 32);
    assert_int_equal(b->n_params, 2 * 16 + 16 + 16 * 5 + 5); /* 133 */

    /* Rates: positive, ordered; the ratio is of the medians. */
    for (int k = 0; k < RL_BENCH_NN_CASES; k++) {
        check_rate(&res.cases[k].gridrl);
        check_rate(&res.cases[k].naive);
        assert_close(res.cases[k].ratio, res.cases[k].gridrl.median / res.cases[k].naive.median,
                     1e-12 * res.cases[k].ratio);
    }
    assert_int_equal(res.updates, 25);
    assert_int_equal(res.repeats, 3);
    /* What OpenBLAS reports: a kernel name, and the one thread rl_gsl_init set. */
    assert_true(res.corename[0] != '\0');
    assert_int_equal(res.blas_threads, 1);
}

/* Same seed, same data and weights: the checked trajectory is the same to the bit. */
static void test_reproducible(void **state)
{
    (void)state;
    rl_bench_nn_options opt = {1, 1, 30, 8, 3};
    rl_bench_nn_result r1, r2;
    assert_int_equal(rl_bench_nn_run(&opt, &r1, NULL), 0);
    assert_int_equal(rl_bench_nn_run(&opt, &r2, NULL), 0);
    for (int k = 0; k < RL_BENCH_NN_CASES; k++) {
        assert_memory_equal(&r1.cases[k].first_loss, &r2.cases[k].first_loss, sizeof(double));
        assert_memory_equal(&r1.cases[k].last_loss, &r2.cases[k].last_loss, sizeof(double));
        assert_memory_equal(&r1.cases[k].max_loss_diff, &r2.cases[k].max_loss_diff,
                            sizeof(double));
    }
    opt.seed = 4;
    assert_int_equal(rl_bench_nn_run(&opt, &r2, NULL), 0);
    assert_true(r1.cases[0].first_loss != r2.cases[0].first_loss);
}

static void test_option_errors(void **state)
{
    (void)state;
    const struct {
        rl_bench_nn_options opt;
        const char *key, *text;
    } bad[] = {
        {{0, 1, 1, 4, 1}, "updates", "updates must be in [1, 10000000], not 0"},
        {{1, 0, 1, 4, 1}, "repeats", "repeats must be in [1, 1000], not 0"},
        {{1, 1001, 1, 4, 1}, "repeats", "not 1001"},
        {{1, 1, 0, 4, 1}, "check_updates", "check_updates must be in [1, 500], not 0"},
        {{1, 1, 501, 4, 1}, "check_updates", "not 501"},
        {{1, 1, 1, 0, 1}, "hidden", "hidden must be in [1, 4096], not 0"},
        {{1, 1, 1, 4097, 1}, "hidden", "not 4097"},
    };
    rl_bench_nn_result res;
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        rl_error err;
        assert_int_equal(rl_bench_nn_run(&bad[k].opt, &res, &err), RL_ERANGE);
        assert_string_equal(err.key, bad[k].key);
        assert_contains(err.message, bad[k].text);
        assert_int_equal(rl_bench_nn_run(&bad[k].opt, &res, NULL), RL_ERANGE);
    }
    rl_bench_nn_options ok = RL_BENCH_NN_DEFAULTS;
    rl_error err;
    assert_int_equal(rl_bench_nn_run(NULL, &res, &err), RL_EINVAL);
    assert_contains(err.message, "NULL options");
    assert_int_equal(rl_bench_nn_run(&ok, NULL, NULL), RL_EINVAL);
}

int main(void)
{
    rl_gsl_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_run_agrees),
        cmocka_unit_test(test_reproducible),
        cmocka_unit_test(test_option_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
