// Compare analysis.fold on every code point with Python's NFKC + lower (stdin: {code point: folded}
// for the ones Python changes). Prints the code points that differ, as hex.
"use strict";
const A = require(process.argv[2]);
const py = JSON.parse(require("fs").readFileSync(0, "utf8"));
const bad = [];
for (let c = 0; c < 0x110000; c++) {
  if (c >= 0xd800 && c < 0xe000) continue;
  const ch = String.fromCodePoint(c), want = py[c] === undefined ? ch : py[c];
  if (A.fold(ch) !== want) bad.push(c.toString(16));
}
process.stdout.write(JSON.stringify(bad));
