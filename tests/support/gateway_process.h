// gateway_process.h — a real `mccig run` for tests, on its own Redis (a
// RedisServer) and its own database (a TestDatabase): started from a YAML
// text, ready (/readyz 200) when Start returns, stopped with SIGTERM. Its
// log is kept for failure messages.
#pragma once

#include <signal.h>

#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "support/http_client.h"
#include "support/ports.h"
#include "support/postgres.h"
#include "support/process.h"
#include "support/redis_server.h"
#include "support/wait.h"

namespace mccig::testing {

class GatewayProcess {
 public:
  ~GatewayProcess() { Stop(); }

  // Writes `yaml` to a file named after `name` and runs `mccig run` on it.
  // Returns false (the log says why) when it is not ready in time.
  bool Start(const std::string& name, const std::string& yaml) {
    const std::string base = ::testing::TempDir() + "/" + name + "-" + std::to_string(getpid());
    std::ofstream(base + ".yaml") << yaml;
    log_ = base + ".log";
    std::remove(log_.c_str());
    pid_ = Spawn(
        {MCCIG_BINARY, "run", "--config", base + ".yaml"},
        {"PORT=" + std::to_string(port_), "REDIS_URL=" + redis_.url(), "DATABASE_URL=" + db_.url()},
        log_);
    return WaitUntil([&] {
      try {
        return HttpCall(port_, "GET", "/readyz").status == 200;
      } catch (const std::exception&) {
        return false;
      }
    });
  }
  // SIGTERM; the exit code (0 for a clean stop), or -1 when not running.
  int Stop() {
    if (pid_ <= 0) return -1;
    kill(pid_, SIGTERM);
    const int code = WaitExit(pid_);
    pid_ = -1;
    return code;
  }

  uint16_t port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const TestDatabase& database() const { return db_; }
  std::string log() const { return ReadFile(log_); }

 private:
  RedisServer redis_;
  TestDatabase db_;
  uint16_t port_ = FreePort();
  pid_t pid_ = -1;
  std::string log_;
};

}  // namespace mccig::testing
