/* scoracled: placeholder entry point until the daemon lands. */
#include <stdio.h>

int main(void)
{
    fputs("scoracled: not built yet\n", stderr);
    return 1;
}
