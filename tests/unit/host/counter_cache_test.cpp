// CounterCache: one series per combination of label values, labelled as
// prometheus-cpp's own Family::Add would.
#include "ops/counter_cache.h"

#include <gtest/gtest.h>

#include <prometheus/registry.h>

namespace mccig::ops {
namespace {

TEST(CounterCache, EachCombinationIsOneSeriesWithItsLabels) {
  prometheus::Registry registry;
  auto& family = prometheus::BuildCounter().Name("requests_total").Help("h").Register(registry);
  CounterCache cache(family, {"route", "status"});
  prometheus::Counter& ok = cache.Get({"/v1/ingest", "201"});
  ok.Increment();
  cache.Get({"/v1/ingest", "201"}).Increment();
  cache.Get({"/v1/ingest", "429"}).Increment(3);
  // Values that would join alike if simply concatenated stay apart.
  cache.Get({"/v1/ingest2", "01"}).Increment(5);
  EXPECT_EQ(&cache.Get({"/v1/ingest", "201"}), &ok);
  EXPECT_EQ(&family.Add({{"route", "/v1/ingest"}, {"status", "201"}}), &ok)
      << "the series prometheus-cpp itself names with those labels";
  EXPECT_EQ(ok.Value(), 2);
  EXPECT_EQ(family.Add({{"route", "/v1/ingest"}, {"status", "429"}}).Value(), 3);
  EXPECT_EQ(family.Add({{"route", "/v1/ingest2"}, {"status", "01"}}).Value(), 5);
  const auto families = registry.Collect();
  ASSERT_EQ(families.size(), 1u);
  EXPECT_EQ(families[0].metric.size(), 3u);
}

}  // namespace
}  // namespace mccig::ops
