/* outfile.c -- writing an output file whole or not at all (outfile.h):
 * temporary file beside the target, fsync, rename; special files refused;
 * stray temporary files of killed runs cleaned. */
#define _GNU_SOURCE
#include "outfile.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TEMP_PREFIX ".courtdocs-"

/* The temporary file being written, for the signal handler. */
static char pending_temp[4096];
static volatile sig_atomic_t pending_set;

void cd_temp_cleanup_signal_safe(void)
{
    if (pending_set) {
        unlink(pending_temp);
        pending_set = 0;
    }
}

void cd_out_hold_signals(sigset_t *saved)
{
    sigset_t hold;
    sigemptyset(&hold);
    sigaddset(&hold, SIGINT);
    sigaddset(&hold, SIGTERM);
    sigaddset(&hold, SIGHUP);
    sigprocmask(SIG_BLOCK, &hold, saved);
}

void cd_out_release_signals(const sigset_t *saved)
{
    sigprocmask(SIG_SETMASK, saved, NULL);
}

int cd_out_check_target(const char *path, cd_error *err)
{
    struct stat st;
    if (!path || !*path)
        return cd_error_set(err, CD_EUSAGE, "no output file named");
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? CD_OK
                               : cd_error_set(err, CD_EGENERAL, "%s: cannot examine it: %s", path, strerror(errno));
    if (S_ISLNK(st.st_mode))
        return cd_error_set(err, CD_EUSAGE, "%s is a symbolic link: courtdocs writes regular files "
                            "only and will not replace a link (name the file itself)", path);
    if (S_ISDIR(st.st_mode))
        return cd_error_set(err, CD_EUSAGE, "%s is a folder: name the file to write", path);
    if (!S_ISREG(st.st_mode))
        return cd_error_set(err, CD_EUSAGE, "%s is not a regular file (a device, FIFO or socket): "
                            "courtdocs writes regular files only", path);
    return CD_OK;
}

/* cd_out_write_temp, and with fd_out cd_out_write_temp_open: the file is
 * then left open in *fd_out, its writeback started but not waited for. */
static int write_temp(const char *path, const void *buf, size_t len, char **tmp_out, int *fd_out,
                      cd_error *err)
{
    *tmp_out = NULL;
    if (fd_out)
        *fd_out = -1;
    const char *slash = strrchr(path, '/');
    int dirlen = slash ? (int)(slash - path) + 1 : 0;
    char *tmp = NULL;
    if (asprintf(&tmp, "%.*s" TEMP_PREFIX "%ld-XXXXXX", dirlen, path, (long)getpid()) < 0)
        return cd_error_set(err, CD_EGENERAL, "out of memory");
    if (strlen(tmp) >= sizeof pending_temp) {
        free(tmp);
        return cd_error_set(err, CD_EUSAGE, "%s: the path is too long", path);
    }
    sigset_t saved;
    cd_out_hold_signals(&saved);           /* the registration and the file appear together */
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd >= 0) {
        memcpy(pending_temp, tmp, strlen(tmp) + 1);
        pending_set = 1;
    }
    cd_out_release_signals(&saved);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        if (e == ENOENT || e == ENOTDIR)
            return cd_error_set(err, CD_EGENERAL, "%s: the folder %.*s does not exist", path,
                                dirlen ? dirlen : 1, dirlen ? path : ".");
        return cd_error_set(err, CD_EGENERAL, "%s: cannot create a file in its folder: %s", path, strerror(e));
    }
    const char *failed = NULL;
    int e = 0;
    if (fchmod(fd, 0600) != 0) { failed = "set its mode"; e = errno; }
    for (size_t off = 0; !failed && off < len;) {
        ssize_t w = write(fd, (const char *)buf + off, len - off);
        if (w < 0) {
            if (errno == EINTR) continue;
            failed = "write it";
            e = errno;
        } else off += (size_t)w;
    }
    if (fd_out && !failed) {
        /* to the disk in the background: the flush that must wait for it
         * (cd_out_sync_temp) then finds little left to do */
        sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
        *fd_out = fd;
        *tmp_out = tmp;
        return CD_OK;
    }
    if (!failed && fsync(fd) != 0) { failed = "flush it to disk"; e = errno; }
    if (close(fd) != 0 && !failed) { failed = "close it"; e = errno; }
    if (failed) {
        cd_out_discard(tmp);
        return cd_error_set(err, CD_EGENERAL, "%s: cannot %s: %s", path, failed, strerror(e));
    }
    *tmp_out = tmp;
    return CD_OK;
}

