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

TEST(IsValidUtf8, RejectsOverlongsAndSurrogates) {
  EXPECT_TRUE(IsValidUtf8("plain \xc3\xa9 \xe6\xbc\xa2 \xf0\x9f\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xe6\xbc"));          // truncated
}

}  // namespace
}  // namespace mccig::ingest
