/* RFC 3339 times on the wire.  See sc_time.h. */
#include "sc_time.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* "YYYY-MM-DDTHH:MM:SS" at s into tm (UTC), *end after it; -1 unless
 * well formed and a real date and time. */
static int parse_stamp(const char *s, struct tm *tm, const char **end)
{
    int y, mo, d, h, mi, sec, used = 0;
    if (strlen(s) < 19 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
        s[13] != ':' || s[16] != ':')
        return -1;
    for (int i = 0; i < 19; i++)
        if (i != 4 && i != 7 && i != 10 && i != 13 && i != 16 &&
            (s[i] < '0' || s[i] > '9'))
            return -1;
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec,
               &used) != 6 || used != 19 || y < 1 || mo < 1 || mo > 12 ||
        d < 1 || h > 23 || mi > 59 || sec > 59)
        return -1;
    *tm = (struct tm){.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
                      .tm_hour = h, .tm_min = mi, .tm_sec = sec};
    time_t t = timegm(tm);
    struct tm back;
    if (gmtime_r(&t, &back) == NULL || back.tm_mday != d ||
        back.tm_mon != mo - 1)
        return -1;
    *end = s + used;
    return 0;
}

/* The offset of "Z", "+hh:mm" or "-hh:mm" in seconds east, in *off;
 * -1 when malformed. */
static int parse_offset(const char *s, long *off)
{
    if (strcmp(s, "Z") == 0) {
        *off = 0;
        return 0;
    }
    if ((s[0] != '+' && s[0] != '-') || strlen(s) != 6 || s[3] != ':' ||
        s[1] < '0' || s[1] > '2' || s[2] < '0' || s[2] > '9' ||
        s[4] < '0' || s[4] > '5' || s[5] < '0' || s[5] > '9')
        return -1;
    long h = (s[1] - '0') * 10 + (s[2] - '0');
    long m = (s[4] - '0') * 10 + (s[5] - '0');
    if (h > 23)
        return -1;
    *off = (s[0] == '+' ? 1 : -1) * (h * 3600 + m * 60);
    return 0;
}

int sc_time_parse(const char *s, char out[SC_TIME_LEN + 1])
{
    struct tm tm;
    const char *end = NULL;
    long off = 0;
    if (s == NULL || parse_stamp(s, &tm, &end) != 0 ||
        parse_offset(end, &off) != 0)
        return -1;
    time_t t = timegm(&tm) - off;
    if (gmtime_r(&t, &tm) == NULL || tm.tm_year + 1900 < 1 ||
        tm.tm_year + 1900 > 9999)
        return -1;
    return strftime(out, SC_TIME_LEN + 1, "%Y-%m-%dT%H:%M:%SZ", &tm) ==
                   SC_TIME_LEN
               ? 0
               : -1;
}
