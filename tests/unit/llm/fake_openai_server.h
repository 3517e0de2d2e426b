// The LLM tests' view of the loopback test server (unit/common/loopback_http_server.h): a scripted
// OpenAI-compatible chat-completions endpoint; tests assert the recorded request shape (the body
// is read, Content-Length) and the replies are JSON.
#pragma once
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "../common/loopback_http_server.h"
#include "util/json.h"

namespace cgtest {

using FakeRequest = LoopbackRequest;

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
  explicit FakeOpenAiServer(Handler handler)
      : server_([handler = std::move(handler)](const LoopbackRequest& r, int index) {
          FakeReply x = handler(r, index);
          return LoopbackReply{x.status, "application/json", x.body, x.headers, x.delayMs};
        }) {}
  // Replies with the scripted replies in order; the last one repeats.
  explicit FakeOpenAiServer(std::vector<FakeReply> script)
      : FakeOpenAiServer([script](const FakeRequest&, int index) {
          return script[std::min<size_t>(static_cast<size_t>(index), script.size() - 1)];
        }) {}
  std::string base() const { return server_.origin() + "/v1"; }
  std::vector<FakeRequest> requests() { return server_.requests(); }
  int maxConcurrent() const { return server_.maxConcurrent(); }

 private:
  LoopbackHttpServer server_;
};

}  // namespace cgtest
