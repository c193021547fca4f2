// Time SPARQL queries with Oxigraph (in memory): node query_oxigraph.js DATA.nq... -- Q1 Q2 …
// Prints one line per query: median ms over 5 runs, and the row count.
const fs = require("fs");
const oxigraph = require("oxigraph");
const args = process.argv.slice(2);
const sep = args.indexOf("--");
const files = args.slice(0, sep), queries = args.slice(sep + 1);
const store = new oxigraph.Store();
let t0 = Date.now();
for (const f of files) store.load(fs.readFileSync(f, "utf8"), { format: "application/n-quads" });
console.error(`oxigraph: loaded ${store.size} quads in ${Date.now() - t0} ms`);
const prefixes = "PREFIX ekg: <https://w3id.org/ekg/ns#> PREFIX ekgid: <https://w3id.org/ekg/id/> " +
  "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> ";
for (const q of queries) {
  const times = []; let n = 0;
  for (let i = 0; i < 5; i++) {
    const t = process.hrtime.bigint();
    const r = store.query(prefixes + q, { use_default_graph_as_union: true });
    n = Array.isArray(r) ? r.length : (r ? 1 : 0);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  console.log(`${times[2].toFixed(1)}\t${n}`);
}
