#include "crawl/fetcher.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>
#include <mutex>

#include "util/strings.h"

namespace cg::crawl {
namespace {
void globalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}
}  // namespace

std::string mediaType(const std::string& contentType) {
  std::string t = contentType.substr(0, contentType.find(';'));
  return toLower(trim(t));
}

struct Fetcher::Transfer {
  Fetcher* owner = nullptr;
  CURL* easy = nullptr;
  FetchRequest request;
  FetchResult result;
  GuardDecision decision;
  std::string currentUrl;
  int redirectsFollowed = 0;
  curl_slist* headerList = nullptr;
  curl_slist* resolveList = nullptr;
  bool connectRefused = false;
  std::string refusedAddress;

  ~Transfer() {
    if (easy) curl_easy_cleanup(easy);
    if (headerList) curl_slist_free_all(headerList);
    if (resolveList) curl_slist_free_all(resolveList);
  }

  static size_t onWrite(char* data, size_t size, size_t n, void* user) {
    auto* t = static_cast<Transfer*>(user);
    size_t len = size * n;
    if (t->result.body.size() + len > t->request.maxBytes) {
      t->result.tooLarge = true;
      return 0;  // aborts the transfer (CURLE_WRITE_ERROR)
    }
    t->result.body.append(data, len);
    return len;
  }

  static size_t onHeader(char* data, size_t size, size_t n, void* user) {
    auto* t = static_cast<Transfer*>(user);
    size_t len = size * n;
    std::string_view line(data, len);
    if (startsWith(line, "HTTP/")) {  // a new response (e.g. after 100 Continue)
      t->result.contentType.clear();
      t->result.retryAfterSeconds.reset();
      return len;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) return len;
    std::string name = toLower(trim(line.substr(0, colon)));
    std::string value = trim(line.substr(colon + 1));
    if (name == "content-type") {
      t->result.contentType = value;
    } else if (name == "content-length") {
      try {
        if (!value.empty() && std::stoull(value) > t->request.maxBytes) {
          t->result.tooLarge = true;
          return 0;
        }
      } catch (const std::exception&) {
      }
    } else if (name == "retry-after") {
      try {
        int s = std::stoi(value);
        if (s >= 0) t->result.retryAfterSeconds = s;
      } catch (const std::exception&) {
      }
    }
    return len;
  }

  // Socket-level check: the address libcurl is about to connect to must be the pinned one or
  // otherwise acceptable to the guard.
  static curl_socket_t onOpenSocket(void* user, curlsocktype purpose, curl_sockaddr* addr) {
    auto* t = static_cast<Transfer*>(user);
    if (purpose != CURLSOCKTYPE_IPCXN) return CURL_SOCKET_BAD;
    if (!t->request.trusted && t->owner->guard_) {
      IpAddress ip;
      if (addr->family == AF_INET) {
        std::memcpy(ip.bytes.data(), &reinterpret_cast<sockaddr_in*>(&addr->addr)->sin_addr, 4);
      } else if (addr->family == AF_INET6) {
        ip.v6 = true;
        std::memcpy(ip.bytes.data(), &reinterpret_cast<sockaddr_in6*>(&addr->addr)->sin6_addr, 16);
      } else {
        t->connectRefused = true;
        return CURL_SOCKET_BAD;
      }
      if (!t->owner->guard_->connectAllowed(t->decision, ip)) {
        t->connectRefused = true;
        t->refusedAddress = ip.toString();
        return CURL_SOCKET_BAD;
      }
    }
    return socket(addr->family, addr->socktype, addr->protocol);
  }
};

Fetcher::Fetcher(FetcherOptions options, const UrlGuard* guard) : options_(std::move(options)), guard_(guard) {
  globalInit();
  multi_ = curl_multi_init();
  curl_multi_setopt(multi_, CURLMOPT_MAX_TOTAL_CONNECTIONS, options_.maxConnections);
  curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS, options_.maxConnections);
}

Fetcher::~Fetcher() {
  for (auto& [easy, t] : active_) curl_multi_remove_handle(multi_, easy);
  active_.clear();
  curl_multi_cleanup(multi_);
}

size_t Fetcher::inFlight() const { return active_.size() + ready_.size(); }

void Fetcher::submit(FetchRequest request) {
  auto t = std::make_unique<Transfer>();
  t->owner = this;
  t->result.tag = request.tag;
  t->result.requestedUrl = request.url;
  t->currentUrl = request.url;
  t->request = std::move(request);
  start(std::move(t));
}

