// JSON bodies: the simdjson reader gives what nlohmann's reader gives,
// value for value and error for error, and a batch's event texts.
#include "ingest/json_body.h"

#include <gtest/gtest.h>

namespace mccig::ingest {
namespace {

using nlohmann::json;

// Bodies of every kind the two readers must agree on, accepted or not.
const char* const kBodies[] = {
    R"({"a":1,"b":-2,"c":1.5,"d":18446744073709551615,"e":-9223372036854775808})",
    R"({"big":123456789012345678901234567890,"tiny":1e-400,"neg0":-0,"exp":2E+3})",
    R"({"s":"tab\there \u00e9 é \ud83d\ude00 \"q\" \\ \/","empty":"","nul":"a\u0000b"})",
    " \n{ \"nested\" : { \"list\" : [ 1 , [ true , false , null ] , { } ] } }\r\n",
    R"({"a":1,})",
    R"({"a":1} trailing)",
    R"({"a":"\ud800"})",
    R"({"a":1e400})",
    R"({"x":1,"y":{"z":1},"x":2})",
    R"({"m":{"x":1,"x":2}})",
    "[1,2]",
    "\"text\"",
    "",
    "{\"a\":\"\xff\"}",
};

TEST(JsonBody, SimdjsonAndNlohmannAgree) {
  for (const char* body : kBodies) {
    const auto fast = DecodeJson(body);
    const auto slow = DecodeJsonByNlohmann(body);
    ASSERT_EQ(fast.ok(), slow.ok()) << body;
    if (fast.ok()) {
      EXPECT_EQ(fast.value(), slow.value()) << body;
      EXPECT_EQ(fast.value().dump(), slow.value().dump()) << body;
    } else {
      EXPECT_EQ(fast.error().code, slow.error().code) << body;
      EXPECT_EQ(fast.error().message, slow.error().message) << body;
    }
  }
}

TEST(JsonBody, IntegersKeepNlohmannsKinds) {
  const json j = DecodeJson(R"({"u":7,"i":-7,"f":7.0})").value();
  EXPECT_TRUE(j["u"].is_number_unsigned());
  EXPECT_TRUE(j["i"].is_number_integer() && !j["i"].is_number_unsigned());
  EXPECT_TRUE(j["f"].is_number_float());
}

TEST(JsonBody, DepthCountsAsNlohmannsDoes) {
  const auto nest = [](int arrays) {
    return "{\"a\":" + std::string(arrays, '[') + std::string(arrays, ']') + "}";
  };
  EXPECT_TRUE(DecodeJson(nest(kMaxJsonDepth - 1)));
  const auto deep = DecodeJson(nest(kMaxJsonDepth));
  ASSERT_FALSE(deep);
  EXPECT_EQ(deep.error().message, DecodeJsonByNlohmann(nest(kMaxJsonDepth)).error().message);
}

TEST(JsonBody, KeepsEachEventsCompactText) {
  const auto body = DecodeJsonKeepingTexts(
      "{\"events\": [\n  {\"Body\": \"two\\nlines\", \"n\": [1, 2]},\n  \"not an object\"\n],"
      " \"other\": {}}",
      "events");
  ASSERT_TRUE(body);
  const std::vector<std::string>& texts = body.value().element_texts;
  ASSERT_EQ(texts.size(), 2u);
  EXPECT_EQ(texts[0], R"({"Body":"two\nlines","n":[1,2]})");
  EXPECT_EQ(texts[1], R"("not an object")");
  for (std::size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ(texts[i].find('\n'), std::string::npos) << "a queued event is one line";
    EXPECT_EQ(json::parse(texts[i]), body.value().value["events"][i]);
  }
  EXPECT_TRUE(DecodeJsonKeepingTexts(R"({"events":{}})", "events").value().element_texts.empty());
}

