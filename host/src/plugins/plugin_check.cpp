// plugin_check.cpp — see plugin_check.h.
#include "plugins/plugin_check.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <Poco/URI.h>
#include <mccig/sdk/abi.h>
#include <mccig/sdk/timestamp.h>

#include "ingest/event_outcome.h"
#include "ingest/ingest_pipeline.h"
#include "plugins/plugin_description.h"
#include "plugins/plugin_loader.h"

namespace mccig::plugins {
namespace {

using nlohmann::json;

constexpr const char* kFixtureReceiveTime = "2024-01-01T00:00:00Z";

std::string JsonVersionText() {
  return std::to_string(sdk::kJsonVersion / 10000) + "." +
         std::to_string(sdk::kJsonVersion / 100 % 100) + "." +
         std::to_string(sdk::kJsonVersion % 100);
}

sdk::Result<sdk::ConversationEvent> Prepare(const sdk::ChannelPlugin& plugin,
                                            std::string_view content_type, std::string_view body) {
  static const int64_t received_ms = *sdk::ParseTimestamp(kFixtureReceiveTime);
  return ingest::PrepareEvent(
      plugin, {.content_type = content_type, .body = body, .received_ms = received_ms});
}

// The error's field details as the API answers them.
json ErrorList(const sdk::Error& error) {
  return ingest::ErrorJson(error).value("details", json::array());
}

std::vector<std::string> ErrorLines(const sdk::Error& error) {
  std::vector<std::string> lines = {error.code + ": " + error.message};
  for (const auto& d : error.details) lines.push_back("  " + d.field + ": " + d.message);
  return lines;
}

// Each expected key of the event's JSON that differs, as one line.
std::vector<std::string> CompareExpected(const json& expect, const json& actual) {
  std::vector<std::string> mismatches;
  for (const auto& [key, value] : expect.items()) {
    if (!actual.contains(key)) {
      mismatches.push_back(key + ": expected " + value.dump() + ", absent from the event");
    } else if (actual[key] != value) {
      mismatches.push_back(key + ": expected " + value.dump() + ", got " + actual[key].dump());
    }
  }
  return mismatches;
}

std::vector<std::string> CompareRefusal(const json& fixture_case, const sdk::Error& error) {
  std::vector<std::string> mismatches;
  const std::string code = fixture_case.value("error", "validation_failed");
  if (error.code != code) {
    mismatches.push_back("error: expected " + code + ", got " + error.code + " (" + error.message +
                         ")");
  }
  if (fixture_case.contains("errors") && ErrorList(error) != fixture_case["errors"]) {
    mismatches.push_back("errors: expected " + fixture_case["errors"].dump());
    mismatches.push_back("        got      " + ErrorList(error).dump());
  }
  return mismatches;
}

// A JSON object as application/x-www-form-urlencoded (scalars as text).
std::string FormEncode(const json& object) {
  std::string out;
  for (const auto& [key, value] : object.items()) {
    std::string k, v;
    Poco::URI::encode(key, "&=+", k);
    Poco::URI::encode(value.is_string() ? value.get<std::string>() : value.dump(), "&=+", v);
    out += (out.empty() ? "" : "&") + k + "=" + v;
  }
  return out;
}

CheckItem CheckExamplePayload(const sdk::ChannelPlugin& plugin) {
  const sdk::PluginInfo& info = plugin.Info();
  const json example = ExamplePayload(info);
  const bool as_json =
      std::ranges::find(info.accepts, sdk::BodyFormat::kJson) != info.accepts.end();
  const std::string body = as_json ? example.dump() : FormEncode(example);
  const auto event = Prepare(
      plugin, sdk::BodyFormatMediaType(as_json ? sdk::BodyFormat::kJson : sdk::BodyFormat::kForm),
      body);
  CheckItem item{.passed = event.ok(),
                 .title = "the example payload (the fields' examples) is accepted"};
  if (!event.ok()) {
    item.detail = ErrorLines(event.error());
    item.detail.push_back(
        "every required field needs a valid example: the console's playground "
        "and /openapi.json show this payload");
  }
  return item;
}

std::string Summary(const sdk::PluginInfo& info) {
  std::string routes;
  for (const auto& r : info.routes) routes += (routes.empty() ? "" : ", ") + ("/v1/ingest/" + r);
  return "declares " + info.name + " " + info.version + ": channel " +
         std::string(sdk::ChannelName(info.channel)) + ", routes " + routes + ", " +
         std::to_string(info.fields.size()) + " fields, " + std::to_string(info.options.size()) +
         " options";
}

std::vector<CheckItem> RunFixtures(const sdk::ChannelPlugin& plugin, const std::string& dir) {
  std::error_code ec;
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      files.push_back(entry.path().string());
    }
  }
  if (ec || files.empty()) {
    return {CheckItem{.title = "fixtures in " + dir,
                      .detail = {ec ? ec.message() : "no *.json fixture files"}}};
  }
  std::ranges::sort(files);
  std::vector<CheckItem> items;
  for (const auto& file : files) {
    for (auto& item : RunFixtureFile(plugin, file)) items.push_back(std::move(item));
  }
  return items;
}

}  // namespace

