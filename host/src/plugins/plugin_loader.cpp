// plugin_loader.cpp — see plugin_loader.h for the order of checks.
#include "plugins/plugin_loader.h"

#include <filesystem>
#include <set>

#include <mccig/sdk/validator.h>
#include <boost/dll/shared_library.hpp>

namespace mccig::plugins {
namespace {

bool IsRouteSegment(const std::string& route) {
  if (route.empty() || route.front() == '/' || route.back() == '/') return false;
  for (char c : route) {
    if (!std::islower(static_cast<unsigned char>(c)) &&
        !std::isdigit(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '/') {
      return false;
    }
  }
  return route.find("//") == std::string::npos;
}

std::string JoinErrors(const sdk::Error& error) {
  if (error.details.empty()) return error.message;
  std::string out;
  for (const auto& d : error.details) out += (out.empty() ? "" : "; ") + d.field + ": " + d.message;
  return out;
}

void CheckFieldNames(const sdk::PluginInfo& info, std::vector<std::string>& problems) {
  std::set<std::string> names;
  for (const auto& f : info.fields) {
    if (f.name.empty()) problems.push_back("a field has an empty name");
    if (!names.insert(f.name).second) problems.push_back("field '" + f.name + "' declared twice");
  }
  const auto declared = [&](const std::string& n) { return n.empty() || names.contains(n); };
  const sdk::EventMapping& m = info.mapping;
  for (const std::string* f : {&m.tenant_field, &m.content_field, &m.timestamp_field}) {
    if (!declared(*f)) problems.push_back("mapping uses undeclared field '" + *f + "'");
  }
  for (const auto& list : {m.message_id.join, m.message_id.hash_of}) {
    for (const auto& f : list) {
      if (!declared(f)) problems.push_back("message id rule uses undeclared field '" + f + "'");
    }
  }
  for (const auto& md : m.metadata) {
    if (!declared(md.source))
      problems.push_back("metadata uses undeclared field '" + md.source + "'");
  }
}

// Enum values from a plugin built against another SDK, or cast from an int,
// would otherwise surface as "unknown" in the API and the docs.
void CheckKnownValues(const sdk::PluginInfo& info, std::vector<std::string>& problems) {
  if (sdk::ChannelName(info.channel) == "unknown") {
    problems.push_back("declares an unknown channel (" +
                       std::to_string(static_cast<int>(info.channel)) + ")");
  }
  for (const sdk::BodyFormat f : info.accepts) {
    if (sdk::BodyFormatMediaType(f).empty()) {
      problems.push_back("accepts an unknown body format (" + std::to_string(static_cast<int>(f)) +
                         ")");
    }
  }
  const auto check = [&](const sdk::FieldSpec& f, const char* kind) {
    const std::string what = std::string(kind) + " '" + f.name + "'";
    if (sdk::FieldTypeName(f.type) == "unknown") problems.push_back(what + " has an unknown type");
    if (f.format != sdk::StringFormat::kAny && f.format != sdk::StringFormat::kIdentifier) {
      problems.push_back(what + " has an unknown string format");
    }
    if (f.min_length && f.max_length && *f.min_length > *f.max_length) {
      problems.push_back(what + " has min_length above max_length");
    }
    if (f.minimum && f.maximum && *f.minimum > *f.maximum) {
      problems.push_back(what + " has minimum above maximum");
    }
  };
  for (const auto& f : info.fields) check(f, "field");
  for (const auto& o : info.options) check(o, "option");
}

}  // namespace

std::string LoadError::Line() const {
  return key + " (" + path + "): " + message;
}

std::vector<std::string> CheckDeclarations(const sdk::PluginInfo& info) {
  std::vector<std::string> problems;
  if (info.name.empty()) problems.push_back("declares an empty name");
  if (info.version.empty()) problems.push_back("declares an empty version");
  if (info.routes.empty()) problems.push_back("declares no routes");
  for (const auto& route : info.routes) {
    if (!IsRouteSegment(route)) {
      problems.push_back("route '" + route +
                         "' must be lower-case letters, digits, '-', '_' and '/'");
    }
    if (route == "batch" || route.ends_with("/batch")) {
      problems.push_back("route '" + route +
                         "' ends in 'batch', which the host keeps for /v1/ingest/{route}/batch");
    }
  }
  if (info.accepts.empty()) problems.push_back("accepts no body format");
  CheckKnownValues(info, problems);
  CheckFieldNames(info, problems);
  if (info.mapping.message_id.join.empty() && info.mapping.message_id.hash_of.empty()) {
    problems.push_back("declares no message id rule");
  }
  return problems;
}

LoadOutcome LoadPlugin(const config::PluginEntry& entry, const sdk::HostServices& host) {
  LoadOutcome out;
  const auto fail = [&](std::string message) {
    out.errors.push_back({entry.key, entry.path, std::move(message)});
    return out;
  };
  std::error_code ec;
  if (!std::filesystem::is_regular_file(entry.path, ec)) return fail("file not found");

  auto library = std::make_shared<boost::dll::shared_library>();
  boost::dll::fs::error_code load_error;
  library->load(entry.path, boost::dll::load_mode::rtld_local | boost::dll::load_mode::rtld_now,
                load_error);
  if (load_error) return fail("cannot load the library: " + load_error.message());
  if (!library->has(sdk::kDescriptorSymbol)) {
    return fail(std::string("no plugin factory: the symbol '") + sdk::kDescriptorSymbol +
                "' is not exported (build the plugin with MCCIG_PLUGIN)");
  }
  const auto& descriptor = library->get_alias<const sdk::PluginDescriptor>(sdk::kDescriptorSymbol);
  if (descriptor.abi_version != sdk::kAbiVersion) {
    return fail("ABI version mismatch: the plugin was built for ABI " +
                std::to_string(descriptor.abi_version) + ", this host requires ABI " +
                std::to_string(sdk::kAbiVersion) + "; rebuild it against this SDK");
  }
  if (descriptor.json_version != sdk::kJsonVersion) {
    return fail("nlohmann_json version mismatch: the plugin was built with " +
                std::to_string(descriptor.json_version) + ", this host with " +
                std::to_string(sdk::kJsonVersion));
  }
  sdk::Result<sdk::PluginInfo> described = descriptor.describe();
  if (!described) return fail("describe failed: " + described.error().message);
  const sdk::PluginInfo& info = described.value();
  if (!entry.name.empty() && info.name != entry.name) {
    return fail("the plugin declares the name '" + info.name + "' but the config calls it '" +
                entry.name + "'");
  }
  if (auto problems = CheckDeclarations(info); !problems.empty()) {
    for (auto& p : problems) fail("invalid declaration: " + p);
    return out;
  }
  sdk::Result<nlohmann::json> options =
      sdk::ResolveOptions(entry.options, info.options, entry.key + ".options.");
  if (!options) {
    for (const auto& d : options.error().details) fail(d.field + ": " + d.message);
    return out;
  }
  sdk::Result<sdk::PluginPtr> created = descriptor.create(options.value(), host);
  if (!created) return fail("create failed: " + JoinErrors(created.error()));

  // The deleter owns the library: it is unmapped only after the plugin dies.
  sdk::ChannelPlugin* raw = created.value().release();
  std::shared_ptr<const sdk::ChannelPlugin> plugin(
      raw, [library](const sdk::ChannelPlugin* p) { delete p; });
  out.loaded.push_back({std::move(plugin), entry.path, entry.key});
  return out;
}

LoadOutcome LoadPlugins(const std::vector<config::PluginEntry>& entries,
                        const sdk::HostServices& host) {
  LoadOutcome all;
  for (const auto& entry : entries) {
    LoadOutcome one = LoadPlugin(entry, host);
    for (auto& p : one.loaded) all.loaded.push_back(std::move(p));
    for (auto& e : one.errors) all.errors.push_back(std::move(e));
  }
  return all;
}

}  // namespace mccig::plugins
