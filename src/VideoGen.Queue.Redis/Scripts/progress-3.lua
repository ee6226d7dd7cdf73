--[[
  Stores progress (opaque JSON) on a leased job and publishes it (fenced by its token).
  KEYS: jobs, hot, events
  ARGV[1..3] common; ARGV[4] job id; ARGV[5] lease token; ARGV[6] progress
  Returns 1 stored, 0 stale lease.
  Events: Progress (data = progress).
]]
bindKeys({'jobs', 'hot', 'events'})
local j = loadJob(ARGV[4])
if not isLeaseHolder(j, ARGV[5]) then return 0 end
j.prog = ARGV[6]
saveJob(j)
emit(j.id, EV_PROGRESS, ARGV[6])
flushEvents()
return 1
