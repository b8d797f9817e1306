/* Running the built gridrl program from a test, and the file handling around it: see
 * process.h. One implementation for every test that starts GRIDRL_BINARY, so a fix to how
 * output is captured or a child is set up lands everywhere at once.
 *
 * fork + execv rather than posix_spawn: POSIX.1-2008's spawn cannot change the child's
 * directory, and run_in needs that. A close-on-exec pipe tells the parent whether the exec
 * happened, so a missing binary fails the test as such instead of looking like exit 127.
 */
#include "tests/process.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/support.h"

/* Room for the program name, the arguments and the closing NULL. */
#define MAX_ARGS 64

/* What the child was doing when it gave up, as it reports it through the pipe. */
enum { CHILD_STDIN, CHILD_STDOUT, CHILD_STDERR, CHILD_CHDIR, CHILD_EXEC };
static const char *const child_steps[] = {"open /dev/null as stdin", "redirect stdout",
                                          "redirect stderr", "change directory", "exec"};

/* In the child between fork and exec: async-signal-safe calls only. Returns the step that
 * failed (with errno set) if it gets no further than that. */
static int child_setup(const char *cwd, int out, int err)
{
    int in = open("/dev/null", O_RDONLY);
    if (in < 0 || dup2(in, 0) < 0)
        return CHILD_STDIN;
    if (dup2(out, 1) < 0)
        return CHILD_STDOUT;
    if (dup2(err, 2) < 0)
        return CHILD_STDERR;
    if (in > 2)
        close(in);
    if (out > 2)
        close(out);
    if (err > 2)
        close(err);
    if (cwd && chdir(cwd) != 0)
        return CHILD_CHDIR;
    /* A test runner may have blocked or ignored SIGINT, and exec keeps both. */
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(SIGINT, &dfl, NULL);
    return CHILD_EXEC;
}

/* The child: sets itself up and execs program, or reports why not. Never returns. */
_Noreturn static void child(int report, const char *cwd, int out, int err, const char *program,
                            char *const *argv)
{
    int step = child_setup(cwd, out, err);
    if (step == CHILD_EXEC)
        execv(program, argv);
    int why[2] = {step, errno};
    ssize_t ignored = write(report, why, sizeof why);
    (void)ignored;
    _exit(127);
}

process start(const char *cwd, const char *const *args)
{
    return start_program(cwd, GRIDRL_BINARY, "gridrl", args);
}

process start_program(const char *cwd, const char *program, const char *name,
                      const char *const *args)
{
    const char *argv[MAX_ARGS] = {name};
    size_t n = 1;
    for (; args[n - 1]; n++) {
        if (n + 1 >= MAX_ARGS)
            fail_msg("more than %d arguments for %s", MAX_ARGS - 2, program);
        argv[n] = args[n - 1];
    }
    argv[n] = NULL;

    process p = {-1, tmpfile(), tmpfile()};
    if (!p.out || !p.err) {
        int e = errno;
        if (p.out)
            fclose(p.out);
        if (p.err)
            fclose(p.err);
        fail_msg("tmpfile: %s", strerror(e));
    }
    int report[2];
    if (pipe(report) != 0 || fcntl(report[0], F_SETFD, FD_CLOEXEC) != 0 ||
        fcntl(report[1], F_SETFD, FD_CLOEXEC) != 0)
        fail_msg("pipe: %s", strerror(errno));
    fflush(NULL); /* nothing buffered twice */
    p.pid = fork();
    if (p.pid < 0)
        fail_msg("fork: %s", strerror(errno));
    if (p.pid == 0) {
        close(report[0]);
        child(report[1], cwd, fileno(p.out), fileno(p.err), program, (char *const *)argv);
    }
    close(report[1]);
    /* End of file: the exec closed the pipe. A report: the child could not get there. */
    int why[2] = {CHILD_EXEC, 0};
    ssize_t got;
    while ((got = read(report[0], why, sizeof why)) < 0 && errno == EINTR)
        continue;
    close(report[0]);
    if (got > 0) {
        waitpid(p.pid, NULL, 0);
        fclose(p.out);
        fclose(p.err);
        fail_msg("cannot start %s (in %s): %s: %s", program, cwd ? cwd : ".",
                 child_steps[why[0]], strerror(why[1]));
    }
    return p;
}

/* The stream's contents from where it stands to its end, NUL-terminated, or NULL. */
static char *read_all(FILE *f)
{
    size_t size = 0, cap = 4096;
    char *buf = malloc(cap);
    while (buf) {
        size += fread(buf + size, 1, cap - size - 1, f);
        if (size + 1 < cap) /* a short read: end of file or an error */
            break;
        char *bigger = realloc(buf, 2 * cap);
        if (!bigger)
            free(buf);
        buf = bigger;
        cap *= 2;
    }
    if (buf && ferror(f)) {
        free(buf);
        return NULL;
    }
    if (buf)
        buf[size] = '\0';
    return buf;
}

result finish(process *p)
{
    int wstatus;
    pid_t done;
    while ((done = waitpid(p->pid, &wstatus, 0)) < 0 && errno == EINTR)
        continue;
    if (done != p->pid)
        fail_msg("waitpid: %s", strerror(errno));
    rewind(p->out);
    rewind(p->err);
    result r = {WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1, read_all(p->out),
                read_all(p->err)};
    fclose(p->out);
    fclose(p->err);
    p->out = p->err = NULL;
    assert_non_null(r.out);
    assert_non_null(r.err);
    return r;
}

result run_in(const char *cwd, const char *const *args)
{
    process p = start(cwd, args);
    return finish(&p);
}

result run(const char *const *args)
{
    return run_in(NULL, args);
}

void result_free(result *r)
{
    free(r->out);
    free(r->err);
}

char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *text = read_all(f);
    fclose(f);
    return text;
}

bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

const char *write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        fail_msg("cannot write %s: %s", path, strerror(errno));
    int put = fputs(text, f);
    if (fclose(f) != 0 || put < 0)
        fail_msg("cannot write %s", path);
    return path;
}

/* Never fails the test: teardown code calls it after the tests have run. */
int remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode)) /* a link is removed, never followed */
        return unlink(path);
    DIR *d = opendir(path);
    if (d) {
        for (struct dirent *e; (e = readdir(d));) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char child_path[PATH_SIZE];
            if (snprintf(child_path, sizeof child_path, "%s/%s", path, e->d_name) <
                (int)sizeof child_path)
                remove_tree(child_path);
        }
        closedir(d);
    }
    return rmdir(path);
}

char *tmp_dir_make(char *dir, size_t size, const char *name)
{
    const char *base = getenv("TMPDIR");
    int n = snprintf(dir, size, "%s/%sXXXXXX", base && base[0] ? base : "/tmp", name);
    if (n < 0 || (size_t)n >= size) {
        errno = ENAMETOOLONG;
        return NULL;
    }
    return mkdtemp(dir);
}
