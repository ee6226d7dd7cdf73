'use strict';
// Turns bench/results/latest.jsonl into docs/benchmarks.md: the machine, the command, every figure,
// the ratios against BullMQ and Hangfire, and the targets of issue 3 with met / not met.
// Called by bench/run.sh; can be re-run on a saved results file:
//   node bench/report.js --results bench/results/latest.jsonl --out docs/benchmarks.md --command "..."
const fs = require('node:fs');
const os = require('node:os');
const { execFileSync } = require('node:child_process');

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
const rows = fs.readFileSync(args.results, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));

const tryRun = (cmd, a) => { try { return execFileSync(cmd, a, { encoding: 'utf8' }).trim(); } catch { return 'unknown'; } };
const cpu = (os.cpus()[0] || {}).model || 'unknown';
const machine = [
  `${os.cpus().length} cores (${cpu.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type()} ${os.release()}`,
  `.NET SDK ${tryRun('dotnet', ['--version'])}, Node ${process.version}, redis-server ${args['redis-version'] || 'unknown'}`,
];

// Best of the repeated runs, metric by metric: rates take the highest, latencies, CPU and command
// counts the lowest (on a shared machine the best run is the least disturbed one).
const HIGHER = ['enqueue_per_s', 'enqueue_bulk_per_s', 'process_per_s'];
const LOWER = ['pickup_p50_ms', 'pickup_p99_ms', 'redis_cmds_per_job', 'client_cpu_us_per_job', 'redis_cpu_us_per_job'];
const find = (system, backend, c) => {
  const runs = rows.filter((r) => r.system === system && r.backend === backend && r.concurrency === c && !r.error);
  if (runs.length === 0) return undefined;
  const best = { ...runs[0], runs: runs.length };
  const pick = (k, f) => { const v = runs.map((r) => r[k]).filter((x) => x !== null && x !== undefined); best[k] = v.length ? f(...v) : null; };
  HIGHER.forEach((k) => pick(k, Math.max));
  LOWER.forEach((k) => pick(k, Math.min));
  best.process_timed_out = runs.every((r) => r.process_timed_out);
  best.processed = Math.max(...runs.map((r) => r.processed || 0));
  return best;
};
const concurrencies = [...new Set(rows.filter((r) => r.concurrency).map((r) => r.concurrency))].sort((a, b) => a - b);
const fmt = (x, d = 0) => (x === null || x === undefined ? '—' : Number(x).toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));
const ratio = (a, b) => (a && b ? a / b : null);
const fmtRatio = (r) => (r === null ? '—' : `${r.toFixed(2)}×`);
const mark = (ok) => (ok === null ? 'no data' : ok ? '**met**' : '**not met**');

const label = (r) => `${r.system} ${r.backend}`;
const order = [['videogen', 'redis'], ['bullmq', 'redis'], ['hangfire', 'redis'], ['videogen', 'sqlite'], ['hangfire', 'sqlite'], ['hangfire', 'inmemory']];
const table = [
  '| system | C | jobs | enqueue/s (one at a time) | bulk enqueue/s | processed/s | pickup p50 ms | pickup p99 ms | Redis cmds/job | client CPU µs/job | redis CPU µs/job | runs |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
];
for (const c of concurrencies) {
  for (const [s, b] of order) {
    const r = find(s, b, c);
    if (!r) { table.push(`| ${s} ${b} | ${c} | run failed | | | | | | | | | |`); continue; }
    const timedOut = r.process_timed_out ? ` (time limit hit: ${fmt(r.processed)} done)` : '';
    table.push(`| ${label(r)} | ${c} | ${fmt(r.jobs)} | ${fmt(r.enqueue_per_s)} | ${r.enqueue_bulk_per_s === null ? 'n/a (no batch API)' : fmt(r.enqueue_bulk_per_s)} | ${fmt(r.process_per_s)}${timedOut} | ${fmt(r.pickup_p50_ms, 2)} | ${fmt(r.pickup_p99_ms, 2)} | ${fmt(r.redis_cmds_per_job, 2)} | ${fmt(r.client_cpu_us_per_job)} | ${fmt(r.redis_cpu_us_per_job)} | ${r.runs} |`);
  }
}

