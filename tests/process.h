/* Running the built gridrl program from a test, and the file handling around it.
 *
 * The command-line tests (test_cli, test_run, test_bench, test_sweep_cli) start the real
 * binary (GRIDRL_BINARY, set by tests/CMakeLists.txt) and check what a user would see: exit
 * status, stdout, stderr and the files it writes. This is the one implementation they share.
 * Plain C11 + POSIX.1-2008. Helpers that cannot go on fail the current cmocka test (fail_msg)
 * rather than return an error, so call them from inside a test.
 */
#ifndef GRIDRL_TESTS_PROCESS_H
#define GRIDRL_TESTS_PROCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* Room for any path the tests build. */
#define PATH_SIZE 1024

/* What a finished run of gridrl left: free with result_free. */
typedef struct result {
    int status; /* exit status, or -1 if the program did not exit normally */
    char *out, *err;
} result;

/* A started gridrl whose output is not read yet: pass it to finish. */
typedef struct process {
    pid_t pid;
    FILE *out, *err; /* anonymous files holding its stdout and stderr */
} process;

/* Starts gridrl with args (NULL-terminated, without the program name) in directory cwd (NULL:
 * ours), without waiting. Its stdin is /dev/null; stdout and stderr go to anonymous temporary
 * files; signals are unblocked and SIGINT is at its default, whatever the test inherited, so
 * a test can interrupt it. */
process start(const char *cwd, const char *const *args);

/* The same for another program (an absolute path), started as argv[0] = name: mpirun
 * starting gridrl. */
process start_program(const char *cwd, const char *program, const char *name,
                      const char *const *args);

/* Waits for p to exit and collects its status and output. */
result finish(process *p);

/* start then finish. */
result run_in(const char *cwd, const char *const *args);

/* run_in our own directory. */
result run(const char *const *args);

#define RUN(...) run((const char *const[]){__VA_ARGS__, NULL})
#define RUN_IN(cwd, ...) run_in(cwd, (const char *const[]){__VA_ARGS__, NULL})

void result_free(result *r);

/* The whole contents of the file at path, NUL-terminated (free it), or NULL if it cannot be
 * read. */
char *slurp(const char *path);

/* Whether anything, even a dangling link, is at path. */
bool exists(const char *path);

/* Writes text to path (replacing it) and returns path; fails the test if it cannot. */
const char *write_file(const char *path, const char *text);

/* Removes path, and everything below it if it is a directory: 0, or -1 (errno set) if path
 * itself could not be removed. */
int remove_tree(const char *path);

/* Makes a fresh directory NAMEXXXXXX (the X's made unique) in $TMPDIR, or in /tmp when TMPDIR
 * is unset or empty, and writes its path into dir (size bytes): dir, or NULL (errno set). */
char *tmp_dir_make(char *dir, size_t size, const char *name);

#endif
