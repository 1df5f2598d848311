// redis_script.cpp — see redis_script.h.
#include "redis/redis_script.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA1Engine.h>

namespace mccig::redis {

Script::Script(std::string source) : source_(std::move(source)) {
  Poco::SHA1Engine sha1;
  sha1.update(source_);
  sha_ = Poco::DigestEngine::digestToHex(sha1.digest());
}

sdk::Result<Reply> Script::Load(Lease& lease) const {
  return lease.Command({"SCRIPT", "LOAD", source_});
}

std::vector<std::string_view> Script::EvalArgs(const std::vector<std::string_view>& keys,
                                               const std::vector<std::string_view>& args,
                                               std::string& numkeys_storage) const {
  numkeys_storage = std::to_string(keys.size());
  std::vector<std::string_view> argv = {"EVALSHA", sha_, numkeys_storage};
  argv.insert(argv.end(), keys.begin(), keys.end());
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

sdk::Result<Reply> Script::Run(Lease& lease, const std::vector<std::string_view>& keys,
                               const std::vector<std::string_view>& args) const {
  std::string numkeys;
  const std::vector<std::string_view> argv = EvalArgs(keys, args, numkeys);
  return Reloaded(lease, argv, lease.Command(argv));
}

sdk::Result<Reply> Script::Reloaded(Lease& lease, const std::vector<std::string_view>& argv,
                                    sdk::Result<Reply> reply) const {
  if (reply.ok() || reply.error().code != "redis_error" ||
      !reply.error().message.starts_with("NOSCRIPT")) {
    return reply;
  }
  if (sdk::Result<Reply> loaded = Load(lease); !loaded) return loaded.error();
  return lease.Command(argv);
}

}  // namespace mccig::redis
