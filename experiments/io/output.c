/* Atomic output files: see output.h. */
#include "experiments/io/output.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int rl_output_make_dirs(const char *dir, rl_error *err)
{
    char path[RL_OUTPUT_PATH_MAX];
    if (!dir[0])
        return rl_error_set(err, RL_EINVAL, "the output directory's name is empty");
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path)
        return rl_error_set(err, RL_ERANGE, "output directory path is too long");
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST)
            return rl_error_set(err, RL_EIO, "cannot create directory '%s': %s", path,
                                strerror(errno));
        *p = saved;
        if (!saved)
            break;
    }
    return RL_OK;
}

int rl_output_prepare_dir(const char *dir, bool force, rl_error *err)
{
    if (!dir[0])
        return rl_error_set(err, RL_EINVAL, "the output directory's name is empty");
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode))
            return rl_error_set(err, RL_EINVAL, "output '%s' exists and is not a directory", dir);
        DIR *d = opendir(dir);
        if (!d)
            return rl_error_set(err, RL_EIO, "cannot open output directory '%s': %s", dir,
                                strerror(errno));
        bool empty = true;
        for (struct dirent *e; (e = readdir(d));)
            if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
                empty = false;
        closedir(d);
        if (!empty && !force)
            return rl_error_set(err, RL_EINVAL,
                                "output directory '%s' is not empty (use --force to overwrite, "
                                "or -o another directory)",
                                dir);
    }
    int rc = rl_output_make_dirs(dir, err);
    if (rc != RL_OK)
        return rc;
    /* Prove the directory is writable now rather than after the runs. */
    rl_output_file probe;
    rc = rl_output_open(&probe, dir, "write-test", err);
    if (rc == RL_OK)
        rl_output_abandon(&probe);
    return rc;
}

int rl_output_create(const char *path, rl_error *err)
{
    for (int attempt = 0;; attempt++) {
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (fd >= 0)
            return fd;
        int saved = errno;
        struct stat st;
        /* A leftover of an interrupted write, or anything planted there, link included:
         * unlink removes the name itself and never follows it. A folder stays an error. */
        if (saved == EEXIST && attempt == 0 && lstat(path, &st) == 0 && !S_ISDIR(st.st_mode) &&
            unlink(path) == 0)
            continue;
        rl_error_set(err, RL_EIO, "cannot write '%s': %s", path, strerror(saved));
        return -1;
    }
}

int rl_output_temp_path(const char *dir, const char *name, char *out, size_t size,
                        rl_error *err)
{
    char host[65] = "";
    if (gethostname(host, sizeof host - 1) != 0 || !host[0])
        snprintf(host, sizeof host, "host");
    for (char *c = host; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '-' && *c != '.')
            *c = '_';
    if (snprintf(out, size, "%s/.%s.%s.%ld.tmp", dir, name, host, (long)getpid()) >= (int)size)
        return rl_error_set(err, RL_ERANGE, "output path is too long");
    return RL_OK;
}

int rl_output_open(rl_output_file *o, const char *dir, const char *name, rl_error *err)
{
    memset(o, 0, sizeof *o);
    if (snprintf(o->path, sizeof o->path, "%s/%s", dir, name) >= (int)sizeof o->path ||
        rl_output_temp_path(dir, name, o->tmp, sizeof o->tmp, NULL) != RL_OK)
        return rl_error_set(err, RL_ERANGE, "output path is too long");
    int fd = rl_output_create(o->tmp, err);
    if (fd < 0)
        return RL_EIO;
    o->f = fdopen(fd, "w");
    if (!o->f) {
        int saved = errno;
        close(fd);
        unlink(o->tmp);
        return rl_error_set(err, saved == ENOMEM ? RL_ENOMEM : RL_EIO, "cannot write '%s': %s",
                            o->tmp, strerror(saved));
    }
    return RL_OK;
}

