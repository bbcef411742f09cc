-- Mamori campaign directory: the id of the open campaign for one kind and scope, shared by every node.
-- Atomic (one script): the first node to ask sets its proposed id; every later ask, from any node, gets that id.
-- The key lives for the quiet period after the last attempt counted (campaign-count.lua refreshes it): when it
-- expires the campaign is closed, and the next attempt opens a new one under a new id.
-- KEYS: 1 id key {p}:c:k:<kind>:<scope>. ARGV: 1 proposed id, 2 quiet period (ms).
local id = redis.call('GET', KEYS[1])
if id then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return id
end
redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])
return ARGV[1]
