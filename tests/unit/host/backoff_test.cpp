// Backoff: base * 2^(n-1), capped, never overflowing.
#include "worker/backoff.h"

#include <gtest/gtest.h>

namespace mccig::worker {
namespace {

TEST(Backoff, DoublesFromTheBase) {
  EXPECT_EQ(BackoffMs(1, 200, 30'000), 200);
  EXPECT_EQ(BackoffMs(2, 200, 30'000), 400);
  EXPECT_EQ(BackoffMs(3, 200, 30'000), 800);
  EXPECT_EQ(BackoffMs(5, 200, 30'000), 3200);
}

TEST(Backoff, StopsAtTheCap) {
  EXPECT_EQ(BackoffMs(8, 200, 30'000), 25'600);
  EXPECT_EQ(BackoffMs(9, 200, 30'000), 30'000);
  EXPECT_EQ(BackoffMs(1000, 200, 30'000), 30'000);  // no overflow on long outages
  EXPECT_EQ(BackoffMs(1, 50'000, 30'000), 30'000);
}

TEST(Backoff, NoWaitBeforeTheFirstTry) {
  EXPECT_EQ(BackoffMs(0, 200, 30'000), 0);
}

}  // namespace
}  // namespace mccig::worker
