-- noisy_neighbor.lua — two tenants on one gateway. wrk's first thread is
-- the noisy tenant, sending MCCIG_NOISY_RATE requests/s (200) against a
-- 50/s limit; its second is a quiet tenant sending MCCIG_QUIET_RATE (20)
-- within the same limit. Expected: the noisy tenant gets 429s, each with
-- Retry-After; the quiet one gets 201 for every request.
-- Run with -t 2. Environment: MCCIG_KEY/MCCIG_TENANT (noisy),
-- MCCIG_QUIET_KEY/MCCIG_QUIET_TENANT, MCCIG_NOISY_RATE, MCCIG_QUIET_RATE.
local lib = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "lib.lua")
local role, key, tenant, prefix, n, pace

function setup(thread) lib.setup(thread) end

function init(args)
  local noisy = thread_index == 0
  role = noisy and "noisy" or "quiet"
  key = os.getenv(noisy and "MCCIG_KEY" or "MCCIG_QUIET_KEY")
  tenant = os.getenv(noisy and "MCCIG_TENANT" or "MCCIG_QUIET_TENANT")
  pace = lib.pacer(tonumber(os.getenv(noisy and "MCCIG_NOISY_RATE" or "MCCIG_QUIET_RATE")))
  prefix, n = lib.run_prefix() .. "-" .. role .. "-", 0
end

function request()
  n = n + 1
  return lib.post("sms", key, lib.body("sms", tenant, prefix .. n))
end

function delay() return pace() end

function response(status, headers, body)
  lib.count(role .. "_" .. status)
  if status == 429 and not headers["Retry-After"] then lib.count(role .. "_429_without_retry_after") end
end

function done(summary, latency, requests) lib.done(summary, latency) end
