/* outfile.h -- writing an output file whole or not at all: the one place
 * that knows how courtdocs puts a file into a folder (PDFs, facts, the
 * batch index). A file is written to a temporary file beside its target
 * (".courtdocs-PID-XXXXXX", mode 0600), flushed to disk, and renamed into
 * place; the target must be a regular file or absent (a device, FIFO,
 * folder or symbolic link is refused, never replaced). The temporary file
 * of the running process is removed by cd_temp_cleanup_signal_safe() from a
 * signal handler; those of a killed process by cd_out_clean_stale(). */
#ifndef CD_OUTFILE_H
#define CD_OUTFILE_H
#include <signal.h>
#include <stddef.h>
#include "courtdocs.h"

/* CD_EUSAGE unless path is absent or a regular file (lstat: a symbolic link
 * is refused whatever it points to, so "-o /dev/stdout" or a link to
 * /dev/null is an error, not a file replacing the link). */
int cd_out_check_target(const char *path, cd_error *err);

/* Writes len bytes of buf to a new temporary file beside path (mode 0600,
 * fsync'd, closed) and gives its name in *tmp (malloc'd; pass it to
 * cd_out_commit or cd_out_discard). The file is registered for the signal
 * handler's clean-up until then. After an error nothing is left. */
int cd_out_write_temp(const char *path, const void *buf, size_t len, char **tmp, cd_error *err);

/* cd_out_write_temp for several files synced together: the bytes are
 * written and their writeback started (sync_file_range), but not waited
 * for; the file is left open in *fd. Before it is renamed into place,
 * cd_out_sync_temp(*fd) must put it on disk (fdatasync: its bytes and its
 * size) and closes fd. Files written this way and then synced one after
 * the other reach the disk together (on ext4 one journal commit carries
 * them all), where a fsync each as it is written waits for one commit
 * each. After an error nothing is left. */
int cd_out_write_temp_open(const char *path, const void *buf, size_t len, char **tmp, int *fd,
                           cd_error *err);
/* fdatasync and close of fd (a file of cd_out_write_temp_open, for path);
 * fd is closed whatever happens. */
int cd_out_sync_temp(int fd, const char *path, cd_error *err);

/* Renames tmp over path (and syncs the folder), then frees tmp. After an
 * error tmp is removed. */
int cd_out_commit(char *tmp, const char *path, cd_error *err);

/* cd_out_commit without the folder sync, for renaming several files into
 * one folder and syncing it once after the last (cd_out_sync_folder). */
int cd_out_rename(char *tmp, const char *path, cd_error *err);

/* fsync of the folder holding path, so that renames into it survive a
 * crash. */
void cd_out_sync_folder(const char *path);

/* Removes tmp (if not NULL) and frees it. */
void cd_out_discard(char *tmp);

/* Writes a whole file: check, temporary file, rename, with SIGINT/SIGTERM
 * held across the rename. */
int cd_out_write_file(const char *path, const void *buf, size_t len, cd_error *err);

/* Holds SIGINT and SIGTERM (saved gets the previous mask) / lets them in
 * again: a signal that arrives meanwhile is delivered at the release. */
void cd_out_hold_signals(sigset_t *saved);
void cd_out_release_signals(const sigset_t *saved);

/* Removes the ".courtdocs-PID-*" temporary files in dir (NULL = ".") left
 * by processes that no longer run (killed with kill -9, a power cut). */
void cd_out_clean_stale(const char *dir);

/* The same for the folder that holds path (NULL or a bare name: "."). The
 * single-document commands call it before writing; a batch cleans its
 * folder once, before its workers start. */
void cd_out_clean_stale_beside(const char *path);

/* Async-signal-safe: removes the temporary file this process is writing. */
void cd_temp_cleanup_signal_safe(void);

#endif
