// Timestamps: the accepted RFC 3339 forms, the refused ones, and round trips.
#include "mccig/sdk/timestamp.h"

#include <gtest/gtest.h>

namespace mccig::sdk {
namespace {

TEST(Timestamp, ParsesUtcAndOffsets) {
  EXPECT_EQ(ParseTimestamp("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseTimestamp("2024-05-01T12:00:00Z"), 1714564800000);
  EXPECT_EQ(ParseTimestamp("2024-05-01T14:00:00+02:00"), 1714564800000);
  EXPECT_EQ(ParseTimestamp("2024-05-01T07:30:00-0430"), 1714564800000);
  EXPECT_EQ(ParseTimestamp("2024-05-01t12:00:00.123z"), 1714564800123);
  EXPECT_EQ(ParseTimestamp("2024-05-01 12:00:00.5Z"), 1714564800500);
  EXPECT_EQ(ParseTimestamp("2024-05-01T12:00:00.123456789Z"), 1714564800123);
  EXPECT_EQ(ParseTimestamp("2024-02-29T00:00:00Z"), 1709164800000);  // leap day
}

TEST(Timestamp, RefusesAmbiguousOrImpossible) {
  for (const char* bad :
       {"", "2024-05-01", "2024-05-01T12:00:00", "2024-13-01T00:00:00Z", "2023-02-29T00:00:00Z",
        "2024-04-31T00:00:00Z", "2024-05-01T24:00:00Z", "2024-05-01T12:60:00Z",
        "2024-05-01T12:00:00.Z", "2024-05-01T12:00:00Zx", "24-05-01T12:00:00Z",
        "2024-05-01T12:00:00+25:00", "not a date", "2024-05-01T12:00:00.1234567890Z"}) {
    EXPECT_FALSE(ParseTimestamp(bad).has_value()) << bad;
  }
}

TEST(Timestamp, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(FormatTimestamp(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatTimestamp(1714564800123), "2024-05-01T12:00:00.123Z");
  EXPECT_EQ(FormatTimestamp(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatTimestamp(951825845007), "2000-02-29T12:04:05.007Z");
  EXPECT_EQ(FormatTimestamp(253402300799999), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatTimestamp(253402300800000), "10000-01-01T00:00:00.000Z") << "past four digits";
}

TEST(Timestamp, RoundTrips) {
  for (int64_t ms :
       {int64_t{0}, int64_t{951782400000}, int64_t{4102444799999}, int64_t{-86400000}}) {
    EXPECT_EQ(ParseTimestamp(FormatTimestamp(ms)), ms) << ms;
  }
}

}  // namespace
}  // namespace mccig::sdk
