// A scripted OpenAI-compatible HTTP server on 127.0.0.1 for LLM tests. Unlike the crawler tests'
// TestHttpServer (which ignores request bodies) it reads the request body (Content-Length) so tests
// can assert the chat-completions request shape. One thread per connection, Connection: close.
#pragma once
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "util/json.h"

namespace cgtest {

struct FakeRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  cg::OrderedJson json() const { return cg::OrderedJson::parse(body, nullptr, false); }
};

struct FakeReply {
  int status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  int delayMs = 0;
};

// A chat completion whose message content is `content`, with usage figures.
inline FakeReply chatReply(const std::string& content, int promptTokens = 11, int completionTokens = 7) {
  cg::OrderedJson j = {{"id", "chatcmpl-test"},
                       {"object", "chat.completion"},
                       {"choices", cg::OrderedJson::array({{{"index", 0},
                                                             {"message", {{"role", "assistant"}, {"content", content}}},
                                                             {"finish_reason", "stop"}}})},
                       {"usage",
                        {{"prompt_tokens", promptTokens},
                         {"completion_tokens", completionTokens},
                         {"total_tokens", promptTokens + completionTokens}}}};
  return FakeReply{200, j.dump(), {}, 0};
}

class FakeOpenAiServer {
 public:
  using Handler = std::function<FakeReply(const FakeRequest& request, int index)>;
  explicit FakeOpenAiServer(Handler handler) : handler_(std::move(handler)) {
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
  // Replies with the scripted replies in order; the last one repeats.
  explicit FakeOpenAiServer(std::vector<FakeReply> script)
      : FakeOpenAiServer([script](const FakeRequest&, int index) {
          return script[std::min<size_t>(static_cast<size_t>(index), script.size() - 1)];
        }) {}
  ~FakeOpenAiServer() {
    stop_ = true;
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    acceptor_.join();
    std::lock_guard<std::mutex> l(mu_);
    for (auto& t : workers_) t.join();
  }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }
  std::vector<FakeRequest> requests() {
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
    FakeRequest r;
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
    FakeReply reply = handler_(r, index);
    if (reply.delayMs > 0) std::this_thread::sleep_for(std::chrono::milliseconds(reply.delayMs));
    --concurrent_;
    std::string out = "HTTP/1.1 " + std::to_string(reply.status) +
                      " X\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(reply.body.size()) +
                      "\r\nConnection: close\r\n";
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
  std::vector<FakeRequest> requests_;
};

}  // namespace cgtest
