#include "llm/verification.h"

#include <algorithm>
#include <cctype>

#include "util/strings.h"

namespace cg::llm {
namespace {

bool isWordByte(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return std::isalnum(u) || u >= 0x80;
}
bool isSeparator(char c) { return c == ' ' || c == '_' || c == '-'; }
char lowerByte(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// The chunk reduced to lower-case word bytes, with the original offset of each kept byte.
struct SquashedText {
  std::string text;
  std::vector<std::size_t> offsets;
  explicit SquashedText(std::string_view original) {
    text.reserve(original.size());
    offsets.reserve(original.size());
    for (std::size_t i = 0; i < original.size(); ++i) {
      if (isWordByte(original[i])) {
        text.push_back(lowerByte(original[i]));
        offsets.push_back(i);
      }
    }
  }
};

std::string squashKey(std::string_view name) {
  std::string key;
  for (char c : name)
    if (isWordByte(c)) key.push_back(lowerByte(c));
  return key;
}

std::optional<EvidenceSpan> findNameIn(std::string_view chunk, const SquashedText& squashed, std::string_view name,
                                       bool allowPlural) {
  std::string key = squashKey(name);
  if (key.empty()) return std::nullopt;
  std::vector<std::string> keys = {key};
  if (allowPlural && key.size() > 3 && key.back() == 's') keys.push_back(key.substr(0, key.size() - 1));
  for (const auto& k : keys) {
    std::size_t pos = 0;
    while ((pos = squashed.text.find(k, pos)) != std::string::npos) {
      std::size_t begin = squashed.offsets[pos];
      std::size_t end = squashed.offsets[pos + k.size() - 1] + 1;
      bool ok = begin == 0 || !isWordByte(chunk[begin - 1]);
      // Only word separators may sit inside the match ("display name", "display_name").
      for (std::size_t i = begin; ok && i < end; ++i)
        if (!isWordByte(chunk[i]) && !isSeparator(chunk[i])) ok = false;
      // camelCase inside the chunk must not hide a longer identifier: "name" must not match "userName".
      std::size_t after = end;
      if (ok && allowPlural) {
        if (after < chunk.size() && lowerByte(chunk[after]) == 's') ++after;
        else if (after + 1 < chunk.size() && lowerByte(chunk[after]) == 'e' && lowerByte(chunk[after + 1]) == 's') after += 2;
        if (after < chunk.size() && isWordByte(chunk[after])) after = end;  // plural did not end the word
      }
      if (ok && after < chunk.size() && isWordByte(chunk[after])) ok = false;
      if (ok) return EvidenceSpan{begin, after};
      ++pos;
    }
  }
  return std::nullopt;
}

// ---------------------------------------------------------------- paths

struct PathPiece {
  bool placeholder = false;
  std::string literal;
};
using PathSegment = std::vector<PathPiece>;

bool placeholderByte(char c) {
  return !(c == '/' || std::isspace(static_cast<unsigned char>(c)) || c == '?' || c == '#' || c == '"' || c == '\'' ||
           c == '`' || c == ',' || c == ';' || c == '(' || c == ')');
}

std::optional<std::vector<PathSegment>> parseClaimedPath(std::string_view raw) {
  std::string path = trim(raw);
  if (auto scheme = path.find("://"); scheme != std::string::npos) {
    auto slash = path.find('/', scheme + 3);
    path = slash == std::string::npos ? std::string() : path.substr(slash);
  }
  if (auto q = path.find_first_of("?#"); q != std::string::npos) path.resize(q);
  std::vector<PathSegment> segments;
  bool anyLiteral = false;
  for (const auto& part : split(path, '/', /*skipEmpty=*/true)) {
    PathSegment seg;
    if (part.size() > 1 && part[0] == ':') {
      seg.push_back({true, ""});
    } else {
      std::size_t i = 0;
      std::string literal;
      while (i < part.size()) {
        char open = part[i];
        char close = open == '{' ? '}' : open == '<' ? '>' : open == '[' ? ']' : 0;
        std::size_t closeAt = close ? part.find(close, i + 1) : std::string::npos;
        if (close && closeAt != std::string::npos) {
          if (!literal.empty()) seg.push_back({false, std::move(literal)});
          literal.clear();
          seg.push_back({true, ""});
          i = closeAt + 1;
        } else {
          literal.push_back(part[i++]);
        }
      }
      if (!literal.empty()) seg.push_back({false, std::move(literal)});
    }
    for (const auto& p : seg)
      if (!p.placeholder) anyLiteral = true;
    segments.push_back(std::move(seg));
  }
  if (segments.empty() || !anyLiteral) return std::nullopt;
  return segments;
}

// Matches pieces[k..] of segment s (and the following segments) at chunk position pos; returns end or npos.
std::size_t matchFrom(std::string_view chunk, const std::vector<PathSegment>& segs, std::size_t s, std::size_t k,
                      std::size_t pos, int& budget, bool slashOptional = false) {
  if (--budget < 0) return std::string_view::npos;
  if (s == segs.size()) return pos;
  if (k == 0 && !(slashOptional && s == 0)) {
    if (pos >= chunk.size() || chunk[pos] != '/') return std::string_view::npos;
    ++pos;
  }
  if (k == segs[s].size()) return matchFrom(chunk, segs, s + 1, 0, pos, budget);
  const PathPiece& piece = segs[s][k];
  if (!piece.placeholder) {
    if (chunk.compare(pos, piece.literal.size(), piece.literal) != 0) return std::string_view::npos;
    return matchFrom(chunk, segs, s, k + 1, pos + piece.literal.size(), budget);
  }
  std::size_t maxLen = 0;
  while (pos + maxLen < chunk.size() && maxLen < 100 && placeholderByte(chunk[pos + maxLen])) ++maxLen;
  for (std::size_t len = maxLen; len >= 1; --len) {  // longest first: "{id}" consumes "{userid}" whole
    std::size_t end = matchFrom(chunk, segs, s, k + 1, pos + len, budget);
    if (end != std::string_view::npos) return end;
  }
  return std::string_view::npos;
}

std::vector<EvidenceSpan> findAllPaths(std::string_view chunk, std::string_view path, std::size_t limit) {
  std::vector<EvidenceSpan> spans;
  auto segs = parseClaimedPath(path);
  if (!segs) return spans;
  // Candidates: every '/' and, for documentation that writes "Syntax: ocs/v1.php/...", every token start.
  for (std::size_t i = 0; i < chunk.size() && spans.size() < limit; ++i) {
    bool slash = chunk[i] == '/';
    bool tokenStart = !slash && (i == 0 || std::isspace(static_cast<unsigned char>(chunk[i - 1])) ||
                                 chunk[i - 1] == '`' || chunk[i - 1] == '"' || chunk[i - 1] == '(' || chunk[i - 1] == ':');
    if (!slash && !tokenStart) continue;
    int budget = 2000;
    std::size_t end = matchFrom(chunk, *segs, 0, 0, i, budget, /*slashOptional=*/!slash);
    if (end == std::string_view::npos) continue;
    if (end < chunk.size() && chunk[end] == '/') ++end;
    if (end < chunk.size()) {
      char c = chunk[end];
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '{' ||
          static_cast<unsigned char>(c) >= 0x80)
        continue;
    }
    spans.push_back({i, end});
    i = end - 1;
  }
  return spans;
}

bool methodNear(std::string_view chunk, const std::string& method, EvidenceSpan span, EvidenceSpan* where) {
  std::size_t from = span.begin > 200 ? span.begin - 200 : 0;
  std::size_t to = std::min(chunk.size(), span.end + 200);
  std::string_view window = chunk.substr(from, to - from);
  std::size_t pos = 0;
  while ((pos = window.find(method, pos)) != std::string_view::npos) {
    bool before = pos == 0 || !isWordByte(window[pos - 1]);
    bool after = pos + method.size() >= window.size() || !isWordByte(window[pos + method.size()]);
    if (before && after) {
      *where = {from + pos, from + pos + method.size()};
      return true;
    }
    ++pos;
  }
  return false;
}

// ---------------------------------------------------------------- quotes and keywords

std::optional<EvidenceSpan> findQuoteOnce(std::string_view chunk, std::string_view quote) {
  // Collapse whitespace and lower-case both sides, keeping offsets for the chunk.
  std::string hay;
  std::vector<std::size_t> offsets;
  bool space = false;
  for (std::size_t i = 0; i < chunk.size(); ++i) {
    if (std::isspace(static_cast<unsigned char>(chunk[i]))) {
      space = true;
      continue;
    }
    if (space && !hay.empty()) {
      hay.push_back(' ');
      offsets.push_back(i - 1);
    }
    space = false;
    hay.push_back(lowerByte(chunk[i]));
    offsets.push_back(i);
  }
  std::string needle;
  space = false;
  for (char c : quote) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = true;
      continue;
    }
    if (space && !needle.empty()) needle.push_back(' ');
    space = false;
    needle.push_back(lowerByte(c));
  }
  if (needle.size() < 4) return std::nullopt;
  std::size_t pos = hay.find(needle);
  if (pos == std::string::npos) return std::nullopt;
  return EvidenceSpan{offsets[pos], offsets[pos + needle.size() - 1] + 1};
}