TEST(JsonBody, KeepsEachEventsTextAsSentNotAsAWriterWouldPutIt) {
  // Digits a double cannot hold, exponents, trailing zeros and escapes
  // stay as the client wrote them; only white space outside strings goes.
  const auto body = DecodeJsonKeepingTexts(
      "{\"events\":[ {\"pi\": 3.14159265358979323846, \"n\": 1e2, \"price\": 1.50,"
      " \"name\": \"caf\\u00e9 \\/ bar\"} , [ 1 , 2 ] , true ]}",
      "events");
  ASSERT_TRUE(body);
  const std::vector<std::string>& texts = body.value().element_texts;
  ASSERT_EQ(texts.size(), 3u);
  EXPECT_EQ(texts[0],
            R"({"pi":3.14159265358979323846,"n":1e2,"price":1.50,"name":"caf\u00e9 \/ bar"})");
  EXPECT_EQ(texts[1], "[1,2]");
  EXPECT_EQ(texts[2], "true");
  for (std::size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ(json::parse(texts[i]), body.value().value["events"][i]);
  }
}

TEST(JsonBody, ABodyPastTheKeptBuffersSizeGetsItsTextsAndTheNextOneToo) {
  // Over a mebibyte the readers' buffers are given back after the body.
  const std::string pad(200, 'x');
  std::string big = R"({"events":[)";
  for (int i = 0; i < 6000; ++i) {
    big += (i ? ", " : "") + std::string(R"({"n": )") + std::to_string(i) + R"(, "pad": ")" + pad +
           R"("})";
  }
  big += "]}";
  ASSERT_GT(big.size(), 1u << 20);
  const auto body = DecodeJsonKeepingTexts(big, "events");
  ASSERT_TRUE(body);
  ASSERT_EQ(body.value().element_texts.size(), 6000u);
  EXPECT_EQ(body.value().element_texts[5999], R"({"n":5999,"pad":")" + pad + R"("})");
  const auto small = DecodeJsonKeepingTexts(R"({"events": [ {"a": 1} ]})", "events");
  ASSERT_TRUE(small);
  EXPECT_EQ(small.value().element_texts, std::vector<std::string>{R"({"a":1})"});
}

TEST(JsonBody, ABodyAfterAByteOrderMarkKeepsItsTexts) {
  const auto body = DecodeJsonKeepingTexts("\xEF\xBB\xBF{\"events\": [ {\"a\": 1} ]}", "events");
  ASSERT_TRUE(body);
  EXPECT_EQ(body.value().value["events"][0]["a"], 1);
  EXPECT_EQ(body.value().element_texts, std::vector<std::string>{R"({"a":1})"});
}

TEST(JsonBody, AnArrayNamedWithEscapesComesWithoutTexts) {
  // The value is read all the same; its events are then written out again.
  const auto body = DecodeJsonKeepingTexts(R"({"ev\u0065nts":[{"a":1}]})", "events");
  ASSERT_TRUE(body);
  EXPECT_EQ(body.value().value["events"][0]["a"], 1);
  EXPECT_TRUE(body.value().element_texts.empty());
}

TEST(JsonBody, CompactJsonTakesOutWhiteSpaceAndAByteOrderMarkOnly) {
  EXPECT_EQ(CompactJson("\xEF\xBB\xBF {\r\n \"a\" : \"x  y\" ,\t\"b\":[ 1.0 ]\n}\n"),
            R"({"a":"x  y","b":[1.0]})");
}

TEST(JsonBody, MemberTextIsTheMembersTextAsSentMadeCompact) {
  const std::string message = R"({"type": "event", "payload": { "a": 1.50, "b": [ true ] }})";
  EXPECT_EQ(MemberText(message, "payload"), R"({"a":1.50,"b":[true]})");
  EXPECT_EQ(MemberText(message, "type"), R"("event")");
  EXPECT_EQ(MemberText(message, "missing"), "");
  EXPECT_EQ(MemberText(R"({"p\u0061yload": {}})", "payload"), "");
}

TEST(JsonBody, WhatOnlyNlohmannReadsKeepsItsDigitsInItsText) {
  // An integer beyond 64 bits: simdjson refuses it, nlohmann reads a
  // double; the text keeps the integer.
  const auto body =
      DecodeJsonKeepingTexts(R"({"events": [ {"n": 123456789012345678901234567890} ]})", "events");
  ASSERT_TRUE(body);
  EXPECT_TRUE(body.value().value["events"][0]["n"].is_number_float());
  ASSERT_EQ(body.value().element_texts.size(), 1u);
  EXPECT_EQ(body.value().element_texts[0], R"({"n":123456789012345678901234567890})");
}

}  // namespace
}  // namespace mccig::ingest
