// bulk_load.cpp — load for the bulk ingest APIs against a running gateway
// (bench/run_bulk starts one). Two modes:
//
//   bulk_load batch PORT KEY SECONDS CONNECTIONS [BATCH]
//     POSTs BATCH-event (default 1000) batches of distinct SMS events to
//     /v1/ingest/sms/batch from CONNECTIONS keep-alive connections for
//     SECONDS; prints {"accepted":…, "seconds":…, "events_per_second":…}.
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
#include <chrono>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

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

int Batch(uint16_t port, const std::string& key, double seconds, int connections, int size) {
  const std::string prefix = RunPrefix();
  std::atomic<int64_t> next{0}, accepted{0}, failed{0};
  const auto deadline = Clock::now() + std::chrono::duration<double>(seconds);
  const auto started = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < connections; ++c) {
    threads.emplace_back([&] {
      Poco::Net::HTTPClientSession session("127.0.0.1", port);
      session.setTimeout(Poco::Timespan(30, 0));
      while (Clock::now() < deadline) {
        const std::string body = BatchBody(prefix, next.fetch_add(size), size);
        Poco::Net::HTTPRequest request("POST", "/v1/ingest/sms/batch",
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        request.setContentType("application/json");
        request.set("Authorization", "Bearer " + key);
        request.setContentLength(static_cast<std::streamsize>(body.size()));
        session.sendRequest(request) << body;
        Poco::Net::HTTPResponse response;
        std::istream& in = session.receiveResponse(response);
        const nlohmann::json answer = nlohmann::json::parse(in, nullptr, false);
        if (response.getStatus() != 200 || answer.is_discarded()) {
          failed.fetch_add(1);
          continue;
        }
        accepted.fetch_add(answer["totals"]["accepted"].get<int64_t>());
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
    return Batch(static_cast<uint16_t>(std::stoi(args[1])), args[2], std::stod(args[3]),
                 std::stoi(args[4]), args.size() > 5 ? std::stoi(args[5]) : 1000);
  }
  if (args.size() == 5 && args[0] == "idle-ws") {
    return IdleWebSockets(static_cast<uint16_t>(std::stoi(args[1])), args[2], std::stoi(args[3]),
                          std::stoi(args[4]));
  }
  std::cerr << "usage: bulk_load batch PORT KEY SECONDS CONNECTIONS [BATCH]\n"
               "       bulk_load idle-ws PORT KEY CONNECTIONS HOLD_SECONDS\n";
  return 2;
}
