// A small HTTP/1.1 server on 127.0.0.1 for tests and benchmarks that stand in for services we do not
// ship (web sites, search engines, LLM providers). One thread per connection, Connection: close.
// It reads the whole request (headers and a Content-Length body), records it, asks the handler for
// the reply, and tracks how many requests were being answered at the same time.
#pragma once
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "util/json.h"

namespace cgtest {

struct LoopbackRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  cg::OrderedJson json() const { return cg::OrderedJson::parse(body, nullptr, false); }
};

struct LoopbackReply {
  int status = 200;
  std::string contentType = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  int delayMs = 0;  // waited before answering, like a slow service
};

class LoopbackHttpServer {
 public:
  // `index` counts the requests from 0 in arrival order.
  using Handler = std::function<LoopbackReply(const LoopbackRequest& request, int index)>;

  explicit LoopbackHttpServer(Handler handler) : handler_(std::move(handler)) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a));
    listen(fd_, 64);
    socklen_t len = sizeof(a);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    acceptor_ = std::thread([this] { acceptLoop(); });
  }
  ~LoopbackHttpServer() {
    stop_ = true;
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    acceptor_.join();
    std::lock_guard<std::mutex> l(mu_);
    for (auto& t : workers_) t.join();
  }
  LoopbackHttpServer(const LoopbackHttpServer&) = delete;
  LoopbackHttpServer& operator=(const LoopbackHttpServer&) = delete;

  int port() const { return port_; }
  std::string origin() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<LoopbackRequest> requests() {
    std::lock_guard<std::mutex> l(mu_);
    return requests_;
  }
  int maxConcurrent() const { return maxConcurrent_; }

 private:
  void acceptLoop() {
    while (!stop_) {
      int c = accept(fd_, nullptr, nullptr);
      if (c < 0) {
        if (stop_) return;
        continue;
      }
      std::lock_guard<std::mutex> l(mu_);
      workers_.emplace_back([this, c] { serve(c); });
    }
  }

  void serve(int c) {
    std::string req;
    char buf[8192];
    size_t headerEnd;
    while ((headerEnd = req.find("\r\n\r\n")) == std::string::npos) {
      ssize_t n = recv(c, buf, sizeof(buf), 0);
      if (n <= 0) {
        close(c);
        return;
      }
      req.append(buf, static_cast<size_t>(n));
    }
    LoopbackRequest r;
    std::string line = req.substr(0, req.find("\r\n"));
    size_t s1 = line.find(' '), s2 = line.rfind(' ');
    r.method = line.substr(0, s1);
    r.target = line.substr(s1 + 1, s2 - s1 - 1);
    size_t pos = req.find("\r\n") + 2;
    while (pos < headerEnd) {
      size_t eol = req.find("\r\n", pos);
      std::string h = req.substr(pos, eol - pos);
      size_t colon = h.find(':');
      if (colon != std::string::npos) {
        std::string k = h.substr(0, colon);
        for (auto& ch : k) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        std::string v = h.substr(colon + 1);
        while (!v.empty() && v.front() == ' ') v.erase(0, 1);
        r.headers[k] = v;
      }
      pos = eol + 2;
    }
    size_t length = r.headers.count("content-length") ? std::stoul(r.headers["content-length"]) : 0;
    r.body = req.substr(headerEnd + 4);
    while (r.body.size() < length) {
      ssize_t n = recv(c, buf, sizeof(buf), 0);
      if (n <= 0) break;
      r.body.append(buf, static_cast<size_t>(n));
    }
    int index;
    {
      std::lock_guard<std::mutex> l(mu_);
      index = static_cast<int>(requests_.size());
      requests_.push_back(r);
    }
    int now = ++concurrent_;
    int seen = maxConcurrent_.load();
    while (now > seen && !maxConcurrent_.compare_exchange_weak(seen, now)) {
    }
    LoopbackReply reply = handler_(r, index);
    if (reply.delayMs > 0) std::this_thread::sleep_for(std::chrono::milliseconds(reply.delayMs));
    --concurrent_;
    std::string out = "HTTP/1.1 " + std::to_string(reply.status) + " X\r\nContent-Type: " + reply.contentType +
                      "\r\nContent-Length: " + std::to_string(reply.body.size()) + "\r\nConnection: close\r\n";
    for (auto& [k, v] : reply.headers) out += k + ": " + v + "\r\n";
    out += "\r\n" + reply.body;
    size_t sent = 0;
    while (sent < out.size()) {
      ssize_t n = send(c, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += static_cast<size_t>(n);
    }
    shutdown(c, SHUT_WR);
    while (recv(c, buf, sizeof(buf), 0) > 0) {
    }
    close(c);
  }

  Handler handler_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> concurrent_{0};
  std::atomic<int> maxConcurrent_{0};
  std::thread acceptor_;
  std::mutex mu_;
  std::vector<std::thread> workers_;
  std::vector<LoopbackRequest> requests_;
};

}  // namespace cgtest
