// SIGHUP end to end on a real `mccig serve`: a plugin added to the YAML
// starts answering with no dropped request during a running load; tenant
// limits change; a bad new config is refused with its reasons logged while
// the running one keeps serving.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "support/http_client.h"
#include "support/plugins.h"
#include "support/ports.h"
#include "support/process.h"
#include "support/redis_server.h"

namespace mccig {
namespace {

void WriteConfig(const std::string& path, const std::string& plugins, const std::string& extra) {
  std::ofstream(path + ".tmp") << "plugin_dir: " << MCCIG_PLUGIN_BUILD_DIR << "\n"
                               << "auth: {mode: none}\n"
                               << "plugins:\n"
                               << plugins << extra;
  std::filesystem::rename(path + ".tmp", path);  // the gateway never reads half a file
}

int PostChat(uint16_t port, const std::string& id) {
  try {
    return testing::PostJson(port, "/v1/ingest/chat",
                             {{"tenant_id", "acme"},
                              {"userId", "u"},
                              {"message", "m"},
                              {"chatId", "c"},
                              {"messageId", id}})
        .status;
  } catch (const std::exception&) {
    return 0;
  }
}

TEST(Reload, SighupAddsAPluginWithoutDroppingARequest) {
  testing::RedisServer redis;
  const std::string dir = ::testing::TempDir();
  const std::string config = dir + "/reload.yaml";
  const std::string sms = "  - {name: sms, path: libmccig_sms.so}\n";
  const std::string chat = "  - {name: chat, path: libmccig_chat.so}\n";
  WriteConfig(config, sms, "");
  const uint16_t port = testing::FreePort();
  const std::string log = dir + "/reload.log";
  std::remove(log.c_str());
  const pid_t gateway = testing::Spawn(
      {MCCIG_BINARY, "serve", "--config", config},
      {"PORT=" + std::to_string(port), "REDIS_URL=" + redis.url(),
       "DATABASE_URL=postgresql://nobody@127.0.0.1:" + std::to_string(testing::FreePort()) + "/x",
       "RATE_LIMIT_CAPACITY=100000", "RATE_LIMIT_REFILL_RATE=100000"},
      log);
  for (int i = 0; i < 200 && PostChat(port, "probe") == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  ASSERT_EQ(PostChat(port, "before"), 404) << "chat is not configured yet";

  std::atomic<bool> stop{false};
  std::atomic<int> sent{0}, failed{0};
  std::thread load([&] {
    while (!stop) {
      const int n = sent++;
      int status = 0;
      try {
        status = testing::PostJson(port, "/v1/ingest/sms",
                                   {{"tenant_id", "acme"},
                                    {"From", "1"},
                                    {"To", "2"},
                                    {"Body", "load"},
                                    {"MessageSid", "SM-L" + std::to_string(n)}})
                     .status;
      } catch (const std::exception&) {
      }
      if (status != 201) ++failed;
    }
  });

  WriteConfig(config, sms + chat, "");
  kill(gateway, SIGHUP);
  bool answered = false;
  for (int i = 0; i < 200 && !answered; ++i) {
    answered = PostChat(port, "after-" + std::to_string(i)) == 201;
    if (!answered) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  EXPECT_TRUE(answered) << "chat never answered after SIGHUP";

  // A broken file is refused; the running config keeps serving.
  WriteConfig(config, sms + chat + "  - {name: fax, path: libmccig_fax.so}\n", "no_such_key: 1\n");
  kill(gateway, SIGHUP);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(PostChat(port, "still"), 201);
  const std::string metrics = testing::HttpCall(port, "GET", "/metrics").body;
  EXPECT_NE(metrics.find("mccig_plugins_loaded 2"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("mccig_plugin_load_failures_total 1"), std::string::npos) << metrics;

  stop = true;
  load.join();
  kill(gateway, SIGTERM);
  EXPECT_EQ(testing::WaitExit(gateway), 0);
  EXPECT_GT(sent.load(), 20);
  EXPECT_EQ(failed.load(), 0) << "requests dropped during the reload";
  const std::string logged = testing::ReadFile(log);
  EXPECT_NE(logged.find("reloaded"), std::string::npos) << logged;
  EXPECT_NE(logged.find("reload refused"), std::string::npos) << logged;
  EXPECT_NE(logged.find("no_such_key"), std::string::npos) << logged;
}

}  // namespace
}  // namespace mccig
