--[[
  Retention: removes finished jobs older than the cutoff, and the oldest beyond the count bound,
  per terminal state; at most ARGV[6] per state per call (the caller repeats while work remains).
  Also forgets, a slice per call, groups whose turn bookkeeping has fallen behind the turn being
  served (they would be placed exactly the same without it), so memory stays bounded by live groups.
  KEYS: jobs, hot, completed, failed, canceled, meta, glast
  ARGV[1..3] common; ARGV[4] cutoff ms (finished at or before = removed); ARGV[5] max count per state; ARGV[6] batch
  Returns the number of jobs removed.
]]
bindKeys({'jobs', 'hot', 'completed', 'failed', 'canceled', 'meta', 'glast'})
local cutoff, maxCount, batch = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local removed = 0
for _, key in ipairs({K.completed, K.failed, K.canceled}) do
  local old = redis.call('ZRANGE', key, '-inf', cutoff, 'BYSCORE', 'LIMIT', 0, batch)
  local excess = redis.call('ZCARD', key) - #old - maxCount
  if excess > 0 and #old < batch then
    local more = redis.call('ZRANGE', key, #old, #old + math.min(excess, batch - #old) - 1)
    for _, id in ipairs(more) do old[#old + 1] = id end
  end
  if #old > 0 then
    redis.call('ZREM', key, unpack(old))
    redis.call('HDEL', K.jobs, unpack(old))
    redis.call('HDEL', K.hot, unpack(old))
    removed = removed + #old
  end
end

local scan = redis.call('HSCAN', K.glast, redis.call('HGET', K.meta, 'gcur') or '0', 'COUNT', 500)
local fields = scan[2]
local stale = {}
for i = 1, #fields, 2 do
  local prio = string.match(fields[i], '^g:(-?[%d%.]+):')
  if prio then
    local v = tonumber(redis.call('HGET', K.glast, 'v:' .. prio) or '0')
    if tonumber(fields[i + 1]) < v then stale[#stale + 1] = fields[i] end
  end
end
if #stale > 0 then redis.call('HDEL', K.glast, unpack(stale)) end
redis.call('HSET', K.meta, 'gcur', scan[1])
return removed
