-- Mamori signal store: InMemorySignalStore.Observe on a Redis-protocol server.
-- Written for Redis' Lua 5.1 and Garnet's Lua 5.4 alike: every number kept is an integer below 2^53, bitmaps are
-- 32-bit words set by arithmetic (no bit library), per-key states are little-endian uint32 records, and the global
-- state is a record of doubles (exact for its integers and for the two baselines). Hashes, bit positions and sketch
-- cells are computed by the caller in C# (the same code as the embedded store), so this script only rolls and counts;
-- every estimate is computed back in C# from the raw records.
--
-- ARGV[1] is one packed record of the call's numbers; its first byte is the mode:
--   0  the whole observation, every key under one hash tag (single-slot layout: one atomic script per observation)
--   1  the account only      2  one source only       3  count a failure on one secret
--   4  the global rates      5  count a learned login in the population
-- Modes 1-5 are the parts of an observation in the spread layout, where each key has its own hash slot (a cluster
-- spreads them over shards) and the client sends the parts of one observation in parallel: one round trip.
-- An outcome code with 8 added (modes 0, 2 and 4) also counts the login's attempt, which its pre-auth only read: a
-- node reads at pre-auth (MGET, no script) and counts the attempt with the outcome (docs/adr/0021). Mode 6 counts
-- attempts whose outcomes did not come in time, summed per source and generation and per global bucket; a pre-auth
-- sent here (outcome 0) counts its attempt itself (a node that does not defer, or whose waiting attempts are full).
--
-- Cost (docs/BENCHMARKS.md, "Redis signal store"): the server time is nearly all Lua and Lua<->Redis conversions,
-- so the script is written for the interpreter: records are unpacked into locals (no tables, except an account's
-- feature bags while a success is learned), a read-only record is returned as stored (the client rolls it), an
-- unchanged record is not written, a record's time to live is set when it is created or enters a new generation
-- and kept (KEEPTTL) otherwise, and the population's sketch cells are not touched here: each node reads and adds to a
-- copy of the sketch, and sends its additions as plain BITFIELD commands twice a second (PopulationReplica).

local call, sunpack, spack, floor, sub, byte, fmt = redis.call, struct.unpack, struct.pack, math.floor, string.sub, string.byte, string.format

