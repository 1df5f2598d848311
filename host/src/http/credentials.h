// credentials.h — who a request says it is: the credential it presents
// (auth::PresentedKey over the request's headers) and the ingest Caller built from
// it. Shared by the ingest, batch, stream and internal handlers.
#pragma once

#include <string>

#include <mccig/sdk/result.h>

#include "auth/authenticator.h"
#include "http/request.h"
#include "ingest/ingest_pipeline.h"

namespace mccig::http {

inline std::string PresentedCredential(const Request& request) {
  return auth::PresentedKey([&](const char* name) { return request.Get(name); });
}

// The tenant of the API key the request presents: empty when it presents
// none, "unauthorized" for a key that matches no tenant (a wrong key is
// refused, never ignored).
sdk::Result<std::string> KeyTenant(const auth::Authenticator& auth, const Request& request);

// ?tenant_id= of a request URI; empty when absent.
std::string TenantFromQuery(const std::string& uri);

// The Caller for events of `plugin_name` from a caller already identified.
ingest::Caller CallerFor(const auth::Authenticator& auth, std::string key_tenant,
                         std::string url_tenant, std::string plugin_name);

// The caller as far as the headers and the URL tell; KeyTenant's error for
// a wrong key.
sdk::Result<ingest::Caller> IdentifyCaller(const auth::Authenticator& auth, const Request& request,
                                           std::string plugin_name);

}  // namespace mccig::http
