// admission_keys.h — the Redis keys one admission touches.
//
// All of them carry the hash tag {queue:conversations}: a tag hashes like
// the text inside the braces, which is the stream's own name, so every key
// lands in the stream's cluster slot. Tenant ids cannot contain ':' (the
// schema's identifier format) and channels are fixed words, so
// channel:provider_id is unambiguous whatever the provider id holds.
#pragma once

#include <string>
#include <string_view>

namespace mccig::admission {

// A tenant's idempotency claims live in two hashes that take turns
// (admission.lua): generation 0 and 1. A claim is the field
// "<channel>:<provider id>" of one of them, holding the event id.
std::string IdempotencyGenerationKey(std::string_view tenant, int generation);
std::string IdempotencyField(std::string_view channel, std::string_view provider_message_id);
std::string BucketKey(std::string_view tenant);

}  // namespace mccig::admission