std::size_t CheckReport::failures() const {
  return static_cast<std::size_t>(
      std::ranges::count_if(items, [](const CheckItem& i) { return !i.passed; }));
}

CheckItem RunFixtureCase(const sdk::ChannelPlugin& plugin, const json& fixture_case,
                         const std::string& file) {
  CheckItem item{.title = file + ": " + fixture_case.value("name", "(a case without a name)")};
  const bool form = fixture_case.contains("form");
  const bool raw = fixture_case.contains("raw");
  if (!form && !raw && !fixture_case.contains("body")) {
    item.detail = {"the case has no \"body\", \"form\" or \"raw\""};
    return item;
  }
  if (!fixture_case.contains("expect") && !fixture_case.contains("error") &&
      !fixture_case.contains("errors")) {
    item.detail = {"the case has no \"expect\", \"error\" or \"errors\""};
    return item;
  }
  const std::string body = form  ? fixture_case["form"].get<std::string>()
                           : raw ? fixture_case["raw"].get<std::string>()
                                 : fixture_case["body"].dump();
  const std::string content_type = fixture_case.value(
      "content_type", form ? "application/x-www-form-urlencoded" : "application/json");
  const auto event = Prepare(plugin, content_type, body);
  if (fixture_case.contains("expect")) {
    if (!event.ok()) {
      item.detail = ErrorLines(event.error());
      item.detail.insert(item.detail.begin(), "expected the event to be accepted, it was refused:");
    } else {
      item.detail = CompareExpected(fixture_case["expect"], sdk::ToJson(event.value()));
    }
  } else if (event.ok()) {
    item.detail = {"expected a refusal, the event was accepted: " +
                   sdk::ToJson(event.value()).dump()};
  } else {
    item.detail = CompareRefusal(fixture_case, event.error());
  }
  item.passed = item.detail.empty();
  return item;
}

std::vector<CheckItem> RunFixtureFile(const sdk::ChannelPlugin& plugin, const std::string& path) {
  const std::string name = std::filesystem::path(path).filename().string();
  std::ifstream in(path);
  const json file = json::parse(in, nullptr, false);
  if (!in || file.is_discarded() || !file.contains("cases") || !file["cases"].is_array()) {
    return {
        CheckItem{.title = name, .detail = {"not a fixture file: expected {\"cases\": [...]}"}}};
  }
  std::vector<CheckItem> items;
  for (const auto& c : file["cases"]) {
    try {
      items.push_back(RunFixtureCase(plugin, c, name));
    } catch (const json::exception& e) {  // a case with a field of the wrong type
      items.push_back(CheckItem{.title = name + ": " + c.dump().substr(0, 60),
                                .detail = {std::string("malformed case: ") + e.what()}});
    }
  }
  return items;
}

CheckReport CheckPlugin(const CheckRequest& request, const sdk::HostServices& host) {
  CheckReport report;
  LoadOutcome loaded = LoadPlugin(
      config::PluginEntry{.path = request.library, .options = request.options, .key = "plugin"},
      host);
  CheckItem load{.passed = !loaded.loaded.empty(),
                 .title = "loads as the host loads it (ABI " + std::to_string(sdk::kAbiVersion) +
                          ", nlohmann_json " + JsonVersionText() + ")"};
  for (const auto& e : loaded.errors) load.detail.push_back(e.message);
  report.items.push_back(std::move(load));
  if (loaded.loaded.empty()) return report;

  const sdk::ChannelPlugin& plugin = *loaded.loaded.front().plugin;
  report.items.push_back(CheckItem{.passed = true, .title = Summary(plugin.Info())});
  report.items.push_back(CheckExamplePayload(plugin));
  if (!request.fixtures_dir.empty()) {
    for (auto& item : RunFixtures(plugin, request.fixtures_dir)) {
      report.items.push_back(std::move(item));
    }
  }
  return report;
}

}  // namespace mccig::plugins
