// rdf-validate-shacl on the same files as `ekg check`: parse (N-Triples /
// Turtle with n3) into an indexed N3 Store, validate, print the results count.
import fs from 'node:fs';
import { Parser } from 'n3';
import { Store } from 'n3';
import SHACLValidator from 'rdf-validate-shacl';

function load(paths) {
  const ds = new Store();
  for (const p of paths) {
    const parser = new Parser({ format: p.endsWith('.nq') ? 'N-Quads' : p.endsWith('.nt') ? 'N-Triples' : 'Turtle' });
    for (const q of parser.parse(fs.readFileSync(p, 'utf8'))) ds.add(q);
  }
  return ds;
}
const [shapesPath, ...dataPaths] = process.argv.slice(2);
const shapes = load([shapesPath]);
const data = load(dataPaths);
const validator = new SHACLValidator(shapes);
const report = await validator.validate(data);
console.log(`conforms=${report.conforms} results=${report.results.length}`);
