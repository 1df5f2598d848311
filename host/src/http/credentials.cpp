// credentials.cpp — see credentials.h.
#include "http/credentials.h"

#include <Poco/URI.h>

namespace mccig::http {

std::string TenantFromQuery(const std::string& uri) {
  try {
    for (const auto& [k, v] : Poco::URI(uri).getQueryParameters()) {
      if (k == "tenant_id") return v;
    }
  } catch (const std::exception&) {
  }
  return {};
}

ingest::Caller CallerFor(const auth::Authenticator& auth, std::string key_tenant,
                         std::string url_tenant, std::string plugin_name) {
  return ingest::Caller{
      .auth_required = auth.required(),
      .key_tenant = std::move(key_tenant),
      .url_tenant = std::move(url_tenant),
      .signing_secret = [&auth, plugin_name = std::move(plugin_name)](const std::string& tenant) {
        return auth.SigningSecret(tenant, plugin_name);
      }};
}

sdk::Result<std::string> KeyTenant(const auth::Authenticator& auth, const Request& request) {
  const std::string key = PresentedCredential(request);
  if (key.empty()) return std::string();
  std::optional<std::string> tenant = auth.TenantForKey(key);
  if (!tenant) return sdk::Error{"unauthorized", "the API key is not valid", {}};
  return std::move(*tenant);
}

sdk::Result<ingest::Caller> IdentifyCaller(const auth::Authenticator& auth, const Request& request,
                                           std::string plugin_name) {
  sdk::Result<std::string> key_tenant = KeyTenant(auth, request);
  if (!key_tenant) return key_tenant.error();
  return CallerFor(auth, std::move(key_tenant.value()), TenantFromQuery(request.uri),
                   std::move(plugin_name));
}

}  // namespace mccig::http
