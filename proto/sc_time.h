/*
 * RFC 3339 times on the wire: "2027-01-31T23:59:00Z" or with an offset
 * ("2027-02-01T00:59:00+01:00"), whole seconds, normalised to UTC in the
 * one form the server prints ("%Y-%m-%dT%H:%M:%SZ", 20 characters), so
 * that text order is time order.
 *
 * Ownership: the caller owns out.
 */
#ifndef SC_TIME_H
#define SC_TIME_H

#define SC_TIME_LEN 20

/* 0 with out holding the UTC form of s; -1 when s is not such a time
 * (a wrong shape, a date that does not exist, an hour past 23, fractions
 * of a second, a year outside 0001..9999 after the offset). */
int sc_time_parse(const char *s, char out[SC_TIME_LEN + 1]);

#endif
