// A batch result written straight out is the text of OutcomeJson plus its
// index, for every kind of outcome.
#include "ingest/event_outcome.h"

#include <gtest/gtest.h>

namespace mccig::ingest {
namespace {

TEST(IndexedOutcomeJson, IsOutcomeJsonWithItsIndex) {
  const EventOutcome outcomes[] = {
      {.kind = ops::Outcome::kAccepted, .event_id = "e-1", .provider_message_id = "SM\"1\""},
      {.kind = ops::Outcome::kAccepted, .provider_message_id = "SM2"},
      {.kind = ops::Outcome::kDuplicate, .event_id = "e-0", .provider_message_id = "caf\xc3\xa9"},
      {.kind = ops::Outcome::kDuplicate, .provider_message_id = "SM3"},
      {.kind = ops::Outcome::kRateLimited, .tenant = "acme", .retry_after_ms = 1500},
      {.kind = ops::Outcome::kUnavailable, .retry_after_ms = 1000},
      RejectedOutcome(sdk::Error::Validation({{"Body", "required"}})),
  };
  std::size_t index = 0;
  for (const EventOutcome& outcome : outcomes) {
    nlohmann::json expected = OutcomeJson(outcome);
    expected["index"] = index;
    std::string text = "[";
    AppendIndexedOutcomeJson(text, outcome, index);
    EXPECT_EQ(text, "[" + expected.dump()) << expected.dump();
    ++index;
  }
}

}  // namespace
}  // namespace mccig::ingest
