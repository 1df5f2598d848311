// authenticator.cpp — see authenticator.h.
#include "auth/authenticator.h"

#include "auth/crypto.h"

namespace mccig::auth {

std::shared_ptr<const Authenticator::Tables> Authenticator::Build(const config::Config& config) {
  auto tables = std::make_shared<Tables>();
  tables->admin_digests = config.admin_token_sha256;
  for (const config::Tenant& t : config.tenants) {
    for (const std::string& digest : t.api_key_sha256) {
      tables->key_digests.emplace_back(digest, t.id);
    }
    for (const auto& [plugin, secret] : t.signing_secrets) tables->secrets[{t.id, plugin}] = secret;
  }
  return tables;
}

Authenticator::Authenticator(const config::Config& config)
    : required_(config.auth_mode == config::AuthMode::kApiKey), tables_(Build(config)) {}

void Authenticator::Reload(const config::Config& config) {
  tables_.store(Build(config));
}

std::optional<std::string> Authenticator::TenantForKey(std::string_view key) const {
  if (key.empty()) return std::nullopt;
  const std::string digest = Sha256Hex(key);
  std::optional<std::string> tenant;
  const auto tables = tables_.load();
  for (const auto& [candidate, owner] : tables->key_digests) {
    // No early exit: every digest is compared whatever matched before.
    if (ConstantTimeEquals(digest, candidate) && !tenant) tenant = owner;
  }
  return tenant;
}

std::string Authenticator::SigningSecret(const std::string& tenant,
                                         const std::string& plugin) const {
  const auto tables = tables_.load();
  const auto it = tables->secrets.find({tenant, plugin});
  return it == tables->secrets.end() ? std::string() : it->second;
}

bool Authenticator::IsAdminToken(std::string_view token) const {
  if (token.empty()) return false;
  const std::string digest = Sha256Hex(token);
  bool match = false;
  const auto tables = tables_.load();
  for (const std::string& candidate : tables->admin_digests) {
    match = ConstantTimeEquals(digest, candidate) || match;
  }
  return match;
}

}  // namespace mccig::auth