const ratios = ['| ratio | ' + concurrencies.map((c) => `C=${c}`).join(' | ') + ' |', '|---|' + concurrencies.map(() => '---:').join('|') + '|'];
const ratioRow = (name, f) => ratios.push(`| ${name} | ${concurrencies.map((c) => fmtRatio(f(c))).join(' | ')} |`);
const vgR = (c) => find('videogen', 'redis', c);
const bm = (c) => find('bullmq', 'redis', c);
const vgS = (c) => find('videogen', 'sqlite', c);
const hfS = (c) => find('hangfire', 'sqlite', c);
const hfM = (c) => find('hangfire', 'inmemory', c);
const hfR = (c) => find('hangfire', 'redis', c);
const g = (r, k) => (r ? r[k] : null);
ratioRow('VideoGen Redis / BullMQ, processed/s', (c) => ratio(g(vgR(c), 'process_per_s'), g(bm(c), 'process_per_s')));
ratioRow('VideoGen Redis / BullMQ, bulk enqueue/s', (c) => ratio(g(vgR(c), 'enqueue_bulk_per_s'), g(bm(c), 'enqueue_bulk_per_s')));
ratioRow('VideoGen Redis / BullMQ, enqueue/s (one at a time)', (c) => ratio(g(vgR(c), 'enqueue_per_s'), g(bm(c), 'enqueue_per_s')));
ratioRow('BullMQ / VideoGen Redis, Redis cmds/job (>1 = we use fewer)', (c) => ratio(g(bm(c), 'redis_cmds_per_job'), g(vgR(c), 'redis_cmds_per_job')));
ratioRow('BullMQ / VideoGen Redis, client CPU per job (>1 = we use less)', (c) => ratio(g(bm(c), 'client_cpu_us_per_job'), g(vgR(c), 'client_cpu_us_per_job')));
ratioRow('BullMQ / VideoGen Redis, redis-server CPU per job (>1 = we use less)', (c) => ratio(g(bm(c), 'redis_cpu_us_per_job'), g(vgR(c), 'redis_cpu_us_per_job')));
ratioRow('VideoGen Redis / Hangfire Redis, processed/s', (c) => ratio(g(vgR(c), 'process_per_s'), g(hfR(c), 'process_per_s')));
ratioRow('VideoGen SQLite / Hangfire SQLite, processed/s', (c) => ratio(g(vgS(c), 'process_per_s'), g(hfS(c), 'process_per_s')));
ratioRow('VideoGen SQLite / Hangfire InMemory, processed/s', (c) => ratio(g(vgS(c), 'process_per_s'), g(hfM(c), 'process_per_s')));
ratioRow('VideoGen SQLite / Hangfire SQLite, enqueue/s', (c) => ratio(g(vgS(c), 'enqueue_per_s'), g(hfS(c), 'enqueue_per_s')));

// Paired ratios: each round runs VideoGen and BullMQ back to back, so a round's ratio compares two
// runs that saw about the same neighbours; the median over rounds resists one lucky or unlucky run.
const rounds = [...new Set(rows.map((r) => r.round).filter((x) => x !== undefined))].sort((a, b) => a - b);
const median = (xs) => { const v = xs.filter((x) => x !== null && Number.isFinite(x)).sort((a, b) => a - b); if (!v.length) return null; const m = Math.floor(v.length / 2); return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2; };
const inRound = (system, backend, c, rd) => rows.find((r) => r.system === system && r.backend === backend && r.concurrency === c && r.round === rd && !r.error);
const paired = (k, c) => rounds.map((rd) => ratio(g(inRound('videogen', 'redis', c, rd), k), g(inRound('bullmq', 'redis', c, rd), k)));
const pairedLines = ['| VideoGen Redis / BullMQ, same round | C | ' + rounds.map((rd) => `round ${rd}`).join(' | ') + ' | median |', '|---|---:|' + rounds.map(() => '---:').join('|') + '|---:|'];
for (const [name, k] of [['processed/s', 'process_per_s'], ['bulk enqueue/s', 'enqueue_bulk_per_s'], ['enqueue/s', 'enqueue_per_s']]) {
  for (const c of concurrencies) {
    const rs = paired(k, c);
    pairedLines.push(`| ${name} | ${c} | ${rs.map(fmtRatio).join(' | ')} | ${fmtRatio(median(rs))} |`);
  }
}

