#include "tmpdir.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

void sc_test_tmpdir(char *out)
{
    const char *base = getenv("TMPDIR");

    snprintf(out, SC_TEST_PATH, "%s/scoracle-test-XXXXXX",
             base && *base ? base : "/tmp");
    if (!mkdtemp(out))
        fail_msg("mkdtemp(%s) failed", out);
}

/* Test directories are flat: files, no subfolders. */
void sc_test_rmtree(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[SC_TEST_PATH + 256];

    if (!d)
        return;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(dir);
}
