/* Preloaded into a live scoracled (LD_PRELOAD) by test_store_faults.py:
 * installs the fault-injecting VFS of tests/unit/faultvfs.h as SQLite's
 * default before main runs, failing every file write while the file
 * named by SCORACLE_FAULT_FILE exists.  Never part of the daemon. */
#include <stdlib.h>

#include "../unit/faultvfs.h"

__attribute__((constructor)) static void preload(void)
{
    const char *path = getenv("SCORACLE_FAULT_FILE");

    if (path != NULL && *path != '\0') {
        sc_faultvfs_control_file(path);
        if (sc_faultvfs_install() != 0)
            abort();
    }
}
