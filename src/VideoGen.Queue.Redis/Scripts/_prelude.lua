--[[
  Shared helpers, prepended to every operation script before it is loaded (not an operation itself).

  Layout of one queue (every key carries the hash tag {queue}, all are passed through KEYS):
    jobs      HASH  job id -> JSON record of the fields that rarely change {id, p, pr, ma, bo, c, r, res, err, prog, sq, wm}
    hot       HASH  job id -> the fields every claim and completion changes, as one plain string (see packHot):
                    state|attempt|started|finished|cancel requested|lease token|length of worker id|worker id[=group]
                    Claims, completions and lease renewals touch only this string, never the JSON.
    wait      ZSET  score = -priority, member = vt(15 digits) .. seq(15 digits) .. id
                    (equal scores sort by member: virtual time gives groups turns, seq keeps FIFO)
    delayed   ZSET  score = run-at ms, member = id
    active    ZSET  score = lease expiry ms, member = id
    completed/failed/canceled  ZSET score = finished ms, member = id
    meta      HASH  paused, conc, rate, ratewin, gmax, dnext (earliest delayed run-at hint), seq
    rate      ZSET  one member per job start inside the rate window (score = start ms)
    gactive   HASH  group -> active jobs of that group (named groups only)
    glast     HASH  'g:<prio>:<group>' -> last virtual time given to the group; 'v:<prio>' -> virtual time now being served
    events    STREAM  one entry per script call: t = now ms, e = JSON [[jobId, kind, data?], ...]

  Common ARGV of every operation: ARGV[1] now (ms, from the caller's clock), ARGV[2] events MAXLEN (~),
  ARGV[3] the queue's pub/sub "work" channel, "\n", and the message to publish ('1', or from the enqueue
  path its store's id, so that store can ignore the echo of its own wake-up).
]]
local K = {}
local function bindKeys(names)
  for i, n in ipairs(names) do K[n] = KEYS[i] end
end

local WAITING, DELAYED, ACTIVE, COMPLETED, FAILED, CANCELED = 0, 1, 2, 3, 4, 5
-- Event kinds as the JSON text of their numbers (events are written as text, see emit).
local EV_ENQUEUED, EV_DELAYED, EV_ACTIVE, EV_PROGRESS, EV_COMPLETED, EV_RETRYING, EV_FAILED,
      EV_CANCEL_REQUESTED, EV_CANCELED, EV_RELEASED, EV_RECOVERED, EV_REMOVED = '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11'

local NOW = tonumber(ARGV[1])
-- The same instant as text, for values written back: Lua turns a number into text with printf("%.14g"),
-- which costs more than everything else a claim does for a job, so hot paths pass this string instead.
local NOW_S = ARGV[1]
local MAXLEN = ARGV[2]
local CHANNEL, WAKE_MESSAGE = ARGV[3], '1'
do
  -- The last newline splits, so a queue name may contain newlines itself.
  local sep = string.match(CHANNEL, '.*()\n')
  if sep then
    WAKE_MESSAGE = string.sub(CHANNEL, sep + 1)
    CHANNEL = string.sub(CHANNEL, 1, sep - 1)
  end
end

-- Events of this call, in order: id, kind (the JSON text of its number) and data (false = none).
-- flushEvents writes them as one JSON array [[id, kind, data?], ...] with a single table.concat when no
-- id needs escaping and none carries data (claims and completions), else through cjson. Building a
-- string per event (or per number) costs more in Lua than the rest of a claim.
local evIds, evKinds, evData, evWithData = {}, {}, {}, false
local function emit(id, kind, data)
  local n = #evIds + 1
  evIds[n] = id
  evKinds[n] = kind
  evData[n] = data or false
  if data ~= nil then evWithData = true end
end
local function eventsJson()
  local n = #evIds
  if not evWithData and not string.find(table.concat(evIds), '[%c"\\]') then
    local parts, between = {}, {}
    for i = 1, n do
      local kind = evKinds[i]
      local sep = between[kind]
      if sep == nil then
        sep = '",' .. kind .. '],["'
        between[kind] = sep
      end
      parts[i * 2 - 1] = evIds[i]
      parts[i * 2] = sep
    end
    parts[n * 2] = '",' .. evKinds[n] .. ']]'
    return '[["' .. table.concat(parts)
  end
  local list = {}
  for i = 1, n do
    if evData[i] then list[i] = {evIds[i], tonumber(evKinds[i]), evData[i]} else list[i] = {evIds[i], tonumber(evKinds[i])} end
  end
  return cjson.encode(list)
end
local function flushEvents()
  if #evIds > 0 then
    redis.call('XADD', K.events, 'MAXLEN', '~', MAXLEN, '*', 't', NOW_S, 'e', eventsJson())
    evIds, evKinds, evData, evWithData = {}, {}, {}, false
  end
end

-- A JSON string of s: written directly unless it holds a character JSON needs escaped.
local function jsonString(s)
  if type(s) ~= 'string' or string.find(s, '[%c"\\]') then return cjson.encode(s) end
  return '"' .. s .. '"'
end

local wake = false
local function flushWake()
  if wake then redis.call('PUBLISH', CHANNEL, WAKE_MESSAGE) wake = false end
end

local function decode(raw)
  if raw then return cjson.decode(raw) end
  return nil
end

-- The hot fields (see the layout above). The worker id and group are free text, so the worker id is
-- length-prefixed and the group (absent = no group) takes the rest after '='.
local HOT_FIELDS = {'st', 'a', 's', 'f', 'cr', 't', 'w', 'g'}
local function packHot(j)
  local w = j.w or ''
  return j.st .. '|' .. j.a .. '|' .. (j.s or '') .. '|' .. (j.f or '') .. '|' .. (j.cr and '1' or '') .. '|' ..
    (j.t or '') .. '|' .. (j.w and #w or '') .. '|' .. w .. (j.g and ('=' .. j.g) or '')
end
local HOT_PATTERN = '^(%d+)|(%d+)|(%d*)|(%d*)|(1?)|([^|]*)|(%d*)|(.*)$'
-- The group at the end of a hot string's rest (worker id of length wl, then '=' group), or nil.
local function groupOf(wl, rest)
  local wlen = tonumber(wl) or 0
  if #rest > wlen then return string.sub(rest, wlen + 2) end
  return nil
end
local function unpackHot(raw, j)
  local st, a, s, f, cr, t, wl, rest = string.match(raw, HOT_PATTERN)
  j.st = tonumber(st)
  j.a = tonumber(a)
  j.s = tonumber(s)
  j.f = tonumber(f)
  j.cr = cr == '1' or nil
  if t ~= '' then j.t = t else j.t = nil end
  local wlen = tonumber(wl)
  if wlen then j.w = string.sub(rest, 1, wlen) else j.w = nil wlen = 0 end
  if #rest > wlen then j.g = string.sub(rest, wlen + 2) else j.g = nil end
  return j
end
-- Just the hot fields of one job (nil when it does not exist): what the fast paths read.
local function hot(raw)
  if raw then return unpackHot(raw, {}) end
  return nil
end

local function merge(cold, hotRaw)
  if not cold or not hotRaw then return nil end
  return unpackHot(hotRaw, cjson.decode(cold))
end
local function loadJob(id)
  return merge(redis.call('HGET', K.jobs, id), redis.call('HGET', K.hot, id))
end
local function loadJobs(ids)
  local colds = redis.call('HMGET', K.jobs, unpack(ids))
  local hots = redis.call('HMGET', K.hot, unpack(ids))
  local out = {}
  for i = 1, #ids do out[i] = merge(colds[i], hots[i]) or false end
  return out
end
local function encodeCold(j)
  local saved = {}
  for _, f in ipairs(HOT_FIELDS) do saved[f] = j[f] j[f] = nil end
  local json = cjson.encode(j)
  for _, f in ipairs(HOT_FIELDS) do j[f] = saved[f] end
  return json
end
local function saveJob(j)
  redis.call('HSET', K.jobs, j.id, encodeCold(j))
  redis.call('HSET', K.hot, j.id, packHot(j))
end

local function finishedKey(st)
  if st == COMPLETED then return K.completed elseif st == FAILED then return K.failed else return K.canceled end
end

-- Virtual time for fair turns (start-time fair queuing): a group's next job starts one turn after
-- its previous one, but never before the turn being served now ('v:<prio>', the virtual time of the
-- last claimed job), so a group that arrives late is served next instead of behind a backlog.
local function assignWaitMember(j)
  local prio = j.pr
  local gk = 'g:' .. prio .. ':' .. (j.g or '')
  local got = redis.call('HMGET', K.glast, gk, 'v:' .. prio)
  local vt = math.max(tonumber(got[2] or '0'), tonumber(got[1] or '0') + 1)
  redis.call('HSET', K.glast, gk, vt)
  j.wm = string.format('%015d%015d', vt, j.sq) .. j.id
end

-- Puts a job in wait (keeping its place in line when it already had one) or in delayed.
local function schedule(j, runAt)
  if runAt > NOW then
    j.st = DELAYED
    j.r = runAt
    redis.call('ZADD', K.delayed, runAt, j.id)
    local dnext = tonumber(redis.call('HGET', K.meta, 'dnext') or '')
    if dnext == nil or runAt < dnext then redis.call('HSET', K.meta, 'dnext', runAt) end
  else
    j.st = WAITING
    if j.wm == nil then assignWaitMember(j) end
    redis.call('ZADD', K.wait, -j.pr, j.wm)
    wake = true
  end
end

local function decrGroup(j)
  if j.g then
    if redis.call('HINCRBY', K.gactive, j.g, -1) <= 0 then redis.call('HDEL', K.gactive, j.g) end
  end
end

-- A freed slot under a global or per-group concurrency limit may let an idle worker claim.
local function wakeIfSlotLimited()
  local m = redis.call('HMGET', K.meta, 'conc', 'gmax')
  if m[1] or m[2] then wake = true end
end

-- Leaves the active set (the caller then saves the record).
local function leaveActive(j)
  redis.call('ZREM', K.active, j.id)
  decrGroup(j)
  j.t = nil
end

local function finish(j, st)
  j.st = st
  j.f = NOW
  redis.call('ZADD', finishedKey(st), NOW, j.id)
end

-- Ends a job canceled with reason: a cancel of a job not running, or a requested cancel honoured when
-- its run ends (released, failed, recovered or marked canceled).
local function finishCanceled(j, reason)
  j.cr = nil
  j.err = reason
  finish(j, CANCELED)
  emit(j.id, EV_CANCELED, reason)
end

-- Due delayed jobs move to wait (bounded per call).
local function promoteDue()
  local due = redis.call('ZRANGE', K.delayed, '-inf', NOW, 'BYSCORE', 'LIMIT', 0, 500)
  if #due > 0 then
    local jobs = loadJobs(due)
    for i = 1, #due do
      local j = jobs[i]
      if j and j.st == DELAYED then
        j.st = WAITING
        if j.wm == nil then assignWaitMember(j) end
        redis.call('ZADD', K.wait, -j.pr, j.wm)
        saveJob(j)
      end
    end
    redis.call('ZREM', K.delayed, unpack(due))
  end
  local first = redis.call('ZRANGE', K.delayed, 0, 0, 'WITHSCORES')
  if first[2] then redis.call('HSET', K.meta, 'dnext', first[2]) else redis.call('HDEL', K.meta, 'dnext') end
end

local function isLeaseHolder(j, token)
  return j ~= nil and j.st == ACTIVE and j.t == token
end

-- True once claimJobs saw a global or per-group concurrency limit: freeing a slot must wake idle workers.
local slotLimited = false

-- Leases up to max due jobs, reading and writing only their hot fields. Returns {leaseExpiry, then per
-- job (see ClaimedFields in JobRecord.cs): id, token, the stored JSON record as is (payload, max attempts,
-- backoff: the client reads them), group (false = none), priority, attempt}.
local function claimJobs(worker, max, leaseMs, tokenPrefix)
  local meta = redis.call('HMGET', K.meta, 'paused', 'conc', 'rate', 'ratewin', 'gmax', 'dnext')
  slotLimited = meta[2] ~= false or meta[5] ~= false
  if meta[1] == '1' then return {} end
  local dnext = tonumber(meta[6] or '')
  if dnext and dnext <= NOW then promoteDue() end
  local n = max
  local conc = tonumber(meta[2] or '')
  if conc then n = math.min(n, conc - redis.call('ZCARD', K.active)) end
  local rate = tonumber(meta[3] or '')
  if rate and n > 0 then
    redis.call('ZREMRANGEBYSCORE', K.rate, '-inf', NOW - tonumber(meta[4]))
    n = math.min(n, rate - redis.call('ZCARD', K.rate))
  end
  if n <= 0 then return {} end

  -- Candidates in claim order as wait members with their scores (-priority); the id follows the 30 digits.
  local cand
  local gmax = tonumber(meta[5] or '')
  if gmax then
    cand = redis.call('ZRANGE', K.wait, 0, math.min(n * 8 + 100, 2000) - 1, 'WITHSCORES')
  else
    cand = redis.call('ZPOPMIN', K.wait, n)
  end
  if #cand == 0 then return {} end
  local ids = {}
  for i = 1, #cand, 2 do ids[#ids + 1] = string.sub(cand[i], 31) end
  local hots = redis.call('HMGET', K.hot, unpack(ids))

  -- Only the hot strings are read, and the new ones are built from their parts as text (see NOW_S).
  local jobs, taken, counts = {}, {}, {}
  for i = 1, #ids do
    if gmax and #jobs >= n then break end
    local member = cand[i * 2 - 1]
    local raw = hots[i]
    local st, a, _, f, cr, _, wl, rest
    if raw then st, a, _, f, cr, _, wl, rest = string.match(raw, HOT_PATTERN) end
    if st ~= '0' then
      taken[#taken + 1] = member
    else
      local g = groupOf(wl, rest)
      local ok = true
      if gmax and g then
        local c = counts[g]
        if c == nil then c = tonumber(redis.call('HGET', K.gactive, g) or '0') end
        if c >= gmax then ok = false else c = c + 1 end
        counts[g] = c
      end
      if ok then
        jobs[#jobs + 1] = {id = ids[i], wm = member, score = cand[i * 2], a = tonumber(a) + 1, f = f, cr = cr, g = g}
        taken[#taken + 1] = member
      end
    end
  end
  if gmax and #taken > 0 then redis.call('ZREM', K.wait, unpack(taken)) end
  if #jobs == 0 then return {} end

  local claimedIds = {}
  for i, j in ipairs(jobs) do claimedIds[i] = j.id end
  local colds = redis.call('HMGET', K.jobs, unpack(claimedIds))
  local exp = NOW + leaseMs
  local expS = string.format('%d', exp)
  local workerTail = '|' .. string.format('%d', #worker) .. '|' .. worker
  local out = {exp}
  local hset, zadd, rateAdd, groups, lastOfPriority, priorities = {}, {}, {}, {}, {}, {}
  for i, j in ipairs(jobs) do
    -- The wait score is -priority: 0 - x, not -x, as -0 would name the served turn 'v:-0'.
    local pr = priorities[j.score]
    if pr == nil then
      local p = 0 - tonumber(j.score)
      pr = {p, 'v:' .. string.format('%d', p)}
      priorities[j.score] = pr
    end
    lastOfPriority[pr[2]] = j.wm
    local token = tokenPrefix .. string.format('%d', i)
    hset[#hset + 1] = j.id
    hset[#hset + 1] = '2|' .. string.format('%d', j.a) .. '|' .. NOW_S .. '|' .. j.f .. '|' .. j.cr .. '|' .. token .. workerTail .. (j.g and ('=' .. j.g) or '')
    zadd[#zadd + 1] = expS
    zadd[#zadd + 1] = j.id
    if rate then
      rateAdd[#rateAdd + 1] = NOW_S
      rateAdd[#rateAdd + 1] = token
    end
    if j.g then groups[j.g] = (groups[j.g] or 0) + 1 end
    out[#out + 1] = j.id
    out[#out + 1] = token
    out[#out + 1] = colds[i]
    out[#out + 1] = j.g or false
    out[#out + 1] = pr[1]
    out[#out + 1] = j.a
    emit(j.id, EV_ACTIVE)
  end
  redis.call('HSET', K.hot, unpack(hset))
  redis.call('ZADD', K.active, unpack(zadd))
  if rate then redis.call('ZADD', K.rate, unpack(rateAdd)) end
  for g, c in pairs(groups) do redis.call('HINCRBY', K.gactive, g, c) end
  -- The turn now served at each priority: the virtual time (first 15 digits) of the last job claimed there.
  local vset = {}
  for field, member in pairs(lastOfPriority) do
    vset[#vset + 1] = field
    vset[#vset + 1] = string.sub(member, 1, 15)
  end
  redis.call('HSET', K.glast, unpack(vset))
  return out
end

-- Completes leased jobs. args: flat list starting at index `from`: id, token, result ('' = none, else '1' .. result).
-- Only a job with a result touches its JSON record; the rest change just their hot fields.
local function completeJobs(from)
  local count = (#ARGV - from + 1) / 3
  if count < 1 then return {} end
  local ids = {}
  for i = 0, count - 1 do ids[i + 1] = ARGV[from + i * 3] end
  local hots = redis.call('HMGET', K.hot, unpack(ids))
  local flags, hset, done, doneZ = {}, {}, {}, {}
  for i = 1, count do
    local raw = hots[i]
    local st, a, s, _, t, wl, rest
    if raw then st, a, s, _, _, t, wl, rest = string.match(raw, HOT_PATTERN) end
    if st == '2' and t ~= '' and t == ARGV[from + (i - 1) * 3 + 1] then
      local id = ids[i]
      local res = ARGV[from + (i - 1) * 3 + 2]
      if res ~= '' then
        local cold = decode(redis.call('HGET', K.jobs, id))
        cold.res = string.sub(res, 2)
        redis.call('HSET', K.jobs, id, cjson.encode(cold))
      end
      local g = groupOf(wl, rest)
      if g then decrGroup({g = g}) end
      -- Completed, finished now, cancel request and lease token cleared; attempt, start and worker kept.
      hset[#hset + 1] = id
      hset[#hset + 1] = '3|' .. a .. '|' .. s .. '|' .. NOW_S .. '|||' .. wl .. '|' .. rest
      done[#done + 1] = id
      doneZ[#doneZ + 1] = NOW_S
      doneZ[#doneZ + 1] = id
      emit(id, EV_COMPLETED)
      flags[i] = 1
    else
      flags[i] = 0
    end
  end
  if #done > 0 then
    redis.call('HSET', K.hot, unpack(hset))
    redis.call('ZREM', K.active, unpack(done))
    redis.call('ZADD', K.completed, unpack(doneZ))
  end
  return flags
end
