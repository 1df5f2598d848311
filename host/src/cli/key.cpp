// key.cpp — `mccig key new` and `mccig key hash`: the config stores only
// the SHA-256 of each API key and admin token, so the key itself is shown
// once, here, and never written anywhere by the gateway.
#include <iostream>
#include <string>

#include "auth/crypto.h"
#include "cli/commands.h"

namespace mccig::cli {

int KeyCommand(const std::vector<std::string>& args) {
  if (args.size() == 1 && args[0] == "new") {
    const std::string key = auth::RandomToken(32);
    std::cout << "key:    " << key << "\n"
              << "sha256: " << auth::Sha256Hex(key) << std::endl;
    std::cerr << "Give the key to the caller (Authorization: Bearer <key> or X-API-Key) and put "
                 "the sha256 line\nin the config: tenants[].api_keys_sha256, or "
                 "auth.admin_token_sha256 for an admin token.\nThe key is not stored anywhere: "
                 "this is the only time it is shown.\n";
    return kExitOk;
  }
  if (args.size() == 1 && args[0] == "hash") {
    std::string key;
    std::getline(std::cin, key);
    if (!key.empty() && key.back() == '\r') key.pop_back();
    if (key.empty()) {
      std::cerr
          << "mccig key hash: give the key on standard input (echo -n KEY | mccig key hash)\n";
      return kExitUsage;
    }
    std::cout << auth::Sha256Hex(key) << "\n";
    return kExitOk;
  }
  std::cerr << "usage: mccig key new | mccig key hash < key\n";
  return kExitUsage;
}

}  // namespace mccig::cli
