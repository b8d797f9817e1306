/* Atomic output files: see output.h. */
#include "experiments/io/output.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int make_dirs(const char *dir, rl_error *err)
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
            return rl_error_set(err, RL_EIO, "output '%s' exists and is not a directory", dir);
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
    int rc = make_dirs(dir, err);
    if (rc != RL_OK)
        return rc;
    /* Prove the directory is writable now rather than after the runs. */
    rl_output_file probe;
    rc = rl_output_open(&probe, dir, "write-test", err);
    if (rc == RL_OK)
        rl_output_abandon(&probe);
    return rc;
}

int rl_output_open(rl_output_file *o, const char *dir, const char *name, rl_error *err)
{
    memset(o, 0, sizeof *o);
    if (snprintf(o->tmp, sizeof o->tmp, "%s/.%s.tmp", dir, name) >= (int)sizeof o->tmp ||
        snprintf(o->path, sizeof o->path, "%s/%s", dir, name) >= (int)sizeof o->path)
        return rl_error_set(err, RL_ERANGE, "output path is too long");
    o->f = fopen(o->tmp, "w");
    if (!o->f)
        return rl_error_set(err, RL_EIO, "cannot write '%s': %s", o->tmp, strerror(errno));
    return RL_OK;
}

int rl_output_commit(rl_output_file *o, rl_error *err)
{
    bool failed = ferror(o->f) != 0;
    failed |= fclose(o->f) != 0;
    o->f = NULL;
    if (failed || rename(o->tmp, o->path) != 0) {
        int saved = errno;
        remove(o->tmp);
        return rl_error_set(err, RL_EIO, "cannot write '%s': %s", o->path, strerror(saved));
    }
    return RL_OK;
}

void rl_output_abandon(rl_output_file *o)
{
    if (o->f)
        fclose(o->f);
    o->f = NULL;
    remove(o->tmp);
}

int rl_output_close(rl_output_file *o, int rc, rl_error *err)
{
    if (rc == RL_OK)
        return rl_output_commit(o, err);
    rl_output_abandon(o);
    return rc;
}
