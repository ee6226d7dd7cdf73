--[[
  Takes back jobs whose lease expired (their worker died or hung): to waiting at their old place in
  line when attempts are left, to failed when not, to canceled when a cancel had been requested.
  KEYS: jobs, hot, wait, active, failed, canceled, meta, gactive, glast, events
  ARGV[1..3] common; ARGV[4] most jobs to recover in this call
  Returns the number of jobs recovered.
  Events: Recovered, Failed (data = reason) or Canceled. Publishes on the work channel when any job is runnable.
]]
bindKeys({'jobs', 'hot', 'wait', 'active', 'failed', 'canceled', 'meta', 'gactive', 'glast', 'events'})
local ids = redis.call('ZRANGE', K.active, '-inf', NOW, 'BYSCORE', 'LIMIT', 0, tonumber(ARGV[4]))
if #ids == 0 then return 0 end
local jobs = loadJobs(ids)
local n = 0
for i = 1, #ids do
  local j = jobs[i]
  if not j or j.st ~= ACTIVE then
    redis.call('ZREM', K.active, ids[i])
  else
    leaveActive(j)
    j.w = nil
    if j.cr then
      finishCanceled(j, 'canceled (worker lost its lease)')
    elseif j.a >= j.ma then
      j.err = 'lease expired on the last attempt'
      finish(j, FAILED)
      emit(j.id, EV_FAILED, j.err)
    else
      schedule(j, NOW)
      emit(j.id, EV_RECOVERED)
    end
    saveJob(j)
    n = n + 1
  end
end
wakeIfSlotLimited()
flushEvents()
flushWake()
return n
