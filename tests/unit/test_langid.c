/* test_langid.c — language identification (CLD2 behind langid.h): the six
 * languages of the corpus from a sentence or two, openings that fooled the
 * n-gram guesser it replaced, texts too short to tell, and bad bytes. */
#include "check.h"
#include "ekg/langid.h"

#include <string.h>

static int is(const char *text, const char *want)
{
    const char *got = ekg_langid_guess(text, strlen(text));
    if (!want) return got == NULL;
    if (!got || strcmp(got, want) != 0) {
        fprintf(stderr, "  \"%.40s…\": want %s, got %s\n", text, want, got ? got : "(none)");
        return 0;
    }
    return 1;
}

int main(void)
{
    CHECK(is("The Secretary of State met the Foreign Minister of Japan in Washington on Tuesday "
             "to discuss trade and security in the region.", "en"));
    CHECK(is("Der Außenminister traf seinen französischen Amtskollegen am Montag in Berlin und "
             "sprach über die Zusammenarbeit beider Länder.", "de"));
    CHECK(is("De minister van Buitenlandse Zaken ontmoette dinsdag zijn Duitse ambtgenoot in Den "
             "Haag om te spreken over de samenwerking.", "nl"));
    CHECK(is("Le ministre des Affaires étrangères a rencontré son homologue allemand à Paris pour "
             "évoquer la coopération entre les deux pays.", "fr"));
    CHECK(is("El ministro de Asuntos Exteriores se reunió el martes en Madrid con su homólogo "
             "marroquí para hablar de la cooperación bilateral.", "es"));
    CHECK(is("Министр иностранных дел России встретился во вторник в Москве со своим германским "
             "коллегой и обсудил двустороннее сотрудничество.", "ru"));
    /* an all-caps heading before the body: the n-gram guesser read some of
     * these White House openings as Danish or German */
    CHECK(is("FACT SHEET: PRESIDENT BIDEN ANNOUNCES NEW ACTIONS TO STRENGTHEN THE PARTNERSHIP "
             "WITH THE REPUBLIC OF KOREA. Today the President announced new steps to deepen "
             "cooperation with our ally.", "en"));
    /* an English opening followed by a list of Spanish names is English (the
     * first 512 bytes alone were read as Spanish) */
    CHECK(is("WASHINGTON - Today, President Biden announced his intent to appoint the following "
             "individuals to serve as members on the Advisory Commission on Educational Equity:\n"
             "- Jules Buenabenta, Chair\n- Ana Marie Argilagos\n- Noel Candelaria\n- Anna María "
             "Chávez\n- Evelyn DeJesus\n- Ana María García Blanco\n- Olivia C. Irlando\n- Regina "
             "Montoya\n- Enrique G. Murillo, Jr.\n- Pedro Antonio Noguera\n- Amanda Renteria\n- "
             "Maria Angela Reyes\n- Cristóbal Rodríguez\n- Havidán Rodríguez\n- Teresa Leyba Ruiz\n",
             "en"));
    /* names of another language in a short opening: the longer sample decides */
    CHECK(is("Sigmundur Davíð Gunnlaugssons Stellvertreter solle vorübergehend das Regierungsamt "
             "übernehmen. Reykjavík – Trotz des Proteststurms nach den Enthüllungen der Panama Papers "
             "will Islands Regierungschef das Feld nicht ganz räumen. Seine Partei hatte einen "
             "Rücktritt schon angekündigt. Jetzt aber ruderte der Ministerpräsident selbst zurück. "
             "Rücktritt vom Rücktritt? Erst bietet Islands durch die Panama Papers unter Druck "
             "geratener Regierungschef seinen Rücktritt an, dann will er doch nur eine Auszeit nehmen.",
             "de"));
    /* too short to say anything */
    CHECK(is("Berlin, 3 March", NULL));
    CHECK(ekg_langid_guess(NULL, 0) == NULL);
    CHECK(ekg_langid_guess("", 0) == NULL);
    /* only the prefix is read: a long English text followed by a French
     * appendix is English */
    char longtext[8192];
    longtext[0] = 0;
    for (int i = 0; i < 12; i++)
        strcat(longtext, "The ministers agreed to meet again next year and to continue the dialogue. ");
    for (int i = 0; i < 40; i++)
        strcat(longtext, "Les ministres ont convenu de se revoir. ");
    CHECK(is(longtext, "en"));
    /* invalid UTF-8 inside: an answer or none, never a crash or an overread */
    const char bad[] = "The ministers met in Geneva \xC3\x28 and \xFF\xFE agreed on a joint statement "
                       "about the humanitarian situation in the region.";
    const char *g = ekg_langid_guess(bad, sizeof bad - 1);
    CHECK(g == NULL || strlen(g) >= 2);
    /* a control character is not "interchange-valid" for CLD2: the text
     * before it still decides */
    CHECK(is("The Secretary of State met the Foreign Minister of Japan in Washington on Tuesday "
             "to discuss trade\x01 and security.", "en"));
    /* a length that cuts a multi-byte character: the cut goes back to the
     * character's first byte */
    const char *ru = "Министр иностранных дел России встретился во вторник в Москве со своим коллегой.";
    CHECK(ekg_langid_guess(ru, strlen(ru) - 1) != NULL);
    return check_summary("langid");
}
