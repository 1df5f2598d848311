// event_id.h — event ids: RFC 9562 UUIDv7 (48-bit Unix milliseconds, then
// random bits). Time-ordered ids keep PostgreSQL's primary-key index appends
// local instead of scattering them like v4 ids would. Each thread draws from
// its own generator, so NewEventId takes no lock.
#pragma once

#include <cstdint>
#include <string>

namespace mccig::ingest {

std::string NewEventId(int64_t unix_ms);

}  // namespace mccig::ingest
