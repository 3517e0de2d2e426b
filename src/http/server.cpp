#include "http/server.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <array>
#include <functional>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include "util/log.h"
#include "util/strings.h"

namespace cg::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {
struct Connection {
  beast::tcp_stream stream;
  std::atomic<bool> busy{false};
  explicit Connection(tcp::socket s) : stream(std::move(s)) {}
};

bhttp::response<bhttp::string_body> toBeast(const Response& r, unsigned version, bool keepAlive, bool head) {
  bhttp::response<bhttp::string_body> res;
  res.version(version);
  res.result(static_cast<unsigned>(r.status));
  res.set(bhttp::field::server, "connector-gen");
  if (!r.contentType.empty()) res.set(bhttp::field::content_type, r.contentType);
  for (const auto& [k, v] : r.headers) res.insert(k, v);
  res.keep_alive(keepAlive);
  if (r.status == 204 || r.status == 304 || (r.status >= 100 && r.status < 200)) {
    // no body
  } else if (head) {
    res.content_length(r.body.size());
  } else {
    res.body() = r.body;
    res.prepare_payload();
  }
  return res;
}

Response limitResponse(int status, const std::string& detail) {
  Response r = Response::json(status, Json{{"detail", detail}});
  return r;
}
}  // namespace

struct HttpServer::Impl {
  const Dispatcher& dispatcher;
  ServerOptions opts;
  // One io_context per io thread (each run by exactly one thread, so handlers never contend on a
  // shared scheduler); the acceptor lives on the first and hands connections out round-robin.
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  asio::io_context& ioc;
  tcp::acceptor acceptor{ioc};
  asio::signal_set signals{ioc, SIGINT, SIGTERM};
  size_t nextContext = 0;
  std::function<void()> releaseGuards;  // set by run(); lets idle io threads end after shutdown
  std::once_flag released;

  // Called with `mu` held once stopping: when no connection is left, the io threads may end.
  void maybeRelease() {
    if (stopping && connections.empty() && releaseGuards) std::call_once(released, releaseGuards);
  }
  std::atomic<bool> stopping{false};
  std::mutex mu;
  std::set<std::shared_ptr<Connection>> connections;
  uint16_t port = 0;

  static std::vector<std::unique_ptr<asio::io_context>> makeContexts(int n) {
    std::vector<std::unique_ptr<asio::io_context>> v;
    for (int k = 0; k < n; ++k) v.push_back(std::make_unique<asio::io_context>(1));
    return v;
  }
  static int threadCount(const ServerOptions& o) {
    return o.ioThreads > 0 ? o.ioThreads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }
  Impl(const Dispatcher& d, ServerOptions o)
      : dispatcher(d), opts(std::move(o)), contexts(makeContexts(threadCount(opts))), ioc(*contexts[0]) {}

  void closeIdle() {
    std::lock_guard lock(mu);
    maybeRelease();
    for (auto& c : connections)
      if (!c->busy) {
        auto conn = c;
        asio::post(conn->stream.get_executor(), [conn] {
          beast::error_code ec;
          conn->stream.socket().shutdown(tcp::socket::shutdown_both, ec);
          conn->stream.socket().close(ec);
        });
      }
  }

  void beginStop() {
    if (stopping.exchange(true)) return;
    asio::post(ioc, [this] {
      beast::error_code ec;
      acceptor.close(ec);
      signals.cancel(ec);
      closeIdle();
    });
  }

  asio::awaitable<void> acceptLoop() {
    while (!stopping) {
      asio::io_context& target = *contexts[nextContext++ % contexts.size()];
      auto [ec, socket] = co_await acceptor.async_accept(target, asio::as_tuple(asio::use_awaitable));
      if (ec) {
        if (stopping || ec == asio::error::operation_aborted) break;
        log::warn("accept failed", {{"error", ec.message()}});
        continue;
      }
      socket.set_option(tcp::no_delay(true), ec);
      auto conn = std::make_shared<Connection>(std::move(socket));
      {
        std::lock_guard lock(mu);
        connections.insert(conn);
      }
      auto exec = conn->stream.get_executor();
      asio::co_spawn(exec, serve(conn), asio::detached);
    }
  }

  asio::awaitable<void> writeResponse(std::shared_ptr<Connection> conn, const Response& r, unsigned version,
                                      bool keepAlive, bool head) {
    auto res = toBeast(r, version, keepAlive, head);
    conn->stream.expires_after(std::chrono::seconds(opts.bodyTimeoutSeconds));
    if (head) {
      bhttp::response_serializer<bhttp::string_body> sr(res);
      sr.split(true);
      co_await bhttp::async_write_header(conn->stream, sr, asio::as_tuple(asio::use_awaitable));
    } else {
      co_await bhttp::async_write(conn->stream, res, asio::as_tuple(asio::use_awaitable));
    }
  }

