--[[
  Moves a failed or canceled job back to waiting with a fresh set of attempts and a new place in line.
  KEYS: jobs, hot, wait, delayed, failed, canceled, meta, glast, events
  ARGV[1..3] common; ARGV[4] job id
  Returns 1 moved, 0 when the job is missing or in another state.
  Events: Enqueued. Publishes on the work channel.
]]
bindKeys({'jobs', 'hot', 'wait', 'delayed', 'failed', 'canceled', 'meta', 'glast', 'events'})
local j = loadJob(ARGV[4])
if j == nil or (j.st ~= FAILED and j.st ~= CANCELED) then return 0 end
redis.call('ZREM', finishedKey(j.st), j.id)
j.a = 0
j.err = nil
j.res = nil
j.f = nil
j.s = nil
j.cr = nil
j.w = nil
j.wm = nil
j.r = NOW
schedule(j, NOW)
saveJob(j)
emit(j.id, EV_ENQUEUED)
flushEvents()
flushWake()
return 1
