// Traffic: the console's in-memory activity record — totals by tenant and
// channel, the per-second window behind the rate chart, and recent 429s.
#include "ops/traffic.h"

#include <gtest/gtest.h>

namespace mccig::ops {
namespace {

constexpr int64_t kT0 = 1'700'000'000'000;  // a whole second, in ms

nlohmann::json RowFor(const nlohmann::json& summary, const std::string& tenant,
                      const std::string& channel) {
  for (const auto& row : summary["by_tenant_channel"]) {
    if (row["tenant"] == tenant && row["channel"] == channel) return row;
  }
  return nullptr;
}

TEST(OutcomeOfStatus, MapsAnswersToOutcomes) {
  EXPECT_EQ(OutcomeOfStatus(201), Outcome::kAccepted);
  EXPECT_EQ(OutcomeOfStatus(200), Outcome::kDuplicate);
  EXPECT_EQ(OutcomeOfStatus(429), Outcome::kRateLimited);
  EXPECT_EQ(OutcomeOfStatus(400), Outcome::kRejected);
  EXPECT_EQ(OutcomeOfStatus(401), Outcome::kRejected);
  EXPECT_EQ(OutcomeOfStatus(503), Outcome::kUnavailable);
  EXPECT_EQ(OutcomeOfStatus(500), Outcome::kUnavailable);
}

TEST(Traffic, TotalsByTenantAndChannel) {
  Traffic t({"acme"}, kT0);
  t.Record("acme", "sms", Outcome::kAccepted, kT0);
  t.Record("acme", "sms", Outcome::kAccepted, kT0 + 10);
  t.Record("acme", "sms", Outcome::kDuplicate, kT0 + 20);
  t.Record("acme", "chat", Outcome::kRejected, kT0 + 30);
  const auto s = t.Summary(kT0 + 1000, 60, 5);
  EXPECT_EQ(s["started_at_ms"], kT0);
  const auto sms = RowFor(s, "acme", "sms");
  ASSERT_FALSE(sms.is_null());
  EXPECT_EQ(sms["accepted"], 2);
  EXPECT_EQ(sms["duplicate"], 1);
  EXPECT_EQ(sms["rate_limited"], 0);
  EXPECT_EQ(RowFor(s, "acme", "chat")["rejected"], 1);
}

TEST(Traffic, TenantsOutsideTheConfigShareOneLabel) {
  const auto labels = std::make_shared<TenantLabels>(std::set<std::string>{"acme"});
  Traffic t(labels, kT0);
  for (int i = 0; i < 100; ++i) t.Record("t" + std::to_string(i), "sms", Outcome::kAccepted, kT0);
  t.Record("", "sms", Outcome::kRejected, kT0);
  const auto s = t.Summary(kT0, 60, 5);
  EXPECT_EQ(s["by_tenant_channel"].size(), 2u);
  EXPECT_EQ(RowFor(s, "other", "sms")["accepted"], 100);
  EXPECT_EQ(RowFor(s, "unidentified", "sms")["rejected"], 1);
  labels->Set({"acme", "t1"});
  t.Record("t1", "sms", Outcome::kAccepted, kT0);
  EXPECT_EQ(RowFor(t.Summary(kT0, 60, 5), "t1", "sms")["accepted"], 1);
}

TEST(Traffic, SeriesIsAlignedToStepsAndEndsNow) {
  Traffic t({"acme"}, kT0);
  t.Record("acme", "sms", Outcome::kAccepted, kT0);              // step [T0, T0+5)
  t.Record("acme", "sms", Outcome::kAccepted, kT0 + 4'999);      // same step
  t.Record("acme", "sms", Outcome::kRateLimited, kT0 + 12'000);  // step [T0+10, T0+15)
  const auto series = t.Summary(kT0 + 12'500, 20, 5)["series"];
  EXPECT_EQ(series["step_seconds"], 5);
  ASSERT_EQ(series["accepted"].size(), 4u);
  EXPECT_EQ(series["start_ms"], kT0 - 5'000);
  EXPECT_EQ(series["accepted"], nlohmann::json({0, 2, 0, 0}));
  EXPECT_EQ(series["rate_limited"], nlohmann::json({0, 0, 0, 1}));
}

TEST(Traffic, OldSecondsLeaveTheWindow) {
  Traffic t({"acme"}, kT0);
  t.Record("acme", "sms", Outcome::kAccepted, kT0);
  // A full ring later the slot is reused; the old count must not resurface.
  const int64_t later = kT0 + Traffic::kWindowSeconds * 1000;
  t.Record("acme", "sms", Outcome::kDuplicate, later);
  const auto series = t.Summary(later, Traffic::kWindowSeconds, 1)["series"];
  int64_t accepted = 0;
  for (const auto& v : series["accepted"]) accepted += v.get<int64_t>();
  EXPECT_EQ(accepted, 0);
  EXPECT_EQ(series["duplicate"].back(), 1);
  // The totals still hold both.
  EXPECT_EQ(RowFor(t.Summary(later, 60, 5), "acme", "sms")["accepted"], 1);
}

TEST(Traffic, RecentRefusalsPerTenantWithinMinutes) {
  Traffic t({"acme", "globex"}, kT0);
  t.Record("globex", "chat", Outcome::kRateLimited, kT0, 3);
  t.Record("globex", "sms", Outcome::kRateLimited, kT0 + 90'000, 4);
  t.Record("acme", "sms", Outcome::kAccepted, kT0 + 90'000);
  const auto both = t.RecentRefusals(kT0 + 100'000, 5);
  ASSERT_TRUE(both.contains("globex"));
  EXPECT_FALSE(both.contains("acme"));
  EXPECT_EQ(both["globex"]["last_minutes"], 2);
  ASSERT_EQ(both["globex"]["recent"].size(), 2u);
  EXPECT_EQ(both["globex"]["recent"][0]["channel"], "sms");  // newest first
  EXPECT_EQ(both["globex"]["recent"][0]["retry_after_seconds"], 4);
  const auto last_minute = t.RecentRefusals(kT0 + 100'000, 1);
  EXPECT_EQ(last_minute["globex"]["last_minutes"], 1);
  EXPECT_EQ(last_minute["globex"]["recent"].size(), 1u);
  EXPECT_TRUE(t.RecentRefusals(kT0 + 1'000'000, 5).empty());
}

TEST(Traffic, KeepsABoundedListOfRecentRefusals) {
  Traffic t({"globex"}, kT0);
  for (int i = 0; i < 500; ++i) t.Record("globex", "sms", Outcome::kRateLimited, kT0 + i);
  const auto r = t.RecentRefusals(kT0 + 1000, 5)["globex"];
  EXPECT_EQ(r["last_minutes"], 500);
  EXPECT_EQ(r["recent"].size(), Traffic::kRecentRefusals);
}

}  // namespace
}  // namespace mccig::ops
