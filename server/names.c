/* Reserved player names.  See names.h. */
#include "names.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

static const char *const reserved[] = {
    "admin",     "administrator", "instructor", "player", "root",
    "system",    "server",        "scoracle",   "moderator", "staff",
    "superuser", "operator",
};

/* The name's ASCII letters and digits, lower case, into out (cap bytes);
 * false when it does not fit (no reserved name is that long). */
static bool fold(const char *name, char *out, size_t cap)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if (!isalnum(*p) || *p >= 0x80)
            continue;
        if (n + 1 >= cap)
            return false;
        out[n++] = (char)tolower(*p);
    }
    out[n] = '\0';
    return true;
}

int sc_name_check_reserved(const char *name, sc_problem *pb)
{
    char folded[32];
    if (!fold(name, folded, sizeof folded))
        return 0;
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        if (strcmp(folded, reserved[i]) == 0)
            return sc_problem_field(pb, 422, "name",
                                    "the name %s is reserved (role and "
                                    "server names cannot be taken)", name);
    return 0;
}
