/*
 * Invariants, checked in debug builds as SQLite and redis check theirs.
 *
 * SC_ASSERT(cond) states something the code relies on and no input can
 * make false.  With SC_DEBUG defined (`make DEBUG=1`, and every sanitizer
 * build: `make asan`, the fuzz targets) a false cond prints the
 * condition, file, line and function to stderr and aborts; otherwise it
 * compiles to nothing, though cond is still type-checked.  cond must
 * have no side effects.  Bad input is never asserted: it gets an error.
 */
#ifndef SC_ASSERT_H
#define SC_ASSERT_H

#ifdef SC_DEBUG
#define SC_ASSERT(cond)                                                  \
    ((cond) ? (void)0                                                    \
            : sc_assert_fail(#cond, __FILE__, __LINE__, __func__))
#else
#define SC_ASSERT(cond) ((void)sizeof(!(cond)))
#endif

_Noreturn void sc_assert_fail(const char *cond, const char *file, int line,
                              const char *func);

#endif