int cd_out_write_temp(const char *path, const void *buf, size_t len, char **tmp_out, cd_error *err)
{
    return write_temp(path, buf, len, tmp_out, NULL, err);
}

int cd_out_write_temp_open(const char *path, const void *buf, size_t len, char **tmp_out, int *fd,
                           cd_error *err)
{
    return write_temp(path, buf, len, tmp_out, fd, err);
}

int cd_out_sync_temp(int fd, const char *path, cd_error *err)
{
    int e = fdatasync(fd) != 0 ? errno : 0;
    if (close(fd) != 0 && !e)
        e = errno;
    if (e)
        return cd_error_set(err, CD_EGENERAL, "%s: cannot flush it to disk: %s", path, strerror(e));
    return CD_OK;
}

void cd_out_discard(char *tmp)
{
    if (!tmp)
        return;
    unlink(tmp);
    if (pending_set && strcmp(pending_temp, tmp) == 0)
        pending_set = 0;
    free(tmp);
}

void cd_out_sync_folder(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, (size_t)(slash - path) + 1) : strdup(".");
    if (!dir)
        return;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(dir);
}

int cd_out_rename(char *tmp, const char *path, cd_error *err)
{
    /* checked again just before: the target may have changed since */
    int rc = cd_out_check_target(path, err);
    if (!rc && rename(tmp, path) != 0)
        rc = cd_error_set(err, CD_EGENERAL, "%s: cannot rename it into place: %s", path, strerror(errno));
    if (rc) {
        cd_out_discard(tmp);
        return rc;
    }
    if (pending_set && strcmp(pending_temp, tmp) == 0)
        pending_set = 0;
    free(tmp);
    return CD_OK;
}

int cd_out_commit(char *tmp, const char *path, cd_error *err)
{
    int rc = cd_out_rename(tmp, path, err);
    if (!rc)
        cd_out_sync_folder(path);
    return rc;
}

int cd_out_write_file(const char *path, const void *buf, size_t len, cd_error *err)
{
    char *tmp = NULL;
    int rc = cd_out_check_target(path, err);
    if (!rc)
        rc = cd_out_write_temp(path, buf, len, &tmp, err);
    if (rc)
        return rc;
    sigset_t saved;
    cd_out_hold_signals(&saved);
    rc = cd_out_commit(tmp, path, err);
    cd_out_release_signals(&saved);
    return rc;
}

void cd_out_clean_stale(const char *dir)
{
    DIR *d = opendir(dir && *dir ? dir : ".");
    if (!d)
        return;
    int dfd = dirfd(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, TEMP_PREFIX, sizeof TEMP_PREFIX - 1) != 0)
            continue;
        const char *p = e->d_name + sizeof TEMP_PREFIX - 1;
        char *end;
        long pid = strtol(p, &end, 10);
        if (end == p || *end != '-' || pid <= 0)
            continue;            /* not one of ours (or an older naming): left alone */
        if (pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;            /* its process still runs */
        struct stat st;
        if (fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode))
            unlinkat(dfd, e->d_name, 0);
    }
    closedir(d);
}

void cd_out_clean_stale_beside(const char *path)
{
    const char *slash = path ? strrchr(path, '/') : NULL;
    if (!slash) {
        cd_out_clean_stale(".");
        return;
    }
    char *dir = strndup(path, (size_t)(slash - path) + 1);
    if (dir)
        cd_out_clean_stale(dir);
    free(dir);
}
