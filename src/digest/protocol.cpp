#include "digest/protocol.h"

#include <algorithm>
#include <cctype>

#include "digest/sql/ddl_lexer.h"
#include "util/json_bounded.h"
#include "util/strings.h"

namespace cg::digest {
namespace {

bool icontains(std::string_view hay, std::string_view needle) {
  auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
  return it != hay.end();
}

bool mentionsScim(std::string_view text) {
  return icontains(text, "urn:ietf:params:scim:") || icontains(text, "application/scim+json");
}

ProtocolDetection make(Protocol p, std::string reason) {
  ProtocolDetection d;
  d.protocol = p;
  d.apiType = std::string(apiTypeName(p));
  d.reason = std::move(reason);
  return d;
}

bool listsScimUrn(const OrderedJson& j) {
  if (!j.is_object()) return false;
  auto it = j.find("schemas");
  if (it == j.end() || !it->is_array()) return false;
  return std::any_of(it->begin(), it->end(), [](const OrderedJson& s) {
    return s.is_string() && startsWith(toLower(s.get<std::string>()), "urn:ietf:params:scim:");
  });
}

bool isScimResource(const OrderedJson& j) {
  if (!j.is_object()) return false;
  if (listsScimUrn(j)) return true;
  if (j.contains("endpoint") && j.contains("schema")) return true;
  return j.contains("attributes") && j.contains("id") && j["id"].is_string() &&
         startsWith(toLower(j["id"].get<std::string>()), "urn:ietf:params:scim:");
}

bool isTableDescription(const OrderedJson& j) {
  auto tableLike = [](const OrderedJson& t) {
    return t.is_object() && (t.contains("columns") || t.contains("fields")) &&
           (t.contains("table") || t.contains("name") || t.contains("tableName"));
  };
  if (j.is_array()) return !j.empty() && tableLike(j.front());
  if (!j.is_object()) return false;
  if (auto it = j.find("tables"); it != j.end() && (it->is_array() || it->is_object())) return true;
  if (tableLike(j)) return true;
  size_t tables = 0;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it.value().is_object() && (it.value().contains("columns") || it.value().contains("fields"))) ++tables;
  }
  return tables > 0;
}

bool hasCreateTable(std::string_view text) {
  if (!icontains(text, "create")) return false;
  sql::DdlLexOptions options;
  options.maxTokens = 500'000;
  auto lexed = sql::lexSql(text, options);
  const auto& t = lexed.tokens;
  for (size_t i = 0; i + 1 < t.size(); ++i) {
    if (!t[i].isWord("CREATE")) continue;
    if (i > 0 && t[i - 1].kind != sql::TokenKind::Terminator) continue;  // statement start only
    for (size_t k = i + 1; k < t.size() && k < i + 8; ++k) {
      if (t[k].isWord("TABLE")) return true;
      if (t[k].kind != sql::TokenKind::Word) break;
    }
  }
  return false;
}

// YAML OpenAPI without a YAML parse: a top-level `openapi:` / `swagger:` key.
bool yamlOpenApiRoot(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    std::string_view line = text.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
    if (startsWith(line, "openapi:") || startsWith(line, "swagger:") || startsWith(line, "\"openapi\":") ||
        startsWith(line, "'openapi':")) {
      return true;
    }
    if (eol == std::string_view::npos) break;
    pos = eol + 1;
  }
  return false;
}

}  // namespace

std::string_view apiTypeName(Protocol protocol) {
  switch (protocol) {
    case Protocol::Rest: return "REST";
    case Protocol::Scim: return "SCIM";
    case Protocol::Sql: return "SQL";
    default: return "";
  }
}

ProtocolDetection detectProtocol(std::string_view text, std::string_view contentType) {
  if (looksLikeJson(text)) {
    if (auto root = parseJsonBounded(text, 256)) {
      if (root->is_object() && (root->contains("openapi") || root->contains("swagger"))) {
        auto d = make(Protocol::Rest, "openapi/swagger root key");
        d.describesScim = mentionsScim(text);
        return d;
      }
      if (isScimResource(*root)) return make(Protocol::Scim, "SCIM schema/resource type document");
      if (root->is_object() && root->contains("Resources") && (*root)["Resources"].is_array()) {
        const auto& res = (*root)["Resources"];
        if (listsScimUrn(*root) || std::any_of(res.begin(), res.end(), isScimResource)) {
          return make(Protocol::Scim, "SCIM ListResponse");
        }
      }
      if (root->is_array() && !root->empty() && isScimResource(root->front())) {
        return make(Protocol::Scim, "array of SCIM resources");
      }
      if (isTableDescription(*root)) return make(Protocol::Sql, "JSON table description");
    } else {
      std::string_view head = text.substr(0, std::min<size_t>(text.size(), 512));
      if (head.find("\"openapi\"") != std::string_view::npos || head.find("\"swagger\"") != std::string_view::npos) {
        auto d = make(Protocol::Rest, "openapi/swagger key in unparsable JSON");
        d.describesScim = mentionsScim(text);
        return d;
      }
    }
  } else if (yamlOpenApiRoot(text)) {
    auto d = make(Protocol::Rest, "openapi/swagger root key (YAML)");
    d.describesScim = mentionsScim(text);
    return d;
  }
  if (hasCreateTable(text)) return make(Protocol::Sql, "CREATE TABLE statement");
  if (mentionsScim(text)) return make(Protocol::Scim, "SCIM URN or media type in the text");
  if (text.find("/ResourceTypes") != std::string_view::npos &&
      (text.find("/Schemas") != std::string_view::npos || text.find("/ServiceProviderConfig") != std::string_view::npos)) {
    return make(Protocol::Scim, "SCIM discovery endpoints in the text");
  }
  std::string ct = toLower(contentType);
  if (ct.find("scim") != std::string::npos) return make(Protocol::Scim, "content type " + ct);
  if (ct.find("sql") != std::string::npos) return make(Protocol::Sql, "content type " + ct);
  return {};
}

}  // namespace cg::digest
