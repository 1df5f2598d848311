// Structured logs: one JSON object per line, messages escaped, the request
// id of the scope attached.
#include "log/logging.h"

#include <sstream>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

namespace mccig::log {
namespace {

std::string LogOnce(const std::function<void(spdlog::logger&)>& write) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  spdlog::logger logger("test", sink);
  logger.set_formatter(MakeJsonFormatter());
  write(logger);
  logger.flush();
  return out.str();
}

TEST(JsonLogs, OneEscapedObjectPerLine) {
  const std::string text =
      LogOnce([](spdlog::logger& l) { l.warn("a \"quoted\"\nsecond line {}", 42); });
  ASSERT_EQ(text.back(), '\n');
  ASSERT_EQ(text.find('\n'), text.size() - 1) << "exactly one line";
  const auto entry = nlohmann::json::parse(text);
  EXPECT_EQ(entry["level"], "warn");
  EXPECT_EQ(entry["msg"], "a \"quoted\"\nsecond line 42");
  EXPECT_TRUE(entry["ts"].get<std::string>().ends_with("Z"));
  EXPECT_FALSE(entry.contains("request_id"));
}

TEST(JsonLogs, RequestIdInScope) {
  {
    const RequestScope scope("req-1");
    EXPECT_EQ(CurrentRequestId(), "req-1");
    const auto entry = nlohmann::json::parse(LogOnce([](spdlog::logger& l) { l.error("inside"); }));
    EXPECT_EQ(entry["request_id"], "req-1");
  }
  EXPECT_EQ(CurrentRequestId(), "");
}

}  // namespace
}  // namespace mccig::log