const std::vector<std::string>& authKeywords(const std::string& type) {
  static const std::vector<std::pair<std::string, std::vector<std::string>>> table = {
      {"basic", {"basic"}},
      {"bearer", {"bearer", "token"}},
      {"jwtBearer", {"jwt", "json web token"}},
      {"oauth2ClientCredentials", {"client_credentials", "client credentials", "oauth"}},
      {"oauth2Password", {"oauth", "password grant"}},
      {"oauth2Jwt", {"oauth", "jwt"}},
      {"oauth2Saml", {"saml"}},
      {"apiKey", {"api key", "api-key", "apikey", "api_key", "x-api-key", "access key"}},
      {"session", {"session", "cookie"}},
      {"digest", {"digest"}},
      {"hawk", {"hawk"}},
      {"awsSignature", {"signature", "sigv4", "aws"}},
      {"mtls", {"certificate", "mtls", "mutual tls"}},
      {"ntlm", {"ntlm"}},
      {"openidConnect", {"openid", "oidc"}},
      {"other", {"auth", "login", "credential", "password", "token"}},
  };
  static const std::vector<std::string> none;
  for (const auto& [t, words] : table)
    if (t == type) return words;
  return none;
}

std::optional<EvidenceSpan> findKeyword(std::string_view chunk, const std::string& keyword) {
  std::string lower = toLower(chunk);
  std::size_t pos = lower.find(keyword);
  if (pos == std::string::npos) return std::nullopt;
  return EvidenceSpan{pos, pos + keyword.size()};
}

