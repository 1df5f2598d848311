// plugin_check.h — conformance checks of one plugin library: what
// `mccig plugin check LIB.so [--fixtures DIR]` runs and reports.
//
// The library is loaded exactly as the host loads it (plugin_loader.h), so
// its ABI and JSON versions, declarations and options are judged by the same
// code that judges them at startup. Then come the checks a loader does not
// need but an integrator does: the example payload made of the fields'
// examples is accepted (the console and /openapi.json show it), and every
// fixture case gives its expected outcome through the real ingest pipeline.
//
// A fixture file is JSON, {"cases": [case, ...]}, one case being:
//   "name"                      what it shows, for the report
//   "body" | "form" | "raw"     a JSON payload, a urlencoded string, or raw text
//   "content_type"              optional; defaults from the body kind
//   "expect": {...}             accepted: these keys of the event's JSON match
// or
//   "error": "code"             refused with this code (default validation_failed)
//   "errors": [{field, message}]  optional: exactly these field errors, in order
// The receive time is fixed at 2024-01-01T00:00:00Z, so a payload without a
// timestamp of its own has a stable expected "timestamp".
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <mccig/sdk/plugin.h>
#include <nlohmann/json.hpp>

namespace mccig::plugins {

// One line of the report. `detail` says why a failed check failed (one
// problem per line) and, for passed ones, optionally what was seen.
struct CheckItem {
  bool passed = false;
  std::string title{};
  std::vector<std::string> detail{};
};

struct CheckReport {
  std::vector<CheckItem> items{};
  std::size_t failures() const;
  bool passed() const { return failures() == 0; }
};

struct CheckRequest {
  std::string library{};
  nlohmann::json options = nullptr;  // the plugin's YAML options, as JSON
  std::string fixtures_dir{};        // empty: no fixtures; else every *.json in it
};

CheckReport CheckPlugin(const CheckRequest& request, const sdk::HostServices& host);

// One fixture case against a loaded plugin; `file` names it in the title.
CheckItem RunFixtureCase(const sdk::ChannelPlugin& plugin, const nlohmann::json& fixture_case,
                         const std::string& file);

// Every case of one fixture file (a failed item if it cannot be read).
std::vector<CheckItem> RunFixtureFile(const sdk::ChannelPlugin& plugin, const std::string& path);

}  // namespace mccig::plugins
