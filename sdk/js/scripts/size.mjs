// The size budget: the package bundled and minified for a browser, then gzipped, must stay within
// BUDGET bytes. Writes the bundle to dist/switchboard.min.js (the browser test loads it) and fails
// the build when the budget is exceeded.
import { build } from "esbuild";
import { gzipSync } from "node:zlib";
import { writeFileSync } from "node:fs";

const BUDGET = 12 * 1024;

const result = await build({
  entryPoints: ["dist/index.js"],
  bundle: true,
  minify: true,
  format: "esm",
  target: "es2020",
  write: false,
});
const code = result.outputFiles[0].contents;
writeFileSync("dist/switchboard.min.js", code);
const gzipped = gzipSync(code, { level: 9 }).length;
console.log(`size: ${code.length} bytes minified, ${gzipped} bytes minified+gzipped (budget ${BUDGET})`);
if (gzipped > BUDGET) {
  console.error(`size: over budget by ${gzipped - BUDGET} bytes`);
  process.exit(1);
}
