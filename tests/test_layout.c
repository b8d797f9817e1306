/* The architecture, checked on the sources themselves: every quoted include respects the
 * folder rules of README.md ("Folders"), no two modules depend on each other in a circle,
 * inih is read in one file only, library code does not print, and no file cites a document
 * outside the repository.
 *
 * A module is a source path without its extension (rl/mdp for rl/mdp.c and rl/mdp.h); it
 * depends on module N when its .c or .h includes N.h. The numbers checked (which includes
 * are allowed where) are the README's table written out below, not read from the code.
 */
#define _POSIX_C_SOURCE 200809L

#include "tests/support.h"

#include <ctype.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>

#define MAX_FILES 512
#define MAX_INCLUDES 64

typedef struct source {
    char path[256];  /* relative to the repository, e.g. "rl/mdp.c" */
    char module[256]; /* path without the extension */
    char includes[MAX_INCLUDES][128]; /* quoted includes */
    size_t n_includes;
    char *text;
} source;

typedef struct tree {
    source files[MAX_FILES];
    size_t n;
} tree;

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)size + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)size, f), (size_t)size);
    text[size] = '\0';
    fclose(f);
    return text;
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static void add_file(tree *t, const char *relative)
{
    assert_true(t->n < MAX_FILES);
    source *s = &t->files[t->n++];
    memset(s, 0, sizeof *s);
    snprintf(s->path, sizeof s->path, "%s", relative);
    snprintf(s->module, sizeof s->module, "%.*s", (int)(strrchr(relative, '.') - relative),
             relative);
    char full[1024];
    snprintf(full, sizeof full, "%s/%s", GRIDRL_SOURCE_DIR, relative);
    s->text = read_all(full);
    for (const char *p = s->text; (p = strstr(p, "#include \"")); p++) {
        const char *start = p + strlen("#include \""), *end = strchr(start, '"');
        assert_non_null(end);
        assert_true(s->n_includes < MAX_INCLUDES);
        snprintf(s->includes[s->n_includes++], sizeof s->includes[0], "%.*s",
                 (int)(end - start), start);
    }
}

/* Every .c and .h under dir (relative to the repository), recursively. */
static void scan(tree *t, const char *dir)
{
    char full[1024];
    snprintf(full, sizeof full, "%s/%s", GRIDRL_SOURCE_DIR, dir);
    DIR *d = opendir(full);
    if (!d)
        return; /* a folder that does not exist yet */
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        char relative[512], path[1024];
        snprintf(relative, sizeof relative, "%s/%s", dir, e->d_name);
        snprintf(path, sizeof path, "%s/%s", GRIDRL_SOURCE_DIR, relative);
        struct stat st;
        assert_int_equal(stat(path, &st), 0);
        if (S_ISDIR(st.st_mode))
            scan(t, relative);
        else if (has_suffix(e->d_name, ".c") || has_suffix(e->d_name, ".h"))
            add_file(t, relative);
    }
    closedir(d);
}

static tree *load(void)
{
    tree *t = calloc(1, sizeof *t);
    assert_non_null(t);
    const char *dirs[] = {"rl", "envs", "agents", "experiments", "tests", "examples"};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
        scan(t, dirs[i]);
    add_file(t, "gridrl.h");
    return t;
}

static void unload(tree *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->files[i].text);
    free(t);
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The folders whose headers a file in folder may include (README.md, "Folders"). The
 * library (rl, envs, agents, the runner and its file formats) never reaches up into the
 * program's own parts (cli, plot, bench, compare). */
