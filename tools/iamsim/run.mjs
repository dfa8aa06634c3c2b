#!/usr/bin/env node
// Test-only bridge to @cloud-copilot/iam-simulate (AGPL-3.0). It is run as a
// separate process by lockdown's differential tests and is never linked into
// or shipped with the lockdown binary.
//
// Usage:
//   node run.mjs < cases.jsonl > results.jsonl
//   node run.mjs --bench N [--cases FILE]     (evaluates the cases round-robin N times;
//                                             FILE defaults to guide-bench.jsonl, the
//                                             guide's policy set; "-" reads stdin)
//
// Input, one JSON object per line:
//   {"id":"...", "identityPolicies":[doc,...], "boundary":doc?, "resourcePolicy":doc?,
//    "scps"?:[{"orgIdentifier":"r-...", "policies":[doc,...]}, ...], "rcps"?:[...same...],
//    "request":{"principal":"arn:...", "action":"s3:GetObject", "resource":"arn:...",
//               "context":{"aws:username":["alice"], ...}}}
// Output, one line per input line, in order:
//   {"id":"...", "result":"Allowed"|"ExplicitlyDenied"|"ImplicitlyDenied", "error"?:"...", "ignored"?:[keys]}
//
// The library is looked up in $IAMSIM_PREFIX/node_modules (default: the
// repository's .cache/iamsim, where install.sh puts it).

import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const prefix = process.env.IAMSIM_PREFIX || resolve(here, '..', '..', '.cache', 'iamsim');
const require = createRequire(join(prefix, 'package.json'));

let sim, pol;
try {
  sim = require('@cloud-copilot/iam-simulate');
  pol = require('@cloud-copilot/iam-policy');
} catch (e) {
  process.stderr.write(`run.mjs: cannot load @cloud-copilot/iam-simulate from ${prefix}/node_modules (run tools/iamsim/install.sh): ${e.message}\n`);
  process.exit(2);
}

function accountOf(arn) {
  const f = String(arn).split(':');
  return f.length >= 6 ? f[4] : '';
}

// orgLevels maps the case's organization levels ({orgIdentifier, policies:[doc]})
// to the library's SimulationOrgPolicies, root first.
function orgLevels(levels, wrap, validate) {
  return (levels || []).map((lv) => ({
    orgIdentifier: lv.orgIdentifier,
    policies: (lv.policies || []).map((doc, i) => ({ name: `${lv.orgIdentifier}-${i}`, policy: wrap(doc, validate) })),
  }));
}

// toSimulation turns one case into the library's Simulation input.
// validated, when true, pre-validates the documents once so repeated runs
// (benchmark mode) do not re-parse them, as a long-lived caller would.
function toSimulation(c, validated) {
  const wrap = (doc, fn) => (validated ? pol.createValidatedPolicy(doc, fn) : doc);
  const r = c.request || {};
  const s = {
    request: {
      principal: r.principal,
      action: r.action,
      // Same-account requests only: the resource's account is the principal's.
      resource: { resource: r.resource, accountId: accountOf(r.principal) },
      contextVariables: r.context || {},
    },
    identityPolicies: (c.identityPolicies || []).map((doc, i) => ({
      name: `identity${i}`,
      policy: wrap(doc, pol.validateIdentityPolicy),
    })),
    serviceControlPolicies: orgLevels(c.scps, wrap, pol.validateServiceControlPolicy),
    resourceControlPolicies: orgLevels(c.rcps, wrap, pol.validateResourceControlPolicy),
  };
  if (c.boundary) {
    s.permissionBoundaryPolicies = [{ name: 'boundary', policy: wrap(c.boundary, pol.validateIdentityPolicy) }];
  }
  if (c.resourcePolicy) {
    s.resourcePolicy = wrap(c.resourcePolicy, pol.validateResourcePolicy);
  }
  return s;
}

async function evaluate(c, s) {
  const out = { id: c.id };
  let res;
  try {
    res = await sim.runSimulation(s, { simulationMode: 'Strict' });
  } catch (e) {
    out.error = `exception: ${e && e.message ? e.message : String(e)}`;
    return out;
  }
  if (res.resultType === 'error') {
    out.error = JSON.stringify(res.errors);
    return out;
  }
  out.result = res.overallResult;
  if (res.resultType === 'wildcard') {
    // The tests send concrete resources; a wildcard expansion means the
    // case is outside the compared surface.
    out.error = 'wildcard resource simulation';
  }
  const ignored = res.resultType === 'single' ? res.result.ignoredContextKeys : [];
  if (ignored && ignored.length) out.ignored = ignored;
  return out;
}

async function readCases(file) {
  const cases = [];
  const input = file === '-' ? process.stdin : createReadStream(file);
  input.on('error', (e) => {
    process.stderr.write(`run.mjs: ${file}: ${e.message}\n`);
    process.exit(2);
  });
  const rl = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    n++;
    if (!line.trim()) continue;
    try {
      cases.push(JSON.parse(line));
    } catch (e) {
      process.stderr.write(`run.mjs: ${file === '-' ? 'stdin' : file} line ${n}: invalid JSON: ${e.message}\n`);
      process.exit(2);
    }
  }
  return cases;
}

async function main() {
  const args = process.argv.slice(2);
  let bench = 0;
  let file;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--bench') {
      bench = Number.parseInt(args[++i], 10);
      if (!(bench > 0)) {
        process.stderr.write('run.mjs: --bench needs a positive count\n');
        process.exit(2);
      }
    } else if (args[i] === '--cases' && i + 1 < args.length) {
      file = args[++i];
    } else {
      process.stderr.write(`run.mjs: unknown argument ${args[i]}\n`);
      process.exit(2);
    }
  }
  if (!file) file = bench ? join(here, 'guide-bench.jsonl') : '-';
  const cases = await readCases(file);
  if (bench) {
    if (cases.length === 0) {
      process.stderr.write(`run.mjs: --bench needs at least one case in ${file}\n`);
      process.exit(2);
    }
    const sims = cases.map((c) => toSimulation(c, true));
    // Warm up (loads the action catalogue) and check every case evaluates.
    const counts = {};
    for (let i = 0; i < cases.length; i++) {
      const r = await evaluate(cases[i], sims[i]);
      if (r.error) {
        process.stderr.write(`run.mjs: bench case ${cases[i].id}: ${r.error}\n`);
        process.exit(1);
      }
    }
    const start = process.hrtime.bigint();
    for (let i = 0; i < bench; i++) {
      const k = i % cases.length;
      const r = await evaluate(cases[k], sims[k]);
      counts[r.result] = (counts[r.result] || 0) + 1;
    }
    const secs = Number(process.hrtime.bigint() - start) / 1e9;
    process.stdout.write(
      JSON.stringify({ decisions: bench, seconds: secs, decisionsPerSecond: bench / secs, results: counts }) + '\n',
    );
    return;
  }
  for (const c of cases) {
    const r = await evaluate(c, toSimulation(c, false));
    process.stdout.write(JSON.stringify(r) + '\n');
  }
}

main().catch((e) => {
  process.stderr.write(`run.mjs: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
