'use strict';
// Measures BullMQ exactly the way bench/VideoGen.Bench measures VideoGen's queue, on the same
// Redis, and prints one JSON line with the same field names:
//   enqueue_per_s       Queue.add awaited one at a time
//   enqueue_bulk_per_s  Queue.addBulk in batches of --batch (default 1,000)
//   process_per_s       one Worker, concurrency C, no-op processor, from run() until N completed
//   pickup_p50/p99_ms   idle worker; Queue.add call start -> processor start, --samples samples
//   redis_cmds_per_job  INFO commandstats delta (all commands, incl. those run inside Lua) / N
// Every loop is bounded in count and in time (--time-limit seconds per phase).
const { Queue, Worker } = require('bullmq');
const IORedis = require('ioredis');
const { performance } = require('node:perf_hooks');

function parseArgs(argv) {
  const a = { redis: '127.0.0.1:6379', jobs: 20000, concurrency: 16, samples: 300, batch: 1000, timeLimit: 60, enqueueJobs: 0, warmup: 2000 };
  for (let i = 2; i < argv.length; i++) {
    const k = argv[i], v = argv[i + 1];
    switch (k) {
      case '--redis': a.redis = v; i++; break;
      case '--jobs': a.jobs = parseInt(v, 10); i++; break;
      case '--concurrency': a.concurrency = parseInt(v, 10); i++; break;
      case '--samples': a.samples = parseInt(v, 10); i++; break;
      case '--batch': a.batch = parseInt(v, 10); i++; break;
      case '--time-limit': a.timeLimit = parseFloat(v); i++; break;
      case '--enqueue-jobs': a.enqueueJobs = parseInt(v, 10); i++; break;
      case '--warmup': a.warmup = parseInt(v, 10); i++; break;
      default: throw new Error(`unknown argument ${k}`);
    }
  }
  if (!(a.jobs > 0 && a.concurrency > 0 && a.samples > 0 && a.batch > 0)) throw new Error('jobs, concurrency, samples, batch must be > 0');
  const [host, port] = a.redis.split(':');
  a.host = host; a.port = parseInt(port, 10);
  if (!a.enqueueJobs) a.enqueueJobs = a.jobs;
  return a;
}

async function redisCpuSeconds(redis) {
  const info = await redis.info('cpu');
  let total = 0;
  for (const line of info.split('\n')) {
    const m = /^used_cpu_(user|sys):([0-9.]+)/.exec(line.trim());
    if (m) total += Number(m[2]);
  }
  return total;
}