static const char *const *allowed(const char *path)
{
    static const char *const rl[] = {"rl/", NULL};
    static const char *const envs[] = {"rl/", "envs/", NULL};
    static const char *const agents[] = {"rl/", "agents/", NULL};
    static const char *const library[] = {"rl/", "envs/", "agents/", "experiments/runner/",
                                          "experiments/io/", NULL};
    static const char *const plot[] = {"rl/", "envs/", "agents/", "experiments/runner/",
                                       "experiments/io/", "experiments/plot/", NULL};
    static const char *const bench[] = {"rl/", "envs/", "agents/", "experiments/runner/",
                                        "experiments/io/", "experiments/bench/", NULL};
    static const char *const compare[] = {"rl/", "envs/", "agents/", "experiments/runner/",
                                          "experiments/io/", "experiments/compare/", NULL};
    static const char *const program[] = {"rl/", "envs/", "agents/", "experiments/", NULL};
    static const char *const anything[] = {"", NULL};
    if (starts_with(path, "rl/"))
        return rl;
    if (starts_with(path, "envs/"))
        return envs;
    if (starts_with(path, "agents/"))
        return agents;
    if (starts_with(path, "experiments/runner/") || starts_with(path, "experiments/io/") ||
        strcmp(path, "gridrl.h") == 0)
        return library;
    if (starts_with(path, "experiments/plot/"))
        return plot;
    if (starts_with(path, "experiments/bench/"))
        return bench;
    if (starts_with(path, "experiments/compare/"))
        return compare;
    if (starts_with(path, "experiments/"))
        return program;
    return anything;
}

static void test_folder_rules(void **state)
{
    (void)state;
    tree *t = load();
    assert_true(t->n > 50); /* the scan found the sources */
    size_t checked = 0;
    for (size_t i = 0; i < t->n; i++) {
        const source *s = &t->files[i];
        const char *const *ok = allowed(s->path);
        for (size_t k = 0; k < s->n_includes; k++) {
            const char *inc = s->includes[k];
            bool fine = false;
            for (size_t j = 0; ok[j] && !fine; j++)
                fine = starts_with(inc, ok[j]);
            if (!fine)
                fail_msg("%s includes \"%s\": outside what its folder may include", s->path,
                         inc);
            checked++;
        }
    }
    assert_true(checked > 100);
    unload(t);
}

/* inih is the experiment layer's, and one file reads configs with it. */
static void test_inih_in_one_place(void **state)
{
    (void)state;
    tree *t = load();
    size_t users = 0;
    char needle[32];
    snprintf(needle, sizeof needle, "#include %s", "<ini.h>"); /* not matching this file */
    for (size_t i = 0; i < t->n; i++)
        if (strstr(t->files[i].text, needle)) {
            assert_string_equal(t->files[i].path, "experiments/runner/config.c");
            users++;
        }
    assert_int_equal(users, 1);
    unload(t);
}

/* MPI is the program's, behind ranks.h: one file includes it, and the library never does
 * (libgridrl links without MPI; a build without MPI has the same library). */
static void test_mpi_in_one_place(void **state)
{
    (void)state;
    tree *t = load();
    size_t users = 0;
    char needle[32];
    snprintf(needle, sizeof needle, "#include %s", "<mpi.h>"); /* not matching this file */
    for (size_t i = 0; i < t->n; i++)
        if (strstr(t->files[i].text, needle) || strstr(t->files[i].text, "MPI_Init_thread(")) {
            if (strcmp(t->files[i].path, "tests/test_layout.c") == 0)
                continue;
            assert_string_equal(t->files[i].path, "experiments/cli/ranks_mpi.c");
            users++;
        }
    assert_int_equal(users, 1);
    unload(t);
}

/* Library code never prints or exits: a caller gets a code and a message. The CLI prints. */
static void test_library_does_not_print(void **state)
{
    (void)state;
    tree *t = load();
    const char *const forbidden[] = {"printf(\"", "puts(", "fprintf(stderr", "fprintf(stdout",
                                     "exit(", "abort("};
    for (size_t i = 0; i < t->n; i++) {
        const source *s = &t->files[i];
        if (allowed(s->path)[0][0] == '\0' ||
            (!starts_with(s->path, "rl/") && !starts_with(s->path, "envs/") &&
             !starts_with(s->path, "agents/") && !starts_with(s->path, "experiments/runner/") &&
             !starts_with(s->path, "experiments/io/")))
            continue;
        for (size_t k = 0; k < sizeof forbidden / sizeof forbidden[0]; k++) {
            const char *hit = strstr(s->text, forbidden[k]);
            /* Only the call itself: snprintf(", n_outputs(" and the like are other names. */
            while (hit && hit > s->text && (isalnum((unsigned char)hit[-1]) || hit[-1] == '_'))
                hit = strstr(hit + 1, forbidden[k]);
            if (hit)
                fail_msg("%s: library code calls %s", s->path, forbidden[k]);
        }
    }
    unload(t);
}

