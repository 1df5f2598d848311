// console_handler.cpp — see console_handler.h.
#include "http/console_handler.h"

#include <array>
#include <cstdio>
#include <functional>
#include <string>
#include <unordered_map>

#include "resources/resources.h"

namespace mccig::http {
namespace {

constexpr const char* kSecurityPolicy =
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

std::string_view MediaType(std::string_view name) {
  constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kTypes = {{
      {".html", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".svg", "image/svg+xml"},
  }};
  for (const auto& [ext, type] : kTypes) {
    if (name.ends_with(ext)) return type;
  }
  return "application/octet-stream";
}

// Each console file's ETag, computed once: the files are compiled in, so a
// tag is stable for the life of the binary.
const std::string& ETagOf(const resources::Resource& resource) {
  static const std::unordered_map<std::string_view, std::string> kTags = [] {
    std::unordered_map<std::string_view, std::string> tags;
    for (const resources::Resource& r : resources::All()) {
      char tag[32];
      std::snprintf(tag, sizeof tag, "\"%zx\"", std::hash<std::string_view>{}(r.text));
      tags.emplace(r.name, tag);
    }
    return tags;
  }();
  return kTags.at(resource.name);
}

}  // namespace

std::optional<Reply> HandleConsole(const ServerContext& context, std::string_view path,
                                   std::string_view if_none_match) {
  if (!path.starts_with(kConsolePath)) return std::nullopt;
  std::string_view file = path.substr(kConsolePath.size());
  if (!file.empty() && file.front() != '/') return std::nullopt;  // /consoles is not ours
  if (!context.internal_endpoints) {
    return ErrorReply(404, "not_found",
                      "the console is served only when internal endpoints are enabled "
                      "(internal_endpoints.enabled or ENABLE_INTERNAL_ENDPOINTS=true)");
  }
  if (file.empty()) {  // relative links in the page resolve against /console/
    Reply reply{.status = 301, .body = nullptr};
    reply.headers = {{"Location", "/console/"}};
    return reply;
  }
  file.remove_prefix(1);
  if (file.empty()) file = "index.html";
  // Only names the build compiled in: nothing is read from disk, so no path
  // can reach outside the console.
  const resources::Resource* resource = resources::Find("console/" + std::string(file));
  if (resource == nullptr) {
    return ErrorReply(404, "not_found", "no such console file: " + std::string(path));
  }
  const std::string& etag = ETagOf(*resource);
  Reply reply{.status = 200};
  reply.headers = {{"ETag", etag},
                   {"Cache-Control", "no-cache"},
                   {"Content-Security-Policy", kSecurityPolicy},
                   {"X-Content-Type-Options", "nosniff"},
                   {"Referrer-Policy", "no-referrer"}};
  if (if_none_match == etag) {
    reply.status = 304;
    reply.body = nullptr;
    return reply;
  }
  reply.content_type = MediaType(file);
  reply.text = std::string(resource->text);
  return reply;
}

}  // namespace mccig::http
