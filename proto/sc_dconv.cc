// The C face of double-conversion; see sc_dconv.h.  Compiled as C++17
// without exceptions or RTTI: nothing here throws or needs type info.
#include "sc_dconv.h"

#include <cmath>

#include <double-conversion/double-conversion.h>

namespace {

using double_conversion::DoubleToStringConverter;
using double_conversion::StringBuilder;
using double_conversion::StringToDoubleConverter;

// Decimal notation for 1e-6 <= |x| < 1e21, exponents outside (the
// choice of JavaScript's Number.prototype.toString); a trailing ".0"
// keeps integral values reals for every JSON reader.
const DoubleToStringConverter printer(
    DoubleToStringConverter::EMIT_TRAILING_DECIMAL_POINT |
        DoubleToStringConverter::EMIT_TRAILING_ZERO_AFTER_POINT,
    nullptr, nullptr, 'e', -6, 21, 0, 0);

// No flags: no spaces, no hex, no junk; no infinity or NaN symbols.
const StringToDoubleConverter reader(StringToDoubleConverter::NO_FLAGS,
                                     0.0, NAN, nullptr, nullptr);

} // namespace

extern "C" size_t sc_dtoa(double x, char buf[SC_DTOA_MAX])
{
    if (!std::isfinite(x))
        return 0;
    // One byte more than any text: StringBuilder keeps room for a NUL.
    char tmp[SC_DTOA_MAX + 1];
    StringBuilder sb(tmp, sizeof tmp);
    if (!printer.ToShortest(x, &sb))
        return 0;
    int n = sb.position();
    for (int i = 0; i < n; i++)
        buf[i] = tmp[i];
    return static_cast<size_t>(n);
}

extern "C" int sc_strtod(const char *s, size_t len, double *out)
{
    if (len == 0 || len > 1u << 30)
        return -1;
    int used = 0;
    double d = reader.StringToDouble(s, static_cast<int>(len), &used);
    if (used != static_cast<int>(len) || !std::isfinite(d))
        return -1;
    *out = d;
    return 0;
}
