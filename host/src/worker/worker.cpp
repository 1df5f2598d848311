// worker.cpp — see worker.h.
#include "worker/worker.h"

#include <unistd.h>

#include <spdlog/spdlog.h>

#include "log/logging.h"

namespace mccig::worker {

std::string ConsumerName(int index) {
  char host[256] = "localhost";
  gethostname(host, sizeof host - 1);
  return std::string(host) + ":" + std::to_string(getpid()) + ":" + std::to_string(index);
}

Worker::Worker(queue::StreamQueue& queue, StoreFactory make_store, WorkerOptions options)
    : queue_(queue), make_store_(std::move(make_store)), options_(options) {}

Worker::~Worker() {
  Stop();
}

void Worker::Start() {
  for (int i = 0; i < options_.concurrency + options_.backlog_consumers; ++i) {
    stores_.push_back(make_store_());
    consumers_.push_back(std::make_unique<Consumer>(ConsumerName(i), queue_, *stores_.back(),
                                                    options_, stats_, stop_,
                                                    /*backlog_only=*/i >= options_.concurrency));
  }
  for (auto& consumer : consumers_) {
    threads_.emplace_back([c = consumer.get(), i = threads_.size(), s = options_.scheduling] {
      log::NameThisThread(("worker-" + std::to_string(i)).c_str());
      if (const std::string failed = ScheduleThisThread(s); !failed.empty()) {
        spdlog::warn("worker: {}; it keeps the default policy", failed);
      }
      c->Run();
    });
  }
  spdlog::info(
      "worker: {} consumers on queue:conversations, {} more while a backlog lasts (batch {}, "
      "visibility {} ms, {} scheduling)",
      options_.concurrency, options_.backlog_consumers, options_.batch_size,
      options_.visibility_timeout_ms,
      options_.scheduling == ThreadScheduling::kBatch ? "batch" : "normal");
}

void Worker::Stop() {
  if (threads_.empty()) return;
  stop_.Stop();
  for (auto& t : threads_) t.join();
  threads_.clear();
  for (auto& consumer : consumers_) (void)queue_.RemoveConsumerIfIdle(consumer->name());
  spdlog::info("worker: stopped ({} stored, {} dead-lettered)", stats_.stored.load(),
               stats_.dead_lettered.load());
}

}  // namespace mccig::worker
