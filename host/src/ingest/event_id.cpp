// event_id.cpp — UUIDv7; see event_id.h.
#include "ingest/event_id.h"

#include <random>

namespace mccig::ingest {

std::string NewEventId(int64_t unix_ms) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  const uint64_t r1 = rng(), r2 = rng();
  unsigned char b[16];
  for (int i = 0; i < 6; ++i)
    b[i] = static_cast<unsigned char>(static_cast<uint64_t>(unix_ms) >> (40 - 8 * i));
  b[6] = static_cast<unsigned char>(0x70 | (r1 & 0x0F));  // version 7
  b[7] = static_cast<unsigned char>(r1 >> 8);
  b[8] = static_cast<unsigned char>(0x80 | ((r1 >> 16) & 0x3F));  // variant 10
  for (int i = 9; i < 16; ++i) b[i] = static_cast<unsigned char>(r2 >> (8 * (i - 9)));
  static constexpr char kHex[] = "0123456789abcdef";
  char text[36];  // written in place: one string made at the end, no appends
  char* p = text;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) *p++ = '-';
    *p++ = kHex[b[i] >> 4];
    *p++ = kHex[b[i] & 0x0F];
  }
  return std::string(text, sizeof text);
}

}  // namespace mccig::ingest
