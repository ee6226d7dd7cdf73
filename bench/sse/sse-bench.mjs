// SSE scale benchmark: one `videogen serve` (SQLite or Redis queue), N open per-video event streams.
// Measures the server's resident memory added per stream, the video rows its event pump reads per second
// (idle and while videos change; plus Redis stream reads from INFO commandstats), and the latency from a
// worker's state change (the row's updatedAt) to the event arriving at a client, p50/p99.
// Usage: node bench/sse/sse-bench.mjs --dll PATH --backend sqlite|redis [--redis-port P] --streams N [--videos V]
// Prints one JSON line. Every wait is bounded; the server is stopped with SIGTERM (then SIGKILL) by pid.
import http from 'node:http';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const dll = args.dll;
const backend = args.backend ?? 'sqlite';
const streams = Number(args.streams ?? 10);
const videos = Number(args.videos ?? 10);
const redisPort = args['redis-port'];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

function request(base, method, p, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(p, base), { method, agent, headers: body ? { 'content-type': 'application/json' } : {}, timeout: 30000 }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode, body: data ? JSON.parse(data) : null }));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${p} timed out`)));
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

const rssKb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
const detail = async (base) => (await request(base, 'GET', '/health/ready')).body.detail;
const redisStreamReads = () => {
  if (!redisPort) return 0;
  const info = execFileSync('redis-cli', ['-p', redisPort, 'info', 'commandstats'], { encoding: 'utf8' });
  return [...info.matchAll(/cmdstat_(xread|xrange|xrevrange):calls=(\d+)/g)].reduce((n, m) => n + Number(m[2]), 0);
};
const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : null);

async function until(what, check, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'videogen-sse-bench-'));
const port = 20000 + Math.floor(Math.random() * 20000);
const base = `http://127.0.0.1:${port}`;
const settings = [
  `--VideoGen:DataDir=${dir}`, '--VideoGen:Events:MaxStreams=100000', '--VideoGen:Events:MaxStreamsPerClient=100000',
  '--VideoGen:Providers:Local:QueueDelay=00:00:00.500', '--VideoGen:Providers:Local:MinRenderTime=00:00:01',
  '--VideoGen:Pipeline:PollInterval=00:00:00.200', '--VideoGen:Pipeline:MaxPollInterval=00:00:01', '--Logging:LogLevel:Default=Warning',
  ...(backend === 'redis' ? ['--VideoGen:Queue:Backend=redis', `--ConnectionStrings:Redis=127.0.0.1:${redisPort}`] : []),
];
const server = spawn('dotnet', [dll, 'serve', '--urls', base, ...settings], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DOTNET_TieredCompilation: '0' } });
let log = '';
server.stdout.on('data', (c) => (log = (log + c).slice(-20000)));
server.stderr.on('data', (c) => (log = (log + c).slice(-20000)));
const result = { backend, streams, videos };
const open = [];
try {
  await until('the server to be ready', () => log.includes('VideoGen ready at'), 120000);
  await request(base, 'POST', '/api/admin/queues/videos/pause');
  const ids = [];
  for (let i = 0; i < videos; i++) ids.push((await request(base, 'POST', '/api/videos', { prompt: `benchmark fox ${i}` })).body.id);
  await sleep(2000);
  const rss0 = rssKb(server.pid);

  const latencies = [];
  let armed = false;
  const done = new Set();
  const openOne = (k) => new Promise((resolve, reject) => {
    const id = ids[k % ids.length];
    const req = http.request(new URL(`/api/videos/${id}/events`, base), { agent, headers: { accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream ${k}: HTTP ${res.statusCode}`));
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk) => {
        const now = Date.now();
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = frame.split('\n').find((l) => l.startsWith('data: '));
          if (!data) continue;
          const video = JSON.parse(data.slice(6));
          if (armed) latencies.push(now - Date.parse(video.updatedAt));
          if (video.status === 'succeeded' || video.status === 'failed') done.add(k);
        }
      });
      resolve(req);
    });
    req.on('error', reject);
    req.end();
  });
  const started = Date.now();
  for (let k = 0; k < streams; k += 250) {
    open.push(...(await Promise.all(Array.from({ length: Math.min(250, streams - k) }, (_, j) => openOne(k + j)))));
  }
  await until('every stream to be open', async () => (await detail(base)).eventStreamsOpen === streams, 60000);
  result.openMs = Date.now() - started;
  await sleep(5000);
  const rss1 = rssKb(server.pid);
  result.rssBaseMb = +(rss0 / 1024).toFixed(1);
  result.rssPerStreamKb = +((rss1 - rss0) / streams).toFixed(1);

  const idle0 = { rows: (await detail(base)).eventRowsRead, redis: redisStreamReads(), at: Date.now() };
  await sleep(10000);
  const idle1 = { rows: (await detail(base)).eventRowsRead, redis: redisStreamReads(), at: Date.now() };
  const per = (a, b, k) => +((b[k] - a[k]) / ((b.at - a.at) / 1000)).toFixed(1);
  result.idleRowsReadPerSec = per(idle0, idle1, 'rows');
  result.idleRedisStreamReadsPerSec = per(idle0, idle1, 'redis');

  armed = true;
  const busy0 = { rows: idle1.rows, redis: redisStreamReads(), at: Date.now() };
  await request(base, 'POST', '/api/admin/queues/videos/resume');
  await until('every stream to see its video finish', () => done.size === streams, 180000);
  const busy1 = { rows: (await detail(base)).eventRowsRead, redis: redisStreamReads(), at: Date.now() };
  result.busyRowsReadPerSec = per(busy0, busy1, 'rows');
  result.busyRedisStreamReadsPerSec = per(busy0, busy1, 'redis');
  latencies.sort((a, b) => a - b);
  result.events = latencies.length;
  result.latencyP50Ms = pct(latencies, 50);
  result.latencyP99Ms = pct(latencies, 99);
  result.latencyMaxMs = latencies[latencies.length - 1];

  for (const req of open) req.destroy();
  await until('the server\'s streams to close', async () => (await detail(base)).eventStreamsOpen === 0, 30000);
  const stop = Date.now();
  server.kill('SIGTERM');
  await until('the server to exit after SIGTERM', () => server.exitCode !== null || server.signalCode !== null, 30000);
  result.sigtermExitMs = Date.now() - stop;
  console.log(JSON.stringify(result));
} catch (e) {
  console.error(String(e?.stack ?? e));
  console.error(log.slice(-3000));
  process.exitCode = 1;
} finally {
  for (const req of open) req.destroy();
  if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
  agent.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
}
