/* cli_pending.c — placeholders for subcommands whose modules have not landed
 * in this build. Weak: the real definitions replace them at link time. */
#include "ekg/cli.h"

#include <stdio.h>

static int pending(const char *name)
{
    fprintf(stderr, "ekg: error: `ekg %s` is not available in this build yet\n", name);
    return 1;
}

__attribute__((weak)) int ekg_cmd_extract(int c, char **v, const ekg_cli_env *e)
{
    (void)c, (void)e;
    return pending(v[0]);
}
__attribute__((weak)) int ekg_cmd_query(int c, char **v, const ekg_cli_env *e)
{
    (void)c, (void)e;
    return pending(v[0]);
}
__attribute__((weak)) int ekg_cmd_repl(int c, char **v, const ekg_cli_env *e)
{
    (void)c, (void)e;
    return pending(v[0]);
}
__attribute__((weak)) int ekg_cmd_check(int c, char **v, const ekg_cli_env *e)
{
    (void)c, (void)e;
    return pending(v[0]);
}
