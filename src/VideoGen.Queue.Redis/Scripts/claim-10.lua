--[[
  Leases up to max due jobs in scheduling order: priority (higher first), then fair turns between
  groups (virtual time), then first in first out; honours pause, global concurrency, the rate limit
  and max active per group. Due delayed jobs are promoted first. Each claim starts an attempt.
  KEYS: jobs, hot, wait, delayed, active, meta, rate, gactive, glast, events
  ARGV[1..3] common; ARGV[4] worker id; ARGV[5] max jobs; ARGV[6] lease ms; ARGV[7] token prefix (unique per call)
  Returns {leaseExpiryMs, 6 fields per job (see claimJobs in _prelude.lua)...} or {} when nothing was claimed.
  Events: Active per claimed job.
]]
bindKeys({'jobs', 'hot', 'wait', 'delayed', 'active', 'meta', 'rate', 'gactive', 'glast', 'events'})
local out = claimJobs(ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7])
flushEvents()
return out
