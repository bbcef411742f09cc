-- Mamori signal store: one observation (the body of InMemorySignalStore.Observe) in one atomic script.
-- Written for Redis' Lua 5.1 and Garnet's Lua 5.4 alike: every number kept is an integer below 2^53, bitmaps are
-- 32-bit words set by arithmetic (no bit library), per-key states are uint32 records, and the global state is a
-- record of doubles (exact for its integers, and for the two baselines). Hashes, bit positions and sketch cells are computed by the caller in C# (the same
-- code as the embedded store), so this script only counts; every estimate is computed back in C# from raw state.
--
-- KEYS: 1 account, 2 global, 3 population sketch, 4..8 sources (ip, subnet, asn, agent, device), 9 secret, 10 tenant secret
-- ARGV: see RedisSignalStore.Arguments (names in comments below).

local POW = {}
for i = 0, 31 do POW[i] = math.floor(2 ^ i) end

-- States are fixed-size little-endian records (struct library: one C call per read or write, about twenty times
-- cheaper than splitting text). Every state is read (and checked) before anything is written, so a corrupt key
-- fails the call with nothing changed.
local function format(n, field) return '<' .. string.rep(field, n) end

local function load(key, v, n, fmt)
  if not v then
    local t = {}
    for i = 1, n do t[i] = 0 end
    return t, false
  end
  if #v ~= struct.size(fmt) then error('Mamori: corrupt signal state in ' .. key) end
  local t = { struct.unpack(fmt, v) }
  t[n + 1] = nil   -- struct.unpack also returns the next position
  return t, true
end

local function save(key, t, n, fmt, ttl)
  local s = struct.pack(fmt, unpack(t, 1, n))
  if ttl then redis.call('SET', key, s, 'EX', ttl) else redis.call('SET', key, s) end
  return s
end

-- Sets bit b of the bitmap whose first 32-bit word is t[first].
local function setbit(t, first, b)
  local i = first + math.floor(b / 32)
  local p = POW[b % 32]
  if math.floor(t[i] / p) % 2 == 0 then t[i] = t[i] + p end
end

-- Generations.Advance: how many generations passed; moves the stored one forward.
local function advance(t, i, now)
  local passed = now - t[i]
  if passed > 0 then t[i] = now end
  return passed
end

local a = ARGV
local minute = tonumber(a[1])
local preAuth, failed, unknown, success = a[2] == '1', a[3] == '1', a[4] == '1', a[5] == '1'
local wrongSecret, familiar, learnMode, unfamiliarSuccess = a[6] == '1', a[7] == '1', tonumber(a[8]), a[9] == '1'
local failureGen, shortSecret = tonumber(a[10]), tonumber(a[11])
-- a[12..18]: short ip, asn, country, agent, browser, os, device (the account's 32-bit feature values)
local envHi, envLo, day, learnDays = tonumber(a[19]), tonumber(a[20]), tonumber(a[21]), tonumber(a[22])
local accountTtl = tonumber(a[23])
local sourceShortGen, sourceLongGen, sourceTtl = tonumber(a[24]), tonumber(a[25]), tonumber(a[26])
-- a[27..31]: account's bit (0..63) in each source's map, -1 when the source is absent; a[32..36]: whether each source counts unfamiliar successes
local secretShortGen, secretLongGen, secretTtl, secretBit = tonumber(a[37]), tonumber(a[38]), tonumber(a[39]), tonumber(a[40])
local bucket, minimum, weight, factor = tonumber(a[41]), tonumber(a[42]), tonumber(a[43]), tonumber(a[44])
local decayAt, cells = tonumber(a[45]), tonumber(a[46])
local hasSecret, hasTenantSecret = a[47] == '1', a[48] == '1'
local addCount = tonumber(a[49])
local CELLS = 50
-- a[CELLS .. CELLS+addCount-1]: sketch cells to add on learning; the rest: sketch cells to read

-- ---------------------------------------------------------------- global state (read first, saved last)
-- 1 bucket, 2 attempts, 3 failures, 4 unknown, 5..7 previous attempts/failures/unknown, 8..9 baselines, 10 learned, 11 population
local GLOBAL, SOURCE, SECRET, ACC = 11, 22, 20, 114
local GLOBAL_FMT, SOURCE_FMT, SECRET_FMT, ACC_FMT = format(GLOBAL, 'd'), format(SOURCE, 'I4'), format(SECRET, 'I4'), format(ACC, 'I4')
-- One MGET reads every state (each redis.call costs far more than the read itself).
local stored = redis.call('MGET', KEYS[1], KEYS[2], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10])
local global, hasGlobal = load(KEYS[2], stored[2], GLOBAL, GLOBAL_FMT)

-- ---------------------------------------------------------------- account (AccountRecord)
local sourceStates = {}
for i = 1, 5 do
  if tonumber(a[26 + i]) >= 0 then sourceStates[i] = load(KEYS[3 + i], stored[2 + i], SOURCE, SOURCE_FMT) end
