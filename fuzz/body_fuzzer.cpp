// body_fuzzer.cpp — libFuzzer target: any bytes as a JSON body and as a form
// body. Decoding must return a value or an error, never crash, hang or
// read out of bounds (ASan/UBSan), and a decoded value must survive the
// NUL scan and re-serialisation the pipeline and the queue apply to it.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/body_decoder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  for (auto decoded : {mccig::ingest::DecodeJson(body), mccig::ingest::DecodeForm(body)}) {
    if (!decoded) continue;
    (void)mccig::ingest::NulCharacterErrors(decoded.value());
    (void)decoded.value().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  return 0;
}