const targets = ['| target (issue 3) | measured (best of runs) | paired median | verdict |', '|---|---|---|---|'];
// Verdict: met only when both the best-of figure and the paired median meet it; when they disagree
// the machine's noise decides, and the verdict says so.
const target = (name, measured, ok, pairedText = '—', pairedOk = ok) => targets.push(`| ${name} | ${measured} | ${pairedText} | ${ok === null ? 'no data' : ok && pairedOk ? '**met**' : !ok && !pairedOk ? '**not met**' : '**unclear** (runs disagree)'} |`);
for (const c of [16, 256]) {
  const r = ratio(g(vgR(c), 'process_per_s'), g(bm(c), 'process_per_s'));
  const pm = median(paired('process_per_s', c));
  target(`Redis processing at C=${c} ≥ 2× BullMQ`, `${fmt(g(vgR(c), 'process_per_s'))}/s vs ${fmt(g(bm(c), 'process_per_s'))}/s = ${fmtRatio(r)}`, r === null ? null : r >= 2, fmtRatio(pm), pm === null ? r >= 2 : pm >= 2);
}
{
  const rs = concurrencies.map((c) => ratio(g(vgR(c), 'enqueue_bulk_per_s'), g(bm(c), 'enqueue_bulk_per_s'))).filter((x) => x !== null);
  const worst = rs.length ? Math.min(...rs) : null;
  const pms = concurrencies.map((c) => median(paired('enqueue_bulk_per_s', c))).filter((x) => x !== null);
  const pworst = pms.length ? Math.min(...pms) : null;
  target('Bulk enqueue ≥ 2× BullMQ', `worse C: ${fmtRatio(worst)}`, worst === null ? null : worst >= 2, `worse C: ${fmtRatio(pworst)}`, pworst === null ? worst >= 2 : pworst >= 2);
}
{
  const cs = concurrencies.map((c) => g(vgR(c), 'redis_cmds_per_job')).filter((x) => x !== null && x !== undefined);
  const worst = cs.length ? Math.max(...cs) : null;
  const bms = concurrencies.map((c) => g(bm(c), 'redis_cmds_per_job')).filter((x) => x !== null && x !== undefined);
  const all = rows.filter((r) => r.system === 'videogen' && r.backend === 'redis' && !r.error).map((r) => r.redis_cmds_per_job);
  const w = all.length ? Math.max(...all) : null;
  target('≤ 12 Redis commands per processed job', `${fmt(worst, 2)} (BullMQ ${bms.map((x) => fmt(x, 1)).join(' / ')})`, worst === null ? null : worst <= 12, `highest of all runs: ${fmt(w, 2)}`, w === null ? true : w <= 12);
}
for (const [name, get] of [['Redis', vgR], ['SQLite', vgS]]) {
  const ps = concurrencies.map((c) => g(get(c), 'pickup_p99_ms')).filter((x) => x !== null && x !== undefined);
  const worst = ps.length ? Math.max(...ps) : null;
  const sys = name === 'Redis' ? 'redis' : 'sqlite';
  const med = concurrencies.map((c) => median(rounds.map((rd) => g(inRound('videogen', sys, c, rd), 'pickup_p99_ms'))));
  const bmMed = name === 'Redis' ? concurrencies.map((c) => median(rounds.map((rd) => g(inRound('bullmq', 'redis', c, rd), 'pickup_p99_ms')))) : null;
  const mw = med.filter((x) => x !== null).length ? Math.max(...med.filter((x) => x !== null)) : null;
  target(`${name} pickup p99 < 5 ms`, `${fmt(worst, 2)} ms (worse C)${bmMed ? `; BullMQ ${bmMed.map((x) => fmt(x, 2)).join(' / ')} ms (median per C)` : ''}`, worst === null ? null : worst < 5, `median per C: ${med.map((x) => fmt(x, 2)).join(' / ')} ms`, mw === null ? worst < 5 : mw < 5);
}
{
  const p = g(vgS(16), 'process_per_s');
  const pm = median(rounds.map((rd) => g(inRound('videogen', 'sqlite', 16, rd), 'process_per_s')));
  target('SQLite ≥ 5,000 jobs/s processed at C=16', `${fmt(p)}/s`, p === null || p === undefined ? null : p >= 5000, `${fmt(pm)}/s`, pm === null ? p >= 5000 : pm >= 5000);
}