std::optional<EvidenceSpan> findVersion(std::string_view chunk, std::string_view version) {
  std::string v = toLower(trim(version));
  if (v.empty()) return std::nullopt;
  std::string lower = toLower(chunk);
  std::size_t pos = 0;
  while ((pos = lower.find(v, pos)) != std::string::npos) {
    std::size_t end = pos + v.size();
    bool before = pos == 0 || !(std::isalnum(static_cast<unsigned char>(lower[pos - 1])) || lower[pos - 1] == '.');
    bool after = end >= lower.size() || !(std::isalnum(static_cast<unsigned char>(lower[end])) ||
                                          (lower[end] == '.' && end + 1 < lower.size() &&
                                           std::isdigit(static_cast<unsigned char>(lower[end + 1]))));
    if (before && after) return EvidenceSpan{pos, end};
    ++pos;
  }
  return std::nullopt;
}

std::string optionalString(const OrderedJson& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_string()) return {};
  return trim(j[key].get<std::string>());
}
std::optional<bool> optionalBool(const OrderedJson& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_boolean()) return std::nullopt;
  return j[key].get<bool>();
}
std::vector<std::string> stringList(const OrderedJson& j, const char* key) {
  std::vector<std::string> out;
  if (!j.is_object() || !j.contains(key) || !j[key].is_array()) return out;
  for (const auto& v : j[key])
    if (v.is_string() && !trim(v.get<std::string>()).empty()) out.push_back(trim(v.get<std::string>()));
  return out;
}
const OrderedJson& arrayAt(const OrderedJson& j, const char* key) {
  static const OrderedJson empty = OrderedJson::array();
  if (!j.is_object() || !j.contains(key) || !j[key].is_array()) return empty;
  return j[key];
}

bool containsClass(const std::vector<std::string>& names, const std::string& name) {
  return std::any_of(names.begin(), names.end(), [&](const std::string& n) { return squashKey(n) == squashKey(name); });
}

}  // namespace

bool MetadataClaim::empty() const {
  return name.empty() && applicationVersion.empty() && apiVersion.empty() && apiType.empty() && baseApiEndpoints.empty();
}

