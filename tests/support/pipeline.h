// pipeline.h — the whole ingest path in one test process: a private Redis,
// a fresh database on the scripts' PostgreSQL, the real admission script,
// the HTTP server with the bundled plugins, the stream server and the
// worker. For end-to-end tests that count rows.
#pragma once

#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <pqxx/nontransaction>

#include "admission/redis_admission.h"
#include "http/http_server.h"
#include "queue/stream_queue.h"
#include "store/migrations.h"
#include "store/pg_event_store.h"
#include "stream/stream_server.h"
#include "support/plugins.h"
#include "support/postgres.h"
#include "support/redis_server.h"
#include "worker/worker.h"

namespace mccig::testing {

struct PipelineOptions {
  admission::AdmissionSettings admission{};
  stream::StreamOptions stream{};
  const auth::Authenticator* auth = nullptr;
};

class Pipeline {
 public:
  explicit Pipeline(PipelineOptions options = {}) {
    pqxx::connection db(database_.url());
    if (!store::Migrate(db)) throw std::runtime_error("migrations failed");
    pool_ = std::make_unique<redis::Pool>(redis::ParseRedisUrl(redis_.url()).value(),
                                          redis::PoolOptions{.size = 8});
    queue_ = std::make_unique<queue::StreamQueue>(*pool_);
    admission_ = std::make_unique<admission::RedisAdmission>(*pool_, options.admission);
    context_.registry.store(BundledRegistry());
    context_.admission = admission_.get();
    context_.auth = options.auth;
    context_.metrics = &metrics_;
    stream_ = std::make_unique<stream::StreamServer>(context_, options.stream);
    context_.stream = stream_.get();
    server_ =
        std::make_unique<http::HttpServer>(http::ServerOptions{.port = 0, .threads = 4}, context_);
    server_->Start();
    const std::string url = database_.url();
    worker_ =
        std::make_unique<worker::Worker>(*queue_, store::PgEventStores(url, 1, 1),
                                         worker::WorkerOptions{.concurrency = 1, .block_ms = 100});
    worker_->Start();
  }
  ~Pipeline() {
    worker_->Stop();
    server_->Stop();
    stream_->Stop();
  }

  uint16_t port() const { return server_->port(); }
  int64_t Sql(const std::string& query) {
    pqxx::connection c(database_.url());
    return pqxx::nontransaction(c).exec(query)[0][0].as<int64_t>();
  }
  int64_t Rows() { return Sql("SELECT COUNT(*) FROM conversation_events"); }
  std::string database_url() const { return database_.url(); }

  RedisServer& redis() { return redis_; }
  admission::RedisAdmission& admission() { return *admission_; }
  stream::StreamServer& stream() { return *stream_; }

 private:
  RedisServer redis_;
  TestDatabase database_;
  std::unique_ptr<redis::Pool> pool_;
  std::unique_ptr<queue::StreamQueue> queue_;
  std::unique_ptr<admission::RedisAdmission> admission_;
  ops::Metrics metrics_{std::set<std::string>{"acme", "globex"}};
  http::ServerContext context_;
  std::unique_ptr<stream::StreamServer> stream_;
  std::unique_ptr<http::HttpServer> server_;
  std::unique_ptr<worker::Worker> worker_;
};

}  // namespace mccig::testing