void Fetcher::start(std::unique_ptr<Transfer> t) {
  t->result.finalUrl = t->currentUrl;
  t->result.body.clear();
  t->result.contentType.clear();
  t->result.status = 0;
  t->connectRefused = false;
  auto refuse = [&](const std::string& why) {
    t->result.error = why;
    t->result.refused = true;
    ready_.push_back(std::move(t->result));
  };
  if (t->request.trusted || !guard_) {
    auto parts = parseHttpUrl(t->currentUrl);
    if (!parts) return refuse("not a valid absolute http(s) URL: " + t->currentUrl.substr(0, 200));
    t->decision = GuardDecision{};
    t->decision.allowed = true;
    t->decision.url = *parts;
  } else {
    t->decision = guard_->check(t->currentUrl);
    if (!t->decision.allowed) return refuse("refused " + t->currentUrl.substr(0, 300) + ": " + t->decision.reason);
  }
  if (t->easy) curl_easy_cleanup(t->easy);
  if (t->headerList) curl_slist_free_all(t->headerList), t->headerList = nullptr;
  if (t->resolveList) curl_slist_free_all(t->resolveList), t->resolveList = nullptr;
  CURL* e = curl_easy_init();
  t->easy = e;
  curl_easy_setopt(e, CURLOPT_URL, t->currentUrl.c_str());
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(e, CURLOPT_PROXY, "");
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(e, CURLOPT_USERAGENT, options_.userAgent.c_str());
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, static_cast<long>(options_.connectTimeoutSeconds));
  curl_easy_setopt(e, CURLOPT_TIMEOUT, static_cast<long>(options_.requestTimeoutSeconds));
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 64L);
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, static_cast<long>(options_.lowSpeedSeconds));
  curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(t->request.maxBytes));
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Transfer::onWrite);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, t.get());
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &Transfer::onHeader);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, t.get());
  curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, &Transfer::onOpenSocket);
  curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, t.get());
  curl_easy_setopt(e, CURLOPT_PRIVATE, t.get());
  std::string accept = "Accept: " + t->request.accept;
  t->headerList = curl_slist_append(t->headerList, accept.c_str());
  for (const auto& h : t->request.headers) t->headerList = curl_slist_append(t->headerList, h.c_str());
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headerList);
  if (t->decision.pinnedAddress && !t->decision.url.hostIsIp) {
    const IpAddress& ip = *t->decision.pinnedAddress;
    std::string addr = ip.v6 ? "[" + ip.toString() + "]" : ip.toString();
    std::string entry = t->decision.url.host + ":" + std::to_string(t->decision.url.port) + ":" + addr;
    // Replace any earlier pin of this host:port first (the multi handle shares one DNS cache).
    std::string removal = "-" + t->decision.url.host + ":" + std::to_string(t->decision.url.port);
    t->resolveList = curl_slist_append(t->resolveList, removal.c_str());
    t->resolveList = curl_slist_append(t->resolveList, entry.c_str());
    curl_easy_setopt(e, CURLOPT_RESOLVE, t->resolveList);
  }
  CURL* key = e;
  curl_multi_add_handle(multi_, e);
  active_.emplace(key, std::move(t));
}

void Fetcher::complete(Transfer* t, int code) {
  long status = 0;
  curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
  double total = 0;
  curl_easy_getinfo(t->easy, CURLINFO_TOTAL_TIME, &total);
  t->result.seconds += total;
  t->result.status = status;
  if (t->result.tooLarge) {
    t->result.error = "response of " + t->currentUrl.substr(0, 300) + " is larger than " +
                      std::to_string(t->request.maxBytes) + " bytes";
    t->result.body.clear();
  } else if (t->connectRefused) {
    t->result.refused = true;
    t->result.error = "refused " + t->currentUrl.substr(0, 300) + ": connection to non-public address " +
                      t->refusedAddress + " was blocked";
  } else if (code != CURLE_OK) {
    t->result.timedOut = code == CURLE_OPERATION_TIMEDOUT;
    t->result.error = std::string(curl_easy_strerror(static_cast<CURLcode>(code))) + " (" +
                      t->currentUrl.substr(0, 300) + ")";
  } else if (status >= 300 && status < 400) {
    char* redirect = nullptr;
    curl_easy_getinfo(t->easy, CURLINFO_REDIRECT_URL, &redirect);
    if (redirect && *redirect) {
      std::string target = redirect;
      if (t->redirectsFollowed < t->request.maxRedirects) {
        auto from = parseHttpUrl(t->currentUrl);
        auto to = parseHttpUrl(target);
        if (from && to && hostKey(*from) != hostKey(*to)) t->request.headers.clear();  // no credentials across hosts
        t->result.redirects.push_back(t->currentUrl);
        t->redirectsFollowed++;
        t->currentUrl = target;
        CURL* easy = t->easy;
        curl_multi_remove_handle(multi_, easy);
        auto owned = std::move(active_.at(easy));
        active_.erase(easy);
        start(std::move(owned));
        return;
      }
      t->result.location = target;
      if (t->request.maxRedirects > 0)
        t->result.error = "too many redirects (more than " + std::to_string(t->request.maxRedirects) + ")";
    }
  }
  CURL* easy = t->easy;
  curl_multi_remove_handle(multi_, easy);
  auto owned = std::move(active_.at(easy));
  active_.erase(easy);
  ready_.push_back(std::move(owned->result));
}

std::vector<FetchResult> Fetcher::drainReady() {
  std::vector<FetchResult> out;
  while (!ready_.empty()) {
    out.push_back(std::move(ready_.front()));
    ready_.pop_front();
  }
  return out;
}

std::vector<FetchResult> Fetcher::wait(int timeoutMs) {
  if (!ready_.empty() || active_.empty()) return drainReady();
  int running = 0;
  curl_multi_perform(multi_, &running);
  auto harvest = [&] {
    int left = 0;
    while (CURLMsg* m = curl_multi_info_read(multi_, &left)) {
      if (m->msg != CURLMSG_DONE) continue;
      void* priv = nullptr;
      curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
      complete(static_cast<Transfer*>(priv), m->data.result);
    }
  };
  harvest();
  if (ready_.empty() && !active_.empty() && timeoutMs > 0) {
    curl_multi_poll(multi_, nullptr, 0, timeoutMs, nullptr);
    curl_multi_perform(multi_, &running);
    harvest();
  }
  return drainReady();
}

FetchResult Fetcher::fetch(FetchRequest request) {
  uint64_t tag = request.tag;
  std::string url = request.url;
  submit(std::move(request));
  std::vector<FetchResult> stash;
  for (;;) {
    for (auto& r : wait(200)) {
      if (r.tag == tag && r.requestedUrl == url) {
        for (auto& s : stash) ready_.push_back(std::move(s));
        return r;
      }
      stash.push_back(std::move(r));
    }
  }
}
}  // namespace cg::crawl
