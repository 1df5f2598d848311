// schema.cpp — names of schema enums, as shown in errors, docs and the console.
#include "mccig/sdk/schema.h"

namespace mccig::sdk {

FieldSpec TenantIdField() {
  return FieldSpec{.name = "tenant_id",
                   .type = FieldType::kString,
                   .required = true,
                   .min_length = 1,
                   .max_length = 64,
                   .format = StringFormat::kIdentifier,
                   .description = "the tenant this conversation belongs to",
                   .example = "acme"};
}

std::string_view FieldTypeName(FieldType type) noexcept {
  switch (type) {
    case FieldType::kString:
      return "string";
    case FieldType::kInteger:
      return "integer";
    case FieldType::kNumber:
      return "number";
    case FieldType::kBoolean:
      return "boolean";
    case FieldType::kObject:
      return "object";
    case FieldType::kArray:
      return "array";
    case FieldType::kTimestamp:
      return "timestamp";
  }
  return "unknown";
}

std::string_view BodyFormatMediaType(BodyFormat format) noexcept {
  switch (format) {
    case BodyFormat::kJson:
      return "application/json";
    case BodyFormat::kForm:
      return "application/x-www-form-urlencoded";
  }
  return "";
}

}  // namespace mccig::sdk
