// A tiny HTTP/1.1 server on 127.0.0.1 for crawler tests (one thread per connection, Connection:
// close). Handlers map a request target to a response; every request is recorded.
#pragma once
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cgtest {
struct HttpReply {
  int status = 200;
  std::string contentType = "text/html; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  int delayMs = 0;
};

class TestHttpServer {
 public:
  using Handler = std::function<HttpReply(const std::string& target, const std::map<std::string, std::string>& headers)>;
  explicit TestHttpServer(Handler h) : handler_(std::move(h)) {
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
  ~TestHttpServer() {
    stop_ = true;
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    acceptor_.join();
    std::lock_guard<std::mutex> l(mu_);
    for (auto& t : workers_) t.join();
  }
  int port() const { return port_; }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<std::string> requests() {
    std::lock_guard<std::mutex> l(mu_);
    return requests_;
  }
  std::map<std::string, std::string> lastHeaders(const std::string& target) {
    std::lock_guard<std::mutex> l(mu_);
    return headersByTarget_[target];
  }

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
    char buf[4096];
    while (req.find("\r\n\r\n") == std::string::npos) {
      ssize_t n = recv(c, buf, sizeof(buf), 0);
      if (n <= 0) {
        close(c);
        return;
      }
      req.append(buf, static_cast<size_t>(n));
    }
    std::string line = req.substr(0, req.find("\r\n"));
    size_t s1 = line.find(' '), s2 = line.rfind(' ');
    std::string target = line.substr(s1 + 1, s2 - s1 - 1);
    std::map<std::string, std::string> headers;
    size_t pos = req.find("\r\n") + 2;
    while (pos < req.size()) {
      size_t eol = req.find("\r\n", pos);
      if (eol == std::string::npos || eol == pos) break;
      std::string h = req.substr(pos, eol - pos);
      size_t colon = h.find(':');
      if (colon != std::string::npos) {
        std::string k = h.substr(0, colon);
        for (auto& ch : k) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        std::string v = h.substr(colon + 1);
        while (!v.empty() && v.front() == ' ') v.erase(0, 1);
        headers[k] = v;
      }
      pos = eol + 2;
    }
    {
      std::lock_guard<std::mutex> l(mu_);
      requests_.push_back(target);
      headersByTarget_[target] = headers;
    }
    HttpReply r = handler_(target, headers);
    if (r.delayMs > 0) std::this_thread::sleep_for(std::chrono::milliseconds(r.delayMs));
    std::string out = "HTTP/1.1 " + std::to_string(r.status) + " X\r\nContent-Type: " + r.contentType +
                      "\r\nContent-Length: " + std::to_string(r.body.size()) + "\r\nConnection: close\r\n";
    for (auto& [k, v] : r.headers) out += k + ": " + v + "\r\n";
    out += "\r\n" + r.body;
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
  std::thread acceptor_;
  std::mutex mu_;
  std::vector<std::thread> workers_;
  std::vector<std::string> requests_;
  std::map<std::string, std::map<std::string, std::string>> headersByTarget_;
};
}  // namespace cgtest
