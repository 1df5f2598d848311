// plugin_fuzzer.cpp — libFuzzer target for one bundled plugin, linked in
// with its source (fuzz/CMakeLists.txt builds one binary per plugin): the
// whole ingest pipeline — decode, validate against the declared fields,
// normalize, complete the event — on any bytes. The first byte picks the
// Content-Type (JSON or form), the rest is the body.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <mccig/sdk/abi.h>
#include <mccig/sdk/validator.h>

#include "ingest/ingest_pipeline.h"
#include "queue/event_codec.h"

// The plugin's exported descriptor (BOOST_DLL_ALIAS gives it C linkage).
extern "C" const void* mccig_plugin_descriptor;

namespace {

const mccig::sdk::ChannelPlugin& Plugin() {
  static const mccig::sdk::PluginPtr plugin = [] {
    const auto* d = static_cast<const mccig::sdk::PluginDescriptor*>(mccig_plugin_descriptor);
    const auto info = d->describe();
    auto options = mccig::sdk::ResolveOptions(nlohmann::json::object(), info.value().options);
    return std::move(d->create(options.value(), mccig::sdk::HostServices{}).value());
  }();
  return *plugin;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const bool form = data[0] & 1;
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  const mccig::ingest::IngestRequest request{
      .content_type = form ? "application/x-www-form-urlencoded" : "application/json",
      .body = body,
      .received_ms = 1714564800000};
  auto event = mccig::ingest::PrepareEvent(Plugin(), request);
  if (event) {
    // What admission queues must decode back to the same event, and to the
    // same row either way the worker may decode it.
    const std::string encoded = mccig::queue::EncodeEvent(event.value());
    auto decoded = mccig::queue::DecodeEvent(encoded);
    if (!decoded) __builtin_trap();
    auto row = mccig::queue::DecodeRow(encoded);
    const mccig::store::EventRow expected = mccig::store::RowOf(decoded.value());
    if (!row || row.value().content != expected.content ||
        row.value().provider_message_id != expected.provider_message_id ||
        row.value().occurred_at != expected.occurred_at ||
        nlohmann::json::parse(row.value().raw_metadata) != decoded.value().raw_metadata) {
      __builtin_trap();
    }
  }
  return 0;
}
