// credentials.h — the credential a request presents (auth::PresentedKey over
// Poco's headers), shared by the ingest and the internal handlers.
#pragma once

#include <string>

#include <Poco/Net/HTTPServerRequest.h>

#include "auth/authenticator.h"

namespace mccig::http {

inline std::string PresentedCredential(const Poco::Net::HTTPServerRequest& request) {
  return auth::PresentedKey([&](const char* name) { return request.get(name, std::string()); });
}

}  // namespace mccig::http
