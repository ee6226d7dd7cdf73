--[[
  Adds jobs unless a job with the same id exists (in any state), in as few commands as a batch allows.
  KEYS: jobs, hot, wait, delayed, meta, glast, events
  ARGV[1..3] common (now, events maxlen, work channel); ARGV[4..] five values per job (JobRecord.AddEnqueueArgs):
    id; run-at ms when it runs later, else ''; priority as text; '=' .. group, or '' for none;
    its JSON record without the closing brace (the script appends sq and, once waiting, wm).
  Nothing is decoded or encoded as JSON and no number is turned into text by Lua (see NOW_S in the prelude).
  Returns the number of jobs created.
  Events: Enqueued or Delayed per created job. Publishes on the work channel when a job is runnable now.
]]
bindKeys({'jobs', 'hot', 'wait', 'delayed', 'meta', 'glast', 'events'})
local FIELDS = 5
local n = (#ARGV - 3) / FIELDS
if n < 1 then return 0 end
local ids = {}
for i = 1, n do ids[i] = ARGV[4 + (i - 1) * FIELDS] end
local existing = redis.call('HMGET', K.jobs, unpack(ids))
local last = redis.call('HINCRBY', K.meta, 'seq', n)

-- Virtual times of the groups in this batch, read once and written back once (see assignWaitMember).
local vts, served = {}, {}
local function nextVt(prio, group)
  local gk = 'g:' .. prio .. ':' .. group
  local vt = vts[gk]
  if vt == nil then
    local got = redis.call('HMGET', K.glast, gk, 'v:' .. prio)
    served[prio] = tonumber(got[2] or '0')
    vt = tonumber(got[1] or '0')
  end
  vt = math.max(served[prio] or 0, vt + 1)
  vts[gk] = vt
  return vt
end

-- The wait score is -priority, as text.
local function negated(prio)
  if prio == '0' then return '0' end
  if string.sub(prio, 1, 1) == '-' then return string.sub(prio, 2) end
  return '-' .. prio
end

local seen, jobsSet, hotSet, waitAdd, delayedAdd = {}, {}, {}, {}, {}
local created, minDelayed = 0, nil
for i = 1, n do
  local at = 4 + (i - 1) * FIELDS
  local id, runAt, prio, groupField, record = ARGV[at], ARGV[at + 1], ARGV[at + 2], ARGV[at + 3], ARGV[at + 4]
  if not existing[i] and not seen[id] then
    seen[id] = true
    local sq = last - n + i
    local hotState
    if runAt ~= '' then
      hotState = '1'
      delayedAdd[#delayedAdd + 1] = runAt
      delayedAdd[#delayedAdd + 1] = id
      local due = tonumber(runAt)
      if minDelayed == nil or due < minDelayed then minDelayed = due end
      record = record .. ',"sq":' .. string.format('%d', sq) .. '}'
      emit(id, EV_DELAYED)
    else
      hotState = '0'
      local wm = string.format('%015d%015d', nextVt(prio, string.sub(groupField, 2)), sq) .. id
      waitAdd[#waitAdd + 1] = negated(prio)
      waitAdd[#waitAdd + 1] = wm
      record = record .. ',"sq":' .. string.format('%d', sq) .. ',"wm":' .. jsonString(wm) .. '}'
      emit(id, EV_ENQUEUED)
    end
    jobsSet[#jobsSet + 1] = id
    jobsSet[#jobsSet + 1] = record
    hotSet[#hotSet + 1] = id
    -- packHot of a new job: state, attempt 0, nothing started, finished, requested or leased, no worker.
    hotSet[#hotSet + 1] = hotState .. '|0||||||' .. groupField
    created = created + 1
  end
end
if created == 0 then return 0 end
redis.call('HSET', K.jobs, unpack(jobsSet))
redis.call('HSET', K.hot, unpack(hotSet))
if #waitAdd > 0 then
  redis.call('ZADD', K.wait, unpack(waitAdd))
  local glastSet = {}
  for gk, vt in pairs(vts) do
    glastSet[#glastSet + 1] = gk
    glastSet[#glastSet + 1] = string.format('%d', vt)
  end
  redis.call('HSET', K.glast, unpack(glastSet))
  wake = true
end
if #delayedAdd > 0 then
  redis.call('ZADD', K.delayed, unpack(delayedAdd))
  local dnext = tonumber(redis.call('HGET', K.meta, 'dnext') or '')
  if dnext == nil or minDelayed < dnext then redis.call('HSET', K.meta, 'dnext', string.format('%d', minDelayed)) end
end
flushEvents()
flushWake()
return created
