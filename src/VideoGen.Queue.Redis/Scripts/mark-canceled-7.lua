--[[
  Ends a leased job as canceled after its handler stopped on a cancel request (fenced by its token).
  KEYS: jobs, hot, active, canceled, meta, gactive, events
  ARGV[1..3] common; ARGV[4] job id; ARGV[5] lease token; ARGV[6] reason
  Returns 1 canceled, 0 stale lease.
  Events: Canceled (data = reason).
]]
bindKeys({'jobs', 'hot', 'active', 'canceled', 'meta', 'gactive', 'events'})
local j = loadJob(ARGV[4])
if not isLeaseHolder(j, ARGV[5]) then return 0 end
leaveActive(j)
j.w = nil
finishCanceled(j, ARGV[6])
saveJob(j)
wakeIfSlotLimited()
flushEvents()
flushWake()
return 1
