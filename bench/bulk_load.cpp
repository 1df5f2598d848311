// bulk_load.cpp — load for the bulk ingest APIs against a running gateway
// (bench/run_bulk starts one). Two modes:
//
//   bulk_load batch PORT KEY SECONDS CONNECTIONS [BATCH [REDIS_URL MAX_BACKLOG]]
//     POSTs BATCH-event (default 1000) batches of distinct SMS events to
//     /v1/ingest/sms/batch from CONNECTIONS keep-alive connections for
//     SECONDS; prints {"accepted":…, "seconds":…, "events_per_second":…}.
//     With REDIS_URL and MAX_BACKLOG, a connection sends only while the
//     events queued and not yet stored (the gateway's own count, read from
//     that Redis) are at most MAX_BACKLOG: the load the worker keeps up
//     with, rather than all the gateway can admit.
//   bulk_load idle-ws PORT KEY CONNECTIONS HOLD_SECONDS
//     opens CONNECTIONS WebSockets to /v1/stream on one event loop, holds
//     them HOLD_SECONDS (the caller reads the gateway's memory meanwhile),
//     then checks that each still answers a heartbeat; prints
//     {"opened":…, "answered":…}.
//
// Every event id is distinct across runs (a random prefix), so nothing is a
// duplicate; the tenant must have a rate limit above the offered load.
#include <sys/resource.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <cstring>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

#include "queue/queue_keys.h"
#include "redis/redis_pool.h"
#include "redis/redis_url.h"

namespace {

using Clock = std::chrono::steady_clock;

std::string RunPrefix() {
  std::random_device random;
  return "B" + std::to_string(random() % 1'000'000'000) + "-";
}

// One batch body: `count` events numbered from `first`.
std::string BatchBody(const std::string& prefix, int64_t first, int count) {
  std::string body = R"({"events":[)";
  body.reserve(static_cast<std::size_t>(count) * 220);
  for (int i = 0; i < count; ++i) {
    if (i > 0) body += ',';
    body +=
        R"({"From":"+15551230001","To":"+15559870002","Body":"Hi, is my order on its way? It has not moved since Friday.","MessageSid":")";
    body += prefix + std::to_string(first + i);
    body += R"("})";
  }
  body += "]}";
  return body;
}

// The answer's totals.accepted, or -1. Read without parsing the thousand
// results before it: the load generator shares the gateway's cores.
int64_t AcceptedIn(std::string_view answer) {
  const std::size_t totals = answer.rfind(R"("totals":{)");
  if (totals == std::string_view::npos) return -1;
  const std::size_t key = answer.find(R"("accepted":)", totals);
  if (key == std::string_view::npos) return -1;
  const char* begin = answer.data() + key + std::strlen(R"("accepted":)");
  int64_t count = -1;
  std::from_chars(begin, answer.data() + answer.size(), count);
  return count;
}

// How many events the gateway has queued and not yet stored; waits while
// that is above `max_backlog`. Null when there is no bound.
class BacklogGate {
 public:
  BacklogGate(const std::string& redis_url, int64_t max_backlog) : max_backlog_(max_backlog) {
    if (redis_url.empty()) return;
    pool_ = std::make_unique<mccig::redis::Pool>(mccig::redis::ParseRedisUrl(redis_url).value(),
                                                 mccig::redis::PoolOptions{.size = 8});
  }
  void WaitForRoom(Clock::time_point deadline) {
    if (!pool_) return;
    while (Clock::now() < deadline && Backlog() > max_backlog_) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }

 private:
  int64_t Backlog() {
    auto lease = pool_->Acquire();
    if (!lease) return 0;
    auto reply = lease.value().Command({"GET", mccig::queue::kQueuedEventsKey});
    if (!reply || reply.value()->type != REDIS_REPLY_STRING) return 0;
    return std::stoll(reply.value()->str);
  }

  int64_t max_backlog_;
  std::unique_ptr<mccig::redis::Pool> pool_;
};

