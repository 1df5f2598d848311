// timestamp.h — ISO-8601 / RFC 3339 timestamps, parsed and printed in UTC.
//
// Accepted: YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM|±HHMM), 'T' or ' ' as the
// separator, 't'/'z' in lower case. A date with no time or no zone is refused:
// an event time with no zone is ambiguous, and guessing loses data silently.
// Printed: YYYY-MM-DDTHH:MM:SS.mmmZ. Pure functions, safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mccig::sdk {

// Milliseconds since the Unix epoch, or nullopt when `text` is not a valid
// timestamp (including impossible dates such as 2023-02-30).
std::optional<int64_t> ParseTimestamp(std::string_view text) noexcept;

std::string FormatTimestamp(int64_t epoch_ms);

}  // namespace mccig::sdk
