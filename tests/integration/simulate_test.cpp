// `mccig simulate` against a real `mccig run` on real Redis and PostgreSQL:
// every scenario passes on a gateway configured for it, and the runner fails
// (exit 1, a FAIL line) when a guarantee does not hold.
#include <sstream>

#include <gtest/gtest.h>
#include <mccig/sdk/sha256.h>

#include "support/gateway_process.h"

namespace mccig {
namespace {

const std::string kAcmeKey = "simulate-test-key-acme";
const std::string kGlobexKey = "simulate-test-key-globex";
const std::string kAdminToken = "simulate-test-admin-token";

struct Outcome {
  int exit_code = -1;
  std::string report;
};

class SimulateCommand : public ::testing::Test {
 protected:
  void StartGateway(bool simulation, int neighbour_capacity) {
    std::ostringstream yaml;
    yaml << "plugin_dir: " << MCCIG_PLUGIN_BUILD_DIR << "\n"
         << "auth: {mode: api_key, admin_token_sha256: [" << sdk::Sha256Hex(kAdminToken) << "]}\n"
         << "internal_endpoints: {enabled: true}\n"
         << "simulation: {enabled: " << (simulation ? "true" : "false") << "}\n"
         << "worker: {concurrency: 1, max_retries: 2, base_backoff_ms: 20, max_backoff_ms: 50}\n"
         << "plugins:\n"
         << "  - {name: sms, path: libmccig_sms.so}\n"
         << "  - {name: chat, path: libmccig_chat.so}\n"
         << "  - {name: voice, path: libmccig_voice.so}\n"
         << "tenants:\n"
         << "  - {id: acme, api_keys_sha256: [" << sdk::Sha256Hex(kAcmeKey) << "]}\n"
         << "  - id: globex\n"
         << "    api_keys_sha256: [" << sdk::Sha256Hex(kGlobexKey) << "]\n"
         << "    rate_limit: {capacity: " << neighbour_capacity
         << ", refill_per_second: " << neighbour_capacity << "}\n";
    ASSERT_TRUE(gateway_.Start("simulate", yaml.str())) << gateway_.log();
  }

  Outcome Simulate(std::vector<std::string> extra = {}) {
    const std::string out = ::testing::TempDir() + "/simulate-" + std::to_string(getpid()) + ".out";
    std::remove(out.c_str());
    std::vector<std::string> args = {MCCIG_BINARY,
                                     "simulate",
                                     "--url",
                                     gateway_.url(),
                                     "--key",
                                     kAcmeKey,
                                     "--neighbour-key",
                                     kGlobexKey,
                                     "--admin-token",
                                     kAdminToken,
                                     "--timeout-seconds",
                                     "20"};
    args.insert(args.end(), extra.begin(), extra.end());
    Outcome outcome;
    outcome.exit_code = testing::WaitExit(testing::Spawn(args, {}, out));
    outcome.report = testing::ReadFile(out);
    return outcome;
  }

  static bool Has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
  }

  testing::GatewayProcess gateway_;
};

TEST_F(SimulateCommand, EveryScenarioPassesInSimulationMode) {
  StartGateway(/*simulation=*/true, /*neighbour_capacity=*/5);
  const Outcome run = Simulate();
  EXPECT_EQ(run.exit_code, 0) << run.report << gateway_.log();
  EXPECT_TRUE(Has(run.report,
                  "  PASS  mixed channels: 60 events over sms, chat, voice: all 201, "
                  "each stored exactly once"))
      << run.report;
  EXPECT_TRUE(Has(run.report, "  PASS  duplicate replay: 10 concurrent sends")) << run.report;
  EXPECT_TRUE(Has(run.report, "1 accepted, 9 duplicate, 1 distinct event_id, 1 row")) << run.report;
  EXPECT_TRUE(Has(run.report, "  PASS  noisy neighbour: globex sent ")) << run.report;
  EXPECT_TRUE(Has(run.report, "acme meanwhile 20/20 accepted")) << run.report;
  EXPECT_TRUE(Has(run.report, "  PASS  forced failure: ")) << run.report;
  EXPECT_TRUE(Has(run.report, "reached the dead-letter queue after 3 attempts")) << run.report;
  EXPECT_TRUE(Has(run.report, "PASS: 4 of 4 scenarios")) << run.report;

  const Outcome again = Simulate();  // a second run uses fresh ids
  EXPECT_EQ(again.exit_code, 0) << again.report;
}

TEST_F(SimulateCommand, AGuaranteeThatDoesNotHoldFailsTheRun) {
  // The neighbour's limit is out of reach, so it is never throttled; and
  // without simulation mode the forced failure is skipped, not failed.
  StartGateway(/*simulation=*/false, /*neighbour_capacity=*/1000000);
  const Outcome run = Simulate();
  EXPECT_EQ(run.exit_code, 1) << run.report;
  EXPECT_TRUE(Has(run.report, "  FAIL  noisy neighbour: globex sent 2000 on chat, 0 got 429"))
      << run.report;
  EXPECT_TRUE(Has(run.report, "  SKIP  forced failure: the gateway is not in simulation mode"))
      << run.report;
  EXPECT_TRUE(Has(run.report, "FAIL: 3 of 4 scenarios")) << run.report;
}

TEST_F(SimulateCommand, WithoutTheAdminTokenItSaysWhatItNeeds) {
  StartGateway(/*simulation=*/false, /*neighbour_capacity=*/5);
  const Outcome run = Simulate({"--admin-token", "wrong"});
  EXPECT_EQ(run.exit_code, 1) << run.report;
  EXPECT_TRUE(Has(run.report, "  FAIL  setup: cannot read /v1/internal/plugins: 401"))
      << run.report;
  EXPECT_EQ(Simulate({"--events", "0"}).exit_code, 2);
}

}  // namespace
}  // namespace mccig
