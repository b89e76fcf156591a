/* File operations the commit relies on: durable copies, syncs of files and directories. */
#define _GNU_SOURCE /* copy_file_range */
#include "dt_history_files.h"

#include "dt_log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

dt_status dt_hist_fsync_path(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return dt_fail(DT_ERR_IO, "%s: cannot open to sync: %s", path, strerror(errno));
    int rc = fsync(fd);
    int err = errno;
    close(fd);
    if (rc != 0)
        return dt_fail(DT_ERR_IO, "%s: fsync failed: %s", path, strerror(err));
    return DT_OK;
}

dt_status dt_hist_fsync_dir(const char *path)
{
    char dir[4096];
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);

    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return dt_fail(DT_ERR_IO, "%s: cannot open directory to sync: %s", dir, strerror(errno));
    int rc = fsync(fd);
    int err = errno;
    close(fd);
    if (rc != 0 && err != EINVAL) /* some file systems cannot sync directories */
        return dt_fail(DT_ERR_IO, "%s: directory fsync failed: %s", dir, strerror(err));
    return DT_OK;
}

/* Copies with read and write, for file systems without copy_file_range between the two. */
static dt_status copy_plain(int in, int out, const char *from, const char *to)
{
    char buf[1 << 16];
    for (;;) {
        ssize_t got = read(in, buf, sizeof buf);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return dt_fail(DT_ERR_IO, "%s: read failed: %s", from, strerror(errno));
        if (got == 0)
            return DT_OK;
        for (ssize_t done = 0; done < got;) {
            ssize_t put = write(out, buf + done, (size_t)(got - done));
            if (put < 0 && errno == EINTR)
                continue;
            if (put < 0)
                return dt_fail(DT_ERR_IO, "%s: write failed: %s", to, strerror(errno));
            done += put;
        }
    }
}

/* copy_file_range lets the kernel copy (or share blocks, on file systems with reflinks). */
static dt_status copy_fast(int in, int out, off_t size, const char *from, const char *to,
                           int *fallback)
{
    *fallback = 0;
    for (off_t left = size; left > 0;) {
        ssize_t n = copy_file_range(in, NULL, out, NULL, (size_t)left, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && left == size &&
            (errno == ENOSYS || errno == EXDEV || errno == EINVAL || errno == EOPNOTSUPP)) {
            *fallback = 1;
            return DT_OK;
        }
        if (n < 0)
            return dt_fail(DT_ERR_IO, "copying %s to %s failed: %s", from, to, strerror(errno));
        if (n == 0)
            return dt_fail(DT_ERR_IO, "%s: shorter than its size while copying", from);
        left -= n;
    }
    return DT_OK;
}

dt_status dt_hist_copy_file(const char *from, const char *to)
{
    int in = -1, out = -1;
    dt_status st = DT_OK;
    struct stat info;
    in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0 || fstat(in, &info) != 0) {
        st = dt_fail(DT_ERR_IO, "%s: cannot open to copy: %s", from, strerror(errno));
        goto out;
    }
    out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, info.st_mode & 0777);
    if (out < 0) {
        st = dt_fail(DT_ERR_IO, "%s: cannot create: %s", to, strerror(errno));
        goto out;
    }

    int fallback = 0;
    DT_CHECK_GOTO(st, copy_fast(in, out, info.st_size, from, to, &fallback));
    if (fallback)
        DT_CHECK_GOTO(st, copy_plain(in, out, from, to));
    if (fsync(out) != 0)
        st = dt_fail(DT_ERR_IO, "%s: fsync failed: %s", to, strerror(errno));

out:
    if (in >= 0)
        close(in);
    if (out >= 0 && close(out) != 0 && st == DT_OK)
        st = dt_fail(DT_ERR_IO, "%s: close failed: %s", to, strerror(errno));
    return st;
}

dt_status dt_hist_remove(const char *path)
{
    if (unlink(path) != 0 && errno != ENOENT)
        return dt_fail(DT_ERR_IO, "%s: cannot remove: %s", path, strerror(errno));
    return DT_OK;
}

int dt_hist_exists(const char *path)
{
    struct stat info;
    return lstat(path, &info) == 0;
}

int dt_hist_same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    if (stat(a, &sa) != 0 || stat(b, &sb) != 0)
        return 0;
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

dt_status dt_hist_lock(const char *lock_path, const char *history, int *fd_out)
{
    *fd_out = -1;
    for (int attempt = 0; attempt < 16; attempt++) {
        int fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0)
            return dt_fail(DT_ERR_IO, "%s: cannot create the lock file: %s", lock_path,
                           strerror(errno));
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int err = errno;
            close(fd);
            if (err == ENOLCK || err == ENOSYS || err == EOPNOTSUPP) {
                /* Some cluster file systems are mounted without flock: the lock guards
                 * against a mistake, not the commit itself, so go on and say so. */
                dt_warn("%s: this file system cannot lock (%s); make sure no other run "
                        "writes this history",
                        history, strerror(err));
                return DT_OK;
            }
            if (err == EWOULDBLOCK)
                return dt_fail(DT_ERR_IO,
                               "%s: another darktrack run is writing this history (%s is "
                               "locked); two writers would interleave their days",
                               history, lock_path);
            return dt_fail(DT_ERR_IO, "%s: cannot lock: %s", lock_path, strerror(err));
        }

        /* The holder before us may have removed the name after we opened it: the lock is
         * ours only if the name still leads to the file we locked. */
        struct stat held, named;
        if (fstat(fd, &held) == 0 && stat(lock_path, &named) == 0 && held.st_dev == named.st_dev &&
            held.st_ino == named.st_ino) {
            *fd_out = fd;
            return DT_OK;
        }
        close(fd);
    }
    return dt_fail(DT_ERR_IO, "%s: the lock file keeps changing; is another run starting?",
                   lock_path);
}

void dt_hist_unlock(const char *lock_path, int fd)
{
    if (fd < 0)
        return;
    unlink(lock_path); /* while still holding it, so no one locks a name about to vanish */
    close(fd);
}
