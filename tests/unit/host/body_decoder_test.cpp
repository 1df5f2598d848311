// Body decoding: media types, JSON errors with positions, form bodies.
#include "ingest/body_decoder.h"

#include <gtest/gtest.h>

namespace mccig::ingest {
namespace {

using nlohmann::json;
using sdk::BodyFormat;

const std::vector<BodyFormat> kBoth = {BodyFormat::kJson, BodyFormat::kForm};
const std::vector<BodyFormat> kJsonOnly = {BodyFormat::kJson};

TEST(MatchMediaType, AcceptsDeclaredTypesWithParameters) {
  EXPECT_EQ(MatchMediaType("application/json", kBoth).value(), BodyFormat::kJson);
  EXPECT_EQ(MatchMediaType("Application/JSON; charset=UTF-8", kBoth).value(), BodyFormat::kJson);
  EXPECT_EQ(MatchMediaType("application/x-www-form-urlencoded; charset=utf-8", kBoth).value(),
            BodyFormat::kForm);
}

TEST(MatchMediaType, RefusesOthersNamingWhatIsAccepted) {
  auto form_on_json = MatchMediaType("application/x-www-form-urlencoded", kJsonOnly);
  ASSERT_FALSE(form_on_json.ok());
  EXPECT_EQ(form_on_json.error().code, "unsupported_media_type");
  EXPECT_NE(form_on_json.error().message.find("use application/json"), std::string::npos);
  EXPECT_FALSE(MatchMediaType("", kBoth).ok());
  EXPECT_FALSE(MatchMediaType("text/plain", kBoth).ok());
  EXPECT_FALSE(MatchMediaType("application/json; charset=latin1", kBoth).ok());
}

TEST(DecodeJson, ObjectsOnlyWithByteOffsets) {
  EXPECT_EQ(DecodeJson(R"({"a":1})").value(), (json{{"a", 1}}));
  auto broken = DecodeJson(R"({"a":1,})");
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().code, "invalid_json");
  EXPECT_NE(broken.error().message.find("at byte 8"), std::string::npos) << broken.error().message;
  auto array = DecodeJson("[1,2]");
  ASSERT_FALSE(array.ok());
  EXPECT_EQ(array.error().code, "invalid_body");
  EXPECT_EQ(DecodeJson("").error().code, "invalid_json");
  EXPECT_EQ(DecodeJson("{\"a\":\"\xff\"}").error().code, "invalid_json");  // invalid UTF-8
}

TEST(DecodeForm, DecodesTwilioStyleBodies) {
  auto form = DecodeForm("From=%2B15551230001&Body=Hello+world%21&NumMedia=0&empty=&flag");
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(form.value(), (json{{"From", "+15551230001"},
                                {"Body", "Hello world!"},
                                {"NumMedia", "0"},
                                {"empty", ""},
                                {"flag", ""}}));
}

TEST(DecodeForm, RepeatedKeysBecomeArrays) {
  EXPECT_EQ(DecodeForm("a=1&a=2&a=3").value(), (json{{"a", {"1", "2", "3"}}}));
}

TEST(DecodeForm, RefusesBrokenEscapesAndUtf8) {
  EXPECT_EQ(DecodeForm("a=%zz").error().code, "invalid_body");
  EXPECT_EQ(DecodeForm("a=%4").error().code, "invalid_body");
  EXPECT_EQ(DecodeForm("a=%ff").error().code, "invalid_body");
  EXPECT_TRUE(DecodeForm("a=%C3%A9").ok());  // é
}

TEST(DecodeJson, RefusesDeepNesting) {
  std::string deep(kMaxJsonDepth, '[');
  deep = "{\"a\":" + deep + std::string(kMaxJsonDepth, ']') + "}";
  auto r = DecodeJson(deep);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "invalid_json");
  EXPECT_NE(r.error().message.find("nested deeper than 32"), std::string::npos);
  std::string fine(kMaxJsonDepth - 2, '[');
  EXPECT_TRUE(DecodeJson("{\"a\":" + fine + std::string(kMaxJsonDepth - 2, ']') + "}"));
  // Far deeper than any stack would take recursively: refused, not a crash.
  EXPECT_FALSE(DecodeJson(std::string(100000, '[')));
}

TEST(DecodeJson, RefusesDuplicateKeysAtAnyDepth) {
  auto top = DecodeJson(R"({"MessageSid":"a","MessageSid":"b"})");
  ASSERT_FALSE(top);
  EXPECT_EQ(top.error().message, "duplicate key 'MessageSid' in a JSON object");
  EXPECT_FALSE(DecodeJson(R"({"m":{"x":1,"y":{"z":1},"x":2}})"));
  EXPECT_TRUE(DecodeJson(R"({"m":{"x":1},"n":{"x":1},"x":[{"x":1},{"x":2}]})"))
      << "the same key in different objects is fine";
}

TEST(DecodeJson, RefusesInvalidUtf8AndHugeNumbers) {
  EXPECT_EQ(DecodeJson("{\"a\":\"\xff\"}").error().code, "invalid_json");
  EXPECT_EQ(DecodeJson(R"({"a":"\ud800"})").error().code, "invalid_json") << "lone surrogate";
  EXPECT_EQ(DecodeJson(R"({"a":1e400})").error().code, "invalid_json");
}

TEST(NulCharacterErrors, NamesEveryPlace) {
  const nlohmann::json payload = {{"ok", "x"},
                                  {"Body", std::string("a\0b", 3)},
                                  {"meta", {{"list", {"fine", std::string("\0", 1)}}}},
                                  {std::string("k\0", 2), 1}};
  const auto errors = NulCharacterErrors(payload);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].field, "Body");
  EXPECT_EQ(errors[1].field, std::string("k\0", 2));
  EXPECT_EQ(errors[2].field, "meta.list[1]");
  EXPECT_TRUE(NulCharacterErrors(nlohmann::json{{"a", "b"}}).empty());
}

}  // namespace
}  // namespace mccig::ingest
