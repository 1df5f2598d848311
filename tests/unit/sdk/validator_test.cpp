// The validator: every problem reported at once, each rule, form coercion and
// option resolution.
#include "mccig/sdk/validator.h"

#include <gtest/gtest.h>

namespace mccig::sdk {
namespace {

using nlohmann::json;

std::vector<FieldSpec> Specs() {
  return {
      FieldSpec{.name = "name", .required = true, .min_length = 1, .max_length = 5},
      FieldSpec{.name = "score",
                .type = FieldType::kNumber,
                .required = true,
                .minimum = 0,
                .maximum = 1},
      FieldSpec{.name = "count", .type = FieldType::kInteger, .minimum = 0},
      FieldSpec{.name = "when", .type = FieldType::kTimestamp},
      FieldSpec{.name = "flag", .type = FieldType::kBoolean},
      FieldSpec{.name = "meta", .type = FieldType::kObject},
      FieldSpec{.name = "tags", .type = FieldType::kArray},
      FieldSpec{.name = "tenant", .format = StringFormat::kIdentifier},
  };
}

TEST(Validator, AcceptsAValidObjectAndUnknownKeys) {
  const json ok = {{"name", "abc"},
                   {"score", 0.5},
                   {"count", 3},
                   {"when", "2024-05-01T12:00:00Z"},
                   {"flag", true},
                   {"meta", json::object()},
                   {"tags", json::array()},
                   {"tenant", "acme-1"},
                   {"Extra", "kept"}};
  EXPECT_TRUE(ValidateFields(ok, Specs()).empty());
}

TEST(Validator, ReportsEveryProblemAtOnceInDeclarationOrder) {
  const json bad = {{"count", -1}, {"when", "yesterday"}, {"flag", "yes"},
                    {"meta", "x"}, {"tags", 1},           {"tenant", "a b"}};
  const FieldErrors expected = {
      {"name", "required"},
      {"score", "required"},
      {"count", "must be at least 0"},
      {"when", "must be an ISO-8601 timestamp with a time zone, e.g. 2024-05-01T12:00:00Z"},
      {"flag", "must be true or false"},
      {"meta", "must be an object"},
      {"tags", "must be an array"},
      {"tenant", "must contain only letters, digits, '.', '_' and '-'"},
  };
  EXPECT_EQ(ValidateFields(bad, Specs()), expected);
}

TEST(Validator, TypesBoundsAndLengths) {
  EXPECT_EQ(ValidateFields({{"name", 5}, {"score", "high"}}, Specs()),
            (FieldErrors{{"name", "must be a string"}, {"score", "must be a number"}}));
  EXPECT_EQ(ValidateFields({{"name", ""}, {"score", 1.5}}, Specs()),
            (FieldErrors{{"name", "must not be empty"}, {"score", "must be at most 1"}}));
  EXPECT_EQ(ValidateFields({{"name", "abcdef"}, {"score", -0.1}}, Specs()),
            (FieldErrors{{"name", "must be at most 5 characters long"},
                         {"score", "must be at least 0"}}));
  EXPECT_EQ(ValidateFields({{"name", "a"}, {"score", 0}, {"count", 1.5}}, Specs()),
            (FieldErrors{{"count", "must be an integer"}}));
  EXPECT_TRUE(ValidateFields({{"name", "a"}, {"score", 0}, {"count", 2.0}}, Specs()).empty());
}

TEST(Validator, CountsCharactersNotBytes) {
  // Five code points, eleven bytes.
  EXPECT_TRUE(
      ValidateFields({{"name", "h\u00e9\u00e9\u6f22\U0001F600"}, {"score", 0}}, Specs()).empty());
}

TEST(Validator, RefusesNulCharacters) {
  EXPECT_EQ(ValidateFields({{"name", std::string("a\0b", 3)}, {"score", 0}}, Specs()),
            (FieldErrors{{"name", "must not contain NUL characters"}}));
}

TEST(Validator, NullIsAbsent) {
  EXPECT_EQ(ValidateFields({{"name", nullptr}, {"score", 0}, {"count", nullptr}}, Specs()),
            (FieldErrors{{"name", "required"}}));
}

TEST(Validator, RejectsUnknownKeysWhenAsked) {
  EXPECT_EQ(ValidateFields({{"name", "a"}, {"score", 0}, {"nmae", 1}}, Specs(),
                           UnknownKeys::kReject, "options."),
            (FieldErrors{{"options.nmae", "unknown key"}}));
}

TEST(Validator, CoercesDeclaredFormValues) {
  json form = {{"score", "0.25"}, {"count", "7"}, {"flag", "true"}, {"name", "12"}, {"tags", "1"}};
  CoerceFormValues(form, Specs());
  EXPECT_EQ(form,
            (json{{"score", 0.25}, {"count", 7}, {"flag", true}, {"name", "12"}, {"tags", "1"}}));

  json bad = {{"score", "0.5x"}, {"count", "1.5"}, {"flag", "maybe"}};
  CoerceFormValues(bad, Specs());
  EXPECT_EQ(bad, (json{{"score", "0.5x"}, {"count", "1.5"}, {"flag", "maybe"}}));
}

TEST(Validator, ResolvesOptionsWithDefaults) {
  const std::vector<FieldSpec> options = {
      FieldSpec{.name = "prefix", .default_value = "p-"},
      FieldSpec{.name = "retries", .type = FieldType::kInteger, .minimum = 0, .default_value = 3}};
  auto resolved = ResolveOptions(nullptr, options);
  ASSERT_TRUE(resolved.ok());
  EXPECT_EQ(resolved.value(), (json{{"prefix", "p-"}, {"retries", 3}}));

  auto given = ResolveOptions({{"retries", 5}}, options);
  ASSERT_TRUE(given.ok());
  EXPECT_EQ(given.value(), (json{{"prefix", "p-"}, {"retries", 5}}));

  auto bad = ResolveOptions({{"retries", -1}, {"typo", 1}}, options, "plugins[0].options.");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().details, (FieldErrors{{"plugins[0].options.retries", "must be at least 0"},
                                              {"plugins[0].options.typo", "unknown key"}}));

  auto not_map = ResolveOptions(json::array(), options, "plugins[0].options.");
  ASSERT_FALSE(not_map.ok());
  EXPECT_EQ(not_map.error().details.front().field, "plugins[0].options");
}

}  // namespace
}  // namespace mccig::sdk
