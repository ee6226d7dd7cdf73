--[[
  Adds jobs unless a job with the same id exists (in any state), in as few commands as a batch allows.
  KEYS: jobs, hot, wait, delayed, meta, glast, events
  ARGV[1..3] common (now, events maxlen, work channel); ARGV[4..] one JSON spec per job:
    {id, p (payload), pr (priority), g (group, optional), ma (max attempts), bo (backoff), r (run-at ms)}
  Returns the number of jobs created.
  Events: Enqueued or Delayed per created job. Publishes on the work channel when a job is runnable now.
]]
bindKeys({'jobs', 'hot', 'wait', 'delayed', 'meta', 'glast', 'events'})
local n = #ARGV - 3
if n < 1 then return 0 end
local specs, ids = {}, {}
for i = 1, n do
  specs[i] = cjson.decode(ARGV[3 + i])
  ids[i] = specs[i].id
end
local existing = redis.call('HMGET', K.jobs, unpack(ids))
local last = redis.call('HINCRBY', K.meta, 'seq', n)

-- Virtual times of the groups in this batch, read once and written back once (see assignWaitMember).
local vts, served = {}, {}
local function nextVt(prio, group)
  local gk = 'g:' .. prio .. ':' .. (group or '')
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

local seen, jobsSet, hotSet, waitAdd, delayedAdd = {}, {}, {}, {}, {}
local created, minDelayed = 0, nil
for i = 1, n do
  local j = specs[i]
  if not existing[i] and not seen[j.id] then
    seen[j.id] = true
    j.sq = last - n + i
    j.a = 0
    j.c = NOW
    local runAt = j.r or NOW
    if runAt > NOW then
      j.st = DELAYED
      j.r = runAt
      delayedAdd[#delayedAdd + 1] = runAt
      delayedAdd[#delayedAdd + 1] = j.id
      if minDelayed == nil or runAt < minDelayed then minDelayed = runAt end
      emit(j.id, EV_DELAYED)
    else
      j.st = WAITING
      j.r = NOW
      j.wm = string.format('%015d%015d', nextVt(j.pr, j.g), j.sq) .. j.id
      waitAdd[#waitAdd + 1] = -j.pr
      waitAdd[#waitAdd + 1] = j.wm
      emit(j.id, EV_ENQUEUED)
    end
    jobsSet[#jobsSet + 1] = j.id
    jobsSet[#jobsSet + 1] = encodeCold(j)
    hotSet[#hotSet + 1] = j.id
    hotSet[#hotSet + 1] = packHot(j)
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
    glastSet[#glastSet + 1] = vt
  end
  redis.call('HSET', K.glast, unpack(glastSet))
  wake = true
end
if #delayedAdd > 0 then
  redis.call('ZADD', K.delayed, unpack(delayedAdd))
  local dnext = tonumber(redis.call('HGET', K.meta, 'dnext') or '')
  if dnext == nil or minDelayed < dnext then redis.call('HSET', K.meta, 'dnext', minDelayed) end
end
flushEvents()
flushWake()
return created
