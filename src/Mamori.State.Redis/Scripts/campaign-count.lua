-- Mamori campaign directory: counts one attempt in a campaign, for every node to read the same figures.
-- KEYS: 1 counters hash {p}:c:i:<id>, 2 accounts HyperLogLog {p}:c:i:<id>:a, 3 id key {p}:c:k:<kind>:<scope>,
--       4 open index (sorted set of ids by last attempt, ms).
-- ARGV: 1 id, 2 kind (wire name), 3 tenant ('' for none), 4 account key (hex), 5 attempt time (unix ms),
--       6 quiet period (ms), 7 how long counters outlive the last attempt (ms).
local at = tonumber(ARGV[5])
redis.call('HINCRBY', KEYS[1], 'n', 1)
if redis.call('HSETNX', KEYS[1], 'first', ARGV[5]) == 0 then
  if at < tonumber(redis.call('HGET', KEYS[1], 'first')) then redis.call('HSET', KEYS[1], 'first', ARGV[5]) end
end
-- The kind of the key the campaign was opened under (a refinement such as reverse brute force stays on the node).
redis.call('HSET', KEYS[1], 'kind', ARGV[2])
redis.call('HSETNX', KEYS[1], 'tenant', ARGV[3])
local last = tonumber(redis.call('HGET', KEYS[1], 'last') or '0')
if at > last then
  redis.call('HSET', KEYS[1], 'last', ARGV[5])
  last = at
end
redis.call('PFADD', KEYS[2], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[7])
redis.call('PEXPIRE', KEYS[2], ARGV[7])
-- Keep the id alive while attempts come; reinstate it if it expired under a late attempt.
local current = redis.call('GET', KEYS[3])
if current == ARGV[1] then
  redis.call('PEXPIRE', KEYS[3], ARGV[6])
elseif not current then
  redis.call('SET', KEYS[3], ARGV[1], 'PX', ARGV[6])
end
redis.call('ZADD', KEYS[4], last, ARGV[1])
-- Bound the index: ids whose counters have expired leave it.
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', '(' .. string.format('%.0f', at - tonumber(ARGV[7])))
return 1
