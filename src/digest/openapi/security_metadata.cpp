#include "digest/openapi/security_metadata.h"

#include <algorithm>
#include <regex>
#include <set>

#include "digest/openapi/schema_resolver.h"
#include "util/strings.h"

namespace cg::digest::openapi {
namespace {

std::string str(const OrderedJson& node, const char* key) {
  if (!node.is_object()) return "";
  auto it = node.find(key);
  return it != node.end() && it->is_string() ? it->get<std::string>() : "";
}

const OrderedJson* child(const OrderedJson& node, const char* key) {
  if (!node.is_object()) return nullptr;
  auto it = node.find(key);
  return it == node.end() ? nullptr : &*it;
}

// Token prefix stated in prose: "prefixed with SSWS", "prepended with \"token\"",
// "`Authorization: SSWS {API Token}`", "format `Token token=<KEY>`".
std::string tokenPrefixFromText(const std::string& text) {
  static const std::regex patterns[] = {
      std::regex(R"((?:prefixed|prepended)\s+(?:with|by)\s*:?\s*["'`]?([A-Za-z][A-Za-z0-9_-]*))", std::regex::icase),
      std::regex(R"(Authorization:\s*["'`]?([A-Za-z][A-Za-z0-9_-]*)\s+[{<\[])", std::regex::icase),
      std::regex(R"(format\s+`([A-Za-z][A-Za-z0-9_-]*)\s)", std::regex::icase)};
  for (const auto& re : patterns) {
    std::smatch m;
    if (std::regex_search(text, m, re)) {
      std::string word = m[1].str();
      std::string l = toLower(word);
      if (l != "the" && l != "a" && l != "an" && l != "your" && l != "header" && l != "value") return word;
    }
  }
  return "";
}


std::string describeLocation(const std::string& in, const std::string& name) {
  if (in == "query") return "query parameter `" + name + "`";
  if (in == "cookie") return "cookie `" + name + "`";
  return "`" + name + "` header";
}

bool isSupplementary(const std::string& schemeName, const std::string& description) {
  std::string l = toLower(schemeName + " " + description);
  return l.find("sudo") != std::string::npos || l.find("otp") != std::string::npos ||
         l.find("two-factor") != std::string::npos || l.find("2fa") != std::string::npos;
}

}  // namespace

std::vector<AuthMethod> extractAuth(const OrderedJson& root, const std::string& docId, const EvidenceIndex& evidence) {
  struct Ranked {
    AuthMethod method;
    int group;  // 0 required globally, 1 other, 2 deprecated/supplementary
    size_t order;
  };
  std::vector<Ranked> ranked;
  if (!root.is_object()) return {};
  bool swagger2 = root.contains("swagger") && !root.contains("openapi");
  const OrderedJson* schemes = nullptr;
  std::string basePointer;
  if (swagger2) {
    schemes = child(root, "securityDefinitions");
    basePointer = "/securityDefinitions/";
  } else if (const auto* comps = child(root, "components")) {
    schemes = child(*comps, "securitySchemes");
    basePointer = "/components/securitySchemes/";
  }
  if (!schemes || !schemes->is_object()) return {};
  std::set<std::string> globallyRequired;
  if (const auto* sec = child(root, "security"); sec && sec->is_array()) {
    for (const auto& req : *sec) {
      if (!req.is_object()) continue;
      for (auto it = req.begin(); it != req.end(); ++it) globallyRequired.insert(it.key());
    }
  }
  size_t order = 0;
  for (auto it = schemes->begin(); it != schemes->end(); ++it) {
    const std::string& key = it.key();
    const OrderedJson& scheme = it.value();
    if (!scheme.is_object()) continue;
    std::string pointer = basePointer + escapePointerToken(key);
    std::string type = toLower(str(scheme, "type"));
    std::string description = trim(str(scheme, "description"));
    bool deprecated = toLower(description).find("deprecated") != std::string::npos ||
                      (scheme.contains("deprecated") && scheme["deprecated"] == true);
    int group = deprecated || isSupplementary(key, description) ? 2 : (globallyRequired.count(key) ? 0 : 1);
    auto base = [&]() {
      AuthMethod m;
      m.details.schemeName = key;
      m.relevantDocumentations = evidence.lookup(docId, pointer);
      return m;
    };
    auto finish = [&](AuthMethod m, std::string extraQuirk) {
      std::string quirks = std::move(extraQuirk);
      if (!description.empty()) quirks += (quirks.empty() ? "" : " ") + std::string("Documentation: ") + description;
      if (deprecated) quirks += " This scheme is marked deprecated.";
      m.quirks = trim(quirks);
      ranked.push_back({std::move(m), group, order++});
    };
    if (type == "basic" || (type == "http" && toLower(str(scheme, "scheme")) == "basic")) {
      AuthMethod m = base();
      m.name = "HTTP Basic authentication";
      m.type = "basic";
      m.details.in = "header";
      m.details.parameterName = "Authorization";
      m.details.scheme = "Basic";
      finish(std::move(m), "Send `Authorization: Basic <base64(username:password)>` on every request.");
    } else if (type == "http") {
      std::string httpScheme = str(scheme, "scheme");
      std::string lowerScheme = toLower(httpScheme);
      AuthMethod m = base();
      m.details.in = "header";
      m.details.parameterName = "Authorization";
      m.details.scheme = httpScheme.empty() ? "" : std::string(1, static_cast<char>(std::toupper(
                                                                      static_cast<unsigned char>(httpScheme[0])))) +
                                                       httpScheme.substr(1);
      m.details.bearerFormat = str(scheme, "bearerFormat");
      if (lowerScheme == "bearer") {
        bool jwt = toLower(m.details.bearerFormat).find("jwt") != std::string::npos;
        m.type = jwt ? "jwtBearer" : "bearer";
        m.name = jwt ? "JWT bearer token" : "Bearer token";
        finish(std::move(m), "Send `Authorization: Bearer <token>` on every request" +
                                 std::string(jwt ? " (the token is a JWT)." : "."));
      } else {
        m.type = normalizeAuthType(lowerScheme.empty() ? "other" : lowerScheme);
        if (lowerScheme == "negotiate") m.type = "other";
        m.name = "HTTP " + (httpScheme.empty() ? std::string("authentication") : httpScheme + " authentication");
        finish(std::move(m), "Uses the HTTP `" + httpScheme + "` authentication scheme in the `Authorization` header.");
      }
    } else if (type == "apikey") {
      AuthMethod m = base();
      m.type = "apiKey";
      m.details.in = toLower(str(scheme, "in"));
      if (m.details.in.empty()) m.details.in = "header";
      m.details.parameterName = str(scheme, "name");
      m.details.scheme = tokenPrefixFromText(description);
      m.name = "API key (" + describeLocation(m.details.in, m.details.parameterName) + ")";
      std::string quirk = "Send the API key in the " + describeLocation(m.details.in, m.details.parameterName);
      if (!m.details.scheme.empty()) {
        quirk += ", prefixed with `" + m.details.scheme + " ` (value: `" + m.details.scheme + " <key>`)";
      }
      finish(std::move(m), quirk + ".");
    } else if (type == "oauth2") {
      struct Flow {
        std::string name;
        const OrderedJson* node;
      };
      std::vector<Flow> flows;
      if (swagger2) {
        flows.push_back({str(scheme, "flow"), &scheme});
      } else if (const auto* fl = child(scheme, "flows"); fl && fl->is_object()) {
        for (auto f = fl->begin(); f != fl->end(); ++f) flows.push_back({f.key(), &f.value()});
      }
      if (flows.empty()) flows.push_back({"", &scheme});
      for (const auto& flow : flows) {
        AuthMethod m = base();
        std::string f = toLower(flow.name);
        f.erase(std::remove_if(f.begin(), f.end(), [](char c) { return c == '_' || c == '-'; }), f.end());
        if (f == "clientcredentials" || f == "application") {
          m.type = "oauth2ClientCredentials";
          m.name = "OAuth 2.0 client credentials";
        } else if (f == "password") {
          m.type = "oauth2Password";
          m.name = "OAuth 2.0 resource owner password";
        } else if (f.find("jwt") != std::string::npos) {
          m.type = "oauth2Jwt";
          m.name = "OAuth 2.0 JWT bearer grant";
        } else if (f.find("saml") != std::string::npos) {
          m.type = "oauth2Saml";
          m.name = "OAuth 2.0 SAML bearer grant";
        } else if (f == "authorizationcode" || f == "accesscode") {
          m.type = "other";
          m.name = "OAuth 2.0 authorization code";
        } else if (f == "implicit") {
          m.type = "other";
          m.name = "OAuth 2.0 implicit";
        } else {
          m.type = "other";
          m.name = "OAuth 2.0";
        }
        m.details.in = "header";
        m.details.parameterName = "Authorization";
        m.details.scheme = "Bearer";
        m.details.tokenUrl = str(*flow.node, "tokenUrl");
        m.details.authorizationUrl = str(*flow.node, "authorizationUrl");
        if (const auto* scopes = child(*flow.node, "scopes"); scopes && scopes->is_object()) {
          for (auto s = scopes->begin(); s != scopes->end() && m.details.scopes.size() < 200; ++s) {
            m.details.scopes.push_back(s.key());
          }
        }
        std::string quirk = "Obtain an access token";
        if (!m.details.tokenUrl.empty()) quirk += " from `" + m.details.tokenUrl + "`";
        if (!flow.name.empty()) quirk += " with the `" + flow.name + "` grant";
        quirk += ", then send `Authorization: Bearer <access_token>`.";
        if (!m.details.scopes.empty()) quirk += " " + std::to_string(m.details.scopes.size()) + " scopes are defined.";
        finish(std::move(m), quirk);
      }
    } else if (type == "openidconnect") {
      AuthMethod m = base();
      m.type = "openidConnect";
      m.name = "OpenID Connect";
      m.details.openIdConnectUrl = str(scheme, "openIdConnectUrl");
      m.details.in = "header";
      m.details.parameterName = "Authorization";
      m.details.scheme = "Bearer";
      finish(std::move(m), "Discover the provider at `" + m.details.openIdConnectUrl +
                               "` and send the ID/access token as `Authorization: Bearer <token>`.");
    } else if (type == "mutualtls") {
      AuthMethod m = base();
      m.type = "mtls";
      m.name = "Mutual TLS client certificate";
      finish(std::move(m), "Present a client certificate during the TLS handshake.");
    } else {
      AuthMethod m = base();
      m.type = normalizeAuthType(type);
      m.name = key;
      finish(std::move(m), "");
    }
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
    if (a.group != b.group) return a.group < b.group;
    return a.order < b.order;
  });
  std::vector<AuthMethod> out;
  for (auto& r : ranked) out.push_back(std::move(r.method));
  return out;
}

bool describesScim(const OrderedJson& root) {
  const auto* paths = child(root, "paths");
  if (paths && paths->is_object()) {
    int scimPaths = 0;
    for (auto it = paths->begin(); it != paths->end(); ++it) {
      const std::string& p = it.key();
      if (p.find("/ServiceProviderConfig") != std::string::npos || p.find("/ResourceTypes") != std::string::npos) {
        return true;
      }
      if (endsWith(p, "/Users") || endsWith(p, "/Groups") || p.find("/Users/") != std::string::npos ||
          p.find("/Groups/") != std::string::npos) {
        ++scimPaths;
      }
    }
    std::string dumped;
    if (scimPaths > 0) {
      dumped = dumpJson(*paths);
      if (dumped.find("application/scim+json") != std::string::npos ||
          dumped.find("urn:ietf:params:scim") != std::string::npos) {
        return true;
      }
    }
  }
  return false;
}

InfoMetadata extractInfo(const OrderedJson& root) {
  InfoMetadata info;
  if (!root.is_object()) return info;
  const auto* infoNode = child(root, "info");
  std::string version;
  if (infoNode) {
    info.name = trim(str(*infoNode, "title"));
    version = trim(str(*infoNode, "version"));
    if (version.empty()) {
      if (const auto* v = child(*infoNode, "version"); v && v->is_number()) version = v->dump();
    }
  }
  bool swagger2 = root.contains("swagger") && !root.contains("openapi");
  if (swagger2) {
    std::string host = str(root, "host");
    std::string basePath = str(root, "basePath");
    if (!host.empty()) {
      std::string scheme = "https";
      if (const auto* schemes = child(root, "schemes"); schemes && schemes->is_array() && !schemes->empty()) {
        bool hasHttps = false;
        for (const auto& s : *schemes) hasHttps = hasHttps || (s.is_string() && s.get<std::string>() == "https");
        if (!hasHttps && (*schemes)[0].is_string()) scheme = (*schemes)[0].get<std::string>();
      }
      bool templated = host.find('{') != std::string::npos;
      info.baseApiEndpoint.push_back({scheme + "://" + host + basePath, templated ? "dynamic" : "constant"});
    } else if (!basePath.empty()) {
      info.baseApiEndpoint.push_back({basePath, "dynamic"});
    }
  } else if (const auto* servers = child(root, "servers"); servers && servers->is_array()) {
    for (const auto& s : *servers) {
      std::string url = trim(str(s, "url"));
      if (url.empty()) continue;
      bool hasVariables = url.find('{') != std::string::npos;
      bool relative = url.find("://") == std::string::npos;
      info.baseApiEndpoint.push_back({url, hasVariables || relative ? "dynamic" : "constant"});
    }
  }
  // API version from the base path ("/api/v1" → "1", "/api/1.0" → "1.0"), else from info.version.
  std::string pathVersion;
  static const std::regex versionSegment(R"(/v(\d+(?:\.\d+)*)(?:/|$)|/(\d+\.\d+)(?:/|$))", std::regex::icase);
  for (const auto& e : info.baseApiEndpoint) {
    std::smatch m;
    if (std::regex_search(e.uri, m, versionSegment)) {
      pathVersion = m[1].matched ? m[1].str() : m[2].str();
      break;
    }
  }
  bool productLike = std::count(version.begin(), version.end(), '.') >= 2 || version.find('+') != std::string::npos ||
                     version.find('-') != std::string::npos;
  if (!pathVersion.empty()) {
    info.apiVersion = pathVersion;
    if (!version.empty() && version != pathVersion) info.applicationVersion = version;
  } else if (productLike) {
    info.applicationVersion = version;
  } else {
    info.apiVersion = (version.size() > 1 && (version[0] == 'v' || version[0] == 'V') &&
                       std::isdigit(static_cast<unsigned char>(version[1])))
                          ? version.substr(1)
                          : version;
  }
  info.apiType.push_back(describesScim(root) ? "SCIM" : "REST");
  normalizeInfoMetadata(info);
  return info;
}

}  // namespace cg::digest::openapi
