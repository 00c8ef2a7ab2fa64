// Gives the wasm's imports short names, in the wasm and in wasm-bindgen's JS module alike.
//
// wasm-bindgen names each import after its Rust binding plus a 16-digit hash
// (`__wbg_setAttribute_4a1f...`); the release carries 200 of them twice, once in the wasm's import
// section and once as the keys of the JS object that provides them, and the hashes do not
// compress: about 6,000 bytes of the release's gzip. Usage (scripts/build runs it on dist/):
//
//   node scripts/short-imports.mjs dist/async-lanes_bg.wasm dist/async-lanes.js
//
// It fails, changing nothing, unless every import it renames is a key of the JS exactly once.
import { readFileSync, writeFileSync } from 'node:fs';

const [wasmPath, jsPath] = process.argv.slice(2);
if (!wasmPath || !jsPath) {
  console.error('usage: node scripts/short-imports.mjs FILE.wasm FILE.js');
  process.exit(2);
}
const wasm = readFileSync(wasmPath);
let js = readFileSync(jsPath, 'utf8');

function readLeb(buf, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = buf[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, at];
  }
}
function leb(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return Buffer.from(out);
}
const str = (s) => Buffer.concat([leb(Buffer.byteLength(s)), Buffer.from(s)]);

// a, b, ..., Z, aa, ab, ...: only ever property keys of the imports object, where even a keyword
// (`do`, `in`) is a valid name.
const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
function shortName(i) {
  let name = '';
  for (;;) {
    name = letters[i % letters.length] + name;
    i = Math.floor(i / letters.length);
    if (i === 0) return name;
    i -= 1;
  }
}

// Only functions bound by wasm-bindgen are renamed: the JS defines each as `NAME: function`.
const definition = (name) => new RegExp(`\\b${name}(\\s*:\\s*function\\b)`);
const renamed = new Map();
const parts = [wasm.subarray(0, 8)];
let at = 8;
while (at < wasm.length) {
  const id = wasm[at];
  const [size, start] = readLeb(wasm, at + 1);
  const end = start + size;
  if (id !== 2) {
    parts.push(wasm.subarray(at, end));
    at = end;
    continue;
  }
  let [count, p] = readLeb(wasm, start);
  const entries = [leb(count)];
  for (; count > 0; count--) {
    let len;
    [len, p] = readLeb(wasm, p);
    const module = wasm.toString('utf8', p, p + len);
    p += len;
    [len, p] = readLeb(wasm, p);
    const name = wasm.toString('utf8', p, p + len);
    p += len;
    const descStart = p;
    const kind = wasm[p++];
    if (kind === 0) [, p] = readLeb(wasm, p); // function: type index
    else if (kind === 1) { p += 1; const [flags, q] = readLeb(wasm, p); [, p] = readLeb(wasm, q); if (flags & 1) [, p] = readLeb(wasm, p); } // table
    else if (kind === 2) { const [flags, q] = readLeb(wasm, p); [, p] = readLeb(wasm, q); if (flags & 1) [, p] = readLeb(wasm, p); } // memory
    else if (kind === 3) p += 2; // global: type, mutability
    else throw new Error(`import ${name}: unknown kind ${kind}`);
    let short = name;
    if (kind === 0 && /^\w+$/.test(name) && definition(name).test(js)) {
      short = renamed.get(name) ?? shortName(renamed.size);
      renamed.set(name, short);
    }
    entries.push(str(module), str(short), wasm.subarray(descStart, p));
  }
  if (p !== end) throw new Error('the import section did not parse to its end');
  const body = Buffer.concat(entries);
  parts.push(Buffer.from([2]), leb(body.length), body);
  at = end;
}

for (const [name, short] of renamed) {
  const uses = js.split(name).length - 1;
  if (uses !== 1) throw new Error(`${name} appears ${uses} times in ${jsPath}, not once`);
  js = js.replace(definition(name), `${short}$1`);
}
writeFileSync(wasmPath, Buffer.concat(parts));
writeFileSync(jsPath, js);
console.log(`short-imports: ${renamed.size} imports renamed in ${wasmPath} and ${jsPath}`);
