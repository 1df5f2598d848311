// redis_server.h — a real redis-server owned by one test.
//
// Each fixture starts its own server on a free loopback port with its own
// append-only folder, so tests running in parallel never see each other's
// stream, and a test may stop, kill and restart "its" Redis on the same port
// and data to prove recovery. The binary is Debian's redis-server (on PATH,
// or MCCIG_REDIS_SERVER); when it is missing the test fails and says how to
// get it — it never skips.
#pragma once

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <hiredis/hiredis.h>

#include "support/ports.h"

extern char** environ;

namespace mccig::testing {

class RedisServer {
 public:
  struct Options {
    std::string password{};    // requirepass, when not empty
    bool unix_socket = false;  // also listen on <dir>/redis.sock
  };

  RedisServer() : RedisServer(Options{}) {}
  explicit RedisServer(Options options) : options_(std::move(options)), port_(FreePort()) {
    char tmpl[] = "/tmp/mccig-test-redis.XXXXXX";
    if (mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
    // The free port may be taken before redis binds it: try another.
    for (int attempt = 1;; ++attempt) {
      try {
        Start();
        return;
      } catch (const std::exception&) {
        if (attempt == 3) throw;
        Kill();
        port_ = FreePort();
      }
    }
  }
  ~RedisServer() {
    Stop();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  // Starts (or restarts) the server on the same port and data folder and
  // waits until it answers PING.
  void Start() {
    const std::string bin = Binary();
    const std::string port = std::to_string(port_);
    std::vector<std::string> args = {
        bin,     "--bind",      "127.0.0.1",    "--port",    port,
        "--dir", dir_,          "--appendonly", "yes",       "--save",
        "",      "--daemonize", "no",           "--logfile", dir_ + "/redis.log"};
    if (!options_.password.empty()) args.insert(args.end(), {"--requirepass", options_.password});
    if (options_.unix_socket) args.insert(args.end(), {"--unixsocket", socket_path()});
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, bin.c_str(), nullptr, nullptr, argv.data(), environ) != 0) {
      pid_ = 0;
      throw std::runtime_error("cannot start " + bin +
                               ": install Debian's redis-server (scripts/test does) or set "
                               "MCCIG_REDIS_SERVER");
    }
    WaitUntilReady();
  }

  // Graceful stop (SIGTERM: Redis flushes its AOF) and wait for the exit.
  void Stop() { Signal(SIGTERM); }
  // Abrupt stop, as a crash or an OOM kill would do.
  void Kill() { Signal(SIGKILL); }

  uint16_t port() const { return port_; }
  std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_) + "/0"; }
  std::string socket_path() const { return dir_ + "/redis.sock"; }

 private:
  static std::string Binary() {
    if (const char* b = std::getenv("MCCIG_REDIS_SERVER")) return b;
    for (const char* dir : {"/usr/bin", "/usr/local/bin", "/usr/sbin"}) {
      const std::string p = std::string(dir) + "/redis-server";
      if (access(p.c_str(), X_OK) == 0) return p;
    }
    throw std::runtime_error(
        "redis-server not found: install Debian's redis-server (scripts/test does) or set "
        "MCCIG_REDIS_SERVER");
  }

  void Signal(int sig) {
    if (pid_ == 0) return;
    kill(pid_, sig);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = 0;
  }

  void WaitUntilReady() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {  // exited: the port was taken, say
        pid_ = 0;
        throw std::runtime_error("redis-server on port " + std::to_string(port_) +
                                 " exited at start; see " + dir_ + "/redis.log");
      }
      redisContext* c = redisConnect("127.0.0.1", port_);
      if (c != nullptr && c->err == 0) {
        // Any answer means it is up (NOAUTH included, when a password is set).
        auto* reply = static_cast<redisReply*>(redisCommand(c, "PING"));
        const bool ok = reply != nullptr;
        if (reply) freeReplyObject(reply);
        redisFree(c);
        if (ok) return;
      } else if (c != nullptr) {
        redisFree(c);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    throw std::runtime_error("redis-server on port " + std::to_string(port_) +
                             " did not answer within 10 s; see " + dir_ + "/redis.log");
  }

  Options options_;
  uint16_t port_;
  std::string dir_;
  pid_t pid_ = 0;
};

}  // namespace mccig::testing
