-- Mamori signal store: one observation (the body of InMemorySignalStore.Observe) in one atomic script.
-- Written for Redis' Lua 5.1 and Garnet's Lua 5.4 alike: every number kept is an integer below 2^53, bitmaps are
-- 32-bit words set by arithmetic (no bit library), per-key states are uint32 records, and the global state is a
-- record of doubles (exact for its integers, and for the two baselines). Hashes, bit positions and sketch cells are
-- computed by the caller in C# (the same code as the embedded store), so this script only counts; every estimate is
-- computed back in C# from raw state.
--
-- KEYS: 1 account, 2 global, 3 population sketch, 4..8 sources (ip, subnet, asn, agent, device), 9 secret, 10 tenant secret
-- ARGV[1]: the parameters, one packed record (PARAMS_FMT; names below). ARGV[2..]: the population's BITFIELD
-- operations, ready made: when learning, OVERFLOW SAT then 'INCRBY u32 <bit offset> 1' per cell to add; then
-- 'GET u32 <bit offset>' per cell to read.
--
-- Cost (see docs/benchmarks/redis.md): the server time of this script is nearly all Lua, not the commands it calls,
-- so it is written for the interpreter: library functions in locals (globals are slow under Redis' protected
-- globals table), record formats as literals, the 74 numbers of the call in one struct.unpack instead of 74
-- tonumber calls, the account's 93-field tail (trusted devices, feature bags) unpacked only when a success is
-- learned, the population's additions and reads in one BITFIELD whose arguments the caller built, and an unchanged
-- record only has its time to live refreshed (EXPIRE), not rewritten.

local call, sunpack, spack, floor, unpack, sub = redis.call, struct.unpack, struct.pack, math.floor, unpack, string.sub
local KEYS, ARGV = KEYS, ARGV

-- Record formats (little-endian): the call's parameters (46 uint32 then 3 doubles), the global state (11 doubles),
-- a source (22 uint32), a secret (20 uint32), an account's head (21 uint32) and tail (93 uint32; 114 in all).
local PARAMS_FMT = '<I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4ddd'
local GLOBAL_FMT = '<ddddddddddd'
local SOURCE_FMT = '<I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4'
local SECRET_FMT = '<I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4'
local HEAD_FMT = '<I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4'
local TAIL_FMT = '<I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4'
local GLOBAL_SIZE, SOURCE_SIZE, SECRET_SIZE, ACCOUNT_SIZE, HEAD_SIZE = 88, 88, 80, 456, 84
local GLOBAL, SOURCE, SECRET, HEAD, TAIL = 11, 22, 20, 21, 93
local REPLY_HEADER_FMT, READ_CELLS = '<I4I4I4I4I4I4I4I4I4', 24
local CELLS_FMT = '<I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4'

local POW = { [0] = 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072, 262144,
  524288, 1048576, 2097152, 4194304, 8388608, 16777216, 33554432, 67108864, 134217728, 268435456, 536870912, 1073741824,
  2147483648 }

-- Every state is read (and checked) before anything is written, so a corrupt key fails the call with nothing changed.
local function load(key, v, n, size, fmt)
  if not v then
    local t = {}
    for i = 1, n do t[i] = 0 end
    return t
  end
  if #v ~= size then error('Mamori: corrupt signal state in ' .. key) end
  local t = { sunpack(fmt, v) }
  t[n + 1] = nil   -- struct.unpack also returns the next position
  return t
end

-- Writes a record that changed; an unchanged one only gets its time to live refreshed (every touch refreshes it).
local function save(key, record, stored, ttl)
  if record == stored then
    if ttl then call('EXPIRE', key, ttl) end
  elseif ttl then
    call('SET', key, record, 'EX', ttl)
  else
    call('SET', key, record)
  end
  return record
end

-- Sets bit b of the bitmap whose first 32-bit word is t[first].
local function setbit(t, first, b)
  local i = first + floor(b / 32)
  local p = POW[b % 32]
  if floor(t[i] / p) % 2 == 0 then t[i] = t[i] + p end
end

-- Generations.Advance: how many generations passed; moves the stored one forward.
local function advance(t, i, now)
  local passed = now - t[i]
  if passed > 0 then t[i] = now end
  return passed
end

