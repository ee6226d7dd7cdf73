--[[
  Completes leased jobs and claims the next ones in the same atomic step (one round trip per batch).
  KEYS: jobs, hot, wait, delayed, active, completed, meta, rate, gactive, glast, events
  ARGV[1..3] common; ARGV[4] worker id; ARGV[5] max jobs to claim; ARGV[6] lease ms; ARGV[7] token prefix;
  ARGV[8..] triples: job id, lease token, result ('' = none, else '1' .. result)
  Returns {{flag per completion (1 completed, 0 stale)}, {leaseExpiryMs, 6 fields per job (see claimJobs)...} or {}}.
  Events: Completed and Active, written as one stream entry.
]]
bindKeys({'jobs', 'hot', 'wait', 'delayed', 'active', 'completed', 'meta', 'rate', 'gactive', 'glast', 'events'})
local flags = completeJobs(8)
local claimed = claimJobs(ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7])
flushEvents()
if slotLimited and #flags > 0 then wake = true end
flushWake()
return {flags, claimed}