end
local secretStates, secretExists = {}, {}
if hasSecret then secretStates[1], secretExists[1] = load(KEYS[9], stored[8], SECRET, SECRET_FMT) end
if hasTenantSecret then secretStates[2], secretExists[2] = load(KEYS[10], stored[9], SECRET, SECRET_FMT) end

local BAGS = { ip = {31, 10}, asn = {51, 6}, country = {63, 4}, agent = {71, 6}, browser = {83, 4}, os = {91, 4}, device = {99, 8} }
local acc = load(KEYS[1], stored[1], ACC, ACC_FMT)

local passed = advance(acc, 1, failureGen)
if passed == 1 then
  acc[3] = acc[2]; acc[5] = acc[4]; acc[2] = 0; acc[4] = 0
elseif passed > 1 then
  acc[2] = 0; acc[3] = 0; acc[4] = 0; acc[5] = 0
  for i = 7, 14 do acc[i] = 0 end
end

local repeated = false
if shortSecret ~= 0 then
  for i = 7, 14 do if acc[i] == shortSecret then repeated = true end end
end

local function bagAdd(bag, value)
  if value == 0 then return end
  local first, cap = bag[1], bag[2]
  for i = first, first + cap - 1 do
    if acc[i] == value then
      if acc[i + cap] < 65535 then acc[i + cap] = acc[i + cap] + 1 end
      return
    end
  end
  local smallest = first
  for i = first + 1, first + cap - 1 do
    if acc[i + cap] < acc[smallest + cap] then smallest = i end
  end
  acc[smallest] = value
  acc[smallest + cap] = 1
end

local function bagHalve(bag)
  local first, cap = bag[1], bag[2]
  for i = first + cap, first + 2 * cap - 1 do acc[i] = math.floor((acc[i] + 1) / 2) end
end

