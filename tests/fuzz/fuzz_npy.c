/*
 * libFuzzer target for the NPY decoder.  Beyond "no crash, no leak":
 * every refusal renders as problem JSON, and every accepted array
 * encodes and decodes back to the same shape and bits.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/sc_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    double *m, *again;
    size_t rows, cols, r, c, len;
    int ndim, nd;
    uint8_t *enc;
    sc_problem pb;

    if (sc_npy_decode(data, size, &m, &rows, &cols, &ndim, &pb) != 0) {
        json_t *j = sc_problem_json(&pb);
        if (j == NULL || (pb.status != 400 && pb.status != 422))
            abort();
        json_decref(j);
        return 0;
    }
    if (sc_npy_encode(m, rows, cols, ndim, &enc, &len) != 0 ||
        sc_npy_decode(enc, len, &again, &r, &c, &nd, &pb) != 0 ||
        r != rows || c != cols || nd != ndim ||
        memcmp(again, m, rows * cols * sizeof *m) != 0)
        abort();
    free(again);
    free(enc);
    free(m);
    return 0;
}
