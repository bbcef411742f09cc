-- Mamori signal store: an operator's or a step-up's change to one account (InMemorySignalStore.SetDeviceTrustAsync,
-- SetStepUpRequestedAsync and MarkSecretExposedAsync). Same account layout as observe.lua.
-- KEYS: 1 account. ARGV: 1 action ('trust' | 'stepup' | 'exposed'), 2 value (0/1; for 'exposed' the day, 1-65535),
-- 3 short device, 4 TTL seconds.
-- Word 17 holds the step-up request in its lowest bit and the day the account's secret was exposed in its upper 16
-- (a record written before exposure was kept holds 0 or 1 there: none). Clearing the request clears the exposure.
-- 116 words: the last two are the country of the last learned success and its minute (a record written before they
-- were kept has 114 and reads them as zero: none known); a 117th, the failure addresses (observe.lua), is kept as it is.
local ACC = 116
local FMT = '<' .. string.rep('I4', ACC)
local v = redis.call('GET', KEYS[1])
local acc
local rest = ''
if v then
  if #v == 456 then v = v .. string.rep('\0', 8) elseif #v == 468 then rest = string.sub(v, 465); v = string.sub(v, 1, 464) end
  if #v ~= struct.size(FMT) then error('Mamori: corrupt signal state in ' .. KEYS[1]) end
  acc = { struct.unpack(FMT, v) }
  acc[ACC + 1] = nil
else
  acc = {}
  for i = 1, ACC do acc[i] = 0 end
end

local on = ARGV[2] == '1'
if ARGV[1] == 'stepup' then
  acc[17] = on and (math.floor(acc[17] / 65536) * 65536 + 1) or 0
elseif ARGV[1] == 'exposed' then
  acc[17] = tonumber(ARGV[2]) * 65536 + acc[17] % 2
else
  local device = tonumber(ARGV[3])
  -- trusted devices: count at 22, up to 8 at 23..30, oldest first
  local count = acc[22]
  local present = false
  if device ~= 0 then
    for i = 23, 22 + count do if acc[i] == device then present = true end end
  end
  if on and not present then
    if count < 8 then
      acc[23 + count] = device; acc[22] = count + 1
    else
      for i = 23, 29 do acc[i] = acc[i + 1] end
      acc[30] = device
    end
    -- Devices.Add: the device bag holds values at 99..106 and counts at 107..114
    if device ~= 0 then
      local found = false
      for i = 99, 106 do
        if not found and acc[i] == device then
          found = true
          if acc[i + 8] < 65535 then acc[i + 8] = acc[i + 8] + 1 end
        end
      end
      if not found then
        local smallest = 99
        for i = 100, 106 do if acc[i + 8] < acc[smallest + 8] then smallest = i end end
        acc[smallest] = device; acc[smallest + 8] = 1
      end
    end
  elseif not on and present then
    local kept = {}
    for i = 23, 22 + count do if acc[i] ~= device then kept[#kept + 1] = acc[i] end end
    for i = 23, 30 do acc[i] = kept[i - 22] or 0 end
    acc[22] = #kept
  end
end
redis.call('SET', KEYS[1], struct.pack(FMT, unpack(acc, 1, ACC)) .. rest, 'EX', tonumber(ARGV[4]))
return 1
