// redis_script.h — a Lua script run by EVALSHA, loaded once.
//
// The script is sent with SCRIPT LOAD the first time it runs and then called
// by its SHA1. If Redis answers NOSCRIPT (it restarted, or SCRIPT FLUSH ran),
// the script is loaded again and the call retried once — never silently
// skipped. Thread-safe: the SHA is computed once and never changes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "redis/redis_pool.h"

namespace mccig::redis {

class Script {
 public:
  explicit Script(std::string source);

  // EVALSHA sha numkeys keys... args...
  sdk::Result<Reply> Run(Lease& lease, const std::vector<std::string_view>& keys,
                         const std::vector<std::string_view>& args) const;

  // `reply`, the answer to `argv` (this script's EvalArgs), unless it is
  // NOSCRIPT: then the script is loaded and argv run again. For callers
  // that pipeline the call; Run does this itself.
  sdk::Result<Reply> Reloaded(Lease& lease, const std::vector<std::string_view>& argv,
                              sdk::Result<Reply> reply) const;

  // The EVALSHA argument list, for callers that pipeline several calls.
  std::vector<std::string_view> EvalArgs(const std::vector<std::string_view>& keys,
                                         const std::vector<std::string_view>& args,
                                         std::string& numkeys_storage) const;
  sdk::Result<Reply> Load(Lease& lease) const;

  const std::string& sha() const { return sha_; }

 private:
  std::string source_;
  std::string sha_;  // SHA1 hex, as Redis names scripts
};

}  // namespace mccig::redis
