--[[
  Deletes a job that is not active (an active job belongs to its worker until it finishes or is recovered).
  KEYS: jobs, hot, wait, delayed, completed, failed, canceled, events
  ARGV[1..3] common; ARGV[4] job id
  Returns 1 removed, 0 when missing or active.
  Events: Removed.
]]
bindKeys({'jobs', 'hot', 'wait', 'delayed', 'completed', 'failed', 'canceled', 'events'})
local j = loadJob(ARGV[4])
if j == nil or j.st == ACTIVE then return 0 end
if j.st == WAITING then redis.call('ZREM', K.wait, j.wm)
elseif j.st == DELAYED then redis.call('ZREM', K.delayed, j.id)
else redis.call('ZREM', finishedKey(j.st), j.id) end
redis.call('HDEL', K.jobs, j.id)
redis.call('HDEL', K.hot, j.id)
emit(j.id, EV_REMOVED)
flushEvents()
return 1