int rl_output_make_dir(const char *path, rl_error *err)
{
    if (mkdir(path, 0777) == 0)
        return RL_OK;
    struct stat st;
    if (errno == EEXIST && lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return RL_OK;
    if (errno == EEXIST)
        return rl_error_set(err, RL_EIO, "cannot use '%s': it exists and is not a directory "
                                         "(gridrl does not follow symbolic links inside an "
                                         "output directory)",
                            path);
    return rl_error_set(err, RL_EIO, "cannot create '%s': %s", path, strerror(errno));
}

/* Removes the entries of the open directory fd (which it closes), then nothing else:
 * entries that are directories are opened with O_NOFOLLOW, so a link is unlinked, never
 * followed. path is for messages. */
static int remove_entries(int fd, const char *path, int depth, rl_error *err)
{
    DIR *d = fdopendir(fd);
    if (!d) {
        int saved = errno;
        close(fd);
        return rl_error_set(err, RL_EIO, "cannot open '%s': %s", path, strerror(saved));
    }
    int rc = RL_OK;
    for (struct dirent *e; rc == RL_OK && (errno = 0, e = readdir(d));) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char child[RL_OUTPUT_PATH_MAX];
        snprintf(child, sizeof child, "%.3000s/%.255s", path, e->d_name);
        if (unlinkat(dirfd(d), e->d_name, 0) == 0)
            continue;
        if (errno != EISDIR && errno != EPERM) {
            rc = rl_error_set(err, RL_EIO, "cannot remove '%s': %s", child, strerror(errno));
            break;
        }
        if (depth >= 64) {
            rc = rl_error_set(err, RL_EIO, "cannot remove '%s': folders nested too deep", child);
            break;
        }
        int sub = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub < 0) {
            rc = rl_error_set(err, RL_EIO, "cannot remove '%s': %s", child, strerror(errno));
            break;
        }
        rc = remove_entries(sub, child, depth + 1, err);
        if (rc == RL_OK && unlinkat(dirfd(d), e->d_name, AT_REMOVEDIR) != 0)
            rc = rl_error_set(err, RL_EIO, "cannot remove '%s': %s", child, strerror(errno));
    }
    if (rc == RL_OK && errno != 0)
        rc = rl_error_set(err, RL_EIO, "cannot read '%s': %s", path, strerror(errno));
    closedir(d);
    return rc;
}

int rl_output_remove_tree(const char *path, rl_error *err)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? RL_OK
                               : rl_error_set(err, RL_EIO, "cannot remove '%s': %s", path,
                                              strerror(errno));
    if (!S_ISDIR(st.st_mode)) {
        if (unlink(path) != 0 && errno != ENOENT)
            return rl_error_set(err, RL_EIO, "cannot remove '%s': %s", path, strerror(errno));
        return RL_OK;
    }
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return rl_error_set(err, RL_EIO, "cannot remove '%s': %s", path, strerror(errno));
    int rc = remove_entries(fd, path, 0, err);
    if (rc == RL_OK && rmdir(path) != 0)
        rc = rl_error_set(err, RL_EIO, "cannot remove '%s': %s", path, strerror(errno));
    return rc;
}

int rl_output_finish_stream(FILE *f)
{
    int saved = 0;
    /* A write that failed earlier (a full disk, a file size limit) left the error flag set;
     * flushing retries what is left and fails again with the reason in errno. */
    if (fflush(f) != 0)
        saved = errno ? errno : EIO;
    if (ferror(f) && !saved)
        saved = EIO;
    if (fclose(f) != 0 && !saved)
        saved = errno ? errno : EIO;
    return saved;
}

int rl_output_commit(rl_output_file *o, rl_error *err)
{
    errno = 0;
    int saved = rl_output_finish_stream(o->f);
    o->f = NULL;
    if (!saved && rename(o->tmp, o->path) != 0)
        saved = errno;
    if (saved) {
        unlink(o->tmp);
        return rl_error_set(err, RL_EIO, "cannot write '%s': %s", o->path, strerror(saved));
    }
    return RL_OK;
}

void rl_output_abandon(rl_output_file *o)
{
    if (o->f)
        fclose(o->f);
    o->f = NULL;
    unlink(o->tmp);
}

int rl_output_close(rl_output_file *o, int rc, rl_error *err)
{
    if (rc == RL_OK)
        return rl_output_commit(o, err);
    rl_output_abandon(o);
    return rc;
}
