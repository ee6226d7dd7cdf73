--[[
  Gives a leased job back without burning its attempt (graceful shutdown, "provider said retry after T").
  The job keeps its place in line; it runs again at run-at (now = at once), or at once when a promote
  noted a wake while it ran (the note is used up). A job someone asked to cancel ends canceled instead.
  KEYS: jobs, hot, wait, delayed, active, canceled, meta, gactive, glast, events
  ARGV[1..3] common; ARGV[4] job id; ARGV[5] lease token; ARGV[6] run-at ms
  Returns 1 released (or canceled), 0 stale lease.
  Events: Released or Canceled. Publishes on the work channel when the job is runnable now.
]]
bindKeys({'jobs', 'hot', 'wait', 'delayed', 'active', 'canceled', 'meta', 'gactive', 'glast', 'events'})
local j = loadJob(ARGV[4])
if not isLeaseHolder(j, ARGV[5]) then return 0 end
leaveActive(j)
j.w = nil
if j.cr then
  finishCanceled(j, 'canceled')
else
  j.a = math.max(0, j.a - 1)
  local runAt = tonumber(ARGV[6])
  if j.wk then runAt = NOW end
  j.wk = nil
  schedule(j, runAt)
  emit(j.id, EV_RELEASED)
end
saveJob(j)
wakeIfSlotLimited()
flushEvents()
flushWake()
return 1