  asio::awaitable<void> serve(std::shared_ptr<Connection> conn) {
    beast::flat_buffer buffer;
    bool first = true;
    while (!stopping) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(opts.maxHeaderBytes);
      parser.body_limit(opts.maxBodyBytes);
      conn->stream.expires_after(std::chrono::seconds(first ? opts.headerTimeoutSeconds : opts.keepAliveSeconds));
      auto [ec, n] = co_await bhttp::async_read_header(conn->stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
      first = false;
      if (ec) {
        if (ec == bhttp::error::header_limit) {
          co_await writeResponse(conn, limitResponse(431, "Request headers are too large."), 11, false, false);
          co_await lingeringClose(conn);
        } else if (ec == bhttp::error::body_limit) {  // Content-Length above the limit
          co_await writeResponse(conn, bodyTooLarge(), 11, false, false);
          co_await lingeringClose(conn);
        }
        else if (ec != bhttp::error::end_of_stream && ec != beast::error::timeout && ec != asio::error::eof &&
                 ec != asio::error::operation_aborted && ec != asio::error::connection_reset &&
                 ec != asio::error::bad_descriptor && buffer.size() > 0) {
          co_await writeResponse(conn, limitResponse(400, "Malformed HTTP request: " + ec.message()), 11, false, false);
          co_await lingeringClose(conn);
        }
        break;
      }
      conn->busy = true;
      auto& hdr = parser.get();
      unsigned version = hdr.version();
      bool head = hdr.method() == bhttp::verb::head;
      // Reject oversized bodies before reading them.
      if (auto len = parser.content_length(); len && *len > opts.maxBodyBytes) {
        co_await writeResponse(conn, bodyTooLarge(), version, false, head);
        co_await lingeringClose(conn);
        break;
      }
      if (auto expect = hdr[bhttp::field::expect]; iequals(std::string(expect), "100-continue")) {
        bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, version};
        co_await bhttp::async_write(conn->stream, cont, asio::as_tuple(asio::use_awaitable));
      }
      conn->stream.expires_after(std::chrono::seconds(opts.bodyTimeoutSeconds));
      auto [ec2, n2] = co_await bhttp::async_read(conn->stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
      if (ec2) {
        if (ec2 == bhttp::error::body_limit) {
          co_await writeResponse(conn, bodyTooLarge(), version, false, head);
          co_await lingeringClose(conn);
        }
        else if (ec2 == beast::error::timeout)
          co_await writeResponse(conn, limitResponse(408, "Timed out reading the request body."), version, false, head);
        else if (ec2 != asio::error::eof && ec2 != bhttp::error::end_of_stream && ec2 != asio::error::connection_reset)
          co_await writeResponse(conn, limitResponse(400, "Malformed HTTP request: " + ec2.message()), version, false,
                                 head);
        break;
      }
      auto msg = parser.release();
      Request req;
      req.method = std::string(msg.method_string());
      req.target = std::string(msg.target());
      parseTarget(req.target, req.path, req.query);
      for (const auto& f : msg) req.headers.emplace_back(toLower(f.name_string()), std::string(f.value()));
      req.body = std::move(msg.body());
      beast::error_code epEc;
      auto ep = conn->stream.socket().remote_endpoint(epEc);
      if (!epEc) req.remoteAddress = ep.address().to_string();
      Response res = dispatcher.dispatch(req);
      bool keepAlive = msg.keep_alive() && !stopping;
      co_await writeResponse(conn, res, version, keepAlive, head);
      conn->busy = false;
      if (!keepAlive) break;
    }
    beast::error_code ec;
    conn->stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    conn->stream.socket().close(ec);
    std::lock_guard lock(mu);
    connections.erase(conn);
    maybeRelease();
  }

  // After answering an error without reading the whole request, read and discard what the client
  // is still sending (bounded in bytes and time) so closing does not reset the connection before
  // the client has read our response.
  asio::awaitable<void> lingeringClose(std::shared_ptr<Connection> conn) {
    beast::error_code ec;
    conn->stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    conn->stream.expires_after(std::chrono::seconds(2));
    std::array<char, 16384> sink;
    size_t total = 0;
    while (total < (64u << 20)) {
      auto [rec, n] = co_await conn->stream.async_read_some(asio::buffer(sink), asio::as_tuple(asio::use_awaitable));
      if (rec) break;
      total += n;
    }
  }

  Response bodyTooLarge() const {
    return limitResponse(413, "Request body is too large (limit " + std::to_string(opts.maxBodyBytes) + " bytes).");
  }
};

HttpServer::HttpServer(const Dispatcher& dispatcher, ServerOptions options)
    : impl_(std::make_unique<Impl>(dispatcher, std::move(options))) {}
HttpServer::~HttpServer() = default;

void HttpServer::bind() {
  auto& i = *impl_;
  beast::error_code ec;
  auto address = asio::ip::make_address(i.opts.host, ec);
  if (ec) throw std::runtime_error("invalid listen address '" + i.opts.host + "': " + ec.message());
  tcp::endpoint ep{address, i.opts.port};
  i.acceptor.open(ep.protocol(), ec);
  if (!ec) i.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) i.acceptor.bind(ep, ec);
  if (!ec) i.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    throw std::runtime_error("cannot listen on " + i.opts.host + ":" + std::to_string(i.opts.port) + ": " + ec.message());
  i.port = i.acceptor.local_endpoint().port();
}

uint16_t HttpServer::boundPort() const { return impl_->port; }

void HttpServer::run(std::function<void()> onSignal) {
  auto& i = *impl_;
  i.signals.async_wait([&i, onSignal](const beast::error_code& ec, int sig) {
    if (ec) return;
    log::info("shutdown requested", {{"signal", sig}});
    if (onSignal) onSignal();
    i.beginStop();
  });
  asio::co_spawn(i.ioc, i.acceptLoop(), asio::detached);
  // The other contexts must not return while idle: keep them busy until shutdown.
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  for (size_t k = 1; k < i.contexts.size(); ++k) guards.push_back(asio::make_work_guard(*i.contexts[k]));
  {
    std::lock_guard lock(i.mu);
    i.releaseGuards = [&guards] { guards.clear(); };
  }
  std::vector<std::thread> threads;
  for (size_t k = 1; k < i.contexts.size(); ++k) threads.emplace_back([&i, k] { i.contexts[k]->run(); });
  i.contexts[0]->run();
  // The first context ends when accepting stopped and its connections are done; the guards of the
  // others are released once their connections have drained.
  for (auto& t : threads) t.join();
}

void HttpServer::stop() { impl_->beginStop(); }
}  // namespace cg::http
