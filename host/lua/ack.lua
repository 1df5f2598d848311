-- ack.lua — acknowledge stored entries and delete them from the stream, in
-- one step, so the stream holds only what is not yet stored.
-- KEYS[1] the stream   ARGV[1] the consumer group   ARGV[2..] entry ids
-- Returns the number of entries acknowledged.
local ids = {unpack(ARGV, 2)}
local acked = redis.call('XACK', KEYS[1], ARGV[1], unpack(ids))
redis.call('XDEL', KEYS[1], unpack(ids))
return acked
