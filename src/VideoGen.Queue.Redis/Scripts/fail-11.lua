--[[
  Records a failed attempt of a leased job (fenced by its token): with retryable set and attempts
  left the job runs again at the retry time (delayed, or waiting when that is now; a new place in
  line), otherwise it is failed. A job someone asked to cancel ends canceled instead.
  KEYS: jobs, hot, wait, delayed, active, failed, canceled, meta, gactive, glast, events
  ARGV[1..3] common; ARGV[4] job id; ARGV[5] lease token; ARGV[6] error; ARGV[7] retryable (1/0); ARGV[8] retry-at ms
  Returns 'retrying', 'failed', 'canceled' or 'stale'.
  Events: Retrying, Failed or Canceled (data = error).
]]
bindKeys({'jobs', 'hot', 'wait', 'delayed', 'active', 'failed', 'canceled', 'meta', 'gactive', 'glast', 'events'})
local j = loadJob(ARGV[4])
if not isLeaseHolder(j, ARGV[5]) then return 'stale' end
leaveActive(j)
j.err = ARGV[6]
j.w = nil
local outcome
if j.cr then
  finishCanceled(j, ARGV[6])
  outcome = 'canceled'
elseif ARGV[7] == '1' and j.a < j.ma then
  j.wm = nil
  schedule(j, math.max(tonumber(ARGV[8]), NOW))
  emit(j.id, EV_RETRYING, ARGV[6])
  outcome = 'retrying'
else
  finish(j, FAILED)
  emit(j.id, EV_FAILED, ARGV[6])
  outcome = 'failed'
end
saveJob(j)
wakeIfSlotLimited()
flushEvents()
flushWake()
return outcome
