// TokensAt: the rate-limit monitor reads a tenant's bucket with the same
// refill arithmetic as admission.lua, without spending a token.
#include <gtest/gtest.h>

#include "admission/redis_admission.h"

namespace mccig::admission {
namespace {

TEST(TokensAt, AMissingBucketIsFull) {
  EXPECT_EQ(TokensAt("", 1000, 100, 50), 100);
}

TEST(TokensAt, RefillsWithTimeUpToCapacity) {
  EXPECT_DOUBLE_EQ(TokensAt("3 1000", 1000, 10, 2), 3);
  EXPECT_DOUBLE_EQ(TokensAt("3 1000", 2000, 10, 2), 5);
  EXPECT_DOUBLE_EQ(TokensAt("3 1000", 2500, 10, 2), 6);
  EXPECT_DOUBLE_EQ(TokensAt("3 1000", 60000, 10, 2), 10);
  EXPECT_DOUBLE_EQ(TokensAt("0.25 1000", 1000, 10, 2), 0.25);
}

TEST(TokensAt, AClockBehindTheBucketAddsNothing) {
  EXPECT_DOUBLE_EQ(TokensAt("3 5000", 1000, 10, 2), 3);
}

TEST(TokensAt, AnUnreadableBucketCountsAsFull) {
  EXPECT_EQ(TokensAt("garbage", 1000, 10, 2), 10);
  EXPECT_EQ(TokensAt("x y", 1000, 10, 2), 10);
}

}  // namespace
}  // namespace mccig::admission
