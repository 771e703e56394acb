// CDK's own template diff (@aws-cdk/cloudformation-diff, pinned in package.json), run offline.
// Reads [{"name": ..., "old": <template>, "new": <template>}, ...] as JSON on stdin (a missing
// template is an empty one: a stack that is new, or gone) and
// writes {"<name>": {"<logical ID>": "<impact>"}} with every resource change CDK's diff finds
// (WILL_UPDATE, WILL_REPLACE, MAY_REPLACE, WILL_DESTROY, ...). One process for every pair: the
// library takes about a second to load, a diff a few milliseconds.
"use strict";
const fs = require("node:fs");
const { fullDiff } = require("@aws-cdk/cloudformation-diff");

const pairs = JSON.parse(fs.readFileSync(0, "utf8"));
const out = {};
for (const { name, old, new: head } of pairs) {
  const impacts = {};
  fullDiff(old ?? {}, head ?? {}).resources.forEachDifference((logicalId, change) => {
    impacts[logicalId] = change.changeImpact;
  });
  out[name] = impacts;
}
process.stdout.write(JSON.stringify(out));