/* Depth-first search for a cycle among modules; on finding one, fails naming it. */
typedef struct graph {
    const tree *t;
    char modules[MAX_FILES][256];
    size_t n;
    unsigned char edge[MAX_FILES][MAX_FILES];
    int color[MAX_FILES]; /* 0 white, 1 on the stack, 2 done */
    size_t stack[MAX_FILES], depth;
} graph;

static size_t module_index(graph *g, const char *module)
{
    for (size_t i = 0; i < g->n; i++)
        if (strcmp(g->modules[i], module) == 0)
            return i;
    assert_true(g->n < MAX_FILES);
    snprintf(g->modules[g->n], sizeof g->modules[0], "%s", module);
    return g->n++;
}

static void visit(graph *g, size_t v)
{
    g->color[v] = 1;
    g->stack[g->depth++] = v;
    for (size_t w = 0; w < g->n; w++) {
        if (!g->edge[v][w])
            continue;
        if (g->color[w] == 1) {
            char cycle[2048] = "";
            size_t from = 0;
            while (g->stack[from] != w)
                from++;
            for (size_t k = from; k < g->depth; k++) {
                strncat(cycle, g->modules[g->stack[k]], sizeof cycle - strlen(cycle) - 1);
                strncat(cycle, " -> ", sizeof cycle - strlen(cycle) - 1);
            }
            strncat(cycle, g->modules[w], sizeof cycle - strlen(cycle) - 1);
            fail_msg("modules depend on each other in a circle: %s", cycle);
        }
        if (g->color[w] == 0)
            visit(g, w);
    }
    g->depth--;
    g->color[v] = 2;
}

static void test_no_cycles(void **state)
{
    (void)state;
    tree *t = load();
    graph *g = calloc(1, sizeof *g);
    assert_non_null(g);
    size_t edges = 0;
    for (size_t i = 0; i < t->n; i++) {
        const source *s = &t->files[i];
        if (starts_with(s->path, "tests/") || starts_with(s->path, "examples/"))
            continue;
        size_t from = module_index(g, s->module);
        for (size_t k = 0; k < s->n_includes; k++) {
            char target[256];
            snprintf(target, sizeof target, "%.*s", (int)(strlen(s->includes[k]) - 2),
                     s->includes[k]);
            if (!has_suffix(s->includes[k], ".h") || strcmp(target, s->module) == 0)
                continue;
            size_t to = module_index(g, target);
            edges += !g->edge[from][to];
            g->edge[from][to] = 1;
        }
    }
    assert_true(edges > 50);
    for (size_t v = 0; v < g->n; v++)
        if (g->color[v] == 0)
            visit(g, v);
    free(g);
    unload(t);
}

/* The repository documents itself: nothing cites a design or reference document kept
 * elsewhere. (The needles are split so this file does not match itself.) */
static void test_no_outside_references(void **state)
{
    (void)state;
    tree *t = load();
    char needles[3][32];
    snprintf(needles[0], sizeof needles[0], "%s%s", "DESIGN", ".md");
    snprintf(needles[1], sizeof needles[1], "%s%s", "REFERENCE", ".md");
    snprintf(needles[2], sizeof needles[2], "%s%s", "../", "shared");
    for (size_t i = 0; i < t->n; i++)
        for (size_t k = 0; k < 3; k++)
            if (strstr(t->files[i].text, needles[k]))
                fail_msg("%s cites %s, which is not in the repository", t->files[i].path,
                         needles[k]);
    unload(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_folder_rules),
        cmocka_unit_test(test_inih_in_one_place),
        cmocka_unit_test(test_mpi_in_one_place),
        cmocka_unit_test(test_library_does_not_print),
        cmocka_unit_test(test_no_cycles),
        cmocka_unit_test(test_no_outside_references),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
