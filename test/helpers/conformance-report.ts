/** Prints how `validate` does on the W3C suite: `node --import tsx test/helpers/conformance-report.ts [-v]` (-v: each miss). */
import { conformanceTests } from './conformance.js';
import { validate } from '../../src/index.js';
const tests = conformanceTests();
const nwf = tests.filter((t) => t.type === 'not-wf' && t.entities === 'none');
const wf = tests.filter((t) => (t.type === 'valid' || t.type === 'invalid') && t.entities === 'none' && !t.hasDoctype);
let rej = 0, rejNoDt = 0, noDt = 0; const missed: string[] = [];
for (const t of nwf) { const r = await validate(t.path, { xml: true }); if (!t.hasDoctype) noDt++; if (!r.valid) { rej++; if (!t.hasDoctype) rejNoDt++; } else missed.push(`${t.hasDoctype ? 'DT ' : '   '}${t.id} ${t.path.split('xmlconf/')[1]} :: ${t.description.slice(0, 110)}`); }
let acc = 0; const wrong: string[] = [];
for (const t of wf) { const r = await validate(t.path, { xml: true }); if (r.valid) acc++; else wrong.push(`${t.id} ${t.path.split('xmlconf/')[1]} ${r.problems[0]?.message}`); }
console.log(`not-wf rejected ${rej}/${nwf.length}; no doctype ${rejNoDt}/${noDt}; wf no doctype accepted ${acc}/${wf.length}`);
if (process.argv.includes('-v')) { console.log(missed.join('\n')); console.log('WRONGLY REJECTED\n' + wrong.join('\n')); }
