-- Mamori campaign directory: may this node archive a campaign that went quiet here?
-- No while any node counted an attempt within the quiet period; otherwise yes for exactly one node (SET NX).
-- KEYS: 1 counters hash {p}:c:i:<id>, 2 archive claim {p}:c:closed:<id>.
-- ARGV: 1 now (unix ms), 2 quiet period (ms), 3 how long the claim is kept (ms).
local last = tonumber(redis.call('HGET', KEYS[1], 'last') or '0')
if last > 0 and tonumber(ARGV[1]) - last <= tonumber(ARGV[2]) then return 0 end
if redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[3]) then return 1 end
return 0
