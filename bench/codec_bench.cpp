// codec_bench.cpp — the queue's event text, both ways: what admission pays
// to encode an event (json_writer), and what the worker pays to decode it,
// as a full event (nlohmann's document, DecodeEvent) against straight into
// its row with the payloads left as text (simdjson, DecodeRow, in place as
// the worker reads an entry). The sample SMS is ~700 bytes once encoded.
#include <benchmark/benchmark.h>

#include "queue/event_codec.h"
#include "sample_event.h"

namespace {

using namespace mccig;

void BM_EncodeEvent(benchmark::State& state) {
  const sdk::ConversationEvent event = bench::SampleEvent(1);
  std::string out;
  for (auto _ : state) {
    out.clear();
    queue::AppendEncodedEvent(event, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * out.size()));
}

void BM_DecodeEvent(benchmark::State& state) {
  const std::string text = queue::EncodeEvent(bench::SampleEvent(1));
  for (auto _ : state) {
    auto event = queue::DecodeEvent(text);
    if (!event) state.SkipWithError(event.error().message.c_str());
    benchmark::DoNotOptimize(event);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}

void BM_DecodeRow(benchmark::State& state) {
  std::string text = queue::EncodeEvent(bench::SampleEvent(1));
  text.reserve(text.size() + queue::kDecodePadding);
  for (auto _ : state) {
    auto row = queue::DecodeRow(text, text.capacity());
    if (!row) state.SkipWithError(row.error().message.c_str());
    benchmark::DoNotOptimize(row);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}

BENCHMARK(BM_EncodeEvent);
BENCHMARK(BM_DecodeEvent);
BENCHMARK(BM_DecodeRow);

}  // namespace

BENCHMARK_MAIN();
