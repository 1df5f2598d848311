// crypto.h — the few primitives authentication needs, on OpenSSL (the
// library Poco::Crypto already brings): SHA-256, HMAC, base64, constant-time
// comparison and random tokens. Also the HostCrypto table lent to plugin
// verifiers. Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include <mccig/sdk/plugin.h>

namespace mccig::auth {

std::string Sha256Hex(std::string_view data);
std::string Hmac(std::string_view algorithm, std::string_view key, std::string_view data);
std::string Base64(std::string_view bytes);
bool ConstantTimeEquals(std::string_view a, std::string_view b);
// `bytes` random bytes from the OS CSPRNG, as URL-safe text.
std::string RandomToken(std::size_t bytes = 32);

const sdk::HostCrypto& HostCryptoTable();

}  // namespace mccig::auth