local function learn()
  if learnMode == 0 then return end
  if learnMode == 2 then
    if acc[18] ~= envHi or acc[19] ~= envLo then
      acc[18] = envHi; acc[19] = envLo; acc[21] = 1; acc[20] = day
      return
    end
    if day ~= acc[20] then
      acc[20] = day
      acc[21] = (acc[21] + 1) % 256
    end
    if acc[21] < learnDays then return end
    acc[18] = 0; acc[19] = 0
  end
  bagAdd(BAGS.ip, tonumber(a[12])); bagAdd(BAGS.asn, tonumber(a[13])); bagAdd(BAGS.country, tonumber(a[14]))
  bagAdd(BAGS.agent, tonumber(a[15])); bagAdd(BAGS.browser, tonumber(a[16])); bagAdd(BAGS.os, tonumber(a[17]))
  local device = tonumber(a[18])
  if device ~= 0 then bagAdd(BAGS.device, device); acc[16] = acc[16] + 1 end
  acc[15] = acc[15] + 1
  if acc[15] > 255 then
    acc[15] = math.floor(acc[15] / 2); acc[16] = math.floor(acc[16] / 2)
    for _, bag in pairs(BAGS) do bagHalve(bag) end
  end
  -- The population: count-min sketch of u32 cells that saturate, halved now and then.
  global[11] = global[11] + 1
  if addCount > 0 then
    local args = { KEYS[3], 'OVERFLOW', 'SAT' }
    for i = CELLS, CELLS + addCount - 1 do
      args[#args + 1] = 'INCRBY'; args[#args + 1] = 'u32'; args[#args + 1] = '#' .. a[i]; args[#args + 1] = 1
    end
    redis.call('BITFIELD', unpack(args))
  end
  if global[11] >= decayAt then
    local batch = 128
    for start = 0, cells - 1, batch do
      local get = { KEYS[3] }
      for i = start, math.min(start + batch, cells) - 1 do
        get[#get + 1] = 'GET'; get[#get + 1] = 'u32'; get[#get + 1] = '#' .. i
      end
      local values = redis.call('BITFIELD', unpack(get))
      local set = { KEYS[3] }
      for j = 1, #values do
        set[#set + 1] = 'SET'; set[#set + 1] = 'u32'; set[#set + 1] = '#' .. (start + j - 1); set[#set + 1] = math.floor(values[j] / 2)
      end
      redis.call('BITFIELD', unpack(set))
    end
    global[11] = math.floor(global[11] / 2)
  end
end

if not preAuth then
  if wrongSecret and not repeated then
    if familiar then
      if acc[4] < 65535 then acc[4] = acc[4] + 1 end
    else
      if acc[2] < 65535 then acc[2] = acc[2] + 1 end
    end
    if shortSecret ~= 0 then
      acc[7 + acc[6]] = shortSecret
      acc[6] = (acc[6] + 1) % 8
    end
  elseif success then
    learn()
  end
end
local accountState = save(KEYS[1], acc, ACC, ACC_FMT, accountTtl)

-- ---------------------------------------------------------------- sources (SourceState)
local function source(key, s, bit, unfamiliar)
  local p = advance(s, 1, sourceShortGen)
  if p == 1 then
    s[4] = s[2]; s[5] = s[3]; s[7] = s[6]; s[9] = s[8]; s[11] = s[10]
    s[2] = 0; s[3] = 0; s[6] = 0; s[8] = 0; s[10] = 0
  elseif p > 1 then
    for i = 2, 11 do s[i] = 0 end
  end
  p = advance(s, 12, sourceLongGen)
  if p == 1 then
    s[15] = s[13]; s[16] = s[14]; s[19] = s[17]; s[20] = s[18]
    s[13] = 0; s[14] = 0; s[17] = 0; s[18] = 0
    s[21] = math.floor(s[21] / 2); s[22] = math.floor(s[22] / 2)
  elseif p > 1 then
    for i = 13, 22 do s[i] = 0 end
  end
  if preAuth then
    setbit(s, 2, bit)
    s[6] = s[6] + 1
    s[21] = s[21] + 1
  elseif failed then
    s[8] = s[8] + 1
    s[22] = s[22] + 1
    if unknown then s[10] = s[10] + 1 end
  elseif success then
    setbit(s, 13, bit)
    if unfamiliar then setbit(s, 17, bit) end
  end
  return save(key, s, SOURCE, SOURCE_FMT, sourceTtl)
end

local sources = {}
for i = 1, 5 do
  local bit = tonumber(a[26 + i])
  if bit >= 0 then sources[i] = source(KEYS[3 + i], sourceStates[i], bit, a[31 + i] == '1') else sources[i] = '' end
end

-- ---------------------------------------------------------------- global rates (GlobalRates)
local function rate(part, whole)
  if whole == 0 then return 0 end
  return math.min(1.0, part / whole)
end

if not hasGlobal or bucket > global[1] then
  if hasGlobal and bucket == global[1] + 1 and global[2] > 0 then
    global[5] = global[2]; global[6] = global[3]; global[7] = global[4]
  else
    global[5] = 0; global[6] = 0; global[7] = 0
  end
  if global[2] >= minimum then
    local failureRate, unknownRate = rate(global[3], global[2]), rate(global[4], global[2])
    local spike = global[10] >= 12 and
      (failureRate > factor * math.max(global[8], 0.05) or unknownRate > factor * math.max(global[9], 0.02))
    if not spike then
      local w = 1
      if global[10] ~= 0 then w = math.max(weight, 1.0 / (global[10] + 1)) end
      global[8] = global[8] + w * (failureRate - global[8])
      global[9] = global[9] + w * (unknownRate - global[9])
      global[10] = global[10] + 1
    end
  end
  global[1] = bucket
  global[2] = 0; global[3] = 0; global[4] = 0
end
if preAuth then
  global[2] = global[2] + 1
elseif failed then
  global[3] = global[3] + 1
  if unknown then global[4] = global[4] + 1 end
end
local globalState = save(KEYS[2], global, GLOBAL, GLOBAL_FMT, nil)

-- ---------------------------------------------------------------- secrets (SecretState)
local function secret(key, s, exists)
  if s == nil then return '' end
  if not failed and not exists then return '' end   -- a pre-auth with an unseen secret leaves no trace
  local p = advance(s, 1, secretShortGen)
  if p == 1 then
    for i = 0, 3 do s[7 + i] = s[3 + i]; s[3 + i] = 0 end
    s[20] = s[19]; s[19] = 0
  elseif p > 1 then
    for i = 3, 10 do s[i] = 0 end
    s[19] = 0; s[20] = 0
  end
  p = advance(s, 2, secretLongGen)
  if p == 1 then
    for i = 0, 3 do s[15 + i] = s[11 + i]; s[11 + i] = 0 end
  elseif p > 1 then
    for i = 11, 18 do s[i] = 0 end
  end
  if failed and not repeated then
    setbit(s, 3, secretBit)
    setbit(s, 11, secretBit)
    if unknown then s[19] = s[19] + 1 end
  end
  return save(key, s, SECRET, SECRET_FMT, secretTtl)
end

local secretState = secret(KEYS[9], secretStates[1], secretExists[1])
local tenantState = secret(KEYS[10], secretStates[2], secretExists[2])

-- ---------------------------------------------------------------- population reads (after this call's learning)
local read = { KEYS[3] }
for i = CELLS + addCount, #a do
  read[#read + 1] = 'GET'; read[#read + 1] = 'u32'; read[#read + 1] = '#' .. a[i]
end
local population = redis.call('BITFIELD', unpack(read))

return { accountState, repeated and 1 or 0, sources[1], sources[2], sources[3], sources[4], sources[5], secretState, tenantState, globalState, population }
