// json_writer: the same text as nlohmann's dump(-1) for every kind of value,
// and UTF-8 checks.
#include "json/json_writer.h"

#include <gtest/gtest.h>

#include "json/utf8.h"

namespace mccig {
namespace {

using nlohmann::json;

std::string NlohmannDump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

TEST(JsonWriter, WritesWhatNlohmannDumpWrites) {
  std::string controls;
  for (int c = 0; c < 0x20; ++c) controls += static_cast<char>(c);
  const json values[] = {
      json::object(),
      json::array(),
      nullptr,
      true,
      false,
      0,
      -9223372036854775807LL - 1,
      18446744073709551615ULL,
      1.5,
      100.0,
      1e300,
      "",
      "plain",
      "quote \" backslash \\ slash / del \x7f",
      controls,
      "caf\xc3\xa9 \xe6\xbc\xa2\xe5\xad\x97 \xf0\x9f\x98\x80",
      json::parse(R"({"b":[1,{"z":null,"a":"x\ny"}],"a":{"":""},"c":[[],{}]})"),
  };
  for (const json& value : values) {
    EXPECT_EQ(json_writer::Dump(value), NlohmannDump(value)) << NlohmannDump(value);
  }
}

// Strings are scanned eight bytes at a time: every character that needs
// care, at every offset of a word and in the tail, is still caught.
TEST(JsonWriter, EveryEscapeIsFoundWhereverItFalls) {
  const std::string specials[] = {"\"",   "\\",   "\n",       std::string(1, '\0'),
                                  "\x1f", "\x7f", "\xc3\xa9", "\xff"};
  for (const std::string& special : specials) {
    for (std::size_t at = 0; at < 20; ++at) {
      const json value = std::string(at, 'a') + special + std::string(at % 9, 'b');
      EXPECT_EQ(json_writer::Dump(value), NlohmannDump(value)) << NlohmannDump(value);
    }
  }
}

TEST(JsonWriter, InvalidUtf8BecomesTheReplacementCharacter) {
  const json bad = std::string("ok \xff\xfe end");
  EXPECT_EQ(json_writer::Dump(bad), NlohmannDump(bad));
  EXPECT_EQ(json_writer::Dump(bad), "\"ok \xef\xbf\xbd\xef\xbf\xbd end\"");
  EXPECT_TRUE(json::accept(json_writer::Dump(json{{"k", bad}})));
}

TEST(JsonWriter, AppendsToWhatIsThere) {
  std::string out = "prefix:";
  json_writer::Append(out, json{{"a", 1}});
  json_writer::AppendString(out, "t\"x");
  EXPECT_EQ(out, R"(prefix:{"a":1}"t\"x")");
}

TEST(Utf8, RejectsOverlongsAndSurrogates) {
  EXPECT_TRUE(utf8::IsValid("plain \xc3\xa9 \xe6\xbc\xa2 \xf0\x9f\x98\x80"));
  EXPECT_FALSE(utf8::IsValid("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(utf8::IsValid("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(utf8::IsValid("\xf4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(utf8::IsValid("\xe6\xbc"));          // truncated
}

}  // namespace
}  // namespace mccig
