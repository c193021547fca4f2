/* test_read.c — readers: encodings, front matter, HTML main content, feeds,
 * hostile XML, and errors that name the file. */
#include "ekg/read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fails;
#define CHECK(c)                                                                   \
    do {                                                                           \
        if (!(c)) {                                                                \
            fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #c); \
            fails++;                                                               \
        }                                                                          \
    } while (0)

static char last_where[256];
static void sink_fn(void *ctx, const ekg_diag *d)
{
    (void)ctx;
    snprintf(last_where, sizeof last_where, "%s", d->where ? d->where : "");
}

static ekg_doc *read1(const char *name, const char *bytes, size_t len, size_t *n)
{
    ekg_doc **docs = NULL;
    ekg_sink sink = {sink_fn, NULL};
    if (ekg_read_buffer(NULL, name, bytes, len, NULL, &sink, &docs, n) != EKG_OK || *n == 0) return NULL;
    ekg_doc *d = docs[0];
    for (size_t i = 1; i < *n; i++) ekg_doc_free(docs[i]);
    free(docs);
    return d;
}

int main(void)
{
    size_t n;
    /* UTF-8 with BOM */
    const char bom[] = "\xEF\xBB\xBF"
                       "Der Außenminister traf seinen Amtskollegen in der Hauptstadt und sprach über die Zusammenarbeit.";
    ekg_doc *d = read1("a.txt", bom, sizeof bom - 1, &n);
    CHECK(d && strncmp(d->text, "Der Außenminister", strlen("Der Außenminister")) == 0);
    CHECK(d && d->lang && strcmp(d->lang, "de") == 0);
    ekg_doc_free(d);
    /* Latin-1 fallback */
    const char latin1[] = "Le ministre fran\xE7" "ais a rencontr\xE9 son homologue \xE0 Paris pour parler de la coop\xE9ration.";
    d = read1("b.txt", latin1, sizeof latin1 - 1, &n);
    CHECK(d && strstr(d->text, "français") && strstr(d->text, "rencontré"));
    ekg_doc_free(d);
    /* UTF-16LE with BOM */
    const char *ascii = "Hello world, the ministers met today.";
    size_t al = strlen(ascii);
    char *u16 = malloc(2 + al * 2);
    u16[0] = (char)0xFF, u16[1] = (char)0xFE;
    for (size_t i = 0; i < al; i++) u16[2 + 2 * i] = ascii[i], u16[3 + 2 * i] = 0;
    size_t ul = 0;
    char *u8 = ekg_read_to_utf8(u16, 2 + al * 2, NULL, &ul);
    CHECK(u8 && strcmp(u8, ascii) == 0);
    free(u8);
    free(u16);
    /* Markdown front matter: quoted title with escapes and continuation */
    const char md[] = "---\ntitle: \"Readout of President\\_Biden\\u2019s Call with\\_\\\n  France\"\n"
                      "date: '2021-06-14'\nsource_url: https://example.org/x\n---\n\n"
                      "The two **leaders** met\ntoday in [Paris](https://example.org).\n\n\\###\n";
    d = read1("c.md", md, sizeof md - 1, &n);
    CHECK(d && d->title && strcmp(d->title, "Readout of President\xC2\xA0" "Biden\xE2\x80\x99s Call with\xC2\xA0" "France") == 0);
    CHECK(d && d->date.y == 2021 && d->date.m == 6 && d->date.d == 14);
    CHECK(d && d->source_url && strcmp(d->source_url, "https://example.org/x") == 0);
    CHECK(d && strstr(d->text, "The two leaders met today in Paris.") != NULL);
    CHECK(d && !strchr(d->text, '#'));
    ekg_doc_free(d);
    /* HTML: main content only, lang, meta date */
    const char html[] = "<html lang='fr-FR'><head><title>T</title>"
                        "<meta name='DC.date' content='2020-10-07'></head><body>"
                        "<a href='#c'>Aller au contenu</a><nav>Menu</nav><script>x()</script>"
                        "<main><p>Premier paragraphe.</p><p>Second.</p></main><footer>Pied</footer></body></html>";
    d = read1("d.html", html, sizeof html - 1, &n);
    CHECK(d && d->lang && strcmp(d->lang, "fr-FR") == 0);
    CHECK(d && d->date.y == 2020 && d->date.m == 10 && d->date.d == 7);
    CHECK(d && d->title && strcmp(d->title, "T") == 0);
    CHECK(d && strstr(d->text, "Premier paragraphe.") && !strstr(d->text, "Menu") &&
          !strstr(d->text, "Pied") && !strstr(d->text, "x()") && !strstr(d->text, "Aller"));
    ekg_doc_free(d);
    /* RSS: one document per item; entities are not expanded; no network */
    const char rss[] = "<?xml version='1.0'?><!DOCTYPE r [<!ENTITY a 'AAAAAAAAAA'><!ENTITY b '&a;&a;&a;&a;'>"
                       "<!ENTITY ext SYSTEM 'file:///etc/passwd'>]>"
                       "<rss><channel><language>en</language>"
                       "<item><title>One</title><description>First &amp;b; &amp;ext;</description></item>"
                       "<item><title>Two</title><description>&lt;p&gt;Second&lt;/p&gt;</description></item>"
                       "</channel></rss>";
    ekg_doc **docs = NULL;
    CHECK(ekg_read_buffer(NULL, "/x/feed.xml", rss, sizeof rss - 1, NULL, NULL, &docs, &n) == EKG_OK);
    CHECK(n == 2);
    if (n == 2) {
        CHECK(strcmp(docs[0]->path, "/x/feed.xml#item-1") == 0 && strcmp(docs[1]->path, "/x/feed.xml#item-2") == 0);
        CHECK(strstr(docs[1]->text, "Second") && !strstr(docs[1]->text, "<p>"));
        CHECK(!strstr(docs[0]->text, "root:") && !strstr(docs[0]->text, "AAAAAAAAAA"));
        CHECK(docs[0]->lang && strcmp(docs[0]->lang, "en") == 0);
    }
    ekg_docs_free(docs, n);
    /* Malformed XML: an error naming the file, no crash */
    ekg_sink sink = {sink_fn, NULL};
    last_where[0] = 0;
    CHECK(ekg_read_buffer(NULL, "/x/broken.xml", "<a><b></a", 10, NULL, &sink, &docs, &n) != EKG_OK);
    CHECK(strcmp(last_where, "/x/broken.xml") == 0);
    /* Binary data is refused */
    CHECK(ekg_read_buffer(NULL, "/x/bin.txt", "ab\0cd", 5, NULL, &sink, &docs, &n) != EKG_OK);
    /* Empty input is a document with no text, not an error */
    CHECK(ekg_read_buffer(NULL, "/x/empty.txt", "", 0, NULL, NULL, &docs, &n) == EKG_OK && n == 1);
    ekg_docs_free(docs, n);
    CHECK(ekg_read_file(NULL, "/nonexistent/file.txt", NULL, &sink, &docs, &n) == EKG_ERR_IO);
    ekg_doc_free(NULL);
    ekg_docs_free(NULL, 0);
    if (fails) fprintf(stderr, "%d failures\n", fails);
    return fails ? 1 : 0;
}