-- Constants are written as literals where they are used: the script's chunk runs on every call, and every local a
-- function captures is an upvalue to find when that function's closure is made (measured: ~20 k instructions a call).
-- Outcome codes (RedisSignalStore): 0 pre-auth, 1 wrong secret, 2 unknown account, 3 locked, 4 success.
-- Records (little-endian): account head 21 uint32, tail 93, last country 2 and failure addresses 1 (468 bytes; 464
-- when written before the failure addresses were kept, read as every address if it has failures; 456 when written
-- before the last country was kept, read as none known), source 24 uint32 (96; 88 when written before the long window kept its
-- previous generation's attempts and failures, read as none), secret 20 (80),
-- global 11 doubles (88). Formats say 'I', not 'I4': the struct library then skips parsing a size per field (an int is
-- 4 bytes wherever Redis and Garnet run).

-- 372 zero bytes: the tail of an account never written (a constant of the compiled script, not built per call).
local ZERO_TAIL = '\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0'

local function corrupt(key) error('Mamori: corrupt signal state in ' .. key) end

-- A record that changed: a new key or a new generation gets its time to live; otherwise the one it has is kept.
-- Times to live go to Redis as integer text: Garnet's Lua 5.4 would print a number read by struct as '3660.0'.
local function put(key, record, fresh, ttl)
  if fresh then call('SET', key, record, 'EX', fmt('%d', ttl)) else call('SET', key, record, 'KEEPTTL') end
end

-- ------------------------------------------------------------------------------------------------ population
-- CountMinSketch.Decay: halves every cell (once per 50 M learned logins; the server is busy for that call).
local function halveSketch(sketchKey, cells)
  for start = 0, cells - 1, 128 do
    local get, set = { sketchKey }, { sketchKey }
    for i = start, math.min(start + 128, cells) - 1 do
      get[#get + 1] = 'GET'; get[#get + 1] = 'u32'; get[#get + 1] = fmt('#%d', i)
    end
    local values = call('BITFIELD', unpack(get))
    for j = 1, #values do
      set[#set + 1] = 'SET'; set[#set + 1] = 'u32'; set[#set + 1] = fmt('#%d', start + j - 1); set[#set + 1] = fmt('%d', floor(values[j] / 2))
    end
    call('BITFIELD', unpack(set))
  end
end

-- ------------------------------------------------------------------------------------------------ account
-- AccountRecord: rolls the failure window, says whether this wrong secret repeats a recent one, counts a new wrong
-- secret, learns a success (LearnMode 1 at once, 2 once it has succeeded on enough days) and, with it, its country
-- and minute (impossible travel). Returns the record to reply with (all of it at pre-auth, where the familiarity model
-- reads the bags; at least the 84-byte head otherwise; '' for an account never written), repeated, learned, and
-- whether the learned tail was the node's own (learnedTail).
local function account(key, v, outcome, familiar, learnMode, failureGen, s, fIp, fAsn, fCountry, fAgent, fBrowser, fOs, fDevice,
                       envHi, envLo, minute, learnDays, ttl, country, addressBit, learnedTail)
  local day = floor(minute / 1440)
  -- head: failure generation, unfamiliar/familiar failures (current, previous), ring position and 8 recent wrong
  -- secrets, history, device history, step-up requested, pending environments (two keys, their last days, their day counts: PendingSlots).
  -- The ring position's word also holds, above its low byte, the unfamiliar wrong secrets since the last learned
  -- success (AccountRecord.UnfamiliarFailuresSinceSuccess): records written before it read as zero there.
  local g, uc, up, fc, fp, nx, w1, w2, w3, w4, w5, w6, w7, w8, hist, dhist, stepUp, eHi, eLo, pDay, pDays, since
  -- After the last country, the addresses the wrong secrets since the last learned success came from, a bit each
  -- (AccountRecord.FailureAddresses; the caller gives this address's bit).
  local lastCountry, lastMinute, addresses = 0, 0, 0
  if v then
    local size = #v
    if size == 468 then lastCountry, lastMinute, addresses = sunpack('<III', v, 457)
    elseif size == 464 then lastCountry, lastMinute = sunpack('<II', v, 457)
    elseif size ~= 456 then corrupt(key) end
    g, uc, up, fc, fp, nx, w1, w2, w3, w4, w5, w6, w7, w8, hist, dhist, stepUp, eHi, eLo, pDay, pDays = sunpack('<IIIIIIIIIIIIIIIIIIIII', v)
    since = floor(nx / 256); nx = nx % 256
    -- written before they were kept: failures from anywhere, as if from every address
    if size ~= 468 and since + fc + fp > 0 then addresses = 4294967295 end
  else
    since = 0
    g, uc, up, fc, fp, nx, w1, w2, w3, w4, w5, w6, w7, w8, hist, dhist, stepUp, eHi, eLo, pDay, pDays =
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
  end
  local changed = false
  local passed = failureGen - g
  if passed > 0 then
    -- A roll is written even at pre-auth: the recent wrong secrets clear only when a roll skips a generation.
    g = failureGen
    changed = v and true or false   -- a missing record reads as zeros whatever its generation
    if passed == 1 then
      up = uc; fp = fc
    else
      up = 0; fp = 0
      w1, w2, w3, w4, w5, w6, w7, w8 = 0, 0, 0, 0, 0, 0, 0, 0
    end
    uc = 0; fc = 0
  end
  local repeated = s ~= 0 and (w1 == s or w2 == s or w3 == s or w4 == s or w5 == s or w6 == s or w7 == s or w8 == s)

  local learned, tail, usedTail = false, nil, false   -- tail: the new 372-byte tail once learning changed it
  if outcome == 1 and not repeated then   -- a wrong secret, not a repeat
    if familiar == 1 then
      if fc < 65535 then fc = fc + 1 end
    else
      if uc < 65535 then uc = uc + 1 end
      if since < 65535 then since = since + 1 end
    end
    if floor(addresses / addressBit) % 2 == 0 then addresses = addresses + addressBit end
    if s ~= 0 then
      if nx == 0 then w1 = s elseif nx == 1 then w2 = s elseif nx == 2 then w3 = s elseif nx == 3 then w4 = s
      elseif nx == 4 then w5 = s elseif nx == 5 then w6 = s elseif nx == 6 then w7 = s else w8 = s end
      nx = (nx + 1) % 8
    end
    changed = true
  elseif outcome == 4 and learnMode ~= 0 then   -- a success to learn
    learned = true
    if learnMode == 2 then
      -- An environment stepped up but never confirmed is learned only once it has succeeded on enough days; two wait at
      -- once (PendingSlots). Words 18-21 hold slot A's and B's 32-bit keys, their last days (16 bits each) and their
      -- day counts (8 bits each) under a marker bit; a record written with one 64-bit slot (no marker) reads as slot A.
      local kA, kB, dA, dB, nA, nB
      if pDays >= 2147483648 then
        kA = eHi; kB = eLo; dA = pDay % 65536; dB = floor(pDay / 65536); nA = pDays % 256; nB = floor(pDays / 256) % 256
      else
        kA = 0; kB = 0; dA = 0; dB = 0; nA = 0; nB = 0
        if eHi ~= 0 or eLo ~= 0 then kA = eLo; if kA == 0 then kA = 1 end; dA = pDay; if dA > 65535 then dA = 65535 end; nA = pDays % 256 end
      end
      local key = envLo; if key == 0 then key = 1 end
      local pd = day; if pd > 65535 then pd = 65535 end
      learned = false
      if kA == key then
        if pd ~= dA then dA = pd; nA = (nA + 1) % 256 end
        if nA >= learnDays then nA = learnDays; learned = true end   -- confirmed: keeps its slot and goes on teaching
      elseif kB == key then
        if pd ~= dB then dB = pd; nB = (nB + 1) % 256 end
        if nB >= learnDays then nB = learnDays; learned = true end
      else
        -- A new one: a free slot, else one already learned, else the one that succeeded longest ago (A on a tie).
        local takeA
        if kA == 0 then takeA = true
        elseif kB == 0 then takeA = false
        elseif (nA >= learnDays) ~= (nB >= learnDays) then takeA = nA >= learnDays
        else takeA = dA <= dB end
        if takeA then kA = key; dA = pd; nA = 1 else kB = key; dB = pd; nB = 1 end
      end
      local day2, days2 = dA + dB * 65536, nA + nB * 256 + 2147483648
      if kA ~= eHi or kB ~= eLo or day2 ~= pDay or days2 ~= pDays then
        eHi = kA; eLo = kB; pDay = day2; pDays = days2; changed = true
      end
    end
    if learned then
      local halve = hist >= 255   -- past 255 logins the history and every bag's counts halve
      if learnedTail then
        -- The node computed the learned tail from the record its pre-auth read (nodeTail: the same bags and halving),
        -- and the account has not changed since: a quarter of Redis's work per login less.
        tail = learnedTail; usedTail = true
      else
        -- The tail joins as a table: trusted devices at 1..9, then the feature bags (values, then as many counts).
        -- (Splicing only the changed counts into the stored string was tried: no cheaper, as each piece is a new string.)
        local t
        if v then
          t = { sunpack('<IIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIII', v, 85) }
          t[94] = nil   -- struct.unpack also returns the next position
        else
          t = {}
          for i = 1, 93 do t[i] = 0 end
        end
        -- FeatureCounts.Add and Halve (made here: a closure made at the top costs every call ~1 k instructions)
        local function bagAdd(t, first, cap, value)
          if value == 0 then return end
          for i = first, first + cap - 1 do
            if t[i] == value then
              if t[i + cap] < 65535 then t[i + cap] = t[i + cap] + 1 end
              return
            end
          end
          local smallest = first
          for i = first + 1, first + cap - 1 do
            if t[i + cap] < t[smallest + cap] then smallest = i end
          end
          t[smallest] = value
          t[smallest + cap] = 1
        end

        local function bagHalve(t, first, cap)
          for i = first + cap, first + 2 * cap - 1 do t[i] = floor((t[i] + 1) / 2) end
        end
        bagAdd(t, 10, 10, fIp); bagAdd(t, 30, 6, fAsn); bagAdd(t, 42, 4, fCountry)
        bagAdd(t, 50, 6, fAgent); bagAdd(t, 62, 4, fBrowser); bagAdd(t, 70, 4, fOs)
        if fDevice ~= 0 then bagAdd(t, 78, 8, fDevice) end
        if halve then
          bagHalve(t, 10, 10); bagHalve(t, 30, 6); bagHalve(t, 42, 4); bagHalve(t, 50, 6); bagHalve(t, 62, 4); bagHalve(t, 70, 4); bagHalve(t, 78, 8)
        end
        tail = spack('<IIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIII', unpack(t, 1, 93))
      end
      if fDevice ~= 0 then dhist = dhist + 1 end
      hist = hist + 1
      if halve then hist = floor(hist / 2); dhist = floor(dhist / 2) end
      since = 0; addresses = 0   -- the account's own user got in: the guessing count starts again
      if country ~= 0 then lastCountry = country; lastMinute = minute end
      changed = true
    end
  end

  if not changed then
    -- An outcome keeps the history alive for its retention; a pre-auth changes nothing and writes nothing.
    if v and outcome ~= 0 then call('EXPIRE', key, fmt('%d', ttl)) end
    return v or '', repeated, learned, usedTail
  end
  local head = spack('<IIIIIIIIIIIIIIIIIIIII', g, uc, up, fc, fp, nx + since * 256, w1, w2, w3, w4, w5, w6, w7, w8, hist, dhist, stepUp, eHi, eLo, pDay, pDays)
  local record
  if tail then
    record = head .. tail
  elseif v then
    record = head .. sub(v, 85, 456)
  else
    record = head .. ZERO_TAIL
  end
  record = record .. spack('<III', lastCountry, lastMinute, addresses)
  if outcome == 0 then   -- pre-auth
    call('SET', key, record, 'KEEPTTL')   -- only a roll: the retention runs from the last outcome
    return record, repeated, learned, usedTail
  end
  call('SET', key, record, 'EX', fmt('%d', ttl))
  return record, repeated, learned, usedTail
end

-- The account's tail as the node learned it (RedisSignalStore.LearnedTail), packed at `at` of ARGV[1] after the history
-- count and the tail its pre-auth read: taken only if the stored account v still has both; false otherwise.
local function nodeTail(v, at)
  local thenHist, thenStored = sunpack('<II', ARGV[1], at)
  if thenStored == 1 then
    if v and sunpack('<I', v, 57) == thenHist and sub(v, 85, 456) == sub(ARGV[1], at + 8, at + 379) then return sub(ARGV[1], at + 380, at + 751) end
  elseif not v then
    return sub(ARGV[1], at + 380, at + 751)
  end
  return false
end

-- ------------------------------------------------------------------------------------------------ sources
-- SourceState: rolls both windows and counts the attempt, the failure or the success. The account's bit in the
-- 64-bit maps is given as (word 0..1, 2^(bit mod 32)). Returns the record as it now stands.
local function source(key, v, outcome, sg, lg, ttl, word, pow, unfamiliar, attempt)
  -- short window: generation, accounts (current 2 words, previous 2), attempts, failures, unknown (current, previous);
  -- long window: generation, successful accounts, unfamiliar successes (current 2, previous 2 each), attempts, failures
  -- (current), attempts, failures (previous)
  local g, a1, a2, b1, b2, at, ap, fc, fp, uc, up, l, s1, s2, t1, t2, u1, u2, x1, x2, la, lf, lap, lfp
  if v then
    if #v == 88 then v = v .. '\0\0\0\0\0\0\0\0' elseif #v ~= 96 then corrupt(key) end   -- 88: no previous generation kept
    -- Neither window rolls in nearly every call (once per half-window): then only the fields this outcome changes
    -- are unpacked and packed, around the unchanged middle of the record (bytes: short window 1-44, long 45-96).
    g = sunpack('<I', v)
    l = sunpack('<I', v, 45)
    if sg <= g and lg <= l and not (attempt and outcome == 4) then
      local record
      if outcome == 0 then   -- pre-auth: the account's bit, attempts (short window, then long)
        g, a1, a2, b1, b2, at = sunpack('<IIIIII', v)
        la, lf = sunpack('<II', v, 81)
        if word == 0 then
          if floor(a1 / pow) % 2 == 0 then a1 = a1 + pow end
        elseif floor(a2 / pow) % 2 == 0 then
          a2 = a2 + pow
        end
        record = spack('<IIIIII', g, a1, a2, b1, b2, at + 1) .. sub(v, 25, 80) .. spack('<II', la + 1, lf) .. sub(v, 89, 96)
      elseif outcome ~= 4 then   -- a failure: failures, unknown accounts (short), failures (long)
        g, a1, a2, b1, b2, at, ap, fc, fp, uc = sunpack('<IIIIIIIIII', v)
        la, lf = sunpack('<II', v, 81)
        if outcome == 2 then uc = uc + 1 end
        if attempt then   -- the attempt its pre-auth only read
          if word == 0 then
            if floor(a1 / pow) % 2 == 0 then a1 = a1 + pow end
          elseif floor(a2 / pow) % 2 == 0 then
            a2 = a2 + pow
          end
          at = at + 1; la = la + 1
        end
        record = spack('<IIIIIIIIII', g, a1, a2, b1, b2, at, ap, fc + 1, fp, uc) .. sub(v, 41, 80) .. spack('<II', la, lf + 1) .. sub(v, 89, 96)
      else   -- a success: the account's bit among successes (and unfamiliar successes), long window only
        l, s1, s2, t1, t2, u1, u2 = sunpack('<IIIIIII', v, 45)
        local changed = false
        if word == 0 then
          if floor(s1 / pow) % 2 == 0 then s1 = s1 + pow; changed = true end
          if unfamiliar == 1 and floor(u1 / pow) % 2 == 0 then u1 = u1 + pow; changed = true end
        else
          if floor(s2 / pow) % 2 == 0 then s2 = s2 + pow; changed = true end
          if unfamiliar == 1 and floor(u2 / pow) % 2 == 0 then u2 = u2 + pow; changed = true end
        end
        if not changed then return v end
        record = sub(v, 1, 44) .. spack('<IIIIIII', l, s1, s2, t1, t2, u1, u2) .. sub(v, 73, 96)
      end
      call('SET', key, record, 'KEEPTTL')
      return record
    end
    -- A window rolls: the whole record.
    g, a1, a2, b1, b2, at, ap, fc, fp, uc, up, l, s1, s2, t1, t2, u1, u2, x1, x2, la, lf, lap, lfp = sunpack('<IIIIIIIIIIIIIIIIIIIIIIII', v)
  else
    g, a1, a2, b1, b2, at, ap, fc, fp, uc, up, l, s1, s2, t1, t2, u1, u2, x1, x2, la, lf, lap, lfp =
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
  end
  local fresh = not v
  local changed = fresh
  local q = sg - g
  if q > 0 then
    g = sg; fresh = true; changed = true
    if q == 1 then b1 = a1; b2 = a2; ap = at; fp = fc; up = uc else b1 = 0; b2 = 0; ap = 0; fp = 0; up = 0 end
    a1 = 0; a2 = 0; at = 0; fc = 0; uc = 0
  end
  q = lg - l
  if q > 0 then
    l = lg; fresh = true; changed = true
    if q == 1 then
      t1 = s1; t2 = s2; x1 = u1; x2 = u2; lap = la; lfp = lf
    else
      t1 = 0; t2 = 0; x1 = 0; x2 = 0; lap = 0; lfp = 0
    end
    la = 0; lf = 0
    s1 = 0; s2 = 0; u1 = 0; u2 = 0
  end
  if outcome == 0 or attempt then   -- the attempt and the account's bit (a pre-auth's, or one it only read)
    if word == 0 then
      if floor(a1 / pow) % 2 == 0 then a1 = a1 + pow end
    elseif floor(a2 / pow) % 2 == 0 then
      a2 = a2 + pow
    end
    at = at + 1; la = la + 1
    changed = true
  end
  if outcome == 0 then   -- pre-auth: nothing more
  elseif outcome ~= 4 then   -- a failure
    fc = fc + 1; lf = lf + 1
    if outcome == 2 then uc = uc + 1 end
    changed = true
  else   -- a success
    if word == 0 then
      if floor(s1 / pow) % 2 == 0 then s1 = s1 + pow; changed = true end
      if unfamiliar == 1 and floor(u1 / pow) % 2 == 0 then u1 = u1 + pow; changed = true end
    else
      if floor(s2 / pow) % 2 == 0 then s2 = s2 + pow; changed = true end
      if unfamiliar == 1 and floor(u2 / pow) % 2 == 0 then u2 = u2 + pow; changed = true end
    end
  end
  if not changed then return v end
  local record = spack('<IIIIIIIIIIIIIIIIIIIIIIII', g, a1, a2, b1, b2, at, ap, fc, fp, uc, up, l, s1, s2, t1, t2, u1, u2, x1, x2, la, lf, lap, lfp)
  put(key, record, fresh, ttl)
  return record
end

-- ------------------------------------------------------------------------------------------------ secrets
-- SecretState: rolls both windows and counts a failure from this account (bit given as word 0..3 and 2^(bit mod 32)
-- of the 128-bit maps) and, for an unknown account, the unknown count. Only a failure that is not a repeat is counted;
-- a secret that is only read is returned as stored and rolled by the client (rolling twice changes nothing).
local function secretCount(key, v, unknown, sg, lg, ttl, word, pow)
  -- generations (short, long), short current (4 words) and previous (4), long current and previous, unknown (current, previous)
  local g, l, c1, c2, c3, c4, p1, p2, p3, p4, d1, d2, d3, d4, e1, e2, e3, e4, uc, up
  local fresh = false
  if v then
    if #v ~= 80 then corrupt(key) end
    g, l, c1, c2, c3, c4, p1, p2, p3, p4, d1, d2, d3, d4, e1, e2, e3, e4, uc, up = sunpack('<IIIIIIIIIIIIIIIIIIII', v)
  else
    g, l, c1, c2, c3, c4, p1, p2, p3, p4, d1, d2, d3, d4, e1, e2, e3, e4, uc, up =
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
    fresh = true
  end
  local q = sg - g
  if q > 0 then
    g = sg; fresh = true
    if q == 1 then p1 = c1; p2 = c2; p3 = c3; p4 = c4; up = uc else p1 = 0; p2 = 0; p3 = 0; p4 = 0; up = 0 end
    c1 = 0; c2 = 0; c3 = 0; c4 = 0; uc = 0
  end
  q = lg - l
  if q > 0 then
    l = lg; fresh = true
    if q == 1 then e1 = d1; e2 = d2; e3 = d3; e4 = d4 else e1 = 0; e2 = 0; e3 = 0; e4 = 0 end
    d1 = 0; d2 = 0; d3 = 0; d4 = 0
  end
  if word == 0 then
    if floor(c1 / pow) % 2 == 0 then c1 = c1 + pow end
    if floor(d1 / pow) % 2 == 0 then d1 = d1 + pow end
  elseif word == 1 then
    if floor(c2 / pow) % 2 == 0 then c2 = c2 + pow end
    if floor(d2 / pow) % 2 == 0 then d2 = d2 + pow end
  elseif word == 2 then
    if floor(c3 / pow) % 2 == 0 then c3 = c3 + pow end
    if floor(d3 / pow) % 2 == 0 then d3 = d3 + pow end
  else
    if floor(c4 / pow) % 2 == 0 then c4 = c4 + pow end
    if floor(d4 / pow) % 2 == 0 then d4 = d4 + pow end
  end
  if unknown then uc = uc + 1 end
  local record = spack('<IIIIIIIIIIIIIIIIIIII', g, l, c1, c2, c3, c4, p1, p2, p3, p4, d1, d2, d3, d4, e1, e2, e3, e4, uc, up)
  put(key, record, fresh, ttl)
  return record
end

-- ------------------------------------------------------------------------------------------------ global
-- GlobalRates: closes the bucket when time moved on (baseline learned unless it was a spike), counts the attempt or
-- failure; and the population's login count (with the sketch's halving at decayAt) when a login was learned.
local function global(key, v, outcome, bucket, minimum, weight, factor, learned, decayAt, sketchKey, cells, attempts)
  -- bucket, attempts, failures, unknown, previous attempts/failures/unknown, baselines (failure, unknown), buckets learned, population logins
  local b, at, fa, un, pa, pf, pu, fb, ub, n, pop
  local has = v and true or false
  if has then
    if #v ~= 88 then corrupt(key) end
    b, at, fa, un, pa, pf, pu, fb, ub, n, pop = sunpack('<ddddddddddd', v)
  else
    b, at, fa, un, pa, pf, pu, fb, ub, n, pop = 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
  end
  local changed = false
  if not has or bucket > b then
    if has and bucket == b + 1 and at > 0 then pa = at; pf = fa; pu = un else pa = 0; pf = 0; pu = 0 end
    if at >= minimum then
      local failureRate, unknownRate = 0, 0
      if at ~= 0 then failureRate = math.min(1.0, fa / at); unknownRate = math.min(1.0, un / at) end
      -- an attack must not teach the baseline that attacks are normal (floors: GlobalSignals.FailureFloor, UnknownFloor),
      -- but a level lasting days is: a spike bucket teaches at GlobalSignals.SpikeLearningShare (0.01) of the weight
      local w
      if n >= 12 and (failureRate > factor * math.max(fb, 0.05) or unknownRate > factor * math.max(ub, 0.005)) then
        w = weight * 0.01
      else
        w = 1
        if n ~= 0 then w = math.max(weight, 1.0 / (n + 1)) end
        n = n + 1
      end
      fb = fb + w * (failureRate - fb)
      ub = ub + w * (unknownRate - ub)
    end
    b = bucket; at = 0; fa = 0; un = 0
    changed = true
  end
  if outcome == 0 then attempts = attempts + 1 end   -- a pre-auth's attempt, beside any it only read
  if attempts > 0 then at = at + attempts; changed = true end
  if outcome ~= 0 and outcome ~= 4 then   -- a failure
    fa = fa + 1
    if outcome == 2 then un = un + 1 end
    changed = true
  end
  if learned then
    pop = pop + 1; changed = true
    if pop >= decayAt then halveSketch(sketchKey or (sub(key, 1, -2) .. 'p'), cells); pop = floor(pop / 2) end
  end
  if not changed then return v end
  local record = spack('<ddddddddddd', b, at, fa, un, pa, pf, pu, fb, ub, n, pop)
  call('SET', key, record)
  return record
end

-- Whether a secret record has failures in its long window (rolled to long generation lg): a success with the secret
-- is counted on its success record only then (InMemorySignalStore does the same; a unique password never counts).
local function secretFailsLong(v, lg)
  if not v or #v ~= 80 then return false end
  local _, l, _, _, _, _, _, _, _, _, d1, d2, d3, d4, e1, e2, e3, e4 = sunpack('<IIIIIIIIIIIIIIIIII', v)
  local q = lg - l
  if q == 0 then return d1 + d2 + d3 + d4 + e1 + e2 + e3 + e4 > 0 end
  if q == 1 then return d1 + d2 + d3 + d4 > 0 end
  return false
end

-- ------------------------------------------------------------------------------------------------ the modes
local mode = byte(ARGV[1], 1)

if mode == 0 then
  -- KEYS: account, global, ip, subnet, [asn], [agent], [device], [secret, [tenant secret], secret's successes]. The population sketch
  -- ({prefix}:p beside {prefix}:g) is touched only by a pending environment's cells and the rare halving.
  local _, outcome, hasAsn, hasAgent, hasDevice, secrets,
        familiar, learnMode, failureGen, s, fIp, fAsn, fCountry, fAgent, fBrowser, fOs, fDevice, envHi, envLo, minute, learnDays, accountTtl,
        addressBit, sg, lg, sourceTtl, word, pow, unfamiliarIp, unfamiliarDevice,
        xsg, xlg, secretTtl, xword, xpow,
        minimum, decayAt, cells, bucket, weight, factor =
    sunpack('<IIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIddd', ARGV[1])
  local country = floor(learnMode / 4); learnMode = learnMode % 4   -- the country rides above the learn mode
  local attempt = outcome >= 8; if attempt then outcome = outcome - 8 end
  local n = #KEYS
  local stored = call('MGET', unpack(KEYS))
  -- every state is read and checked before anything is written, so a corrupt key fails the call with nothing changed
  local firstSecret = n - secrets + 1
  if secrets >= 1 then firstSecret = firstSecret - 1 end   -- the secret's success record follows the secrets
  for i = 1, n do
    local value = stored[i]
    if value then
      local size, want = #value, 96
      if i == 1 then want = 468 elseif i == 2 then want = 88 elseif i >= firstSecret then want = 80 end
      if size ~= want and not (i == 1 and (size == 456 or size == 464)) and not (want == 96 and size == 88) then corrupt(KEYS[i]) end
    end
  end
  -- A learned success may carry the tail its node computed from what its pre-auth read: the account's history count
  -- then, and its tail then and after learning (RedisSignalStore.LearnedTail). Used only if the account is unchanged.
  local learnedTail = false
  if learnMode == 1 and outcome == 4 and #ARGV[1] == 928 then learnedTail = nodeTail(stored[1], 177) end
  local acc, repeated, learned, usedTail = account(KEYS[1], stored[1], outcome, familiar, learnMode, failureGen, s, fIp, fAsn, fCountry, fAgent,
    fBrowser, fOs, fDevice, envHi, envLo, minute, learnDays, accountTtl, country, addressBit, learnedTail)
  if learned and learnMode == 2 then
    -- A pending environment learned now: the cells packed after the numbers above are added here. Nodes with a copy of
    -- the population pack none (count 0): they add the cells to their copy, and send them with its next sync.
    local count = sunpack('<I', ARGV[1], 177)
    if count > 0 then
      local offsets = { sunpack('<IIIIIIIIIIIIIIIIIIIIIIII', ARGV[1], 181) }
      local args = { sub(KEYS[2], 1, -2) .. 'p', 'OVERFLOW', 'SAT' }   -- {prefix}:p beside {prefix}:g
      for i = 1, count do
        args[#args + 1] = 'INCRBY'; args[#args + 1] = 'u32'; args[#args + 1] = fmt('%d', offsets[i]); args[#args + 1] = '1'
      end
      call('BITFIELD', unpack(args))
    end
  end
  local k = 3
  local ip = source(KEYS[k], stored[k], outcome, sg, lg, sourceTtl, word, pow, unfamiliarIp, attempt); k = k + 1
  local subnet = source(KEYS[k], stored[k], outcome, sg, lg, sourceTtl, word, pow, 0, attempt); k = k + 1
  local asn, agent, device = '', '', ''
  if hasAsn == 1 then asn = source(KEYS[k], stored[k], outcome, sg, lg, sourceTtl, word, pow, 0, attempt); k = k + 1 end
  if hasAgent == 1 then agent = source(KEYS[k], stored[k], outcome, sg, lg, sourceTtl, word, pow, 0, attempt); k = k + 1 end
  if hasDevice == 1 then device = source(KEYS[k], stored[k], outcome, sg, lg, sourceTtl, word, pow, unfamiliarDevice, attempt); k = k + 1 end
  local secret, tenant = '', ''
  -- a failure from the account's own context is its user trying their passwords: not counted towards a spray
  local countSecret = outcome ~= 0 and outcome ~= 4 and not repeated and familiar == 0
  if secrets >= 1 then
    if countSecret then secret = secretCount(KEYS[k], stored[k], outcome == 2, xsg, xlg, secretTtl, xword, xpow) else secret = stored[k] or '' end
    k = k + 1
  end
  if secrets == 2 then
    if countSecret then tenant = secretCount(KEYS[k], stored[k], outcome == 2, xsg, xlg, secretTtl, xword, xpow) else tenant = stored[k] or '' end
    k = k + 1
  end
  -- the accounts the secret succeeds on, while it fails on others: what tells a popular secret from a sprayed one
  local success = ''
  if secrets >= 1 then
    if outcome == 4 and secretFailsLong(secret, xlg) then
      success = secretCount(KEYS[k], stored[k], false, xsg, xlg, secretTtl, xword, xpow)
    else
      success = stored[k] or ''
    end
  end
  local glob = global(KEYS[2], stored[2], outcome, bucket, minimum, weight, factor, learned, decayAt, nil, cells, attempt and 1 or 0)
  -- One string back (every element of a reply table costs the server a conversion): eleven uint32 (repeated, learned,
  -- the lengths of the account, the five sources, the two secrets and the success record), then those records and
  -- the global state.
  return spack('<IIIIIIIIIII', repeated and 1 or 0, learned and (usedTail and 2 or 1) or 0, #acc, #ip, #subnet, #asn, #agent, #device, #secret, #tenant, #success)
    .. acc .. ip .. subnet .. asn .. agent .. device .. secret .. tenant .. success .. glob
elseif mode == 1 then
  -- KEYS: account. Reply: repeated, learned (two uint32: learned 2 with the node's tail), then the account record.
  local _, outcome, familiar, learnMode, failureGen, s, fIp, fAsn, fCountry, fAgent, fBrowser, fOs, fDevice, envHi, envLo, minute, learnDays, accountTtl,
        addressBit = sunpack('<IIIIIIIIIIIIIIIIIII', ARGV[1])
  local country = floor(learnMode / 4); learnMode = learnMode % 4   -- the country rides above the learn mode
  local v = call('GET', KEYS[1])
  local learnedTail = false
  if learnMode == 1 and outcome == 4 and #ARGV[1] == 828 then learnedTail = nodeTail(v, 77) end
  local acc, repeated, learned, usedTail = account(KEYS[1], v, outcome, familiar, learnMode, failureGen, s, fIp, fAsn, fCountry,
    fAgent, fBrowser, fOs, fDevice, envHi, envLo, minute, learnDays, accountTtl, country, addressBit, learnedTail)
  return spack('<II', repeated and 1 or 0, learned and (usedTail and 2 or 1) or 0) .. acc
elseif mode == 2 then
  -- KEYS: one source. Reply: its record.
  local _, outcome, sg, lg, ttl, word, pow, unfamiliar = sunpack('<IIIIIIII', ARGV[1])
  local attempt = outcome >= 8; if attempt then outcome = outcome - 8 end
  return source(KEYS[1], call('GET', KEYS[1]), outcome, sg, lg, ttl, word, pow, unfamiliar, attempt)
elseif mode == 3 then
  -- KEYS: one secret. Counts a failure the account said was not a repeat (sent after the account's reply).
  local _, outcome, sg, lg, ttl, word, pow = sunpack('<IIIIIII', ARGV[1])
  secretCount(KEYS[1], call('GET', KEYS[1]), outcome == 2, sg, lg, ttl, word, pow)
  return 1
elseif mode == 4 then
  -- KEYS: global, population sketch. Reply: the global record.
  local _, outcome, learned, minimum, decayAt, cells, bucket, weight, factor = sunpack('<IIIIIIddd', ARGV[1])
  local attempt = outcome >= 8; if attempt then outcome = outcome - 8 end
  return global(KEYS[1], call('GET', KEYS[1]), outcome, bucket, minimum, weight, factor, learned == 1, decayAt, KEYS[2], cells, attempt and 1 or 0) or ''
elseif mode == 5 then
  -- KEYS: global, population sketch. A pending environment was learned: its cells were just added; count the login.
  local _, decayAt, cells = sunpack('<III', ARGV[1])
  local v = call('GET', KEYS[1])
  if not v then v = spack('<ddddddddddd', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) elseif #v ~= 88 then corrupt(KEYS[1]) end
  local values = { sunpack('<ddddddddddd', v) }
  local pop = values[11] + 1
  if pop >= decayAt then halveSketch(KEYS[2], cells); pop = floor(pop / 2) end
  call('SET', KEYS[1], spack('<ddddddddddd', values[1], values[2], values[3], values[4], values[5], values[6], values[7], values[8], values[9], values[10], pop))
  return 1
elseif mode == 6 then
  -- Attempts read at pre-auth whose outcomes did not come in time (PendingAttempts), summed. KEYS: the sources, then
  -- the global record when buckets > 0. Per source: short and long generation, attempts, and the accounts' 64-bit map
  -- (two words); per bucket: the bucket (a double) and its attempts. Each count goes in its own window, as
  -- RedisSignalStore.AddToSource and AddToGlobal add them to a node's reads: the current, the previous, or none.
  local _, sources, buckets, ttl, minimum, decayAt, cells, weight, factor = sunpack('<IIIIIIIdd', ARGV[1])
  local at = 45
  -- ORs a 32-bit mask into a 32-bit word (Lua 5.1 has no bit library).
  local function orWord(w, mask)
    local p = 1
    while mask > 0 do
      if mask % 2 == 1 and floor(w / p) % 2 == 0 then w = w + p end
      mask = floor(mask / 2); p = p * 2
    end
    return w
  end
  for i = 1, sources do
    local key = KEYS[i]
    local sg, lg, count, low, high
    sg, lg, count, low, high, at = sunpack('<IIIII', ARGV[1], at)
    -- source()'s roll, written out again: one function for both, returning the 25 values, cost every observation 3 %
    -- more instructions (callgrind, docs/BENCHMARKS.md), for the closure each call makes and the returns.
    local v = call('GET', key)
    local g, a1, a2, b1, b2, t, ap, fc, fp, uc, up, l, s1, s2, t1, t2, u1, u2, x1, x2, la, lf, lap, lfp =
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
    if v then
      if #v == 88 then v = v .. '\0\0\0\0\0\0\0\0' elseif #v ~= 96 then corrupt(key) end
      g, a1, a2, b1, b2, t, ap, fc, fp, uc, up, l, s1, s2, t1, t2, u1, u2, x1, x2, la, lf, lap, lfp = sunpack('<IIIIIIIIIIIIIIIIIIIIIIII', v)
    end
    local fresh = not v
    local q = sg - g
    if q > 0 then
      g = sg; fresh = true
      if q == 1 then b1 = a1; b2 = a2; ap = t; fp = fc; up = uc else b1 = 0; b2 = 0; ap = 0; fp = 0; up = 0 end
      a1 = 0; a2 = 0; t = 0; fc = 0; uc = 0
    end
    q = lg - l
    if q > 0 then
      l = lg; fresh = true
      if q == 1 then t1 = s1; t2 = s2; x1 = u1; x2 = u2; lap = la; lfp = lf else t1 = 0; t2 = 0; x1 = 0; x2 = 0; lap = 0; lfp = 0 end
      la = 0; lf = 0; s1 = 0; s2 = 0; u1 = 0; u2 = 0
    end
    if sg == g then a1 = orWord(a1, low); a2 = orWord(a2, high); t = t + count
    elseif sg == g - 1 then b1 = orWord(b1, low); b2 = orWord(b2, high); ap = ap + count end
    if lg == l then la = la + count elseif lg == l - 1 then lap = lap + count end
    put(key, spack('<IIIIIIIIIIIIIIIIIIIIIIII', g, a1, a2, b1, b2, t, ap, fc, fp, uc, up, l, s1, s2, t1, t2, u1, u2, x1, x2, la, lf, lap, lfp), fresh, ttl)
  end
  if buckets > 0 then
    local key = KEYS[sources + 1]
    for j = 1, buckets do
      local bucket, count
      bucket, count, at = sunpack('<dI', ARGV[1], at)
      local v = call('GET', key)
      if v and #v ~= 88 then corrupt(key) end
      local b = v and sunpack('<d', v) or 0
      if not v or bucket >= b then
        global(key, v, 4, bucket, minimum, weight, factor, false, decayAt, nil, cells, count)
      elseif bucket == b - 1 then   -- the previous bucket's attempts (its rates were learned without them, as on the nodes)
        local f = { sunpack('<ddddddddddd', v) }
        call('SET', key, spack('<ddddddddddd', f[1], f[2], f[3], f[4], f[5] + count, f[6], f[7], f[8], f[9], f[10], f[11]))
      end
    end
  end
  return 1
end
error('Mamori: unknown observe mode ' .. tostring(mode))
