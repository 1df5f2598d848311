// authenticator.cpp — see authenticator.h.
#include "auth/authenticator.h"

#include "auth/crypto.h"

namespace mccig::auth {

Authenticator::Authenticator(const config::Config& config)
    : required_(config.auth_mode == config::AuthMode::kApiKey),
      admin_digests_(config.admin_token_sha256) {
  for (const config::Tenant& t : config.tenants) {
    for (const std::string& digest : t.api_key_sha256) key_digests_.emplace_back(digest, t.id);
    for (const auto& [plugin, secret] : t.signing_secrets) secrets_[{t.id, plugin}] = secret;
  }
}

std::optional<std::string> Authenticator::TenantForKey(std::string_view key) const {
  if (key.empty()) return std::nullopt;
  const std::string digest = Sha256Hex(key);
  std::optional<std::string> tenant;
  for (const auto& [candidate, owner] : key_digests_) {
    // No early exit: every digest is compared whatever matched before.
    if (ConstantTimeEquals(digest, candidate) && !tenant) tenant = owner;
  }
  return tenant;
}

std::string Authenticator::SigningSecret(const std::string& tenant,
                                         const std::string& plugin) const {
  const auto it = secrets_.find({tenant, plugin});
  return it == secrets_.end() ? std::string() : it->second;
}

bool Authenticator::IsAdminToken(std::string_view token) const {
  if (token.empty()) return false;
  const std::string digest = Sha256Hex(token);
  bool match = false;
  for (const std::string& candidate : admin_digests_) {
    match = ConstantTimeEquals(digest, candidate) || match;
  }
  return match;
}

}  // namespace mccig::auth