int Batch(uint16_t port, const std::string& key, double seconds, int connections, int size,
          BacklogGate& gate) {
  const std::string prefix = RunPrefix();
  std::atomic<int64_t> next{0}, accepted{0}, failed{0};
  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                           std::chrono::duration<double>(seconds));
  const auto started = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < connections; ++c) {
    threads.emplace_back([&] {
      Poco::Net::HTTPClientSession session("127.0.0.1", port);
      session.setTimeout(Poco::Timespan(30, 0));
      while (Clock::now() < deadline) {
        gate.WaitForRoom(deadline);
        if (Clock::now() >= deadline) break;
        const std::string body = BatchBody(prefix, next.fetch_add(size), size);
        Poco::Net::HTTPRequest request("POST", "/v1/ingest/sms/batch",
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        request.setContentType("application/json");
        request.set("Authorization", "Bearer " + key);
        request.setContentLength(static_cast<std::streamsize>(body.size()));
        session.sendRequest(request) << body;
        Poco::Net::HTTPResponse response;
        std::istream& in = session.receiveResponse(response);
        std::string answer;
        Poco::StreamCopier::copyToString(in, answer);
        const int64_t count = AcceptedIn(answer);
        if (response.getStatus() != 200 || count < 0) {
          failed.fetch_add(1);
          continue;
        }
        accepted.fetch_add(count);
      }
    });
  }
  for (auto& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
  std::cout << nlohmann::json{{"accepted", accepted.load()},
                              {"failed_requests", failed.load()},
                              {"seconds", elapsed},
                              {"events_per_second", static_cast<double>(accepted) / elapsed}}
            << "\n";
  return failed.load() == 0 ? 0 : 1;
}

namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using tcp = boost::asio::ip::tcp;
using Ws = websocket::stream<beast::tcp_stream>;

void RaiseDescriptorLimit() {
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
}

int IdleWebSockets(uint16_t port, const std::string& key, int count, int hold_seconds) {
  RaiseDescriptorLimit();
  boost::asio::io_context io;
  std::vector<std::unique_ptr<Ws>> sockets;
  std::atomic<int> opened{0}, answered{0};
  const tcp::endpoint endpoint(boost::asio::ip::make_address("127.0.0.1"), port);
  // Open in waves of 100, like clients arriving, so the gateway's accept
  // queue never reaches its shedding depth; a refused one tries again in a
  // later wave (three tries in all).
  constexpr int kWave = 100;
  std::vector<int> to_open(count);
  std::vector<int> tries(count, 0);
  for (int i = 0; i < count; ++i) to_open[i] = i;
  sockets.resize(count);
  while (!to_open.empty()) {
    std::vector<int> failed;
    for (std::size_t first = 0; first < to_open.size(); first += kWave) {
      std::vector<int> wave(to_open.begin() + first,
                            to_open.begin() + std::min(to_open.size(), first + kWave));
      for (int i : wave) {
        sockets[i] = std::make_unique<Ws>(io);
        Ws* raw = sockets[i].get();
        raw->set_option(websocket::stream_base::decorator(
            [key](websocket::request_type& r) { r.set("Authorization", "Bearer " + key); }));
        beast::get_lowest_layer(*raw).async_connect(
            endpoint, [raw, i, port, &opened, &failed](beast::error_code ec) {
              if (ec) {
                failed.push_back(i);
                return;
              }
              raw->async_handshake("127.0.0.1:" + std::to_string(port), "/v1/stream",
                                   [i, &opened, &failed](beast::error_code ec) {
                                     if (ec)
                                       failed.push_back(i);
                                     else
                                       opened.fetch_add(1);
                                   });
            });
      }
      io.run();
      io.restart();
    }
    to_open.clear();
    for (int i : failed) {
      if (++tries[i] < 3) to_open.push_back(i);
    }
  }
  std::cout << "{\"opened\":" << opened.load() << ",\"holding_seconds\":" << hold_seconds << "}"
            << std::endl;
  std::this_thread::sleep_for(std::chrono::seconds(hold_seconds));
  auto buffers = std::make_shared<std::vector<beast::flat_buffer>>(sockets.size());
  static const std::string kHeartbeat = R"({"type":"heartbeat","id":1})";
  for (std::size_t i = 0; i < sockets.size(); ++i) {
    Ws* raw = sockets[i].get();
    if (!raw->is_open()) continue;
    raw->async_write(boost::asio::buffer(kHeartbeat), [raw, i, buffers, &answered](
                                                          beast::error_code ec, std::size_t) {
      if (ec) return;
      raw->async_read((*buffers)[i], [&answered](beast::error_code ec, std::size_t) {
        if (!ec) answered.fetch_add(1);
      });
    });
  }
  io.run_for(std::chrono::seconds(30));
  std::cout << nlohmann::json{{"opened", opened.load()}, {"answered", answered.load()}} << "\n";
  return answered.load() == count ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() >= 5 && args[0] == "batch") {
    BacklogGate gate(args.size() > 7 ? args[6] : "", args.size() > 7 ? std::stoll(args[7]) : 0);
    return Batch(static_cast<uint16_t>(std::stoi(args[1])), args[2], std::stod(args[3]),
                 std::stoi(args[4]), args.size() > 5 ? std::stoi(args[5]) : 1000, gate);
  }
  if (args.size() == 5 && args[0] == "idle-ws") {
    return IdleWebSockets(static_cast<uint16_t>(std::stoi(args[1])), args[2], std::stoi(args[3]),
                          std::stoi(args[4]));
  }
  std::cerr << "usage: bulk_load batch PORT KEY SECONDS CONNECTIONS [BATCH [REDIS_URL "
               "MAX_BACKLOG]]\n"
               "       bulk_load idle-ws PORT KEY CONNECTIONS HOLD_SECONDS\n";
  return 2;
}
