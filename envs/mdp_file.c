/* Explicit MDP files (see mdp_file.h; README.md, "Writing an MDP file").
 *
 * Two passes over the lines: the first reads the `state` declarations (so transitions may
 * name states declared further down), the second the transitions and `count` lines, which
 * give actions their indices in order of first use. Each line is cut into tokens first, so
 * every message can point at the column of the token at fault. Nothing is trusted: lengths,
 * counts and numbers are checked before they are used, and every allocation is bounded by
 * the caps of mdp_file.h.
 */
#define _POSIX_C_SOURCE 200809L /* strerror_r */

#include "envs/mdp_file.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rl/alloc.h"

/* Probabilities given on one line must sum to 1 within this. */
#define SUM_TOLERANCE 1e-9

typedef enum tok_kind { T_NAME, T_NUMBER, T_ARROW, T_SEMI, T_LPAREN, T_RPAREN, T_COMMA } tok_kind;

typedef struct token {
    tok_kind kind;
    const char *text;
    size_t len;
    int column; /* 1-based */
    double number;
} token;

/* A transition line once read: (s, a) and its outcomes in the growing outcome array. */
typedef struct pair_line {
    uint32_t s, a;
    uint32_t first, count;
} pair_line;

typedef struct mark {
    uint32_t s, a;
    int line, column;
} mark;

typedef struct parser {
    const char *source;
    int line;
    token *toks; /* room for a line's tokens */
    size_t n_toks;
    /* states */
    char (*names)[RL_MDP_STATE_NAME_MAX];
    uint8_t *terminal;
    double *weight; /* start weight, 0: not a start state */
    int *decl_line;
    size_t n_states, cap_states;
    uint32_t *slots; /* name hash table: 0 empty, else state index + 1 */
    size_t n_slots;
    /* actions */
    char actions[RL_MAX_ACTIONS][RL_ACTION_NAME_MAX];
    size_t n_actions;
    /* transitions */
    pair_line *pairs;
    size_t n_pairs, cap_pairs;
    rl_mdp_file_outcome *outcomes;
    size_t n_outcomes, cap_outcomes;
    int *pair_lineno; /* per (s, a) with a in [0, RL_MAX_ACTIONS): the line defining it */
    mark *marks;
    size_t n_marks, cap_marks;
} parser;

static int located(parser *P, rl_error *err, int code, int column)
{
    return rl_error_locate(err, code, P->source, P->line, column, NULL);
}

