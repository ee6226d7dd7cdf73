--[[
  Cancels a waiting or delayed job at once; for an active job records a cancel request that its
  worker learns at once from the cancel channel (ARGV[6], published with the job id) and, should it
  miss that, from its next lease renewal.
  KEYS: jobs, hot, wait, delayed, canceled, events
  ARGV[1..3] common; ARGV[4] job id; ARGV[5] reason; ARGV[6] cancel channel
  Returns 'canceled', 'requested', 'finished' or 'notfound'.
  Events: Canceled or CancelRequested (data = reason).
]]
bindKeys({'jobs', 'hot', 'wait', 'delayed', 'canceled', 'events'})
local j = loadJob(ARGV[4])
if j == nil then return 'notfound' end
local outcome
if j.st == WAITING or j.st == DELAYED then
  if j.st == WAITING then redis.call('ZREM', K.wait, j.wm) else redis.call('ZREM', K.delayed, j.id) end
  finishCanceled(j, ARGV[5])
  outcome = 'canceled'
elseif j.st == ACTIVE then
  if not j.cr then
    j.cr = true
    emit(j.id, EV_CANCEL_REQUESTED, ARGV[5])
    redis.call('PUBLISH', ARGV[6], j.id)
  end
  outcome = 'requested'
else
  return 'finished'
end
saveJob(j)
flushEvents()
return outcome
