#!/bin/bash
# gen.sh DIR — write the hostile-document corpus into DIR (created; run at
# test time, never committed: one file is 100 MB). Each entry is one input
# `ekg ingest`/`ekg extract` must survive. Prints the entries, one a line.
set -eu
D=${1:?usage: gen.sh DIR}
mkdir -p "$D"
cd "$D"

# empty file
: > empty.txt
# random bytes, and an ELF binary under a text name
head -c 65536 /dev/urandom > random.txt
cp /bin/true elf.txt
cp /bin/true elf.html
# invalid UTF-8: lone continuation bytes, overlong forms, surrogates, 0xFF
printf 'Russia and France met in Paris.\n\x80\x81\xc0\xaf\xed\xa0\x80\xff\xfe\xf8\x88\x80\x80\x80 end \xe2\x82\n' > bad-utf8.txt
# UTF-16LE without BOM
printf 'Russia and France met in Paris on 3 March 2020.\n' | iconv -f UTF-8 -t UTF-16LE > utf16le-nobom.txt
# UTF-16LE with an odd byte count and a BOM
{ printf '\xff\xfe'; printf 'Germany met Austria.' | iconv -f UTF-8 -t UTF-16LE; printf 'x'; } > utf16le-odd.txt
# NUL bytes in the middle of text
printf 'Russia met France.\0\0\0Germany met Italy.\n' > nul.txt
# 100 MB of text with no newline
yes 'Russia and France ' | tr -d '\n' | head -c 104857600 > nonewline-100mb.txt
# HTML nested 100,000 deep
{ printf '<html><body>'; for _ in $(seq 1000); do printf '%.0s<div>' $(seq 100); done
  printf 'Russia met France.'; printf '</body></html>\n'; } > deep-100k.html
# XML nested 100,000 deep
{ printf '<?xml version="1.0"?>\n'; for _ in $(seq 1000); do printf '%.0s<a>' $(seq 100); done
  printf 'Russia met France.'; for _ in $(seq 1000); do printf '%.0s</a>' $(seq 100); done; } > deep-100k.xml
# billion laughs
cat > billion-laughs.xml <<'X'
<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<article><title>Laughs</title><p>Russia met France. &lol9;</p></article>
X
# the same bomb in an HTML file and in an RSS feed
sed 's/<article>/<html><body>/; s#</article>#</body></html>#' billion-laughs.xml > billion-laughs.html
sed 's#<article><title>Laughs</title><p>\(.*\)</p></article>#<rss version="2.0"><channel><item><title>Laughs</title><description>\1</description></item></channel></rss>#' billion-laughs.xml > billion-laughs.rss
# XXE: a local file and a URL (nothing listens on the discard port)
cat > xxe-file.xml <<'X'
<?xml version="1.0"?>
<!DOCTYPE doc [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<article><title>XXE</title><p>Russia met France. &xxe;</p></article>
X
cat > xxe-http.xml <<'X'
<?xml version="1.0"?>
<!DOCTYPE doc [ <!ENTITY xxe SYSTEM "http://127.0.0.1:9/secret"> ]>
<article><title>XXE</title><p>Russia met France. &xxe;</p></article>
X
cat > xxe-param.xml <<'X'
<?xml version="1.0"?>
<!DOCTYPE doc [ <!ENTITY % ext SYSTEM "file:///etc/passwd"> %ext; ]>
<article><p>Russia met France.</p></article>
X
cat > xxe-dtd.xml <<'X'
<?xml version="1.0"?>
<!DOCTYPE doc SYSTEM "http://127.0.0.1:9/evil.dtd">
<article><p>Russia met France.</p></article>
X
cat > xxe-xinclude.xml <<'X'
<?xml version="1.0"?>
<article xmlns:xi="http://www.w3.org/2001/XInclude"><p>Russia met France.
<xi:include href="file:///etc/passwd" parse="text"/></p></article>
X
sed 's/<article>/<html><body>/; s#</article>#</body></html>#' xxe-file.xml > xxe-file.html
sed 's#<article><title>XXE</title><p>\(.*\)</p></article>#<rss version="2.0"><channel><item><title>XXE</title><description>\1</description></item></channel></rss>#' xxe-file.xml > xxe-file.rss
# 1 million entity mentions (about 19 MB)
yes 'Russia and France. ' | head -n 1000000 | tr -d '\n' > mentions-1m.txt
# a million one-word sentences (sentence/paragraph arrays grow)
yes 'Russia.' | head -n 1000000 > sentences-1m.txt
# Markdown: unterminated front matter, invalid YAML, huge front matter
printf -- '---\ntitle: Unterminated\ndate: 2020-03-03\n\nRussia met France in Paris.\n' > fm-unterminated.md
printf -- '---\ntitle: [unclosed\ndate: : : 2020-13-45\n  - bad: {indent\n"key: \x80\n---\nRussia met France in Paris.\n' > fm-invalid.md
{ printf -- '---\n'; yes 'title: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' | head -n 200000; printf -- '---\nRussia met France.\n'; } > fm-huge.md
printf -- '---\n---\n---\n' > fm-only.md
printf -- '---\ndate: 99999999999999999999-99-99\ntitle: x\n---\nRussia met France on 31 February 2020.\n' > fm-baddate.md
# absurd dates in text
printf 'On 99999999999 March 2147483648 Russia met France. On 0/0/0 and 31.02.-1 and 2020-99-99.\n' > bad-dates.txt
# a file nobody may read (root still can: see the directory cases below)
printf 'Russia met France.\n' > unreadable.txt
chmod 000 unreadable.txt
# a directory with a dangling symlink, a FIFO and a symlink loop
mkdir -p dir-special
ln -sfn /nonexistent/ekg-target dir-special/dangling.txt
rm -f dir-special/fifo.txt; mkfifo dir-special/fifo.txt
printf 'Russia met France in Paris.\n' > dir-special/ok.txt
mkdir -p loop/a/b
ln -sfn .. loop/a/b/up
ln -sfn ../.. loop/a/b/top
ln -sfn loop-self loop/loop-self
printf 'Russia met France in Paris.\n' > loop/a/ok.txt
ls -1