static int fail(parser *P, rl_error *err, int code, int column, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int fail(parser *P, rl_error *err, int code, int column, const char *fmt, ...)
{
    if (err) {
        char message[RL_ERROR_MESSAGE_MAX];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(message, sizeof message, fmt, ap);
        va_end(ap);
        rl_error_set(err, code, "%s", message);
    }
    return located(P, err, code, column);
}

static int nomem(rl_error *err)
{
    return rl_error_set(err, RL_ENOMEM, "out of memory reading an MDP file");
}

/* Grows *array (of *cap elements of size bytes) to hold n + 1; false when out of memory. */
static bool grow(void **array, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return true;
    size_t want = *cap ? 2 * *cap : 16;
    void *grown = rl_realloc(*array, want * size);
    if (!grown)
        return false;
    *array = grown;
    *cap = want;
    return true;
}

/* ---- tokens ---- */

static bool name_start(char c) { return isalpha((unsigned char)c) || c == '_'; }
static bool name_char(char c) { return isalnum((unsigned char)c) || c == '_'; }

/* A printable rendering of byte c for messages. */
static const char *shown(char c, char *buf, size_t size)
{
    unsigned char u = (unsigned char)c;
    if (u >= 0x20 && u < 0x7f)
        snprintf(buf, size, "'%c'", u);
    else
        snprintf(buf, size, "byte \\x%02X", u);
    return buf;
}

/* Scans a number at p (before end): [+-] digits [. digits] [e [+-] digits], with at least
 * one digit before the exponent. Returns its length, 0 if there is none. */
static size_t scan_number(const char *p, const char *end)
{
    const char *q = p;
    if (q < end && (*q == '+' || *q == '-'))
        q++;
    size_t digits = 0;
    while (q < end && isdigit((unsigned char)*q))
        q++, digits++;
    if (q < end && *q == '.') {
        q++;
        while (q < end && isdigit((unsigned char)*q))
            q++, digits++;
    }
    if (!digits)
        return 0;
    if (q < end && (*q == 'e' || *q == 'E')) {
        const char *e = q + 1;
        if (e < end && (*e == '+' || *e == '-'))
            e++;
        size_t exp_digits = 0;
        while (e < end && isdigit((unsigned char)*e))
            e++, exp_digits++;
        if (exp_digits) /* else the 'e' is left to be reported as a malformed number */
            q = e;
    }
    return (size_t)(q - p);
}

/* Cuts the line [p, end) (comment removed by the caller) into P->toks. */
static int tokenize(parser *P, const char *line, const char *end, rl_error *err)
{
    P->n_toks = 0;
    for (const char *p = line; p < end;) {
        if (*p == ' ' || *p == '\t') {
            p++;
            continue;
        }
        token *t = &P->toks[P->n_toks++];
        t->text = p;
        t->column = (int)(p - line) + 1;
        t->number = 0.0;
        size_t n;
        if (name_start(*p)) {
            t->kind = T_NAME;
            for (n = 1; p + n < end && name_char(p[n]); n++)
                ;
        } else if (*p == '-' && p + 1 < end && p[1] == '>') {
            t->kind = T_ARROW;
            n = 2;
        } else if (*p == ';' || *p == '(' || *p == ')' || *p == ',') {
            t->kind = *p == ';' ? T_SEMI : *p == '(' ? T_LPAREN : *p == ')' ? T_RPAREN : T_COMMA;
            n = 1;
        } else if ((n = scan_number(p, end)) > 0) {
            t->kind = T_NUMBER;
            if (p + n < end && (name_char(p[n]) || p[n] == '.'))
                return fail(P, err, RL_EPARSE, t->column, "malformed number '%.*s'",
                            (int)(n + 1 < 40 ? n + 1 : 40), p);
            char buf[64];
            if (n >= sizeof buf)
                return fail(P, err, RL_EPARSE, t->column, "number '%.20s...' is too long", p);
            memcpy(buf, p, n);
            buf[n] = '\0';
            t->number = strtod(buf, NULL);
            if (!isfinite(t->number))
                return fail(P, err, RL_ERANGE, t->column, "number %s is too large", buf);
        } else {
            char c[24];
            return fail(P, err, RL_EPARSE, t->column,
                        "unexpected %s (names are letters, digits and '_'; see README.md, "
                        "\"Writing an MDP file\")",
                        shown(*p, c, sizeof c));
        }
        t->len = n;
        p += n;
    }
    return RL_OK;
}

static bool is_word(const token *t, const char *word)
{
    return t->kind == T_NAME && t->len == strlen(word) && memcmp(t->text, word, t->len) == 0;
}

/* "the end of the line" or "'TOKEN'" for messages about token i of the line. */
static const char *describe(const parser *P, size_t i, char *buf, size_t size)
{
    if (i >= P->n_toks)
        snprintf(buf, size, "the end of the line");
    else
        snprintf(buf, size, "'%.*s'", (int)(P->toks[i].len < 40 ? P->toks[i].len : 40),
                 P->toks[i].text);
    return buf;
}

/* The column of token i, or just past the last token at the end of the line. */
static int column_of(const parser *P, size_t i)
{
    if (i < P->n_toks)
        return P->toks[i].column;
    if (!P->n_toks)
        return 1;
    const token *last = &P->toks[P->n_toks - 1];
    return last->column + (int)last->len;
}

static int expect_fail(parser *P, size_t i, const char *what, rl_error *err)
{
    char got[64];
    return fail(P, err, RL_EPARSE, column_of(P, i), "expected %s, found %s", what,
                describe(P, i, got, sizeof got));
}

/* ---- states ---- */

static uint64_t name_hash(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

/* The index of the state named by token t, or -1. */
static long find_state(const parser *P, const token *t)
{
    if (!P->n_slots)
        return -1;
    size_t i = (size_t)name_hash(t->text, t->len) & (P->n_slots - 1);
    for (; P->slots[i]; i = (i + 1) & (P->n_slots - 1)) {
        const char *name = P->names[P->slots[i] - 1];
        if (strlen(name) == t->len && memcmp(name, t->text, t->len) == 0)
            return (long)P->slots[i] - 1;
    }
    return -1;
}

/* Keeps the table at most half full: rebuilt at twice the size when it would not be. */
static bool index_state(parser *P, size_t s)
{
    if (2 * (P->n_states + 1) > P->n_slots) {
        size_t n = P->n_slots ? 2 * P->n_slots : 64;
        uint32_t *slots = rl_calloc(n, sizeof *slots);
        if (!slots)
            return false;
        for (size_t k = 0; k < P->n_slots; k++) {
            if (!P->slots[k])
                continue;
            const char *name = P->names[P->slots[k] - 1];
            size_t i = (size_t)name_hash(name, strlen(name)) & (n - 1);
            while (slots[i])
                i = (i + 1) & (n - 1);
            slots[i] = P->slots[k];
        }
        rl_free(P->slots);
        P->slots = slots;
        P->n_slots = n;
    }
    const char *name = P->names[s];
    size_t i = (size_t)name_hash(name, strlen(name)) & (P->n_slots - 1);
    while (P->slots[i])
        i = (i + 1) & (P->n_slots - 1);
    P->slots[i] = (uint32_t)s + 1;
    return true;
}

static bool is_keyword(const token *t)
{
    return is_word(t, "state") || is_word(t, "count");
}

/* state NAME [start [WEIGHT]] [terminal] */
static int read_state(parser *P, rl_error *err)
{
    if (P->n_toks < 2 || P->toks[1].kind != T_NAME)
        return expect_fail(P, 1, "a state name after 'state'", err);
    const token *name = &P->toks[1];
    if (is_keyword(name))
        return fail(P, err, RL_EPARSE, name->column, "'%.*s' is a keyword, not a state name",
                    (int)name->len, name->text);
    if (name->len >= RL_MDP_STATE_NAME_MAX)
        return fail(P, err, RL_ERANGE, name->column,
                    "state name '%.20s...' is longer than %d characters", name->text,
                    RL_MDP_STATE_NAME_MAX - 1);
    long known = find_state(P, name);
    if (known >= 0)
        return fail(P, err, RL_EPARSE, name->column, "state %s is declared twice (first on "
                                                     "line %d)",
                    P->names[known], P->decl_line[known]);
    if (P->n_states == RL_MDP_FILE_MAX_STATES)
        return fail(P, err, RL_ERANGE, name->column, "more than %d states (the limit)",
                    RL_MDP_FILE_MAX_STATES);
    bool terminal = false, start = false;
    double weight = 0.0;
    for (size_t i = 2; i < P->n_toks; i++) {
        const token *t = &P->toks[i];
        if (is_word(t, "terminal") && !terminal) {
            terminal = true;
        } else if (is_word(t, "start") && !start) {
            start = true;
            weight = 1.0;
            if (i + 1 < P->n_toks && P->toks[i + 1].kind == T_NUMBER) {
                weight = P->toks[++i].number;
                if (!(weight > 0.0))
                    return fail(P, err, RL_ERANGE, P->toks[i].column,
                                "start weight %g is not > 0", weight);
            }
        } else {
            char got[64];
            return fail(P, err, RL_EPARSE, t->column,
                        "expected 'start [WEIGHT]' or 'terminal' (once each), found %s",
                        describe(P, i, got, sizeof got));
        }
    }
    if (terminal && start)
        return fail(P, err, RL_EINVAL, name->column,
                    "state %.*s is both a start and terminal: episodes start where the agent "
                    "acts",
                    (int)name->len, name->text);
    size_t s = P->n_states;
    if (s == P->cap_states) {
        size_t cap = s ? 2 * s : 16;
        void *a = rl_realloc(P->names, cap * sizeof *P->names);
        if (a)
            P->names = a;
        void *b = a ? rl_realloc(P->terminal, cap * sizeof *P->terminal) : NULL;
        if (b)
            P->terminal = b;
        void *c = b ? rl_realloc(P->weight, cap * sizeof *P->weight) : NULL;
        if (c)
            P->weight = c;
        void *d = c ? rl_realloc(P->decl_line, cap * sizeof *P->decl_line) : NULL;
        if (d)
            P->decl_line = d;
        if (!d)
            return nomem(err);
        P->cap_states = cap;
    }
    memcpy(P->names[s], name->text, name->len);
    P->names[s][name->len] = '\0';
    P->terminal[s] = terminal;
    P->weight[s] = weight;
    P->decl_line[s] = P->line;
    if (!index_state(P, s))
        return nomem(err);
    P->n_states++;
    return RL_OK;
}

/* The state token i names; an error at it if it names none. */
static int state_at(parser *P, size_t i, uint32_t *s, rl_error *err)
{
    if (i >= P->n_toks || P->toks[i].kind != T_NAME)
        return expect_fail(P, i, "a state name", err);
    long k = find_state(P, &P->toks[i]);
    if (k < 0)
        return fail(P, err, RL_ENOTFOUND, P->toks[i].column,
                    "unknown state '%.*s' (declare it with 'state %.*s')",
                    (int)(P->toks[i].len < 40 ? P->toks[i].len : 40), P->toks[i].text,
                    (int)(P->toks[i].len < 40 ? P->toks[i].len : 40), P->toks[i].text);
    *s = (uint32_t)k;
    return RL_OK;
}

/* The index of the action token i names, added when new. */
static int action_at(parser *P, size_t i, bool add, uint32_t *a, rl_error *err)
{
    if (i >= P->n_toks || P->toks[i].kind != T_NAME)
        return expect_fail(P, i, "an action name", err);
    const token *t = &P->toks[i];
    for (size_t k = 0; k < P->n_actions; k++)
        if (strlen(P->actions[k]) == t->len && memcmp(P->actions[k], t->text, t->len) == 0) {
            *a = (uint32_t)k;
            return RL_OK;
        }
    if (!add)
        return fail(P, err, RL_ENOTFOUND, t->column, "no state has an action '%.*s'",
                    (int)(t->len < 40 ? t->len : 40), t->text);
    if (t->len >= RL_ACTION_NAME_MAX)
        return fail(P, err, RL_ERANGE, t->column,
                    "action name '%.*s...' is longer than %d characters",
                    (int)(t->len < 20 ? t->len : 20), t->text, RL_ACTION_NAME_MAX - 1);
    if (P->n_actions == RL_MAX_ACTIONS)
        return fail(P, err, RL_ERANGE, t->column,
                    "more than %d action names in the file (the limit)", RL_MAX_ACTIONS);
    memcpy(P->actions[P->n_actions], t->text, t->len);
    P->actions[P->n_actions][t->len] = '\0';
    *a = (uint32_t)P->n_actions++;
    return RL_OK;
}

/* ---- transitions ---- */

/* A reward at token *i: NUMBER, normal(MEAN, SD) or uniform(LOW, HIGH). */
static int read_reward(parser *P, size_t *i, rl_reward_dist *d, rl_error *err)
{
    const token *t = &P->toks[*i];
    if (t->kind == T_NUMBER) {
        *d = (rl_reward_dist){RL_REWARD_CONSTANT, t->number, 0.0};
        (*i)++;
        return RL_OK;
    }
    bool normal = is_word(t, "normal");
    if (!normal && !is_word(t, "uniform"))
        return expect_fail(P, *i, "a reward (a number, normal(MEAN, SD) or uniform(LOW, HIGH))",
                           err);
    size_t k = *i + 1;
    double x[2];
    if (k >= P->n_toks || P->toks[k].kind != T_LPAREN)
        return expect_fail(P, k, "'('", err);
    for (int arg = 0; arg < 2; arg++) {
        k++;
        if (k >= P->n_toks || P->toks[k].kind != T_NUMBER)
            return expect_fail(P, k, "a number", err);
        x[arg] = P->toks[k].number;
        k++;
        if (k >= P->n_toks || P->toks[k].kind != (arg == 0 ? T_COMMA : T_RPAREN))
            return expect_fail(P, k, arg == 0 ? "','" : "')'", err);
    }
    if (normal && !(x[1] >= 0.0))
        return fail(P, err, RL_ERANGE, P->toks[*i + 4].column,
                    "standard deviation %g is negative", x[1]);
    if (!normal && !(x[0] <= x[1]))
        return fail(P, err, RL_ERANGE, P->toks[*i + 2].column,
                    "uniform(%g, %g): the low end is above the high end", x[0], x[1]);
    *d = (rl_reward_dist){normal ? RL_REWARD_NORMAL : RL_REWARD_UNIFORM, x[0], x[1]};
    *i = k + 1;
    return RL_OK;
}

/* FROM ACTION -> [P] NEXT [REWARD] { ; [P] NEXT [REWARD] } */
static int read_transition(parser *P, rl_error *err)
{
    uint32_t s = 0, a = 0;
    int rc = state_at(P, 0, &s, err);
    if (rc != RL_OK)
        return rc;
    if (P->terminal[s])
        return fail(P, err, RL_EINVAL, P->toks[0].column,
                    "state %s is terminal: the episode ends there, it has no actions",
                    P->names[s]);
    if ((rc = action_at(P, 1, true, &a, err)) != RL_OK)
        return rc;
    int *defined = &P->pair_lineno[(size_t)s * RL_MAX_ACTIONS + a];
    if (*defined)
        return fail(P, err, RL_EPARSE, P->toks[1].column,
                    "%s %s is defined twice (first on line %d)", P->names[s], P->actions[a],
                    *defined);
    if (P->n_toks < 3 || P->toks[2].kind != T_ARROW)
        return expect_fail(P, 2, "'->'", err);
    size_t first = P->n_outcomes, count = 0, i = 3;
    double sum = 0.0;
    long open = -1; /* the outcome without a probability, if any */
    int open_column = 0;
    for (;;) {
        if (count == RL_MDP_FILE_MAX_OUTCOMES)
            return fail(P, err, RL_ERANGE, column_of(P, i),
                        "more than %d outcomes for one action (the limit)",
                        RL_MDP_FILE_MAX_OUTCOMES);
        if (!grow((void **)&P->outcomes, &P->cap_outcomes, P->n_outcomes,
                  sizeof *P->outcomes))
            return nomem(err);
        rl_mdp_file_outcome *o = &P->outcomes[P->n_outcomes];
        int column = column_of(P, i);
        if (i < P->n_toks && P->toks[i].kind == T_NUMBER) {
            o->probability = P->toks[i].number;
            if (!(o->probability > 0.0 && o->probability <= 1.0))
                return fail(P, err, RL_ERANGE, column, "probability %g is not in (0, 1]",
                            o->probability);
            sum += o->probability;
            i++;
        } else {
            if (open >= 0)
                return fail(P, err, RL_EPARSE, column,
                            "a second outcome without a probability (only one may take what "
                            "the others leave)");
            open = (long)P->n_outcomes;
            open_column = column;
            o->probability = 0.0;
        }
        if ((rc = state_at(P, i, &o->next, err)) != RL_OK)
            return rc;
        i++;
        o->reward = (rl_reward_dist){RL_REWARD_CONSTANT, 0.0, 0.0};
        if (i < P->n_toks && P->toks[i].kind != T_SEMI &&
            (rc = read_reward(P, &i, &o->reward, err)) != RL_OK)
            return rc;
        P->n_outcomes++;
        count++;
        if (i == P->n_toks)
            break;
        if (P->toks[i].kind != T_SEMI)
            return expect_fail(P, i, "';' or the end of the line", err);
        i++;
    }
    if (open >= 0) {
        double rest = 1.0 - sum;
        if (!(rest > SUM_TOLERANCE))
            return fail(P, err, RL_EINVAL, open_column,
                        "the other outcomes' probabilities sum to %.12g, leaving nothing for "
                        "this one",
                        sum);
        P->outcomes[open].probability = rest;
    } else if (!(fabs(sum - 1.0) <= SUM_TOLERANCE)) {
        return fail(P, err, RL_EINVAL, P->toks[2].column,
                    "the outcomes' probabilities sum to %.12g, not 1", sum);
    }
    /* Two outcomes to the same state: they stay apart (their rewards may differ); the
     * compiled model adds them up where the expected rewards agree. */
    if (!grow((void **)&P->pairs, &P->cap_pairs, P->n_pairs, sizeof *P->pairs))
        return nomem(err);
    P->pairs[P->n_pairs++] = (pair_line){s, a, (uint32_t)first, (uint32_t)count};
    *defined = P->line;
    return RL_OK;
}

/* count STATE ACTION */
static int read_count(parser *P, rl_error *err)
{
    uint32_t s = 0, a = 0;
    int rc = state_at(P, 1, &s, err);
    /* The action may first appear further down; build() checks that the state has it. */
    if (rc == RL_OK)
        rc = action_at(P, 2, true, &a, err);
    if (rc != RL_OK)
        return rc;
    if (P->n_toks > 3)
        return expect_fail(P, 3, "the end of the line", err);
    for (size_t k = 0; k < P->n_marks; k++)
        if (P->marks[k].s == s && P->marks[k].a == a)
            return fail(P, err, RL_EPARSE, P->toks[0].column,
                        "count %s %s is given twice (first on line %d)", P->names[s],
                        P->actions[a], P->marks[k].line);
    if (!grow((void **)&P->marks, &P->cap_marks, P->n_marks, sizeof *P->marks))
        return nomem(err);
    P->marks[P->n_marks++] = (mark){s, a, P->line, P->toks[0].column};
    return RL_OK;
}

/* ---- the passes ---- */

/* Calls each line's statements of the pass: 1 reads states, 2 the rest. */
static int pass(parser *P, const char *text, size_t len, int which, rl_error *err)
{
    const char *end = text + len;
    P->line = 0;
    for (const char *p = text; p < end;) {
        P->line++;
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *stop = eol ? eol : end;
        const char *content_end = stop;
        if (content_end > p && content_end[-1] == '\r')
            content_end--;
        const char *hash = memchr(p, '#', (size_t)(content_end - p));
        const char *code_end = hash ? hash : content_end;
        if (content_end - p > RL_MDP_FILE_MAX_LINE)
            return fail(P, err, RL_ERANGE, RL_MDP_FILE_MAX_LINE + 1,
                        "line is longer than %d characters (the limit)", RL_MDP_FILE_MAX_LINE);
        const char *nul = memchr(p, '\0', (size_t)(stop - p));
        if (nul)
            return fail(P, err, RL_EPARSE, (int)(nul - p) + 1, "NUL byte in the text");
        int rc = tokenize(P, p, code_end, err);
        if (rc != RL_OK)
            return rc;
        if (P->n_toks) {
            bool is_state = is_word(&P->toks[0], "state");
            if (which == 1 && is_state)
                rc = read_state(P, err);
            else if (which == 2 && is_word(&P->toks[0], "count"))
                rc = read_count(P, err);
            else if (which == 2 && !is_state)
                rc = read_transition(P, err);
            if (rc != RL_OK)
                return rc;
        }
        p = eol ? eol + 1 : end;
    }
    return RL_OK;
}

static void parser_free(parser *P)
{
    rl_free(P->toks);
    rl_free(P->names);
    rl_free(P->terminal);
    rl_free(P->weight);
    rl_free(P->decl_line);
    rl_free(P->slots);
    rl_free(P->pairs);
    rl_free(P->outcomes);
    rl_free(P->pair_lineno);
    rl_free(P->marks);
}

void rl_mdp_file_free(rl_mdp_file *f)
{
    if (!f)
        return;
    rl_free(f->state_names);
    rl_free(f->action_names);
    rl_free(f->terminal);
    rl_free(f->start);
    rl_free(f->first);
    rl_free(f->outcomes);
    rl_free(f->marked);
    rl_free(f);
}

/* The whole-file checks, then the result laid out by (state, action). */
static int build(parser *P, unsigned long long hash, rl_mdp_file **out, rl_error *err)
{
    P->line = 0;
    if (!P->n_states)
        return fail(P, err, RL_EINVAL, 0, "no states: declare them with 'state NAME'");
    double total = 0.0;
    for (size_t s = 0; s < P->n_states; s++) {
        total += P->weight[s];
        bool has_action = false;
        for (size_t a = 0; a < P->n_actions && !has_action; a++)
            has_action = P->pair_lineno[s * RL_MAX_ACTIONS + a] != 0;
        if (!P->terminal[s] && !has_action) {
            P->line = P->decl_line[s];
            return fail(P, err, RL_EINVAL, 0,
                        "state %s has no actions: give it a line '%s ACTION -> NEXT', or "
                        "declare it terminal",
                        P->names[s], P->names[s]);
        }
    }
    if (!(total > 0.0))
        return fail(P, err, RL_EINVAL, 0, "no start state: mark one with 'state NAME start'");
    for (size_t k = 0; k < P->n_marks; k++) {
        const mark *m = &P->marks[k];
        if (!P->pair_lineno[(size_t)m->s * RL_MAX_ACTIONS + m->a]) {
            P->line = m->line;
            return fail(P, err, RL_EINVAL, m->column, "state %s has no action %s to count",
                        P->names[m->s], P->actions[m->a]);
        }
    }

    size_t n_states = P->n_states, n_actions = P->n_actions, n_sa = n_states * n_actions;
    rl_mdp_file *f = rl_calloc(1, sizeof *f);
    if (!f)
        return nomem(err);
    f->n_states = n_states;
    f->n_actions = n_actions;
    f->hash = hash;
    f->state_names = rl_malloc(n_states * sizeof *f->state_names);
    f->action_names = rl_calloc(n_actions, sizeof *f->action_names);
    f->terminal = rl_malloc(n_states);
    f->start = rl_malloc(n_states * sizeof *f->start);
    f->first = rl_calloc(n_sa + 1, sizeof *f->first);
    f->outcomes = rl_malloc((P->n_outcomes ? P->n_outcomes : 1) * sizeof *f->outcomes);
    f->marked = rl_calloc(n_sa, 1);
    uint32_t *line_of = rl_calloc(n_sa ? n_sa : 1, sizeof *line_of); /* pair -> line + 1 */
    if (!f->state_names || !f->action_names || !f->terminal || !f->start || !f->first ||
        !f->outcomes || !f->marked || !line_of) {
        rl_free(line_of);
        rl_mdp_file_free(f);
        return nomem(err);
    }
    memcpy(f->state_names, P->names, n_states * sizeof *f->state_names);
    memcpy(f->action_names, P->actions, n_actions * sizeof *f->action_names);
    memcpy(f->terminal, P->terminal, n_states);
    for (size_t s = 0; s < n_states; s++)
        f->start[s] = P->weight[s] / total;
    for (size_t k = 0; k < P->n_pairs; k++)
        line_of[P->pairs[k].s * n_actions + P->pairs[k].a] = (uint32_t)k + 1;
    /* Outcomes in (state, action) order. */
    uint32_t n = 0;
    for (size_t sa = 0; sa < n_sa; sa++) {
        f->first[sa] = n;
        if (!line_of[sa])
            continue;
        const pair_line *pl = &P->pairs[line_of[sa] - 1];
        memcpy(&f->outcomes[n], &P->outcomes[pl->first], pl->count * sizeof *f->outcomes);
        /* Given probabilities sum to 1 within SUM_TOLERANCE: make it exact (to rounding),
         * as the model requires. */
        double sum = 0.0;
        for (uint32_t k = 0; k < pl->count; k++)
            sum += f->outcomes[n + k].probability;
        for (uint32_t k = 0; k < pl->count; k++)
            f->outcomes[n + k].probability /= sum;
        n += pl->count;
    }
    f->first[n_sa] = n;
    rl_free(line_of);
    for (size_t k = 0; k < P->n_marks; k++)
        f->marked[P->marks[k].s * n_actions + P->marks[k].a] = 1;
    f->n_marked = P->n_marks;
    /* States with different action sets, among those where the agent acts. */
    long reference = -1;
    for (size_t s = 0; s < n_states && !f->own_actions; s++) {
        if (f->terminal[s])
            continue;
        if (reference < 0) {
            reference = (long)s;
            continue;
        }
        for (size_t a = 0; a < n_actions; a++)
            if (rl_mdp_file_has(f, s, a) != rl_mdp_file_has(f, (size_t)reference, a))
                f->own_actions = true;
    }
    *out = f;
    return RL_OK;
}

int rl_mdp_file_parse(const char *text, size_t len, const char *source, rl_mdp_file **out,
                      rl_error *err)
{
    if (out)
        *out = NULL;
    if (!text || !out)
        return rl_error_set(err, RL_EINVAL, "rl_mdp_file_parse: text and out must not be NULL");
    if (!source)
        source = "(mdp text)";
    if (len > RL_MDP_FILE_MAX_BYTES) {
        rl_error_set(err, RL_ERANGE, "an MDP file is at most %u bytes (this is %zu)",
                     RL_MDP_FILE_MAX_BYTES, len);
        return rl_error_locate(err, RL_ERANGE, source, 0, 0, NULL);
    }
    unsigned long long hash = name_hash(text, len);
    parser P = {.source = source};
    /* A line of at most RL_MDP_FILE_MAX_LINE characters has at most that many tokens. */
    P.toks = rl_malloc(RL_MDP_FILE_MAX_LINE * sizeof *P.toks);
    int rc = P.toks ? pass(&P, text, len, 1, err) : nomem(err);
    if (rc == RL_OK) {
        P.pair_lineno = rl_calloc(P.n_states ? P.n_states * RL_MAX_ACTIONS : 1,
                                  sizeof *P.pair_lineno);
        rc = P.pair_lineno ? pass(&P, text, len, 2, err) : nomem(err);
    }
    if (rc == RL_OK)
        rc = build(&P, hash, out, err);
    parser_free(&P);
    return rc;
}

static int io_error(rl_error *err, const char *path, int errnum)
{
    char reason[128];
    if (strerror_r(errnum, reason, sizeof reason) != 0)
        snprintf(reason, sizeof reason, "error %d", errnum);
    rl_error_set(err, RL_EIO, "cannot read MDP file '%s': %s", path, reason);
    return rl_error_locate(err, RL_EIO, path, 0, 0, NULL);
}

int rl_mdp_file_load(const char *path, rl_mdp_file **out, rl_error *err)
{
    if (out)
        *out = NULL;
    if (!path || !out)
        return rl_error_set(err, RL_EINVAL, "rl_mdp_file_load: path and out must not be NULL");
    FILE *f = fopen(path, "rb");
    if (!f)
        return io_error(err, path, errno);
    /* Growing chunks (pipes work too), stopping one byte past the cap: a file too large is
     * refused by the parser without being held whole. */
    const size_t limit = (size_t)RL_MDP_FILE_MAX_BYTES + 1;
    size_t cap = 4096, len = 0;
    char *buf = rl_malloc(cap);
    int rc = buf ? RL_OK : nomem(err);
    while (rc == RL_OK && len < limit) {
        if (len == cap) {
            size_t grown_cap = cap * 2 < limit ? cap * 2 : limit;
            char *grown = rl_realloc(buf, grown_cap);
            if (!grown) {
                rc = nomem(err);
                break;
            }
            buf = grown;
            cap = grown_cap;
        }
        errno = 0;
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) {
            if (ferror(f))
                rc = io_error(err, path, errno ? errno : EIO);
            break;
        }
    }
    fclose(f);
    if (rc == RL_OK)
        rc = rl_mdp_file_parse(buf, len, path, out, err);
    rl_free(buf);
    return rc;
}

double rl_reward_mean(const rl_reward_dist *d)
{
    switch (d->kind) {
    case RL_REWARD_NORMAL: return d->a;
    case RL_REWARD_UNIFORM: return 0.5 * (d->a + d->b);
    default: return d->a;
    }
}

int rl_mdp_file_compile(const rl_mdp_file *f, rl_mdp **out, rl_error *err)
{
    *out = NULL;
    rl_mdp *m;
    int rc = rl_mdp_alloc(1, f->n_states, f->n_actions, &m, err);
    if (rc != RL_OK)
        return rc;
    for (size_t a = 0; a < f->n_actions; a++)
        memcpy(m->action_names[a], f->action_names[a], RL_ACTION_NAME_MAX);
    for (size_t s = 0; s < f->n_states; s++) {
        m->kind[s] = f->terminal[s] ? RL_STATE_TERMINAL : RL_STATE_OPEN;
        m->cell[s] = f->terminal[s] ? 'G' : f->start[s] > 0 ? 'S' : '.';
        m->start[s] = f->start[s];
    }
    for (size_t s = 0; rc == RL_OK && s < f->n_states; s++) {
        size_t own = 0; /* the state's first action: what the actions it lacks repeat */
        while (own + 1 < f->n_actions && !rl_mdp_file_has(f, s, own))
            own++;
        for (size_t a = 0; rc == RL_OK && a < f->n_actions; a++) {
            if (f->terminal[s]) {
                rc = rl_mdp_add_outcome(m, s, a, 1.0, s, 0.0, true, err);
                continue;
            }
            size_t sa = s * f->n_actions + (rl_mdp_file_has(f, s, a) ? a : own);
            for (uint32_t k = f->first[sa]; rc == RL_OK && k < f->first[sa + 1]; k++) {
                const rl_mdp_file_outcome *o = &f->outcomes[k];
                rc = rl_mdp_add_outcome(m, s, a, o->probability, o->next,
                                        rl_reward_mean(&o->reward), f->terminal[o->next] != 0,
                                        err);
            }
        }
    }
    if (rc == RL_OK)
        rc = rl_mdp_finish(m, err);
    if (rc != RL_OK) {
        rl_mdp_free(m);
        return rc;
    }
    *out = m;
    return RL_OK;
}
