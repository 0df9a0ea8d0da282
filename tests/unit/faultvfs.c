/* The fault-injecting VFS of faultvfs.h. */
#include "faultvfs.h"

#include <stdatomic.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

typedef struct fault_file {
    sqlite3_file base;
    sqlite3_file *real; /* lives right after this struct */
} fault_file;

static sqlite3_vfs *real_vfs;
static sqlite3_vfs fault_vfs;
static sqlite3_io_methods fault_io;
static atomic_long writes;
static atomic_long fail_at;
static atomic_int fired;
static const char *control;

/* Whether this write-class call fails. */
static int fault(void)
{
    long n = atomic_fetch_add(&writes, 1) + 1;
    long k = atomic_load(&fail_at);
    int fail = (k > 0 && n >= k) || (control && access(control, F_OK) == 0);

    if (fail)
        atomic_store(&fired, 1);
    return fail;
}

static sqlite3_file *real_of(sqlite3_file *f)
{
    return ((fault_file *)f)->real;
}

static int f_close(sqlite3_file *f)
{
    sqlite3_file *r = real_of(f);

    return r->pMethods ? r->pMethods->xClose(r) : SQLITE_OK;
}

static int f_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
    sqlite3_file *r = real_of(f);

    return r->pMethods->xRead(r, buf, n, off);
}

static int f_write(sqlite3_file *f, const void *buf, int n,
                   sqlite3_int64 off)
{
    sqlite3_file *r = real_of(f);

    if (fault())
        return SQLITE_IOERR_WRITE;
    return r->pMethods->xWrite(r, buf, n, off);
}

static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    sqlite3_file *r = real_of(f);

    if (fault())
        return SQLITE_IOERR_TRUNCATE;
    return r->pMethods->xTruncate(r, size);
}

static int f_sync(sqlite3_file *f, int flags)
{
    sqlite3_file *r = real_of(f);

    if (fault())
        return SQLITE_IOERR_FSYNC;
    return r->pMethods->xSync(r, flags);
}

static int f_size(sqlite3_file *f, sqlite3_int64 *size)
{
    sqlite3_file *r = real_of(f);

    return r->pMethods->xFileSize(r, size);
}

static int f_lock(sqlite3_file *f, int level)
{
    sqlite3_file *r = real_of(f);

    return r->pMethods->xLock(r, level);
}

static int f_unlock(sqlite3_file *f, int level)
{
    sqlite3_file *r = real_of(f);

    return r->pMethods->xUnlock(r, level);
}

static int f_check_lock(sqlite3_file *f, int *out)
{
    sqlite3_file *r = real_of(f);

    return r->pMethods->xCheckReservedLock(r, out);
}

static int f_control(sqlite3_file *f, int op, void *arg)
{
    sqlite3_file *r = real_of(f);

    return r->pMethods->xFileControl(r, op, arg);
}

static int f_sector(sqlite3_file *f)
{
    sqlite3_file *r = real_of(f);

    return r->pMethods->xSectorSize(r);
}

static int f_device(sqlite3_file *f)
{
    sqlite3_file *r = real_of(f);

    return r->pMethods->xDeviceCharacteristics(r);
}

static int f_shm_map(sqlite3_file *f, int pg, int sz, int extend,
                     void volatile **out)
{
    sqlite3_file *r = real_of(f);

    return r->pMethods->xShmMap(r, pg, sz, extend, out);
}

static int f_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
    sqlite3_file *r = real_of(f);

    return r->pMethods->xShmLock(r, off, n, flags);
}

static void f_shm_barrier(sqlite3_file *f)
{
    sqlite3_file *r = real_of(f);

    r->pMethods->xShmBarrier(r);
}

static int f_shm_unmap(sqlite3_file *f, int del)
{
    sqlite3_file *r = real_of(f);

    return r->pMethods->xShmUnmap(r, del);
}

/* No memory-mapped reads: every page goes through f_read. */
static int f_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **out)
{
    (void)f, (void)off, (void)n;
    *out = NULL;
    return SQLITE_OK;
}

static int f_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
    (void)f, (void)off, (void)p;
    return SQLITE_OK;
}

static const sqlite3_io_methods fault_io_v3 = {
    3,          f_close,      f_read,        f_write,     f_truncate,
    f_sync,     f_size,       f_lock,        f_unlock,    f_check_lock,
    f_control,  f_sector,     f_device,      f_shm_map,   f_shm_lock,
    f_shm_barrier, f_shm_unmap, f_fetch,     f_unfetch,
};

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f,
                  int flags, int *out_flags)
{
    fault_file *ff = (fault_file *)f;
    int rc;

    (void)vfs;
    ff->real = (sqlite3_file *)(ff + 1);
    memset(ff->real, 0, (size_t)real_vfs->szOsFile);
    rc = real_vfs->xOpen(real_vfs, name, ff->real, flags, out_flags);
    f->pMethods = ff->real->pMethods ? &fault_io : NULL;
    return rc;
}

static int v_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
    (void)vfs;
    if (fault())
        return SQLITE_IOERR_DELETE;
    return real_vfs->xDelete(real_vfs, name, sync_dir);
}

static int v_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
    (void)vfs;
    return real_vfs->xAccess(real_vfs, name, flags, out);
}

static int v_full(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
    (void)vfs;
    return real_vfs->xFullPathname(real_vfs, name, n, out);
}

static int v_random(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    return real_vfs->xRandomness(real_vfs, n, out);
}

static int v_sleep(sqlite3_vfs *vfs, int us)
{
    (void)vfs;
    return real_vfs->xSleep(real_vfs, us);
}

static int v_time(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
    (void)vfs;
    return real_vfs->xCurrentTimeInt64(real_vfs, out);
}

static int v_error(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    return real_vfs->xGetLastError(real_vfs, n, out);
}

int sc_faultvfs_install(void)
{
    int rc = sqlite3_initialize();

    if (rc != SQLITE_OK)
        return rc;
    if (real_vfs != NULL)
        return SQLITE_OK;
    real_vfs = sqlite3_vfs_find(NULL);
    if (real_vfs == NULL)
        return SQLITE_ERROR;
    fault_io = fault_io_v3;
    fault_vfs = (sqlite3_vfs){
        .iVersion = 2,
        .szOsFile = (int)sizeof(fault_file) + real_vfs->szOsFile,
        .mxPathname = real_vfs->mxPathname,
        .zName = "scfault",
        .xOpen = v_open,
        .xDelete = v_delete,
        .xAccess = v_access,
        .xFullPathname = v_full,
        .xRandomness = v_random,
        .xSleep = v_sleep,
        .xCurrentTimeInt64 = v_time,
        .xGetLastError = v_error,
    };
    return sqlite3_vfs_register(&fault_vfs, 1);
}

void sc_faultvfs_arm(long k)
{
    atomic_store(&writes, 0);
    atomic_store(&fired, 0);
    atomic_store(&fail_at, k);
}

void sc_faultvfs_disarm(void)
{
    atomic_store(&fail_at, 0);
}

long sc_faultvfs_writes(void)
{
    return atomic_load(&writes);
}

int sc_faultvfs_fired(void)
{
    return atomic_load(&fired);
}

void sc_faultvfs_control_file(const char *path)
{
    control = path;
}
