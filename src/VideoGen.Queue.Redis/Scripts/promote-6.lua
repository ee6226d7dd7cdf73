--[[
  Runs a parked job now (news for it arrived early, e.g. a provider webhook). A delayed job becomes waiting,
  keeping its attempt count and its place in line. An active job gets a wake note (field wk of its record):
  its next release makes it runnable at once, whatever run-at it names, and uses the note up.
  KEYS: jobs, hot, wait, delayed, meta, glast
  ARGV[1..3] common; ARGV[4] job id
  Returns 'promoted', 'waiting', 'noted', 'finished' or 'missing'.
  Events: none (like a delayed job coming due). Publishes on the work channel when promoted.
]]
bindKeys({'jobs', 'hot', 'wait', 'delayed', 'meta', 'glast'})
local j = loadJob(ARGV[4])
if j == nil then return 'missing' end
if j.st == WAITING then return 'waiting' end
if j.st == ACTIVE then
  j.wk = 1
  redis.call('HSET', K.jobs, j.id, encodeCold(j))
  return 'noted'
end
if j.st ~= DELAYED then return 'finished' end
redis.call('ZREM', K.delayed, j.id)
j.wk = nil
j.r = NOW
schedule(j, NOW)
saveJob(j)
flushWake()
return 'promoted'