ProseClaims proseClaimsFromJson(const OrderedJson& reply) {
  ProseClaims c;
  for (const auto& o : arrayAt(reply, "objectClasses"))
    c.objectClasses.push_back({optionalString(o, "name"), optionalString(o, "description"), optionalString(o, "evidence")});
  for (const auto& a : arrayAt(reply, "attributes")) {
    AttributeClaim claim{optionalString(a, "objectClass"), optionalString(a, "name"), optionalString(a, "type"),
                         std::nullopt, optionalBool(a, "mandatory"), optionalBool(a, "multivalue"), optionalBool(a, "readOnly")};
    if (std::string d = optionalString(a, "description"); !d.empty()) claim.description = d;
    c.attributes.push_back(std::move(claim));
  }
  for (const auto& e : arrayAt(reply, "endpoints")) {
    EndpointClaim claim;
    if (std::string oc = optionalString(e, "objectClass"); !oc.empty()) claim.objectClass = oc;
    claim.method = toUpperAscii(optionalString(e, "method"));
    claim.path = optionalString(e, "path");
    claim.description = optionalString(e, "description");
    claim.suggestedUse = stringList(e, "suggestedUse");
    claim.parameters = stringList(e, "parameters");
    c.endpoints.push_back(std::move(claim));
  }
  for (const auto& a : arrayAt(reply, "auth"))
    c.auth.push_back({optionalString(a, "name"), optionalString(a, "type"), optionalString(a, "quirks"),
                      optionalString(a, "evidence")});
  if (reply.is_object() && reply.contains("metadata") && reply["metadata"].is_object()) {
    const auto& m = reply["metadata"];
    MetadataClaim meta{optionalString(m, "name"), optionalString(m, "applicationVersion"), optionalString(m, "apiVersion"),
                       stringList(m, "apiType"), stringList(m, "baseApiEndpoints")};
    if (!meta.empty()) c.metadata = std::move(meta);
  }
  return c;
}

std::optional<EvidenceSpan> findName(std::string_view chunk, std::string_view name, bool allowPlural) {
  SquashedText squashed(chunk);
  return findNameIn(chunk, squashed, name, allowPlural);
}

std::optional<EvidenceSpan> findPath(std::string_view chunk, std::string_view path) {
  auto spans = findAllPaths(chunk, path, 1);
  if (spans.empty()) return std::nullopt;
  return spans.front();
}

std::optional<EvidenceSpan> findQuote(std::string_view chunk, std::string_view quote) {
  // Models shorten quotes with ellipses; then the longest piece must occur.
  std::vector<std::string> pieces(1);
  for (std::size_t i = 0; i < quote.size();) {
    if (quote.compare(i, 3, "...") == 0 || quote.compare(i, 3, "\xE2\x80\xA6") == 0) {
      pieces.emplace_back();
      i += 3;
    } else {
      pieces.back().push_back(quote[i++]);
    }
  }
  std::string best;
  for (const auto& piece : pieces)
    if (trim(piece).size() > best.size()) best = trim(piece);
  return findQuoteOnce(chunk, best);
}

