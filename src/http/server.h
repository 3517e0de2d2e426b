// HttpServer: asynchronous HTTP/1.1 server (Boost.Beast/Asio, C++20 coroutines) with keep-alive,
// N io threads, request-body and header limits (413/431 with JSON details), header/body read
// timeouts, and graceful shutdown: stop accepting, close idle connections, let in-flight requests
// finish. Every request goes through the Dispatcher.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http/dispatcher.h"

namespace cg::http {
struct ServerOptions {
  std::string host = "0.0.0.0";
  uint16_t port = 8090;
  int ioThreads = 0;                         // 0 → one per core
  uint64_t maxBodyBytes = 64ull << 20;       // 64 MiB
  uint32_t maxHeaderBytes = 64u << 10;
  int headerTimeoutSeconds = 30;
  int bodyTimeoutSeconds = 300;
  int keepAliveSeconds = 10;                 // idle time allowed between requests
};

class HttpServer {
 public:
  HttpServer(const Dispatcher& dispatcher, ServerOptions options);
  ~HttpServer();
  // Binds and listens; throws std::runtime_error with a clear message if the port is taken.
  void bind();
  uint16_t boundPort() const;
  // Runs io threads until stop() completes (blocks). SIGINT/SIGTERM call `onSignal` first if set,
  // then stop the server gracefully.
  void run(std::function<void()> onSignal = {});
  // Stops accepting, closes idle connections, waits for in-flight requests (thread-safe).
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};
}  // namespace cg::http
