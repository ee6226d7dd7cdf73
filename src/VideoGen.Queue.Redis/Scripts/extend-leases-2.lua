--[[
  Renews all leases one worker holds, in one call. A lease whose token no longer matches an active
  job is reported lost (the worker must stop that job and not finish it).
  KEYS: hot, active
  ARGV[1..3] common; ARGV[4] worker id; ARGV[5] lease ms; ARGV[6..] pairs: job id, lease token
  Returns {{lost job ids}, {job ids with a cancel request}}.
]]
bindKeys({'hot', 'active'})
local count = (#ARGV - 5) / 2
if count < 1 then return {{}, {}} end
local ids = {}
for i = 1, count do ids[i] = ARGV[4 + i * 2] end
local hots = redis.call('HMGET', K.hot, unpack(ids))
local exp = NOW + tonumber(ARGV[5])
local lost, cancel, zadd = {}, {}, {}
for i = 1, count do
  local j = hot(hots[i])
  if isLeaseHolder(j, ARGV[5 + i * 2]) then
    zadd[#zadd + 1] = exp
    zadd[#zadd + 1] = ids[i]
    if j.cr then cancel[#cancel + 1] = ids[i] end
  else
    lost[#lost + 1] = ids[i]
  end
end
if #zadd > 0 then redis.call('ZADD', K.active, 'XX', unpack(zadd)) end
return {lost, cancel}
