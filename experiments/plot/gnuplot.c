/* Running gnuplot: see gnuplot.h.
 *
 * posix_spawn rather than fork: `gridrl run --live` starts gnuplot while the runner's threads
 * work, and spawn leaves nothing to do between fork and exec. Its output goes to a temporary
 * file, never a pipe we would have to drain while writing its program into the other one.
 */
#define _POSIX_C_SOURCE 200809L

#include "experiments/plot/gnuplot.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "experiments/io/output.h"

extern char **environ;

static bool is_executable(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

int rl_gnuplot_find(const char *program, char *out, size_t size, rl_error *err)
{
    const char *env = getenv("GNUPLOT");
    const char *name = program ? program : env && env[0] ? env : "gnuplot";
    const char *origin = program ? "" : env && env[0] ? " (from GNUPLOT)" : "";
    if (strchr(name, '/')) {
        if (is_executable(name)) {
            snprintf(out, size, "%s", name);
            return RL_OK;
        }
        return rl_error_set(err, RL_ENOTFOUND,
                            "gnuplot not found: '%s'%s is not an executable file; install "
                            "gnuplot (Debian: apt-get install gnuplot-nox) or set GNUPLOT to "
                            "the program's path",
                            name, origin);
    }
    const char *path = getenv("PATH");
    if (!path || !path[0])
        path = "/usr/local/bin:/usr/bin:/bin";
    for (const char *p = path; *p;) {
        size_t len = strcspn(p, ":");
        if (snprintf(out, size, "%.*s/%s", (int)(len ? len : 1), len ? p : ".", name) <
                (int)size &&
            is_executable(out))
            return RL_OK;
        p += len + (p[len] == ':');
    }
    return rl_error_set(err, RL_ENOTFOUND,
                        "gnuplot not found: no '%s'%s on PATH; install gnuplot (Debian: "
                        "apt-get install gnuplot-nox) or set GNUPLOT to the program's path",
                        name, origin);
}

/* Starts gnuplot with argv; stdin from in (or /dev/null when -1), stdout and stderr to out
 * (or /dev/null when -1); own_group puts it in a process group of its own. The child gets
 * the default SIGPIPE and SIGINT and an empty signal mask whatever the caller's thread had. */
static int spawn(const char *gnuplot, char *const argv[], int in, int out, bool own_group,
                 pid_t *pid, rl_error *err)
{
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    if (posix_spawn_file_actions_init(&actions) != 0)
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    if (posix_spawnattr_init(&attr) != 0) {
        posix_spawn_file_actions_destroy(&actions);
        return rl_error_set(err, RL_ENOMEM, "out of memory");
    }
    if (in >= 0)
        posix_spawn_file_actions_adddup2(&actions, in, STDIN_FILENO);
    else
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    if (out >= 0) {
        posix_spawn_file_actions_adddup2(&actions, out, STDOUT_FILENO);
        posix_spawn_file_actions_adddup2(&actions, out, STDERR_FILENO);
    } else {
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    }
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
    if (own_group) {
        flags |= POSIX_SPAWN_SETPGROUP;
        posix_spawnattr_setpgroup(&attr, 0);
    }
    posix_spawnattr_setflags(&attr, flags);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    int rc = posix_spawn(pid, gnuplot, &actions, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0)
        return rl_error_set(err, RL_EIO, "cannot start gnuplot '%s': %s", gnuplot, strerror(rc));
    return RL_OK;
}

static int wait_for(pid_t pid, int *status)
{
    pid_t waited;
    while ((waited = waitpid(pid, status, 0)) < 0 && errno == EINTR)
        ;
    return waited < 0 ? -1 : 0;
}

/* At most size - 1 bytes of what f holds, from its start, NUL-terminated, trailing blanks
 * cut. */
static size_t read_captured(FILE *f, char *buf, size_t size)
{
    rewind(f);
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
        buf[--n] = '\0';
    return n;
}

static int exit_error(int status, const char *what, const char *messages, rl_error *err)
{
    return rl_error_set(err, RL_EIO, "gnuplot failed on %s (%s %d): %s", what,
                        WIFEXITED(status) ? "exit status" : "signal",
                        WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
                        messages && messages[0] ? messages : "no message");
}

int rl_gnuplot_run_script(const char *gnuplot, const char *assignments, const char *script,
                          char *messages, size_t size, rl_error *err)
{
    FILE *captured = tmpfile();
    if (!captured)
        return rl_error_set(err, RL_EIO, "cannot create a temporary file: %s", strerror(errno));
    /* A relative path starting with '-' (a results directory called -persist) would be
     * read by gnuplot as an option: it goes as ./-persist/... */
    char script_arg[RL_OUTPUT_PATH_MAX + 2];
    snprintf(script_arg, sizeof script_arg, "%s%s", script[0] == '-' ? "./" : "", script);
    char *argv[] = {(char *)gnuplot, "-e", (char *)assignments, script_arg, NULL};
    pid_t pid;
    int rc = spawn(gnuplot, argv, -1, fileno(captured), false, &pid, err);
    int status = 0;
    if (rc == RL_OK && wait_for(pid, &status) != 0)
        rc = rl_error_set(err, RL_EIO, "cannot wait for gnuplot: %s", strerror(errno));
    read_captured(captured, messages, size);
    fclose(captured);
    const char *base = strrchr(script, '/') ? strrchr(script, '/') + 1 : script;
    if (rc == RL_OK && (!WIFEXITED(status) || WEXITSTATUS(status) != 0))
        rc = exit_error(status, base, messages, err);
    return rc;
}

/* Writes all of text to fd; false (errno set) when the reader is gone. */
static bool write_all(int fd, const char *text, size_t len)
{
    while (len) {
        ssize_t n = write(fd, text, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        text += n;
        len -= (size_t)n;
    }
    return true;
}

int rl_gnuplot_run_text(const char *gnuplot, const char *text, size_t len, FILE *output,
                        rl_error *err)
{
    int fds[2];
    if (pipe(fds) != 0)
        return rl_error_set(err, RL_EIO, "cannot make a pipe: %s", strerror(errno));
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    char *argv[] = {(char *)gnuplot, NULL};
    pid_t pid;
    fflush(output);
    int rc = spawn(gnuplot, argv, fds[0], fileno(output), true, &pid, err);
    close(fds[0]);
    if (rc != RL_OK) {
        close(fds[1]);
        return rc;
    }
    bool written = write_all(fds[1], text, len);
    int why = errno;
    close(fds[1]);
    int status = 0;
    if (wait_for(pid, &status) != 0)
        return rl_error_set(err, RL_EIO, "cannot wait for gnuplot: %s", strerror(errno));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return exit_error(status, "the live view", NULL, err);
    if (!written)
        return rl_error_set(err, RL_EIO, "cannot write to gnuplot: %s", strerror(why));
    return RL_OK;
}

int rl_gnuplot_open(const char *gnuplot, rl_gnuplot_session *s, rl_error *err)
{
    s->pid = -1;
    s->in = -1;
    int fds[2];
    if (pipe(fds) != 0)
        return rl_error_set(err, RL_EIO, "cannot make a pipe: %s", strerror(errno));
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    char *argv[] = {(char *)gnuplot, NULL};
    int rc = spawn(gnuplot, argv, fds[0], -1, true, &s->pid, err);
    close(fds[0]);
    if (rc != RL_OK) {
        close(fds[1]);
        return rc;
    }
    s->in = fds[1];
    return RL_OK;
}

int rl_gnuplot_send(rl_gnuplot_session *s, const char *text, size_t len, rl_error *err)
{
    if (s->in < 0 || !write_all(s->in, text, len))
        return rl_error_set(err, RL_EIO, "gnuplot's window is gone: %s",
                            s->in < 0 ? "closed" : strerror(errno));
    return RL_OK;
}

void rl_gnuplot_close(rl_gnuplot_session *s)
{
    if (s->in >= 0)
        close(s->in);
    s->in = -1;
    if (s->pid > 0) {
        int status;
        wait_for(s->pid, &status);
    }
    s->pid = -1;
}

bool rl_gnuplot_has_terminal(const char *gnuplot, const char *name)
{
    static const char program[] = "print GPVAL_TERMINALS\n";
    FILE *out = tmpfile();
    if (!out)
        return false;
    bool found = false;
    if (rl_gnuplot_run_text(gnuplot, program, sizeof program - 1, out, NULL) == RL_OK) {
        char text[8192];
        read_captured(out, text, sizeof text);
        size_t len = strlen(name);
        for (char *p = text; (p = strstr(p, name)); p += len)
            if ((p == text || p[-1] == ' ') && (p[len] == ' ' || p[len] == '\0' ||
                                                p[len] == '\n'))
                found = true;
    }
    fclose(out);
    return found;
}
