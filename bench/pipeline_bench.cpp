// pipeline_bench.cpp — decode + validate + normalize of one ~300-byte body per
// channel, through the real plugin .so files: the CPU cost of one request
// before admission, as the HTTP handler runs it (PrepareEventAndText).
// Includes event id generation, the raw payload copy and, for a JSON body,
// the compact text the queue carries for it.
#include <benchmark/benchmark.h>

#include "ingest/ingest_pipeline.h"
#include "log/logging.h"
#include "plugins/plugin_loader.h"

namespace {

using namespace mccig;

plugins::LoadedPlugin Load(const std::string& name) {
  const std::string path = std::string(MCCIG_PLUGIN_BUILD_DIR) + "/libmccig_" + name + ".so";
  auto outcome = plugins::LoadPlugin(
      {.name = name, .path = path, .options = nullptr, .key = "bench"}, log::PluginHostServices());
  if (outcome.loaded.empty()) throw std::runtime_error(outcome.errors.front().Line());
  return outcome.loaded.front();
}

void Run(benchmark::State& state, const std::string& name, const std::string& content_type,
         const std::string& body) {
  const auto plugin = Load(name);
  for (auto _ : state) {
    auto event = ingest::PrepareEventAndText(
        *plugin.plugin, {.content_type = content_type, .body = body, .received_ms = 1714564800000});
    if (!event) state.SkipWithError(event.error().message.c_str());
    benchmark::DoNotOptimize(event);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size()));
  state.counters["body_bytes"] = static_cast<double>(body.size());
}

const std::string kSmsJson =
    R"({"tenant_id":"acme","From":"+15551230001","To":"+15559870002","Body":"Hi, is my order )"
    R"(#4471 on its way? I ordered it last Tuesday and the tracking page has not changed since )"
    R"(Friday.","MessageSid":"SM0123456789abcdef0123456789abcdef","Timestamp":"2024-05-01T12:00:00Z"})";
const std::string kSmsForm =
    "tenant_id=acme&From=%2B15551230001&To=%2B15559870002&Body=Hi%2C+is+my+order+%234471+on+its+"
    "way%3F+I+ordered+it+last+Tuesday.&MessageSid=SM0123456789abcdef0123456789abcdef&AccountSid="
    "AC0123456789abcdef0123456789abcdef&NumMedia=0&SmsStatus=received&ApiVersion=2010-04-01";
const std::string kChat =
    R"({"tenant_id":"acme","userId":"user-42","chatId":"chat-7","messageId":"msg-1001",)"
    R"("message":"Can I change my delivery address? I moved last week and the old one is still )"
    R"(on the order.","timestamp":"2024-05-01T12:00:00Z","metadata":{"locale":"en-US","app":"web"}})";
const std::string kVoice =
    R"({"tenant_id":"acme","callId":"call-9001","segmentId":"seg-3","transcript_text":"I'd like )"
    R"(to check my order status, it was supposed to arrive yesterday and nothing came.",)"
    R"("confidence":0.93,"duration":12.5,"timestamp":"2024-05-01T12:00:00Z","metadata":{"language":"en"}})";

void BM_SmsJson(benchmark::State& s) {
  Run(s, "sms", "application/json", kSmsJson);
}
void BM_SmsForm(benchmark::State& s) {
  Run(s, "sms", "application/x-www-form-urlencoded", kSmsForm);
}
void BM_Chat(benchmark::State& s) {
  Run(s, "chat", "application/json", kChat);
}
void BM_Voice(benchmark::State& s) {
  Run(s, "voice", "application/json", kVoice);
}

BENCHMARK(BM_SmsJson);
BENCHMARK(BM_SmsForm);
BENCHMARK(BM_Chat);
BENCHMARK(BM_Voice);

}  // namespace

BENCHMARK_MAIN();
