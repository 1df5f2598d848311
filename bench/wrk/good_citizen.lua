-- good_citizen.lua — a well-behaved provider: every request a new event,
-- the channels in turn (sms, chat, voice), no duplicates, within its limit.
-- Expected: every answer 201 and, once the worker has caught up, one row
-- per 201 (bench/scenario checks the rows).
-- Environment: MCCIG_KEY (API key), MCCIG_TENANT (its tenant id); with
-- MCCIG_RATE and MCCIG_WRK_THREADS, requests are paced to MCCIG_RATE per
-- second in all (bench/report's fixed offered rates).
local lib = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "lib.lua")
local key, tenant = os.getenv("MCCIG_KEY"), os.getenv("MCCIG_TENANT")
local prefix, n = nil, 0

function setup(thread) lib.setup(thread) end
function init(args) prefix = lib.run_prefix() .. "-" .. thread_index .. "-" end

function request()
  n = n + 1
  local channel = lib.channels[n % #lib.channels + 1]
  return lib.post(channel, key, lib.body(channel, tenant, prefix .. n))
end

function response(status, headers, body) lib.count(tostring(status)) end
function done(summary, latency, requests) lib.done(summary, latency) end

local rate = tonumber(os.getenv("MCCIG_RATE") or "")
if rate then delay = lib.pacer(rate / tonumber(os.getenv("MCCIG_WRK_THREADS") or "1")) end