local p = { sunpack(PARAMS_FMT, ARGV[1]) }
local preAuth, failed, unknown, success = p[2] == 1, p[3] == 1, p[4] == 1, p[5] == 1
local wrongSecret, familiar, learnMode = p[6] == 1, p[7] == 1, p[8]
local failureGen, shortSecret = p[10], p[11]
-- p[12..18]: short ip, asn, country, agent, browser, os, device (the account's 32-bit feature values)
-- Times to live go to EXPIRE/SET as integer text (Garnet's Lua 5.4 would print a float read by struct as '1.0e+06').
local envHi, envLo, day, learnDays, accountTtl = p[19], p[20], p[21], p[22], string.format('%d', p[23])
local sourceShortGen, sourceLongGen, sourceTtl = p[24], p[25], string.format('%d', p[26])
-- p[27..31]: account's bit (0..63) in each source's map, 64 when the source is absent; p[32..36]: whether each source counts unfamiliar successes
local secretShortGen, secretLongGen, secretTtl, secretBit = p[37], p[38], string.format('%d', p[39]), p[40]
local minimum, decayAt, cells = p[41], p[42], p[43]
local hasSecret, hasTenantSecret, addCount = p[44] == 1, p[45] == 1, p[46]
local bucket, weight, factor = p[47], p[48], p[49]

-- ---------------------------------------------------------------- read every state (one MGET)
-- 1 bucket, 2 attempts, 3 failures, 4 unknown, 5..7 previous attempts/failures/unknown, 8..9 baselines, 10 learned, 11 population
local stored = call('MGET', KEYS[1], KEYS[2], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10])
local storedGlobal = stored[2] or nil
local global = load(KEYS[2], storedGlobal, GLOBAL, GLOBAL_SIZE, GLOBAL_FMT)
local hasGlobal = storedGlobal ~= nil

local sourceStates = {}
for i = 1, 5 do
  if p[26 + i] < 64 then sourceStates[i] = load(KEYS[3 + i], stored[2 + i] or nil, SOURCE, SOURCE_SIZE, SOURCE_FMT) end
end
local secretStored = { stored[8] or nil, stored[9] or nil }
local secretStates = {}
if hasSecret then secretStates[1] = load(KEYS[9], secretStored[1], SECRET, SECRET_SIZE, SECRET_FMT) end
if hasTenantSecret then secretStates[2] = load(KEYS[10], secretStored[2], SECRET, SECRET_SIZE, SECRET_FMT) end

-- The account: its head (failures, recent wrong secrets, history, pending environment) always; its tail (trusted
-- devices at 22..30, feature bags at 31..114) only when learning needs it.
local storedAccount = stored[1] or nil
local acc, accTail
if storedAccount then
  if #storedAccount ~= ACCOUNT_SIZE then error('Mamori: corrupt signal state in ' .. KEYS[1]) end
  acc = { sunpack(HEAD_FMT, storedAccount) }
  acc[HEAD + 1] = nil
  accTail = sub(storedAccount, HEAD_SIZE + 1)
else
  acc = {}
  for i = 1, HEAD do acc[i] = 0 end
end
local fullAccount = false

-- ---------------------------------------------------------------- account (AccountRecord)
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

local function bagAdd(first, cap, value)
  if value == 0 then return end
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

local function bagHalve(first, cap)
  for i = first + cap, first + 2 * cap - 1 do acc[i] = floor((acc[i] + 1) / 2) end
end

local learned, decay = false, false
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
  -- The tail joins the head: acc is now the whole 114-field record.
  if accTail then
    local tail = { sunpack(TAIL_FMT, accTail) }
    for i = 1, TAIL do acc[HEAD + i] = tail[i] end
  else
    for i = HEAD + 1, HEAD + TAIL do acc[i] = 0 end
  end
  fullAccount = true
  -- bags: (first value index, capacity) of ip, asn, country, agent, browser, os, device; values then as many counts
  bagAdd(31, 10, p[12]); bagAdd(51, 6, p[13]); bagAdd(63, 4, p[14])
  bagAdd(71, 6, p[15]); bagAdd(83, 4, p[16]); bagAdd(91, 4, p[17])
  local device = p[18]
  if device ~= 0 then bagAdd(99, 8, device); acc[16] = acc[16] + 1 end
  acc[15] = acc[15] + 1
  if acc[15] > 255 then
    acc[15] = floor(acc[15] / 2); acc[16] = floor(acc[16] / 2)
    bagHalve(31, 10); bagHalve(51, 6); bagHalve(63, 4); bagHalve(71, 6); bagHalve(83, 4); bagHalve(91, 4); bagHalve(99, 8)
  end
  -- The population (count-min sketch of u32 cells that saturate, halved now and then) is added to at the end, in
  -- the same BITFIELD as its reads; only its login count moves now.
  learned = true
  global[11] = global[11] + 1
  if global[11] >= decayAt then
    decay = true
    global[11] = floor(global[11] / 2)
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

local accountState
if fullAccount then
  accountState = save(KEYS[1], spack(HEAD_FMT .. sub(TAIL_FMT, 2), unpack(acc, 1, HEAD + TAIL)), nil, accountTtl)
elseif storedAccount then
  local head = spack(HEAD_FMT, unpack(acc, 1, HEAD))
  if head == sub(storedAccount, 1, HEAD_SIZE) then
    accountState = save(KEYS[1], storedAccount, storedAccount, accountTtl)
  else
    accountState = save(KEYS[1], head .. accTail, storedAccount, accountTtl)
  end
else
  accountState = save(KEYS[1], spack(HEAD_FMT, unpack(acc, 1, HEAD)) .. string.rep('\0', ACCOUNT_SIZE - HEAD_SIZE), nil, accountTtl)
end

-- ---------------------------------------------------------------- sources (SourceState)
local function source(key, s, bit, unfamiliar, storedState)
  local q = advance(s, 1, sourceShortGen)
  if q == 1 then
    s[4] = s[2]; s[5] = s[3]; s[7] = s[6]; s[9] = s[8]; s[11] = s[10]
    s[2] = 0; s[3] = 0; s[6] = 0; s[8] = 0; s[10] = 0
  elseif q > 1 then
    for i = 2, 11 do s[i] = 0 end
  end
  q = advance(s, 12, sourceLongGen)
  if q == 1 then
    s[15] = s[13]; s[16] = s[14]; s[19] = s[17]; s[20] = s[18]
    s[13] = 0; s[14] = 0; s[17] = 0; s[18] = 0
    s[21] = floor(s[21] / 2); s[22] = floor(s[22] / 2)
  elseif q > 1 then
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
  return save(key, spack(SOURCE_FMT, unpack(s, 1, SOURCE)), storedState, sourceTtl)
end

local sources = {}
for i = 1, 5 do
  local bit = p[26 + i]
  if bit < 64 then sources[i] = source(KEYS[3 + i], sourceStates[i], bit, p[31 + i] == 1, stored[2 + i] or nil) else sources[i] = '' end
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
local globalState = save(KEYS[2], spack(GLOBAL_FMT, unpack(global, 1, GLOBAL)), storedGlobal, nil)

-- ---------------------------------------------------------------- secrets (SecretState)
local function secret(key, s, storedState)
  if s == nil then return '' end
  if not failed and not storedState then return '' end   -- a pre-auth with an unseen secret leaves no trace
  local q = advance(s, 1, secretShortGen)
  if q == 1 then
    for i = 0, 3 do s[7 + i] = s[3 + i]; s[3 + i] = 0 end
    s[20] = s[19]; s[19] = 0
  elseif q > 1 then
    for i = 3, 10 do s[i] = 0 end
    s[19] = 0; s[20] = 0
  end
  q = advance(s, 2, secretLongGen)
  if q == 1 then
    for i = 0, 3 do s[15 + i] = s[11 + i]; s[11 + i] = 0 end
  elseif q > 1 then
    for i = 11, 18 do s[i] = 0 end
  end
  if failed and not repeated then
    setbit(s, 3, secretBit)
    setbit(s, 11, secretBit)
    if unknown then s[19] = s[19] + 1 end
  end
  return save(key, spack(SECRET_FMT, unpack(s, 1, SECRET)), storedState, secretTtl)
end

local secretState = secret(KEYS[9], secretStates[1], secretStored[1])
local tenantState = secret(KEYS[10], secretStates[2], secretStored[2])

-- ---------------------------------------------------------------- population: additions, then reads
-- One BITFIELD applies this call's additions and reads every cell after them, in order. Only a halving (every
-- 50 M learned logins) splits it: additions, the halving of all cells, then the reads.
local reads = 2
if addCount > 0 then reads = 4 + 4 * addCount end   -- OVERFLOW SAT, then 'INCRBY u32 <offset> 1' per cell
local population
if learned and decay then
  call('BITFIELD', KEYS[3], unpack(ARGV, 2, reads - 1))
  local batch = 128
  for start = 0, cells - 1, batch do
    local get = { KEYS[3] }
    for i = start, math.min(start + batch, cells) - 1 do
      get[#get + 1] = 'GET'; get[#get + 1] = 'u32'; get[#get + 1] = '#' .. i
    end
    local values = call('BITFIELD', unpack(get))
    local set = { KEYS[3] }
    for j = 1, #values do
      set[#set + 1] = 'SET'; set[#set + 1] = 'u32'; set[#set + 1] = '#' .. (start + j - 1); set[#set + 1] = floor(values[j] / 2)
    end
    call('BITFIELD', unpack(set))
  end
  population = call('BITFIELD', KEYS[3], unpack(ARGV, reads))
elseif learned then
  population = call('BITFIELD', KEYS[3], unpack(ARGV, 2))
else
  population = call('BITFIELD_RO', KEYS[3], unpack(ARGV, reads))
end

-- One string back (every element of a reply table costs the server a conversion): a header of nine uint32 (repeated,
-- the lengths of the five sources and two secrets, the number of cells), then the account, sources, secrets, global
-- state, and the last 24 cells of the BITFIELD reply (the reads, after any additions) as uint32.
local n = #population
return spack(REPLY_HEADER_FMT, repeated and 1 or 0, #sources[1], #sources[2], #sources[3], #sources[4], #sources[5], #secretState, #tenantState, READ_CELLS)
  .. accountState .. sources[1] .. sources[2] .. sources[3] .. sources[4] .. sources[5] .. secretState .. tenantState .. globalState
  .. spack(CELLS_FMT, unpack(population, n - READ_CELLS + 1, n))
