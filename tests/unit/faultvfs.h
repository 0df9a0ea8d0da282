/* Test helper: an SQLite VFS shim that makes writes fail, as SQLite's own
 * test VFS does.  Installed as the default VFS, it forwards every call
 * to the real one, counting the calls that change a file (xWrite,
 * xTruncate, xSync); once armed at k, the k-th such call and every later
 * one answer an I/O error (a disk that failed and stays failed) until
 * disarmed.  In file mode the calls fail while a control file exists
 * (the live-server test: tests/http/faultvfs_preload.c). */
#ifndef SC_TEST_FAULTVFS_H
#define SC_TEST_FAULTVFS_H

/* 0, or an SQLite error code. */
int sc_faultvfs_install(void);
/* Counts from 0 again; k = 0 only counts. */
void sc_faultvfs_arm(long k);
void sc_faultvfs_disarm(void);
/* Write calls since the last arm. */
long sc_faultvfs_writes(void);
/* Whether a call has failed since the last arm. */
int sc_faultvfs_fired(void);
/* Fail while path exists (path must outlive the process's use). */
void sc_faultvfs_control_file(const char *path);

#endif
