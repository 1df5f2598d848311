// body_fuzzer.cpp — libFuzzer target: any bytes as a JSON body and as a form
// body. Decoding must return a value or an error, never crash, hang or
// read out of bounds (ASan/UBSan), and a decoded value must survive the
// NUL scan and re-serialisation the pipeline and the queue apply to it.
// The JSON reader (simdjson) must agree with nlohmann's, value for value
// and error for error, and a batch's event texts (a stream message's
// payload text) must read back as the events' values (the payload's).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ingest/body_decoder.h"

namespace {

void CheckReadersAgree(std::string_view body) {
  const auto fast = mccig::ingest::DecodeJson(body);
  const auto slow = mccig::ingest::DecodeJsonByNlohmann(body);
  if (fast.ok() != slow.ok()) std::abort();
  if (fast.ok() && fast.value() != slow.value()) std::abort();
  if (!fast.ok() && fast.error().message != slow.error().message) std::abort();
  if (fast.ok() && fast.value().contains("payload")) {  // a stream message's
    const std::string text = mccig::ingest::MemberText(body, "payload");
    if (!text.empty() && (text.find('\n') != std::string::npos ||
                          nlohmann::json::parse(text) != fast.value()["payload"])) {
      std::abort();
    }
  }
  const auto batch = mccig::ingest::DecodeJsonKeepingTexts(body, "events");
  if (!batch.ok() || batch.value().element_texts.empty()) return;
  const nlohmann::json& events = batch.value().value["events"];
  for (std::size_t i = 0; i < events.size(); ++i) {
    const std::string& text = batch.value().element_texts[i];
    if (text.find('\n') != std::string::npos) std::abort();
    if (nlohmann::json::parse(text) != events[i]) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  CheckReadersAgree(body);
  for (auto decoded : {mccig::ingest::DecodeJson(body), mccig::ingest::DecodeForm(body)}) {
    if (!decoded) continue;
    (void)mccig::ingest::NulCharacterErrors(decoded.value());
    (void)decoded.value().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  return 0;
}
