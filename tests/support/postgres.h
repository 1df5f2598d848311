// postgres.h — real PostgreSQL for tests.
//
// TestDatabase: a fresh database per test on the server scripts/test
// started (DATABASE_URL), dropped afterwards, so tests running in parallel
// never share rows. Without DATABASE_URL the test fails and says how to get
// one — it never skips.
// PostgresServer: a private cluster (initdb on a free port) for the tests
// that stop and restart PostgreSQL; Debian's binaries (MCCIG_PG_BIN or the
// newest /usr/lib/postgresql/*/bin), run as the postgres user when root.
#pragma once

#include <pwd.h>
#include <sys/stat.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

#include <gtest/gtest.h>
#include <pqxx/nontransaction>
#include <pqxx/pqxx>

#include "support/ports.h"
#include "support/process.h"

namespace mccig::testing {

inline std::string RequireDatabaseUrl() {
  const char* url = std::getenv("DATABASE_URL");
  if (url == nullptr || *url == '\0') {
    throw std::runtime_error(
        "DATABASE_URL is not set: run the tests through scripts/test, which starts PostgreSQL, "
        "or point DATABASE_URL at a server where this role may CREATE DATABASE");
  }
  return url;
}

// The URL with its database name replaced.
inline std::string WithDatabase(const std::string& url, const std::string& db) {
  const auto query = url.find('?');
  const std::string base = url.substr(0, query);
  const auto slash = base.rfind('/');
  const bool has_db = slash != std::string::npos && slash > base.find("://") + 2;
  return (has_db ? base.substr(0, slash) : base) + "/" + db +
         (query == std::string::npos ? "" : url.substr(query));
}

class TestDatabase {
 public:
  TestDatabase() : admin_url_(RequireDatabaseUrl()) {
    static std::atomic<int> counter{0};
    std::random_device rd;
    name_ = "mccig_t" + std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" +
            std::to_string(rd() % 100000);
    pqxx::connection c(admin_url_);
    pqxx::nontransaction(c).exec("CREATE DATABASE " + name_);
    url_ = WithDatabase(admin_url_, name_);
  }
  ~TestDatabase() {
    try {
      pqxx::connection c(admin_url_);
      pqxx::nontransaction(c).exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (const std::exception&) {
    }
  }
  const std::string& url() const { return url_; }

 private:
  std::string admin_url_;
  std::string name_;
  std::string url_;
};

class PostgresServer {
 public:
  PostgresServer() : port_(FreePort()) {
    bin_ = Binaries();
    char tmpl[] = "/tmp/mccig-test-pg.XXXXXX";
    if (mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
    if (geteuid() == 0) {
      const passwd* pw = getpwnam("postgres");
      if (pw == nullptr) throw std::runtime_error("no postgres user: install Debian's postgresql");
      chown(dir_.c_str(), pw->pw_uid, pw->pw_gid);
    }
    if (AsOwner({bin_ + "/initdb", "-D", dir_ + "/data", "-U", "postgres", "--auth=trust", "-E",
                 "UTF8"}) != 0) {
      throw std::runtime_error("initdb failed; see " + dir_ + "/log");
    }
    Start();
  }
  ~PostgresServer() {
    Stop("immediate");
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  void Start() {
    const std::string options = "-c listen_addresses=127.0.0.1 -p " + std::to_string(port_) +
                                " -k " + dir_ + " -c fsync=off";
    if (AsOwner({bin_ + "/pg_ctl", "-D", dir_ + "/data", "-o", options, "-l", dir_ + "/server.log",
                 "-w", "start"}) != 0) {
      throw std::runtime_error("postgres did not start; see " + dir_ + "/server.log");
    }
    running_ = true;
  }
  // mode: "fast" (clean shutdown) or "immediate" (as a crash).
  void Stop(const std::string& mode = "fast") {
    if (!running_) return;
    AsOwner({bin_ + "/pg_ctl", "-D", dir_ + "/data", "-m", mode, "-w", "stop"});
    running_ = false;
  }
  std::string url() const {
    return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/postgres";
  }

 private:
  static std::string Binaries() {
    if (const char* b = std::getenv("MCCIG_PG_BIN"); b != nullptr && *b != '\0') return b;
    std::string best;
    std::error_code ec;
    for (const auto& d : std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
      const std::string bin = d.path().string() + "/bin";
      if (std::filesystem::exists(bin + "/pg_ctl") && bin > best) best = bin;
    }
    if (best.empty()) {
      throw std::runtime_error(
          "PostgreSQL binaries not found: install Debian's postgresql "
          "(scripts/test does) or set MCCIG_PG_BIN");
    }
    return best;
  }

  int AsOwner(std::vector<std::string> argv) {
    if (geteuid() == 0) argv.insert(argv.begin(), {"/usr/sbin/runuser", "-u", "postgres", "--"});
    return RunCommand(std::move(argv), dir_ + "/log");
  }

  uint16_t port_;
  std::string bin_;
  std::string dir_;
  bool running_ = false;
};

}  // namespace mccig::testing
