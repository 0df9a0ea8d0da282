/* Prints every served family's parameter spec as JSON, so that
 * test_openapi_doc.py can hold proto/openapi.yaml to core's tables. */
#include <math.h>
#include <stdio.h>

#include "core/sc_core.h"

static const char *const type_names[] = {"uint", "double", "dvec", "hex32"};

static void number(const char *key, double x)
{
    if (isfinite(x))
        printf(", \"%s\": %.17g", key, x);
    else
        printf(", \"%s\": null", key);
}

int main(void)
{
    printf("{");
    for (size_t i = 0; sc_families[i] != NULL; i++) {
        const sc_family *f = sc_families[i];
        printf("%s\"%s\": [", i > 0 ? ", " : "", f->name);
        for (size_t j = 0; j < f->nspec; j++) {
            const sc_param_spec *s = &f->spec[j];
            printf("%s{\"name\": \"%s\", \"type\": \"%s\", \"flags\": %u",
                   j > 0 ? ", " : "", s->name, type_names[s->type],
                   s->flags);
            number("min", s->min);
            number("max", s->max);
            printf("}");
        }
        printf("]");
    }
    printf("}\n");
    return 0;
}
