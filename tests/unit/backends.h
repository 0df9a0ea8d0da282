/* Test helper: the store backends the conformance suites run against.
 * SQLite always; PostgreSQL at the libpq URI in $SCORACLE_TEST_PG
 * (scripts/test.sh starts a private cluster and sets it).
 *
 * sc_test_where fills where (SC_TEST_PATH bytes) with what sc_store_open
 * takes for the current backend: the directory dir, or the URI after
 * emptying the database (every test starts from nothing).  sc_test_sql
 * runs SQL on the current backend's database behind the store's back,
 * answering 0 or -1.  sc_test_run_groups runs the tests once per
 * backend, named "NAME on sqlite" and "NAME on postgresql", and says
 * aloud when PostgreSQL is not configured. */
#ifndef SC_TEST_BACKENDS_H
#define SC_TEST_BACKENDS_H

#include <stdbool.h>
#include <stddef.h>

struct CMUnitTest;

bool sc_test_on_pg(void);
void sc_test_where(const char *dir, char *where);
int sc_test_sql(const char *where, const char *sql);
int sc_test_run_groups(const char *name, const struct CMUnitTest *tests,
                       size_t n);

#endif
