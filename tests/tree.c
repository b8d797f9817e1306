/* Comparing result folders: see tree.h. */
#include "tests/tree.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/process.h"
#include "tests/support.h"

/* snprintf into an array that fails the test instead of truncating. */
#define PATHF(buf, ...)                                                                    \
    do {                                                                                   \
        if (snprintf(buf, sizeof buf, __VA_ARGS__) >= (int)sizeof buf)                     \
            fail_msg("path too long: %s", #buf);                                           \
    } while (0)

static void list_add(file_list *l, const char *path)
{
    if (l->n == l->capacity) {
        l->capacity = l->capacity ? 2 * l->capacity : 64;
        l->paths = realloc(l->paths, l->capacity * sizeof *l->paths);
        assert_non_null(l->paths);
    }
    l->paths[l->n++] = strdup(path);
}

static void list_walk(file_list *l, const char *root, const char *rel)
{
    char path[PATH_SIZE];
    PATHF(path, "%s%s%s", root, rel[0] ? "/" : "", rel);
    DIR *d = opendir(path);
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d));) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char child[PATH_SIZE], full[PATH_SIZE];
        PATHF(child, "%s%s%s", rel, rel[0] ? "/" : "", e->d_name);
        PATHF(full, "%s/%s", root, child);
        struct stat st;
        assert_int_equal(lstat(full, &st), 0);
        if (S_ISDIR(st.st_mode))
            list_walk(l, root, child);
        else
            list_add(l, child);
    }
    closedir(d);
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

file_list list_files(const char *root)
{
    file_list l = {0};
    list_walk(&l, root, "");
    qsort(l.paths, l.n, sizeof *l.paths, compare_strings);
    return l;
}

void list_free(file_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->paths[i]);
    free(l->paths);
}

/* timing.csv (top level and per run) and manifest.txt may differ between two executions. */
bool may_differ(const char *rel)
{
    const char *base = strrchr(rel, '/');
    base = base ? base + 1 : rel;
    return strcmp(base, "timing.csv") == 0 || strcmp(base, "manifest.txt") == 0;
}

/* A run's file (runs/NNNNNN.rows: sections "== NAME SIZE" then SIZE bytes) without its
 * timing.csv section, in place: the rest must be reproducible. */
void drop_timing(char *text)
{
    for (char *p = text; *p;) {
        char name[64];
        size_t size;
        int used = 0;
        if (sscanf(p, "== %63s %zu%n", name, &size, &used) != 2 || p[used] != '\n')
            fail_msg("not a run's file: '%.40s'", p);
        char *next = p + used + 1 + size;
        if (strcmp(name, "timing.csv") == 0) {
            memmove(p, next, strlen(next) + 1);
            continue;
        }
        p = next;
    }
}

/* Both trees hold the same files, and every one that must be reproducible is
 * byte-identical (a run's file but for its timing section). Returns the number of files
 * compared byte for byte. */
size_t compare_trees(const char *a, const char *b)
{
    file_list la = list_files(a), lb = list_files(b);
    if (la.n != lb.n)
        fail_msg("%s has %zu files, %s has %zu", a, la.n, b, lb.n);
    size_t compared = 0;
    for (size_t i = 0; i < la.n; i++) {
        assert_string_equal(la.paths[i], lb.paths[i]);
        if (may_differ(la.paths[i]))
            continue;
        char pa[PATH_SIZE], pb[PATH_SIZE];
        PATHF(pa, "%s/%s", a, la.paths[i]);
        PATHF(pb, "%s/%s", b, lb.paths[i]);
        char *x = slurp(pa), *y = slurp(pb);
        assert_non_null(x);
        assert_non_null(y);
        if (strncmp(la.paths[i], "runs/", 5) == 0) {
            drop_timing(x);
            drop_timing(y);
        }
        if (strcmp(x, y) != 0)
            fail_msg("%s differs between %s and %s", la.paths[i], a, b);
        free(x);
        free(y);
        compared++;
    }
    list_free(&la);
    list_free(&lb);
    return compared;
}


/* Appends the state of root/rel and everything below it to m. */
static void state_walk(FILE *m, const char *root, const char *rel)
{
    char path[PATH_SIZE];
    PATHF(path, "%s%s%s", root, rel[0] ? "/" : "", rel);
    struct stat st;
    assert_int_equal(lstat(path, &st), 0);
    fprintf(m, "%s mode %o size %lld inode %llu mtime %lld.%09ld\n", rel[0] ? rel : ".",
            (unsigned)st.st_mode, (long long)st.st_size, (unsigned long long)st.st_ino,
            (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    if (S_ISREG(st.st_mode)) {
        char *text = slurp(path);
        assert_non_null(text);
        fprintf(m, "%s\n", text);
        free(text);
    }
    if (!S_ISDIR(st.st_mode))
        return;
    DIR *d = opendir(path);
    assert_non_null(d);
    file_list names = {0};
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            list_add(&names, e->d_name);
    closedir(d);
    qsort(names.paths, names.n, sizeof *names.paths, compare_strings);
    for (size_t i = 0; i < names.n; i++) {
        char child[PATH_SIZE];
        PATHF(child, "%s%s%s", rel, rel[0] ? "/" : "", names.paths[i]);
        state_walk(m, root, child);
    }
    list_free(&names);
}

char *tree_state(const char *root)
{
    char *text = NULL;
    size_t size = 0;
    FILE *m = open_memstream(&text, &size);
    assert_non_null(m);
    state_walk(m, root, "");
    assert_int_equal(fclose(m), 0);
    return text;
}
