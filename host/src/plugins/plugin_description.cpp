// plugin_description.cpp — see plugin_description.h.
#include "plugins/plugin_description.h"

namespace mccig::plugins {

nlohmann::json DescribeField(const sdk::FieldSpec& field) {
  nlohmann::json j = {{"name", field.name},
                      {"type", sdk::FieldTypeName(field.type)},
                      {"required", field.required},
                      {"description", field.description}};
  if (field.format == sdk::StringFormat::kIdentifier) j["format"] = "identifier";
  if (field.minimum) j["minimum"] = *field.minimum;
  if (field.maximum) j["maximum"] = *field.maximum;
  if (field.min_length) j["min_length"] = *field.min_length;
  if (field.max_length) j["max_length"] = *field.max_length;
  if (!field.example.is_null()) j["example"] = field.example;
  if (!field.default_value.is_null()) j["default"] = field.default_value;
  return j;
}

nlohmann::json ExamplePayload(const sdk::PluginInfo& info) {
  nlohmann::json example = nlohmann::json::object();
  for (const sdk::FieldSpec& f : info.fields) {
    if (!f.example.is_null()) example[f.name] = f.example;
  }
  return example;
}

nlohmann::json DescribePlugin(const sdk::ChannelPlugin& plugin) {
  const sdk::PluginInfo& info = plugin.Info();
  nlohmann::json accepts = nlohmann::json::array();
  for (const sdk::BodyFormat f : info.accepts) accepts.push_back(sdk::BodyFormatMediaType(f));
  nlohmann::json fields = nlohmann::json::array();
  for (const sdk::FieldSpec& f : info.fields) fields.push_back(DescribeField(f));
  nlohmann::json options = nlohmann::json::array();
  for (const sdk::FieldSpec& o : info.options) options.push_back(DescribeField(o));
  const sdk::EventMapping& m = info.mapping;
  return {{"name", info.name},
          {"version", info.version},
          {"description", info.description},
          {"channel", sdk::ChannelName(info.channel)},
          {"routes", info.routes},
          {"accepts", std::move(accepts)},
          {"has_verifier", plugin.HasVerifier()},
          {"fields", std::move(fields)},
          {"options", std::move(options)},
          {"mapping",
           {{"tenant_field", m.tenant_field},
            {"content_field", m.content_field},
            {"timestamp_field", m.timestamp_field},
            {"message_id", {{"join", m.message_id.join}, {"hash_of", m.message_id.hash_of}}}}},
          {"example", ExamplePayload(info)}};
}

}  // namespace mccig::plugins
