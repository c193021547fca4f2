// load_oxigraph.js FILE.nq — load N-Quads into an in-memory Oxigraph store
// (npm `oxigraph`, in bench/node_modules), streaming the file in 4 MB chunks;
// prints the quad count and the seconds the load took.
const fs = require("fs");
const path = require("path");
const ox = require(path.join(__dirname, "node_modules", "oxigraph"));

function* chunks(file) {
    const fd = fs.openSync(file, "r");
    const buf = Buffer.alloc(4 << 20);
    let n;
    while ((n = fs.readSync(fd, buf, 0, buf.length, null)) > 0) yield new Uint8Array(buf.subarray(0, n));
    fs.closeSync(fd);
}

const t0 = process.hrtime.bigint();
const store = new ox.Store();
store.load(chunks(process.argv[2]), { format: "application/n-quads" });
const s = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(`${store.size} quads in ${s.toFixed(2)} s`);