async function commandCalls(redis) {
  const info = await redis.info('commandstats');
  const perCmd = {};
  let total = 0;
  for (const line of info.split('\n')) {
    const m = /^cmdstat_([^:]+):calls=(\d+)/.exec(line.trim());
    if (m) { perCmd[m[1]] = Number(m[2]); total += Number(m[2]); }
  }
  return { total, perCmd };
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

const round = (x, d = 1) => (x === null || x === undefined ? null : Math.round(x * 10 ** d) / 10 ** d);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const args = parseArgs(process.argv);
  const connection = { host: args.host, port: args.port, maxRetriesPerRequest: null };
  const admin = new IORedis({ host: args.host, port: args.port });
  const runId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const deadline = (s) => performance.now() + s * 1000;
  const payload = (i) => ({ i });

  // 1. enqueue one awaited add at a time.
  const q1 = new Queue(`bench-enq-${runId}`, { connection });
  await q1.waitUntilReady();
  await q1.add('noop', payload(-1)); // warm-up: loads scripts, opens the connection
  let singles = 0;
  const end1 = deadline(args.timeLimit);
  const t1 = performance.now();
  while (singles < args.enqueueJobs && performance.now() < end1) {
    await q1.add('noop', payload(singles));
    singles++;
  }
  const enqueuePerS = singles / ((performance.now() - t1) / 1000);
  await q1.obliterate({ force: true });
  await q1.close();

  // Warm-up: the same code paths (addBulk, worker) untimed on a throw-away queue, so JIT and
  // connection setup are not measured (VideoGen.Bench does the same).
  if (args.warmup > 0) {
    const qw = new Queue(`bench-warm-${runId}`, { connection });
    for (let i = 0; i < args.warmup; i += args.batch) {
      const n = Math.min(args.batch, args.warmup - i);
      await qw.addBulk(Array.from({ length: n }, (_, k) => ({ name: 'noop', data: payload(i + k) })));
    }
    let warmDone = 0;
    let resolveWarm;
    const warm = new Promise((r) => { resolveWarm = r; });
    const ww = new Worker(qw.name, async () => null, { connection, concurrency: args.concurrency });
    ww.on('completed', () => { if (++warmDone === args.warmup) resolveWarm(); });
    await Promise.race([warm, sleep(args.timeLimit * 1000)]);
    await ww.close();
    await qw.obliterate({ force: true });
    await qw.close();
  }

  // 2. bulk enqueue of N jobs (these are the jobs processed in step 3).
  const qName = `bench-proc-${runId}`;
  const q2 = new Queue(qName, { connection });
  await q2.waitUntilReady();
  let bulked = 0;
  const bcpu0 = process.cpuUsage();
  const bredis0 = await redisCpuSeconds(admin);
  const end2 = deadline(args.timeLimit);
  const t2 = performance.now();
  while (bulked < args.jobs && performance.now() < end2) {
    const n = Math.min(args.batch, args.jobs - bulked);
    const batch = new Array(n);
    for (let k = 0; k < n; k++) batch[k] = { name: 'noop', data: payload(bulked + k) };
    await q2.addBulk(batch);
    bulked += n;
  }
  const enqueueBulkPerS = bulked / ((performance.now() - t2) / 1000);
  const bcpu1 = process.cpuUsage(bcpu0);
  const bredis1 = await redisCpuSeconds(admin);

  // 3. process all of them: one worker, concurrency C, no-op processor.
  let completed = 0;
  let resolveDone;
  const done = new Promise((r) => { resolveDone = r; });
  const worker = new Worker(qName, async () => null, { connection, concurrency: args.concurrency, autorun: false });
  worker.on('completed', () => { if (++completed === bulked) resolveDone(); });
  worker.on('error', (e) => process.stderr.write(`worker error: ${e && e.message}\n`));
  await worker.waitUntilReady();
  const before = await commandCalls(admin);
  const cpu0 = process.cpuUsage();
  const redisCpu0 = await redisCpuSeconds(admin);
  const t3 = performance.now();
  worker.run();
  const timedOut = await Promise.race([done.then(() => false), sleep(args.timeLimit * 1000).then(() => true)]);
  const elapsed3 = (performance.now() - t3) / 1000;
  const cpu1 = process.cpuUsage(cpu0);
  const redisCpu1 = await redisCpuSeconds(admin);
  const after = await commandCalls(admin);
  const processPerS = completed / elapsed3;
  await worker.close();
  const counts = await q2.getJobCounts('completed', 'waiting', 'active', 'failed');
  await q2.obliterate({ force: true });
  await q2.close();
  // INFO calls are the benchmark's own probes, not the queue's work.
  let cmdDelta = 0;
  const perCmd = {};
  for (const [k, v] of Object.entries(after.perCmd)) {
    const d = v - (before.perCmd[k] || 0);
    if (d > 0 && k !== 'info') { cmdDelta += d; perCmd[k] = round(d / Math.max(1, completed), 3); }
  }

  // 4. pickup latency: an idle worker; add one job, wait for its processor, let the worker go idle again.
  const q3 = new Queue(`bench-pick-${runId}`, { connection });
  await q3.waitUntilReady();
  let onStart = null;
  const picker = new Worker(q3.name, async () => { if (onStart) onStart(performance.now()); return null; }, { connection, concurrency: args.concurrency });
  await picker.waitUntilReady();
  let finished = null;
  picker.on('completed', () => { if (finished) finished(); });
  const lat = [];
  const latAfter = [];
  const end4 = deadline(args.timeLimit);
  // warm-up sample, not recorded
  for (let s = -1; s < args.samples && performance.now() < end4; s++) {
    await sleep(5); // let the worker return to its blocking wait: the job must find it idle
    const started = new Promise((r) => { onStart = r; });
    const fin = new Promise((r) => { finished = r; });
    const t0 = performance.now();
    await q3.add('noop', payload(s));
    const t1 = performance.now();
    const ts = await Promise.race([started, sleep(5000).then(() => null)]);
    if (ts === null) throw new Error('pickup sample timed out after 5 s');
    await Promise.race([fin, sleep(5000)]);
    if (s >= 0) { lat.push(ts - t0); latAfter.push(Math.max(0, ts - t1)); }
  }
  await picker.close();
  await q3.obliterate({ force: true });
  await q3.close();
  lat.sort((x, y) => x - y);
  latAfter.sort((x, y) => x - y);

  const result = {
    system: 'bullmq',
    version: require('bullmq/package.json').version,
    backend: 'redis',
    jobs: bulked,
    concurrency: args.concurrency,
    enqueue_jobs: singles,
    enqueue_per_s: round(enqueuePerS),
    enqueue_bulk_per_s: round(enqueueBulkPerS),
    process_per_s: round(processPerS),
    processed: completed,
    process_timed_out: timedOut,
    completed_in_store: Number(counts.completed),
    pickup_samples: lat.length,
    pickup_p50_ms: round(percentile(lat, 50), 3),
    pickup_p99_ms: round(percentile(lat, 99), 3),
    pickup_after_enqueue_p50_ms: round(percentile(latAfter, 50), 3),
    pickup_after_enqueue_p99_ms: round(percentile(latAfter, 99), 3),
    redis_cmds_per_job: round(cmdDelta / Math.max(1, completed), 2),
    redis_cmds_breakdown: perCmd,
    client_cpu_us_per_job: round((cpu1.user + cpu1.system) / Math.max(1, completed)),
    redis_cpu_us_per_job: round(((redisCpu1 - redisCpu0) * 1e6) / Math.max(1, completed)),
    bulk_client_cpu_us_per_job: round((bcpu1.user + bcpu1.system) / Math.max(1, bulked)),
    bulk_redis_cpu_us_per_job: round(((bredis1 - bredis0) * 1e6) / Math.max(1, bulked)),
  };
  await admin.quit();
  process.stdout.write(JSON.stringify(result) + '\n');
}

main().then(() => process.exit(0), (e) => { process.stderr.write(`${e && e.stack}\n`); process.exit(1); });
