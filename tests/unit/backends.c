/* The store backends under test; see backends.h. */
#include "backends.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "tmpdir.h"

static bool on_pg;

bool sc_test_on_pg(void)
{
    return on_pg;
}

static int pg_sql(const char *uri, const char *sql)
{
    PGconn *db = PQconnectdb(uri);
    int rc = -1;

    if (PQstatus(db) == CONNECTION_OK) {
        PGresult *res = PQexec(db, sql);
        ExecStatusType st = PQresultStatus(res);
        rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? 0 : -1;
        if (rc != 0)
            fprintf(stderr, "test sql: %s", PQerrorMessage(db));
        PQclear(res);
    } else {
        fprintf(stderr, "test sql: %s", PQerrorMessage(db));
    }
    PQfinish(db);
    return rc;
}

int sc_test_sql(const char *where, const char *sql)
{
    char path[SC_TEST_PATH + 16];
    sqlite3 *db;
    int rc;

    if (on_pg)
        return pg_sql(where, sql);
    snprintf(path, sizeof path, "%s/scoracle.db", where);
    if (sqlite3_open(path, &db) != SQLITE_OK) {
        sqlite3_close(db);
        return -1;
    }
    rc = sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
    sqlite3_close(db);
    return rc;
}

void sc_test_where(const char *dir, char *where)
{
    const char *uri = getenv("SCORACLE_TEST_PG");

    if (!on_pg) {
        snprintf(where, SC_TEST_PATH, "%s", dir);
        return;
    }
    if (snprintf(where, SC_TEST_PATH, "%s", uri) >= SC_TEST_PATH)
        fail_msg("SCORACLE_TEST_PG is too long");
    /* Quiet: dropping what is not there yet is no news. */
    if (pg_sql(uri, "SET client_min_messages = warning;"
                    " DROP SCHEMA IF EXISTS public CASCADE;"
                    " CREATE SCHEMA public") != 0)
        fail_msg("cannot empty the database at SCORACLE_TEST_PG");
}

int sc_test_run_groups(const char *name, const struct CMUnitTest *tests,
                       size_t n)
{
    const char *uri = getenv("SCORACLE_TEST_PG");
    char title[128];
    int failed;

    on_pg = false;
    snprintf(title, sizeof title, "%s on sqlite", name);
    failed = _cmocka_run_group_tests(title, tests, n, NULL, NULL);
    if (uri == NULL || *uri == '\0') {
        printf("[ NOT RUN  ] %s on postgresql: SCORACLE_TEST_PG is not "
               "set (scripts/test.sh sets it)\n", name);
        return failed;
    }
    on_pg = true;
    snprintf(title, sizeof title, "%s on postgresql", name);
    failed += _cmocka_run_group_tests(title, tests, n, NULL, NULL);
    return failed;
}
