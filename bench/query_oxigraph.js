// Time SPARQL queries with Oxigraph (in memory): node query_oxigraph.js DATA.nq... -- Q1 Q2 …
// Loads each file in chunks of whole lines (a 10M-quad file is larger than a
// JavaScript string may be). Prints one line per query: the median ms over
// OX_RUNS runs (default 5) after one warm-up run, and the row count.
const fs = require("fs");
const oxigraph = require("oxigraph");
const args = process.argv.slice(2);
const sep = args.indexOf("--");
const files = args.slice(0, sep), queries = args.slice(sep + 1);
const runs = Math.max(1, parseInt(process.env.OX_RUNS || "5", 10));
const store = new oxigraph.Store();
let t0 = Date.now();
for (const f of files) {
  const fd = fs.openSync(f, "r");
  const buf = Buffer.alloc(64 << 20);
  let rest = Buffer.alloc(0), n;
  while ((n = fs.readSync(fd, buf, 0, buf.length, null)) > 0) {
    const chunk = Buffer.concat([rest, buf.subarray(0, n)]);
    const cut = chunk.lastIndexOf(10) + 1;
    store.load(chunk.subarray(0, cut).toString("utf8"), { format: "application/n-quads" });
    rest = Buffer.from(chunk.subarray(cut));
  }
  if (rest.length) store.load(rest.toString("utf8"), { format: "application/n-quads" });
  fs.closeSync(fd);
}
console.error(`oxigraph: loaded ${store.size} quads in ${Date.now() - t0} ms`);
const prefixes = "PREFIX ekg: <https://w3id.org/ekg/ns#> PREFIX ekgid: <https://w3id.org/ekg/id/> " +
  "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> ";
for (const q of queries) {
  const times = []; let n = 0;
  for (let i = 0; i <= runs; i++) {
    const t = process.hrtime.bigint();
    const r = store.query(prefixes + q, { use_default_graph_as_union: true });
    n = Array.isArray(r) ? r.length : (r ? 1 : 0);
    if (i > 0) times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  console.log(`${times[Math.floor((times.length - 1) / 2)].toFixed(1)}\t${n}`);
}
