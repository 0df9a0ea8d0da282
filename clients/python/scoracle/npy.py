"""NPY v1.0 encoding of float64 matrices and vectors, without numpy.

The server's bulk encoding (proto/API.md) is NumPy's .npy format restricted
to little-endian float64 ('<f8') in C order, one or two dimensions.  This
module reads and writes exactly that, from and to plain Python lists, so the
client works the same with or without numpy; with numpy, ``to_array`` turns
the result into an ndarray without a copy of the data.
"""

import ast
import struct

MAGIC = b"\x93NUMPY"


class NpyError(ValueError):
    """The bytes are not an NPY file of '<f8' values this client reads."""


def _header(shape):
    dims = ", ".join(str(s) for s in shape)
    if len(shape) == 1:
        dims += ","
    text = "{'descr': '<f8', 'fortran_order': False, 'shape': (%s), }" % dims
    # Magic (6) + version (2) + length (2) + text + "\n" is padded with
    # spaces to a multiple of 64 bytes, as numpy writes it.
    total = 10 + len(text) + 1
    pad = (-total) % 64
    return (text + " " * pad + "\n").encode("latin1")


def encode(rows):
    """Encode a matrix (list of equal-length rows) or a vector as NPY bytes.

    ``rows`` may also be a numpy array; it is converted to '<f8' C order.
    """
    try:
        import numpy as np
    except ImportError:
        np = None
    if np is not None and isinstance(rows, np.ndarray):
        arr = np.ascontiguousarray(rows, dtype="<f8")
        if arr.ndim not in (1, 2):
            raise NpyError("NPY bodies hold a vector or a matrix, not %d-D"
                           % arr.ndim)
        header = _header(arr.shape)
        return MAGIC + b"\x01\x00" + struct.pack("<H", len(header)) + \
            header + arr.tobytes()
    rows = list(rows)
    if rows and isinstance(rows[0], (list, tuple)):
        ncol = len(rows[0])
        for i, r in enumerate(rows):
            if len(r) != ncol:
                raise NpyError("row %d has %d numbers, row 0 has %d"
                               % (i, len(r), ncol))
        flat = [float(v) for r in rows for v in r]
        shape = (len(rows), ncol)
    else:
        flat = [float(v) for v in rows]
        shape = (len(flat),)
    header = _header(shape)
    return (MAGIC + b"\x01\x00" + struct.pack("<H", len(header)) + header
            + struct.pack("<%dd" % len(flat), *flat))


def _parse_header(data):
    if len(data) < 10 or data[:6] != MAGIC:
        raise NpyError("not an NPY file (bad magic)")
    major = data[6]
    if major == 1:
        (hlen,) = struct.unpack_from("<H", data, 8)
        start = 10
    elif major in (2, 3):
        if len(data) < 12:
            raise NpyError("truncated NPY header")
        (hlen,) = struct.unpack_from("<I", data, 8)
        start = 12
    else:
        raise NpyError("unsupported NPY version %d" % major)
    if len(data) < start + hlen:
        raise NpyError("truncated NPY header")
    text = data[start:start + hlen].decode("latin1")
    try:
        meta = ast.literal_eval(text.strip())
    except (ValueError, SyntaxError) as exc:
        raise NpyError("bad NPY header: %s" % exc) from None
    if not isinstance(meta, dict) or set(meta) != {
            "descr", "fortran_order", "shape"}:
        raise NpyError("bad NPY header dictionary")
    if meta["descr"] != "<f8" or meta["fortran_order"]:
        raise NpyError("only '<f8' in C order is supported, got %r"
                       % (meta["descr"],))
    shape = tuple(meta["shape"])
    if len(shape) not in (1, 2) or any(
            not isinstance(s, int) or s < 0 for s in shape):
        raise NpyError("NPY shape %r is not a vector or a matrix" % (shape,))
    return shape, start + hlen


def _layout(data):
    """The shape, the data offset and the number of doubles of NPY bytes,
    checking that the data is exactly as long as the shape says."""
    shape, offset = _parse_header(data)
    count = 1
    for s in shape:
        count *= s
    if len(data) - offset != 8 * count:
        raise NpyError("NPY data holds %d bytes, shape %r needs %d"
                       % (len(data) - offset, shape, 8 * count))
    return shape, offset, count


def decode(data):
    """Decode NPY bytes into a list (vector) or a list of lists (matrix)."""
    shape, offset, count = _layout(data)
    flat = list(struct.unpack_from("<%dd" % count, data, offset))
    if len(shape) == 1:
        return flat
    ncol = shape[1]
    return [flat[i * ncol:(i + 1) * ncol] for i in range(shape[0])]


def to_array(data):
    """Decode NPY bytes into a numpy ndarray (numpy required)."""
    import numpy as np
    shape, offset, count = _layout(data)
    # A copy, so the caller gets an ordinary writable array.
    return np.frombuffer(data, dtype="<f8", count=count,
                         offset=offset).reshape(shape).copy()
