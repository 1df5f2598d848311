// authenticator.h — who may call the gateway, from the config's tenants.
//
// A tenant authenticates with an API key (sent as "Authorization: Bearer
// <key>" or "X-API-Key: <key>"), or with a provider signature for a plugin
// it holds a signing secret for. Keys are stored only as SHA-256 digests;
// a presented key is hashed and compared against every digest in constant
// time, without stopping at a match, so timing says nothing about which
// digest matched or how much of one. Reload swaps the tables atomically;
// a call in flight finishes with the ones it started with. Thread-safe.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/config.h"

namespace mccig::auth {

class Authenticator {
 public:
  explicit Authenticator(const config::Config& config);

  // New keys, admin tokens and signing secrets (SIGHUP); the mode stays.
  void Reload(const config::Config& config);

  // auth.mode: api_key (true) or none.
  bool required() const { return required_; }

  // The tenant a presented API key belongs to; nullopt for an unknown key.
  std::optional<std::string> TenantForKey(std::string_view key) const;

  // The tenant's signing secret for a plugin; empty when it has none.
  std::string SigningSecret(const std::string& tenant, const std::string& plugin) const;

  // Whether the presented token is an admin token (auth.admin_token_sha256).
  bool IsAdminToken(std::string_view token) const;

 private:
  struct Tables {
    std::vector<std::pair<std::string, std::string>> key_digests;  // digest, tenant
    std::vector<std::string> admin_digests;
    std::map<std::pair<std::string, std::string>, std::string> secrets;  // (tenant, plugin)
  };
  static std::shared_ptr<const Tables> Build(const config::Config& config);

  bool required_;
  std::atomic<std::shared_ptr<const Tables>> tables_;
};

// The credential in a request's headers: the Bearer token of Authorization,
// else X-API-Key; empty when neither is present. `header` is a lookup by
// case-insensitive name.
template <typename HeaderLookup>
std::string PresentedKey(const HeaderLookup& header) {
  const std::string authorization = header("Authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.size() > kBearer.size() &&
      std::string_view(authorization).substr(0, kBearer.size()) == kBearer) {
    return authorization.substr(kBearer.size());
  }
  return header("X-API-Key");
}

}  // namespace mccig::auth
