// POST /v1/ingest/{route}/batch (issue 8): the request contract against an
// in-memory admission, then a mixed batch end to end — real Redis, the real
// admission script, the worker and PostgreSQL — down to the rows.
#include <gtest/gtest.h>

#include "http/http_server.h"
#include "support/fake_admission.h"
#include "support/http_client.h"
#include "support/pipeline.h"
#include "support/plugins.h"
#include "support/samples.h"
#include "support/wait.h"

namespace mccig {
namespace {

using nlohmann::json;
using testing::HttpCall;
using testing::PostJson;
using testing::SmsPayload;

json Batch(std::vector<json> events) {
  return {{"events", std::move(events)}};
}

class BatchContractTest : public ::testing::Test {
 protected:
  void SetUp() override {
    context_.registry.store(testing::BundledRegistry());
    context_.admission = &admission_;
    context_.batch_max_events = 5;
    context_.batch_max_body_bytes = 4096;
    server_ =
        std::make_unique<http::HttpServer>(http::ServerOptions{.port = 0, .threads = 4}, context_);
    server_->Start();
  }
  void TearDown() override { server_->Stop(); }
  testing::HttpResult PostBatch(const json& body, const std::string& route = "sms") {
    return PostJson(server_->port(), "/v1/ingest/" + route + "/batch", body);
  }

  testing::FakeAdmission admission_;
  http::ServerContext context_;
  std::unique_ptr<http::HttpServer> server_;
};

TEST_F(BatchContractTest, EveryEventGetsItsResultAndTheBatchIsOneAdmissionCall) {
  json missing_body = SmsPayload("SM-2");
  missing_body.erase("Body");
  const auto r =
      PostBatch(Batch({SmsPayload("SM-1"), missing_body, SmsPayload("SM-1"), "not an object"}));
  ASSERT_EQ(r.status, 200) << r.body;
  const json body = r.Json();
  EXPECT_EQ(body["totals"], json({{"events", 4},
                                  {"accepted", 1},
                                  {"duplicate", 1},
                                  {"rate_limited", 0},
                                  {"rejected", 2},
                                  {"unavailable", 0}}));
  const json& results = body["results"];
  ASSERT_EQ(results.size(), 4u);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(results[i]["index"], i);
  EXPECT_EQ(results[0]["status"], "accepted");
  EXPECT_EQ(results[0]["event_id"].get<std::string>().size(), 36u);
  EXPECT_EQ(results[1]["status"], "rejected");
  EXPECT_EQ(results[1]["error"], "validation_failed");
  EXPECT_EQ(results[1]["details"], json::array({{{"field", "Body"}, {"message", "required"}}}));
  EXPECT_EQ(results[2]["status"], "duplicate");
  EXPECT_EQ(results[2]["provider_message_id"], "SM-1");
  EXPECT_EQ(results[3]["error"], "invalid_body");
  EXPECT_EQ(admission_.calls(), 1);
  EXPECT_EQ(admission_.accepted().size(), 1u);
}

TEST_F(BatchContractTest, MoreEventsThanTheLimitIs413NamingIt) {
  std::vector<json> events;
  for (int i = 0; i < 6; ++i) events.push_back(SmsPayload("SM-" + std::to_string(i)));
  const auto r = PostBatch(Batch(events));
  ASSERT_EQ(r.status, 413) << r.body;
  EXPECT_EQ(r.Json()["error"], "payload_too_large");
  EXPECT_EQ(r.Json()["limit_events"], 5);
  EXPECT_EQ(admission_.calls(), 0);
}

TEST_F(BatchContractTest, ABodyOverTheByteLimitIs413) {
  const auto r = PostBatch(Batch({SmsPayload(std::string(4000, 'x'))}));
  ASSERT_EQ(r.status, 413) << r.body;
  EXPECT_EQ(r.Json()["limit_bytes"], 4096);
}

TEST_F(BatchContractTest, MalformedBatchesAreClear400s) {
  for (const auto& [body, field] :
       std::vector<std::pair<json, std::string>>{{json::object(), "events"},
                                                 {json{{"events", json::object()}}, "events"},
                                                 {json{{"events", json::array()}}, "events"}}) {
    const auto r = PostBatch(body);
    ASSERT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(r.Json()["error"], "validation_failed");
    EXPECT_EQ(r.Json()["details"][0]["field"], field) << r.body;
  }
  const auto broken = HttpCall(server_->port(), "POST", "/v1/ingest/sms/batch", "{\"events\": [",
                               "application/json");
  EXPECT_EQ(broken.status, 400);
  EXPECT_EQ(broken.Json()["error"], "invalid_json");
  const auto form = HttpCall(server_->port(), "POST", "/v1/ingest/sms/batch", "events=1",
                             "application/x-www-form-urlencoded");
  EXPECT_EQ(form.status, 415) << form.body;
  EXPECT_EQ(HttpCall(server_->port(), "GET", "/v1/ingest/sms/batch").status, 405);
  EXPECT_EQ(PostBatch(Batch({SmsPayload("SM-1")}), "fax").status, 404);
}

// One Redis per test; a fresh database per test; the worker drains.
class BatchEndToEndTest : public ::testing::Test {
 protected:
  static testing::PipelineOptions Options() {
    testing::PipelineOptions options;
    options.admission.tenant_limits["tight"] = {.capacity = 3, .refill_per_second = 0.001};
    return options;
  }
  testing::HttpResult PostBatch(const json& body) {
    return PostJson(pipeline_.port(), "/v1/ingest/sms/batch", body);
  }
  int64_t Rows() { return pipeline_.Rows(); }

