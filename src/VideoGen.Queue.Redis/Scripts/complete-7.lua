--[[
  Completes leased jobs, each fenced by its lease token (a stale token changes nothing).
  KEYS: jobs, hot, active, completed, meta, gactive, events
  ARGV[1..3] common; ARGV[4..] triples: job id, lease token, result ('' = none, else '1' .. result)
  Returns one flag per job: 1 completed, 0 stale lease.
  Events: Completed per completed job. Publishes on the work channel when a concurrency limit is set
  (a freed slot may let an idle worker claim).
]]
bindKeys({'jobs', 'hot', 'active', 'completed', 'meta', 'gactive', 'events'})
local flags = completeJobs(4)
flushEvents()
wakeIfSlotLimited()
flushWake()
return flags
