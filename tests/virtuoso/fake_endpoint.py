#!/usr/bin/env python3
"""fake_endpoint.py PORTFILE — a canned SPARQL endpoint on a free loopback
port (written to PORTFILE) for the protocol client's tests: the answer is
chosen by a word in the query (tsv, json, turtle, error, html)."""
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

XSD = "http://www.w3.org/2001/XMLSchema#"
JSON = ('{"head":{"vars":["s","l","n","b","u"]},"results":{"bindings":['
        '{"s":{"type":"uri","value":"http://ex.org/a"},'
        '"l":{"type":"literal","value":"Gr\\u00fc\\u00dfe \\"q\\"\\n \\ud83d\\ude00","xml:lang":"de"},'
        '"n":{"type":"typed-literal","datatype":"' + XSD + 'integer","value":"42"},'
        '"b":{"type":"bnode","value":"x1"}},'
        '{"s":{"type":"uri","value":"http://ex.org/b"},"u":{"type":"literal","value":"plain"}}]}}')
TSV = ('?s\t?l\t?n\n'
       '<http://ex.org/a>\t"tab\\there"@en\t42\n'
       '<http://ex.org/b>\t"x"^^<' + XSD + 'date>\t1.5\n'
       '_:b0\t\ttrue\n')
TURTLE = ('@prefix ex: <http://ex.org/> .\n'
          'ex:a ex:p "v"@fr ; ex:q [ ex:r 7 ] .\n')


class H(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        q = urllib.parse.parse_qs(body).get("query", [""])[0]
        if "tsv" in q:
            self.answer(200, "text/tab-separated-values; charset=utf-8", TSV)
        elif "json" in q:
            self.answer(200, "application/sparql-results+json", JSON)
        elif "turtle" in q:
            self.answer(200, "text/turtle", TURTLE)
        elif "html" in q:
            self.answer(200, "text/html", "<html><body>hello</body></html>")
        else:
            self.answer(503, "text/plain", "Service Unavailable:\n  the store is resting\n")

    def answer(self, code, ctype, text):
        data = text.encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


srv = HTTPServer(("127.0.0.1", 0), H)
with open(sys.argv[1], "w") as f:
    f.write(str(srv.server_address[1]))
srv.serve_forever()
