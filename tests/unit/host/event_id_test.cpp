// Event ids are RFC 9562 UUIDv7: shape, version, variant, time prefix, uniqueness.
#include "ingest/event_id.h"

#include <set>

#include <gtest/gtest.h>

namespace mccig::ingest {
namespace {

TEST(EventId, IsAVersion7Uuid) {
  const std::string id = NewEventId(1714564800123);
  ASSERT_EQ(id.size(), 36u);
  EXPECT_EQ(id[8], '-');
  EXPECT_EQ(id[13], '-');
  EXPECT_EQ(id[14], '7');
  EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos);
  // 1714564800123 ms = 0x018f34069e7b
  EXPECT_EQ(id.substr(0, 13), "018f3406-9e7b");
}

TEST(EventId, IsUniqueAndOrderedByTime) {
  std::set<std::string> ids;
  for (int i = 0; i < 10000; ++i) ids.insert(NewEventId(1000 + i / 100));
  EXPECT_EQ(ids.size(), 10000u);
  EXPECT_LT(NewEventId(1000), NewEventId(2000));
}

}  // namespace
}  // namespace mccig::ingest
