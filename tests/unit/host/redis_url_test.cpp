// redis_url: every accepted form of REDIS_URL, and the refusals.
#include "redis/redis_url.h"

#include <gtest/gtest.h>

namespace mccig::redis {
namespace {

TEST(RedisUrl, HostPortAndDatabase) {
  auto ep = ParseRedisUrl("redis://cache.internal:6380/3");
  ASSERT_TRUE(ep) << ep.error().message;
  EXPECT_EQ(ep.value().host, "cache.internal");
  EXPECT_EQ(ep.value().port, 6380);
  EXPECT_EQ(ep.value().db, 3);
  EXPECT_TRUE(ep.value().password.empty());
}

TEST(RedisUrl, DefaultsToPort6379AndDatabase0) {
  auto ep = ParseRedisUrl("redis://127.0.0.1");
  ASSERT_TRUE(ep);
  EXPECT_EQ(ep.value().port, 6379);
  EXPECT_EQ(ep.value().db, 0);
}

TEST(RedisUrl, PasswordWithAndWithoutUser) {
  auto only = ParseRedisUrl("redis://:s3cret@127.0.0.1:6379/0");
  ASSERT_TRUE(only);
  EXPECT_EQ(only.value().password, "s3cret");
  EXPECT_TRUE(only.value().username.empty());
  auto acl = ParseRedisUrl("redis://gateway:s3cret@127.0.0.1/0");
  ASSERT_TRUE(acl);
  EXPECT_EQ(acl.value().username, "gateway");
  EXPECT_EQ(acl.value().password, "s3cret");
}

TEST(RedisUrl, DescribeNeverShowsThePassword) {
  auto ep = ParseRedisUrl("redis://:s3cret@127.0.0.1:6379/2");
  ASSERT_TRUE(ep);
  EXPECT_EQ(ep.value().Describe(), "127.0.0.1:6379 db 2");
}

TEST(RedisUrl, UnixSocketWithQueryOptions) {
  auto ep = ParseRedisUrl("unix:///run/redis/redis.sock?db=2&password=pw");
  ASSERT_TRUE(ep) << ep.error().message;
  EXPECT_EQ(ep.value().unix_socket, "/run/redis/redis.sock");
  EXPECT_TRUE(ep.value().host.empty());
  EXPECT_EQ(ep.value().db, 2);
  EXPECT_EQ(ep.value().password, "pw");
}

TEST(RedisUrl, RefusesWhatItCannotUse) {
  for (const char* bad : {"http://127.0.0.1:6379", "redis://127.0.0.1/abc", "redis:///0", "unix://",
                          "unix:///tmp/r.sock?db=x"}) {
    auto ep = ParseRedisUrl(bad);
    ASSERT_FALSE(ep) << bad;
    EXPECT_EQ(ep.error().code, "invalid_config") << bad;
  }
}

}  // namespace
}  // namespace mccig::redis