const failed = rows.filter((r) => r.error).map((r) => `- ${r.run} (round ${r.round}): ${r.error}`);
const loads = rows.map((r) => r.load1_at_start).filter((x) => typeof x === 'number');
const loadLine = loads.length ? `1-minute load average at the start of the runs: ${Math.min(...loads).toFixed(1)} to ${Math.max(...loads).toFixed(1)} (on ${os.cpus().length} cores)` : '';
const stamp = fs.statSync(args.results).mtime.toISOString().replace(/\.\d+Z$/, 'Z');
const md = `# Queue benchmarks

VideoGen's queue (Redis and SQLite backends) side by side with BullMQ 6.7.0 (the queue the seed app
used) and Hangfire 1.8.25 (the .NET queue our users would otherwise pick), measured the same way on
the same machine and the same Redis. Generated by \`bench/run.sh\` on ${stamp}; raw JSON lines in
\`bench/results/latest.jsonl\`. Numbers from a 2-core machine shared with other work are noisy:
compare the ratios, and re-run before drawing fine conclusions.

## Machine

${machine.map((m) => `- ${m}`).join('\n')}
- Redis: ${args['redis-settings'] || 'see bench/run.sh'}
${loadLine ? `- ${loadLine}` : ''}

## Command

\`\`\`
${args.command}
\`\`\`

## What is measured

- **enqueue/s**: one awaited add at a time (VideoGen \`EnqueueAsync\`, BullMQ \`Queue.add\`, Hangfire \`BackgroundJobClient.Enqueue\`).
- **bulk enqueue/s**: batches of 1,000 (VideoGen \`EnqueueManyAsync\`, BullMQ \`addBulk\`); Hangfire has no batch add.
- **processed/s**: the bulk-added jobs, a no-op handler, one worker with concurrency C (Hangfire: one server, WorkerCount = C), timed from worker start until every job is completed *in the store*.
- **pickup p50/p99**: an idle worker (concurrency C), one job at a time: enqueue call start → handler start, ${rows.find((r) => r.pickup_samples)?.pickup_samples ?? 'a few hundred'} samples, 5 ms idle gap between samples.
- **Redis cmds/job**: \`INFO commandstats\` delta over the processing phase divided by the jobs processed. Redis counts the commands run inside Lua scripts too (one \`HSET\` of 100 fields is one command), so this counts server commands, not round trips; \`evalsha\` per job in \`latest.jsonl\` is the round trips.
- **CPU µs/job**: CPU time of the benchmark process (client and workers) and of redis-server over the processing phase, per job. It shows where the cost is (client or server); on a loaded machine it swings too (spinning, cache misses), redis-server CPU per job the least.
- **Warm-up**: before the measured processing run each system processes 2,000 jobs (Hangfire SQLite: 100) on a throw-away queue, so first-call compilation and connection setup are not measured. Each runtime runs as its product ships: VideoGen (like \`videogen\`) compiles every method fully optimized once (\`TieredCompilation=false\`); Node and Hangfire keep their default tiering, which on 2 busy cores may still be recompiling during the measured run.
- Each figure is the best of the repeated runs (rates: highest; latencies, CPU, commands: lowest); the paired table compares VideoGen and BullMQ runs of the same round, which ran back to back.
- VideoGen SQLite runs its store default: WAL with \`synchronous=NORMAL\` (a process crash loses nothing; a power loss can lose the last commits). \`--sqlite-full-sync true\` measures \`synchronous=FULL\`.
- Defaults everywhere (BullMQ keeps completed jobs, like VideoGen's retention does), except: Hangfire.Storage.SQLite polls every 100 ms instead of its default 15 s, so its pickup phase ends in bounded time. Hangfire runs fewer jobs (it is slower) — rates are per second, so they compare.

## Figures

${table.join('\n')}

## Ratios

${ratios.join('\n')}

## Paired ratios (same round, back to back)

${pairedLines.join('\n')}

## Targets

${targets.join('\n')}
${failed.length ? `\n## Runs that failed\n\n${failed.join('\n')}\n` : ''}
${fs.existsSync(require('node:path').join(__dirname, 'FINDINGS.md')) ? '\n' + fs.readFileSync(require('node:path').join(__dirname, 'FINDINGS.md'), 'utf8') : ''}`;
fs.writeFileSync(args.out, md);