  testing::Pipeline pipeline_{Options()};
};

TEST_F(BatchEndToEndTest, MixedBatchGivesPerEventResultsAndExactlyTheValidRows) {
  ASSERT_EQ(PostJson(pipeline_.port(), "/v1/ingest/sms", SmsPayload("SM-before")).status, 201);
  json invalid = SmsPayload("SM-bad");
  invalid["From"] = 42;
  const auto r = PostBatch(Batch({SmsPayload("SM-a"), invalid, SmsPayload("SM-before"),
                                  SmsPayload("SM-b"), SmsPayload("SM-a")}));
  ASSERT_EQ(r.status, 200) << r.body;
  const json results = r.Json()["results"];
  std::vector<std::string> statuses;
  for (const auto& x : results) statuses.push_back(x["status"]);
  EXPECT_EQ(statuses, (std::vector<std::string>{"accepted", "rejected", "duplicate", "accepted",
                                                "duplicate"}));
  EXPECT_EQ(results[1]["details"][0]["field"], "From");
  // A duplicate names the event first accepted under its id, in this batch or before.
  EXPECT_EQ(results[4]["event_id"], results[0]["event_id"]);
  ASSERT_TRUE(testing::WaitUntil([&] { return Rows() == 3; })) << Rows();
  EXPECT_EQ(pipeline_.Sql("SELECT COUNT(*) FROM conversation_events WHERE provider_message_id IN "
                          "('SM-a','SM-b','SM-before')"),
            3);
  EXPECT_EQ(pipeline_.Sql("SELECT COUNT(*) FROM conversation_events WHERE id = '" +
                          results[3]["event_id"].get<std::string>() + "'"),
            1);
  EXPECT_EQ(pipeline_.Sql("SELECT COUNT(*) FROM conversation_events "
                          "WHERE raw_metadata->>'MessageSid' = provider_message_id"),
            3)
      << "each row holds its own event's payload";
}

TEST_F(BatchEndToEndTest, ABatchOverTheTenantsBudgetAcceptsItsFirstEventsOnly) {
  std::vector<json> events;
  for (int i = 0; i < 5; ++i) events.push_back(SmsPayload("SM-t" + std::to_string(i), "tight"));
  const auto r = PostBatch(Batch(events));
  ASSERT_EQ(r.status, 200) << r.body;
  const json body = r.Json();
  EXPECT_EQ(body["totals"]["accepted"], 3);
  EXPECT_EQ(body["totals"]["rate_limited"], 2);
  EXPECT_EQ(body["results"][3]["status"], "rate_limited");
  EXPECT_GE(body["results"][3]["retry_after_seconds"].get<int>(), 1);
  EXPECT_TRUE(r.headers.contains("Retry-After"));
  ASSERT_TRUE(testing::WaitUntil([&] { return Rows() == 3; })) << Rows();
  // The refused events claimed nothing: once tokens are back they are accepted.
  // A refill fast enough that the bucket is full again however little time
  // has passed (the default 50/s would leave the outcome to timing).
  admission::AdmissionSettings roomy;
  roomy.default_limit = {.capacity = 100, .refill_per_second = 1e6};
  pipeline_.admission().UpdateSettings(roomy);
  const auto again = PostBatch(Batch(events));
  EXPECT_EQ(again.Json()["totals"]["accepted"], 2) << again.body;
  EXPECT_EQ(again.Json()["totals"]["duplicate"], 3);
  ASSERT_TRUE(testing::WaitUntil([&] { return Rows() == 5; })) << Rows();
}

// Each event's raw_metadata is its payload as posted, whatever the body's
// layout: queued as the body's own text (or, for what only nlohmann reads,
// written from the value).
TEST_F(BatchEndToEndTest, EachEventsPayloadIsStoredAsPosted) {
  const std::string first =
      "{ \"tenant_id\": \"acme\", \"From\": \"+15551230001\",\n  \"To\": \"+15559870002\","
      " \"Body\": \"two\\nlines \\u00e9 \\\"q\\\"\", \"MessageSid\": \"SM-raw1\","
      " \"Extra\": {\"n\": [1, -2, 2.5e3, true, null]} }";
  const std::string second =
      R"({"tenant_id":"acme","From":"+15551230001","To":"+15559870002","Body":"hi",)"
      R"("MessageSid":"SM-raw2","Huge":123456789012345678901234567890})";
  for (const std::string& event : {first, second}) {
    const auto r = testing::HttpCall(pipeline_.port(), "POST", "/v1/ingest/sms/batch",
                                     "{\"events\": [\n" + event + "\n]}", "application/json");
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(r.Json()["totals"]["accepted"], 1) << r.body;
  }
  ASSERT_TRUE(testing::WaitUntil([&] { return Rows() == 2; })) << Rows();
  const auto stored_as = [&](const std::string& sid, const std::string& payload) {
    pqxx::connection c(pipeline_.database_url());
    pqxx::nontransaction tx(c);
    return tx
        .exec_params(
            "SELECT raw_metadata = $2::jsonb FROM conversation_events "
            "WHERE provider_message_id = $1",
            sid, payload)[0][0]
        .as<bool>();
  };
  EXPECT_TRUE(stored_as("SM-raw1", first));
  // Its batch went to nlohmann's reader, which holds the integer as a
  // double; the event's text keeps every digit.
  EXPECT_TRUE(stored_as("SM-raw2", second));
  EXPECT_FALSE(stored_as("SM-raw2", json::parse(second).dump()));
}

TEST_F(BatchEndToEndTest, RedisDownIs503WithEveryValidEventUnavailable) {
  pipeline_.redis().Stop();
  json invalid = SmsPayload("SM-x");
  invalid.erase("To");
  const auto r = PostBatch(Batch({SmsPayload("SM-y"), invalid}));
  ASSERT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(r.Json()["results"][0]["status"], "unavailable");
  EXPECT_EQ(r.Json()["results"][1]["status"], "rejected");
  EXPECT_TRUE(r.headers.contains("Retry-After"));
}

}  // namespace
}  // namespace mccig
