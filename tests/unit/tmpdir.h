/* Test helper: private temporary directories under $TMPDIR (else /tmp).
 * sc_test_tmpdir fills out (a buffer of SC_TEST_PATH bytes) with a new
 * directory's path and fails the test when it cannot; sc_test_rmtree
 * removes it and the files in it. */
#ifndef SC_TEST_TMPDIR_H
#define SC_TEST_TMPDIR_H

#define SC_TEST_PATH 512

void sc_test_tmpdir(char *out);
void sc_test_rmtree(const char *dir);

#endif
