/* File operations behind the history's crash-safe commit (private to the history). */
#ifndef DT_HISTORY_FILES_H
#define DT_HISTORY_FILES_H

#include "dt_status.h"

/* fsync of a file by name: its data and metadata reach the disk. */
dt_status dt_hist_fsync_path(const char *path);

/* fsync of the directory holding path, so that a rename in it is durable. */
dt_status dt_hist_fsync_dir(const char *path);

/* Copies from to to (created or truncated, same permissions) and syncs the copy. Uses
 * copy_file_range, which shares blocks on file systems that can, else read and write. */
dt_status dt_hist_copy_file(const char *from, const char *to);

/* Removes path; a missing file is not an error. */
dt_status dt_hist_remove(const char *path);

/* 1 when something exists at path (not followed when it is a symbolic link). */
int dt_hist_exists(const char *path);

/* 1 when both names exist and are the same file (hard links of one inode). */
int dt_hist_same_file(const char *a, const char *b);

/* Takes the writer's lock: an exclusive flock on lock_path (created as needed), held until
 * dt_hist_unlock or the process ends (a kill releases it). A lock held by another process
 * is DT_ERR_IO naming the history. */
dt_status dt_hist_lock(const char *lock_path, const char *history, int *fd);

/* Removes the lock file and releases the lock (fd -1 is fine). */
void dt_hist_unlock(const char *lock_path, int fd);

#endif
