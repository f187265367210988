/* handled.c - the fixed words of handled.h, shared by the files and every writer. */
#include "handled.h"

const char *besluit_name(besluit_kind b)
{
    static const char *const names[BESLUIT_COUNT] = {"open", "acceptabel", "onterecht", "geregistreerd"};
    return (unsigned)b < BESLUIT_COUNT ? names[b] : "?";
}

const char *vorige_status_name(vorige_status s)
{
    static const char *const names[] = {"nieuw", "ongewijzigd", "gewijzigd", "vervallen"};
    return (unsigned)s < 4 ? names[s] : "?";
}

const char *scenario_change_name(scenario_change s)
{
    return s == SCENARIO_TOEGEVOEGD ? "toegevoegd" : s == SCENARIO_WORDT_FOUT ? "onzekerheid_wordt_fout" : NULL;
}