VerifiedClaims verifyAgainstChunk(const ProseClaims& claims, std::string_view chunk,
                                  const std::vector<std::string>& knownClasses) {
  VerifiedClaims out;
  SquashedText squashed(chunk);

  std::vector<std::string> classNames = knownClasses;
  for (const auto& c : claims.objectClasses) {
    if (c.name.empty()) {
      out.dropped.push_back({"objectClass", "(unnamed)", "no name"});
      continue;
    }
    auto span = findNameIn(chunk, squashed, c.name, /*allowPlural=*/true);
    if (!span) {
      out.dropped.push_back({"objectClass", c.name, "class name not found in the chunk"});
      continue;
    }
    Verified<ClassClaim> v{c, {*span}};
    if (auto quote = findQuote(chunk, c.evidence)) v.evidence.push_back(*quote);
    classNames.push_back(c.name);
    out.objectClasses.push_back(std::move(v));
  }

  for (const auto& a : claims.attributes) {
    std::string what = a.objectClass + "." + a.name;
    if (a.name.empty()) {
      out.dropped.push_back({"attribute", what, "no name"});
      continue;
    }
    if (!containsClass(classNames, a.objectClass)) {
      out.dropped.push_back({"attribute", what, "its object class is not verified"});
      continue;
    }
    auto span = findNameIn(chunk, squashed, a.name, false);
    if (!span) {
      out.dropped.push_back({"attribute", what, "attribute name not found in the chunk"});
      continue;
    }
    out.attributes.push_back({a, {*span}});
  }

  for (const auto& e : claims.endpoints) {
    std::string what = e.method + " " + e.path;
    static const std::vector<std::string> methods = {"GET", "POST", "PUT", "PATCH", "DELETE"};
    if (std::find(methods.begin(), methods.end(), e.method) == methods.end()) {
      out.dropped.push_back({"endpoint", what, "unsupported HTTP method"});
      continue;
    }
    auto spans = findAllPaths(chunk, e.path, 50);
    if (spans.empty()) {
      out.dropped.push_back({"endpoint", what,
                             parseClaimedPath(e.path) ? "path not found in the chunk" : "path has no literal segment"});
      continue;
    }
    std::optional<EvidenceSpan> pathSpan, methodSpan;
    for (const auto& s : spans) {
      EvidenceSpan m;
      if (methodNear(chunk, e.method, s, &m)) {
        pathSpan = s;
        methodSpan = m;
        break;
      }
    }
    if (!pathSpan) {
      out.dropped.push_back({"endpoint", what, "method " + e.method + " not stated near the path"});
      continue;
    }
    Verified<EndpointClaim> v{e, {*methodSpan, *pathSpan}};
    v.claim.parameters.clear();
    for (const auto& p : e.parameters) {
      if (auto ps = findNameIn(chunk, squashed, p, false)) {
        v.claim.parameters.push_back(p);
        v.evidence.push_back(*ps);
      } else {
        out.dropped.push_back({"parameter", what + " " + p, "parameter name not found in the chunk"});
      }
    }
    if (v.claim.objectClass && !containsClass(classNames, *v.claim.objectClass)) v.claim.objectClass.reset();
    out.endpoints.push_back(std::move(v));
  }

  for (const auto& a : claims.auth) {
    std::string what = a.type + " (" + a.name + ")";
    std::optional<EvidenceSpan> span = findQuote(chunk, a.evidence);
    std::optional<EvidenceSpan> keyword;
    for (const auto& k : authKeywords(a.type)) {
      if ((keyword = findKeyword(chunk, k))) break;
    }
    if (!keyword) {
      out.dropped.push_back({"auth", what, "no mention of this kind of authentication in the chunk"});
      continue;
    }
    Verified<AuthClaim> v{a, {}};
    v.evidence.push_back(span ? *span : *keyword);
    out.auth.push_back(std::move(v));
  }

  if (claims.metadata) {
    const MetadataClaim& m = *claims.metadata;
    Verified<MetadataClaim> v;
    auto keep = [&](const std::string& value, std::optional<EvidenceSpan> span, std::string& target, const char* field) {
      if (value.empty()) return;
      if (span) {
        target = value;
        v.evidence.push_back(*span);
      } else {
        out.dropped.push_back({"metadata", std::string(field) + "=" + value, "value not found in the chunk"});
      }
    };
    keep(m.name, findNameIn(chunk, squashed, m.name, false), v.claim.name, "name");
    keep(m.applicationVersion, findVersion(chunk, m.applicationVersion), v.claim.applicationVersion, "applicationVersion");
    std::optional<EvidenceSpan> apiSpan = findVersion(chunk, m.apiVersion);
    if (!apiSpan && !m.apiVersion.empty() && std::isdigit(static_cast<unsigned char>(m.apiVersion[0])))
      apiSpan = findVersion(chunk, "v" + m.apiVersion);
    keep(m.apiVersion, apiSpan, v.claim.apiVersion, "apiVersion");
    for (const auto& t : m.apiType) {
      std::optional<EvidenceSpan> span;
      std::string upper = toUpperAscii(t);
      std::vector<std::string> words = upper == "REST"   ? std::vector<std::string>{"REST", "RESTful", "OpenAPI", "Swagger"}
                                       : upper == "SCIM" ? std::vector<std::string>{"SCIM"}
                                       : upper == "SQL"  ? std::vector<std::string>{"SQL"}
                                                         : std::vector<std::string>{};
      for (const auto& w : words)
        if ((span = findNameIn(chunk, squashed, w, false))) break;
      if (!span && upper == "REST" && !out.endpoints.empty()) span = out.endpoints.front().evidence.back();
      std::string target;
      keep(upper, span, target, "apiType");
      if (!target.empty()) v.claim.apiType.push_back(target);
    }
    for (const auto& uri : m.baseApiEndpoints) {
      std::string u = uri;
      while (!u.empty() && u.back() == '/') u.pop_back();
      std::string target;
      keep(uri, u.size() >= 4 ? findKeyword(chunk, toLower(u)) : std::nullopt, target, "baseApiEndpoint");
      if (!target.empty()) v.claim.baseApiEndpoints.push_back(target);
    }
    if (!v.claim.empty()) out.metadata = std::move(v);
  }
  return out;
}

}  // namespace cg::llm
