-- dead_letter.lua — move one entry from the stream to the dead-letter
-- stream: add it there with why it failed, then ack and delete the original,
-- atomically, so the entry is in exactly one of the two streams.
-- KEYS[1] the stream   KEYS[2] the dead-letter stream
-- ARGV[1] group  ARGV[2] entry id  ARGV[3] the event as queued
-- ARGV[4] error  ARGV[5] stage     ARGV[6] attempts  ARGV[7] failed at (ms)
-- Returns the dead-letter entry's id.
local id = redis.call('XADD', KEYS[2], '*', 'event', ARGV[3], 'error', ARGV[4], 'stage', ARGV[5],
                      'attempts', ARGV[6], 'source_id', ARGV[2], 'failed_at_ms', ARGV[7])
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
return id
