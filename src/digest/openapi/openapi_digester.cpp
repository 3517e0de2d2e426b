#include "digest/openapi/openapi_digester.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "digest/openapi/naming.h"
#include "digest/openapi/schema_resolver.h"
#include "digest/openapi/security_metadata.h"
#include "util/strings.h"
#include "util/yaml_json.h"

namespace cg::digest::openapi {
namespace {

constexpr size_t kMaxPaths = 20000;
constexpr const char* kMethods[] = {"get", "post", "put", "patch", "delete"};

const std::set<std::string> kActivateWords = {"activate", "reactivate", "enable", "unsuspend", "unlock", "restore",
                                              "unblock"};
const std::set<std::string> kDeactivateWords = {"deactivate", "disable", "suspend", "lock", "block", "archive"};
const std::set<std::string> kSearchWords = {"search", "query", "find", "filter", "lookup", "_search"};
const std::set<std::string> kOtherActionWords = {"list", "all", "count", "lifecycle", "actions", "execute"};
const std::set<std::string> kCurrentMarkers = {"me", "self", "current", "myself", "whoami", "current_user",
                                               "currentuser"};
const std::set<std::string> kEnvelopeNames = {"data",    "items",   "results", "result",   "value",  "values",
                                              "resources", "records", "content", "entries", "elements", "ocs",
                                              "objects", "list",    "response", "embedded", "_embedded", "hits"};
const std::set<std::string> kFilterParams = {"q", "query", "search", "filter", "keyword", "keywords", "term", "name",
                                             "username", "email", "login"};

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
std::string lower(std::string_view s) { return toLower(s); }

std::string firstSentences(std::string text, size_t maxChars = 300) {
  text = trim(text);
  for (auto& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (text.size() <= maxChars) return text;
  size_t cut = text.rfind(". ", maxChars);
  if (cut != std::string::npos && cut > 40) return text.substr(0, cut + 1);
  cut = text.rfind(' ', maxChars);
  if (cut == std::string::npos || cut < 40) cut = maxChars;
  // Do not cut inside a UTF-8 sequence.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "…";
}

std::string lowerFirst(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  return s;
}

bool isParamSegment(const std::string& s) {
  return (s.size() >= 2 && s.front() == '{' && s.back() == '}') || (!s.empty() && s[0] == ':');
}

int methodOrder(const std::string& m) {
  static const std::vector<std::string> order = {"GET", "POST", "PUT", "PATCH", "DELETE"};
  auto it = std::find(order.begin(), order.end(), m);
  return static_cast<int>(it - order.begin());
}

std::string pickContentType(const OrderedJson* content, const OrderedJson** schemaOut) {
  if (!content || !content->is_object() || content->empty()) return "";
  const OrderedJson* chosen = nullptr;
  std::string chosenType;
  int best = -1;
  for (auto it = content->begin(); it != content->end(); ++it) {
    std::string t = lower(it.key());
    int score = t == "application/json" ? 4 : (t.find("json") != std::string::npos ? 3 : (t == "*/*" ? 1 : 2));
    if (t.find("x-www-form-urlencoded") != std::string::npos || t.find("multipart") != std::string::npos) score = 2;
    if (score > best) {
      best = score;
      chosen = &it.value();
      chosenType = it.key();
    }
  }
  if (schemaOut && chosen) *schemaOut = child(*chosen, "schema");
  return chosenType;
}

std::string pickMediaType(const OrderedJson* list) {
  if (!list || !list->is_array() || list->empty()) return "";
  std::string first;
  for (const auto& t : *list) {
    if (!t.is_string()) continue;
    if (first.empty()) first = t.get<std::string>();
    if (lower(t.get<std::string>()).find("json") != std::string::npos) return t.get<std::string>();
  }
  return first;
}

struct ResourceRef {
  std::string schema;  // named schema of the resource ("" when unknown/inline)
  bool list = false;
  std::string itemsField;
  bool mapValues = false;  // the list is an object whose values are the resources (keyed by id)
};

struct Operation {
  std::string path;
  std::string method;  // upper case
  std::string pointer;
  const OrderedJson* node = nullptr;
  std::string summary;
  std::string description;
  std::string operationId;
  std::vector<EndpointParameter> params;
  std::optional<std::string> requestContentType;
  std::optional<std::string> responseContentType;
  ResourceRef response;
  std::string requestSchema;  // named request schema
  const OrderedJson* requestNode = nullptr;
  std::string requestPointer;
  std::vector<std::string> segments;
  int pathParams = 0;
  bool endsWithParam = false;
  bool currentMarker = false;  // …/me
  int owningIndex = -1;
  std::vector<std::string> actions;  // literal action segments after the owning collection
  int parentIndex = -1;              // literal collection before the owning one
  bool parentHasParam = false;
  std::optional<bool> requiresAuth;
  bool deprecated = false;
  bool linkHeader = false;
  // Assignment:
  std::string className;
  bool membershipOp = false;
  std::vector<std::string> uses;
  bool isList = false;
};

struct ClassInfo {
  std::string key;   // compact key
  std::string name;  // display name
  std::vector<std::string> schemas;  // read variants, primary first
  std::set<std::string> returnedSchemas;
  std::vector<const Operation*> ops;
  std::vector<std::string> createSchemas, updateSchemas;          // named request bodies
  std::vector<std::pair<const OrderedJson*, std::string>> createInline, updateInline;  // inline bodies
  bool hasCreateOp = false, hasUpdateOp = false;
  ObjectClass result;
  int iga = kNotIga;
};

class DocumentDigester {
 public:
  DocumentDigester(const OrderedJson& root, std::string docId, const EvidenceIndex& evidence,
                   const OpenApiOptions& options, std::vector<Diagnostic>& diagnostics)
      : root_(root),
        docId_(std::move(docId)),
        evidence_(evidence),
        options_(options),
        diagnostics_(diagnostics),
        resolver_(root, docId_, diagnostics) {}

  DigestResult run() {
    DigestResult out;
    if (!root_.is_object()) {
      diag(Diagnostic::Severity::Error, "", "document is not a JSON/YAML object");
      return out;
    }
    out.info = extractInfo(root_);
    out.auth = extractAuth(root_, docId_, evidence_);
    collectOperations();
    buildClasses();
    assignOperations();
    buildEndpoints();
    buildAttributes();
    buildNestedCollections();
    rankClasses();
    buildRelations(out.relations);
    buildConnectivity(out.connectivityEndpoints);
    for (auto* c : ranked_) out.objectClasses.push_back(std::move(c->result));
    if (resolver_.budgetExceeded()) {
      diag(Diagnostic::Severity::Error, "", "document too large or too deeply nested; result is partial");
    }
    return out;
  }

 private:
  void diag(Diagnostic::Severity s, std::string location, std::string message) {
    if (diagnostics_.size() < 500) diagnostics_.push_back({s, docId_, std::move(location), std::move(message)});
  }

  // ------------------------------------------------------------------ operations

  ResourceRef unwrapResource(const OrderedJson& schema, const std::string& pointer, int depth) {
    ResourceRef none;
    if (depth > 4) return none;
    std::string name, target = pointer;
    const OrderedJson* node = resolver_.deref(schema, &name, &target);
    if (!node) return none;
    const SchemaShape& s = resolver_.shape(*node, target);
    if (s.isArray) {
      if (!s.itemsRef.empty() && s.items && resolver_.shape(*s.items, target + "/items").isObject) {
        if (isNoiseName(s.itemsRef)) {
          ResourceRef inner = unwrapResource(*s.items, target + "/items", depth + 1);
          inner.list = true;
          return inner;
        }
        return {s.itemsRef, true, ""};
      }
      if (s.items && resolver_.shape(*s.items, target + "/items").isObject) return {"", true, ""};  // inline items
      return none;
    }
    if (!s.isObject) return none;
    // A map keyed by id, {"type": object, "additionalProperties": X} (Nextcloud users/details):
    // its values are the resources.
    if (s.properties.empty()) {
      if (auto ap = node->find("additionalProperties"); ap != node->end() && ap->is_object()) {
        std::vector<const OrderedJson*> options = {&*ap};
        for (const char* key : {"anyOf", "oneOf"})
          if (auto alt = ap->find(key); alt != ap->end() && alt->is_array())
            for (const auto& part : *alt) options.push_back(&part);
        for (const auto* option : options) {
          if (!option->is_object() || !option->contains("$ref")) continue;
          std::string valueName;
          if (resolver_.deref(*option, &valueName) && !valueName.empty() && !isNoiseName(valueName)) {
            ResourceRef map{valueName, true, ""};
            map.mapValues = true;
            return map;
          }
        }
      }
    }
    // A decorated alias, allOf [$ref X, {only "_embedded"/"_links"-style properties}] (Okta's
    // UserGetSingleton), is the resource X itself.
    if (auto allOf = node->find("allOf"); allOf != node->end() && allOf->is_array()) {
      const OrderedJson* ref = nullptr;
      bool decorationsOnly = true;
      for (const auto& part : *allOf) {
        if (part.is_object() && part.contains("$ref")) {
          if (ref) decorationsOnly = false;
          ref = &part;
          continue;
        }
        const OrderedJson* props = part.is_object() ? child(part, "properties") : nullptr;
        if (!props || !props->is_object()) {
          decorationsOnly = false;
          continue;
        }
        for (auto it = props->begin(); it != props->end(); ++it)
          if (it.key().empty() || it.key()[0] != '_') decorationsOnly = false;
      }
      if (ref && decorationsOnly) {
        ResourceRef inner = unwrapResource(*ref, target + "/allOf", depth + 1);
        if (!inner.schema.empty() && !inner.list) return inner;
      }
    }
    if (!name.empty() && !isNoiseName(name) && requestShapeOf(name).kind == RequestKind::None) return {name, false, ""};
    // Envelope: pick the property that carries the resource.
    ResourceRef best;
    int bestScore = -1;
    for (const auto& p : s.properties) {
      ResourceRef candidate;
      if (!p.refName.empty()) {
        if (isNoiseName(p.refName)) {
          const OrderedJson* inner = resolver_.resolvePointer(p.pointer);
          if (!inner) continue;
          candidate = unwrapResource(*inner, p.pointer, depth + 1);
          if (candidate.schema.empty() && !candidate.list) continue;
          candidate.list = candidate.list || p.array;
          candidate.itemsField = p.name + (candidate.itemsField.empty() ? "" : "." + candidate.itemsField);
        } else {
          candidate = {p.refName, p.array, p.name};
        }
      } else if (p.type == "object" && p.array) {
        candidate = {"", true, p.name};  // list of inline objects: the class comes from the path
      } else if (p.type == "object" && !p.array) {
        const OrderedJson* inner = resolver_.resolvePointer(p.pointer);
        if (!inner) continue;
        candidate = unwrapResource(*inner, p.pointer, depth + 1);
        if (candidate.schema.empty() && !candidate.list) continue;
        candidate.itemsField = p.name + (candidate.itemsField.empty() ? "" : "." + candidate.itemsField);
      } else {
        continue;
      }
      int score = (kEnvelopeNames.count(lower(p.name)) ? 4 : 0) + (candidate.list ? 1 : 0) +
                  (candidate.schema.empty() ? 0 : 2);
      if (score > bestScore) {
        bestScore = score;
        best = candidate;
      }
    }
    // Only trust an envelope guess when the wrapper is anonymous/noise and the pick is clear.
    if (bestScore >= 4 || (bestScore >= 0 && s.properties.size() <= 3)) return best;
    return none;
  }

  EndpointParameter readParameter(const OrderedJson& raw, const std::string& pointer, Operation& op) {
    std::string name;
    const OrderedJson* p = resolver_.deref(raw, &name);
    EndpointParameter out;
    if (!p || !p->is_object()) return out;
    out.name = str(*p, "name");
    out.in = str(*p, "in");
    out.description = firstSentences(str(*p, "description"), 200);
    out.required = p->contains("required") && (*p)["required"] == true;
    out.type = str(*p, "type");
    if (const auto* sch = child(*p, "schema")) {
      const OrderedJson* s = resolver_.deref(*sch);
      if (s) out.type = str(*s, "type");
      if (out.in == "body") {
        std::string reqName, reqPtr = pointer + "/schema";
        const OrderedJson* body = resolver_.deref(*sch, &reqName, &reqPtr);
        op.requestSchema = reqName;
        op.requestNode = body;
        op.requestPointer = reqPtr;
      }
    }
    return out;
  }

  void collectOperations() {
    const auto* paths = child(root_, "paths");
    if (!paths) {
      diag(Diagnostic::Severity::Info, "/paths", "document has no paths");
      return;
    }
    if (!paths->is_object()) {
      diag(Diagnostic::Severity::Warning, "/paths", "paths is not an object");
      return;
    }
    bool globalSecurity = false, globalSecurityDeclared = false;
    if (const auto* sec = child(root_, "security"); sec && sec->is_array()) {
      globalSecurityDeclared = true;
      for (const auto& r : *sec) globalSecurity = globalSecurity || (r.is_object() && !r.empty());
    }
    std::string globalProduces = pickMediaType(child(root_, "produces"));
    std::string globalConsumes = pickMediaType(child(root_, "consumes"));
    size_t count = 0;
    for (auto pit = paths->begin(); pit != paths->end(); ++pit) {
      if (++count > kMaxPaths) {
        diag(Diagnostic::Severity::Error, "/paths", "more than 20000 paths; the rest is ignored");
        break;
      }
      const std::string& path = pit.key();
      std::string pathPointer = "/paths/" + escapePointerToken(path);
      const OrderedJson* item = resolver_.deref(pit.value());
      if (!item || !item->is_object()) continue;
      for (const char* m : kMethods) {
        const OrderedJson* opNode = child(*item, m);
        if (!opNode || !opNode->is_object()) continue;
        Operation op;
        op.path = path.empty() || path[0] != '/' ? "/" + path : path;
        op.method = toLower(m);
        for (auto& c : op.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        op.pointer = pathPointer + "/" + m;
        op.node = opNode;
        op.summary = trim(str(*opNode, "summary"));
        op.description = trim(str(*opNode, "description"));
        op.operationId = str(*opNode, "operationId");
        op.deprecated = opNode->contains("deprecated") && (*opNode)["deprecated"] == true;
        // Parameters: path-level first, operation-level override by (name, in).
        std::vector<EndpointParameter> params;
        auto addParams = [&](const OrderedJson* list, const std::string& ptr) {
          if (!list || !list->is_array()) return;
          size_t i = 0;
          for (const auto& raw : *list) {
            EndpointParameter p = readParameter(raw, ptr + "/" + std::to_string(i++), op);
            if (p.name.empty() || p.in == "body") continue;
            if (p.in == "formData") {
              op.requestContentType = "application/x-www-form-urlencoded";
              continue;
            }
            auto same = std::find_if(params.begin(), params.end(),
                                     [&](const EndpointParameter& q) { return q.name == p.name && q.in == p.in; });
            if (same != params.end()) *same = p;
            else params.push_back(p);
          }
        };
        addParams(child(*item, "parameters"), pathPointer + "/parameters");
        addParams(child(*opNode, "parameters"), op.pointer + "/parameters");
        for (auto& p : params) {
          if (p.in == "path" || p.in == "query" || p.in == "header") op.params.push_back(p);
        }
        // Request body (3.x).
        if (const auto* rb = child(*opNode, "requestBody")) {
          std::string rbPtr = op.pointer + "/requestBody";
          const OrderedJson* body = resolver_.deref(*rb, nullptr, &rbPtr);
          if (body) {
            const OrderedJson* schema = nullptr;
            std::string ct = pickContentType(child(*body, "content"), &schema);
            if (!ct.empty()) op.requestContentType = ct;
            if (schema) {
              std::string reqName, reqPtr = rbPtr + "/content/" + escapePointerToken(ct) + "/schema";
              op.requestNode = resolver_.deref(*schema, &reqName, &reqPtr);
              op.requestSchema = reqName;
              op.requestPointer = reqPtr;
              if (op.requestNode && (reqName.empty() || isNoiseName(reqName))) {
                // {"data": {...}} request envelopes carry the real body inside.
                const SchemaShape& shape = resolver_.shape(*op.requestNode, reqPtr);
                if (shape.properties.size() == 1 && kEnvelopeNames.count(lower(shape.properties[0].name)) &&
                    !shape.properties[0].refName.empty() && !shape.properties[0].array) {
                  std::string inner = shape.properties[0].refName;
                  std::string innerPtr = resolver_.schemaRefPrefix().substr(1) + escapePointerToken(inner);
                  if (const OrderedJson* n = resolver_.resolvePointer(innerPtr)) {
                    op.requestNode = n;
                    op.requestSchema = inner;
                    op.requestPointer = innerPtr;
                  }
                }
              }
              // JSON Patch / SCIM PatchOp bodies list operations, not attributes.
              if (op.requestNode && (lower(ct).find("json-patch") != std::string::npos ||
                                     resolver_.shape(*op.requestNode, op.requestPointer).find("Operations"))) {
                op.requestNode = nullptr;
                op.requestSchema.clear();
              }
            }
          }
        } else if (op.requestNode) {
          std::string consumes = pickMediaType(child(*opNode, "consumes"));
          op.requestContentType = consumes.empty() ? (globalConsumes.empty() ? "application/json" : globalConsumes)
                                                   : consumes;
        }
        readResponse(op, *opNode, globalProduces);
        // Security.
        if (const auto* sec = child(*opNode, "security"); sec && sec->is_array()) {
          bool any = false;
          for (const auto& r : *sec) any = any || (r.is_object() && !r.empty());
          op.requiresAuth = any;
        } else if (globalSecurityDeclared) {
          op.requiresAuth = globalSecurity;
        }
        analysePath(op);
        operations_.push_back(std::move(op));
      }
    }
  }

  void readResponse(Operation& op, const OrderedJson& opNode, const std::string& globalProduces) {
    const auto* responses = child(opNode, "responses");
    if (!responses || !responses->is_object()) return;
    const OrderedJson* chosen = nullptr;
    std::string chosenPtr;
    int best = 100;
    for (auto it = responses->begin(); it != responses->end(); ++it) {
      const std::string& code = it.key();
      int rank = code == "200" ? 0 : code == "201" ? 1 : (!code.empty() && code[0] == '2') ? 2 : code == "default" ? 5 : 100;
      if (rank < best) {
        best = rank;
        chosen = &it.value();
        chosenPtr = op.pointer + "/responses/" + escapePointerToken(code);
      }
    }
    if (!chosen) return;
    const OrderedJson* resp = resolver_.deref(*chosen, nullptr, &chosenPtr);
    if (!resp || !resp->is_object()) return;
    if (const auto* headers = child(*resp, "headers"); headers && headers->is_object()) {
      for (auto h = headers->begin(); h != headers->end(); ++h) op.linkHeader = op.linkHeader || iequals(h.key(), "link");
    }
    const OrderedJson* schema = nullptr;
    std::string schemaPtr;
    if (resolver_.isSwagger2()) {
      schema = child(*resp, "schema");
      schemaPtr = chosenPtr + "/schema";
      std::string produces = pickMediaType(child(opNode, "produces"));
      if (schema) op.responseContentType = produces.empty() ? (globalProduces.empty() ? "application/json" : globalProduces) : produces;
    } else {
      std::string ct = pickContentType(child(*resp, "content"), &schema);
      if (!ct.empty()) op.responseContentType = ct;
      schemaPtr = chosenPtr + "/content/" + escapePointerToken(ct) + "/schema";
    }
    if (schema && best < 5) op.response = unwrapResource(*schema, schemaPtr, 0);
  }

  void analysePath(Operation& op) {
    for (const auto& s : split(op.path, '/', true)) op.segments.push_back(s);
    for (const auto& s : op.segments) op.pathParams += isParamSegment(s) ? 1 : 0;
    int i = static_cast<int>(op.segments.size()) - 1;
    std::vector<std::string> actions;
    while (i >= 0) {
      const std::string& s = op.segments[i];
      std::string l = lower(s);
      if (isParamSegment(s)) {
        if (actions.empty()) op.endsWithParam = true;
        --i;
        continue;
      }
      if (kCurrentMarkers.count(l) && i > 0) {
        op.currentMarker = true;
        --i;
        continue;
      }
      if (kActivateWords.count(l) || kDeactivateWords.count(l) || kSearchWords.count(l) || kOtherActionWords.count(l)) {
        actions.push_back(l);
        --i;
        continue;
      }
      break;
    }
    if (i < 0) return;
    op.owningIndex = i;
    std::reverse(actions.begin(), actions.end());
    op.actions = actions;
    if (!actions.empty()) {
      // ".../{id}/activate": the parameter before the action identifies the item.
      op.endsWithParam = false;
      for (size_t k = static_cast<size_t>(i) + 1; k < op.segments.size(); ++k) {
        if (isParamSegment(op.segments[k])) op.endsWithParam = true;
      }
    }
    int j = i - 1;
    while (j >= 0 && isParamSegment(op.segments[j])) {
      op.parentHasParam = true;
      --j;
    }
    if (j >= 0 && !isParamSegment(op.segments[j])) op.parentIndex = j;
  }

  // ------------------------------------------------------------------ classes

  void buildClasses() {
    std::map<std::string, size_t> firstUse;  // schema → first operation index returning it
    for (size_t i = 0; i < operations_.size(); ++i) {
      const auto& op = operations_[i];
      if (op.response.schema.empty()) continue;
      if (op.method == "DELETE") continue;
      const std::string& s = op.response.schema;
      if (isNoiseName(s) || requestShapeOf(s).kind != RequestKind::None) continue;
      if (!resolver_.isObjectSchema(s)) continue;
      firstUse.emplace(s, i);
    }
    bool schemaOnly = operations_.empty();
    const OrderedJson* schemas = resolver_.namedSchemas();
    std::vector<std::string> declared;
    if (schemas) {
      for (auto it = schemas->begin(); it != schemas->end(); ++it) declared.push_back(it.key());
    }
    auto classFor = [&](const std::string& schema) -> ClassInfo& {
      std::string base = resourceBaseName(schema);
      std::string key = compactKey(base);
      auto it = classIndex_.find(key);
      if (it != classIndex_.end()) return classes_[it->second];
      ClassInfo info;
      info.key = key;
      info.name = base;
      classes_.push_back(std::move(info));
      classIndex_[key] = classes_.size() - 1;
      return classes_.back();
    };
    // Classes from returned schemas, in order of first use (deterministic).
    std::vector<std::pair<size_t, std::string>> returned;
    for (const auto& [schema, idx] : firstUse) returned.push_back({idx, schema});
    std::sort(returned.begin(), returned.end());
    for (const auto& [idx, schema] : returned) {
      ClassInfo& c = classFor(schema);
      c.returnedSchemas.insert(schema);
      if (std::find(c.schemas.begin(), c.schemas.end(), schema) == c.schemas.end()) c.schemas.push_back(schema);
    }
    if (schemaOnly) {
      for (const auto& s : declared) {
        if (isNoiseName(s) || requestShapeOf(s).kind != RequestKind::None || !resolver_.isObjectSchema(s)) continue;
        ClassInfo& c = classFor(s);
        if (std::find(c.schemas.begin(), c.schemas.end(), s) == c.schemas.end()) c.schemas.push_back(s);
      }
    }
    if (classes_.size() > options_.maxClasses) {
      diag(Diagnostic::Severity::Warning, "", "too many classes; only the first " + std::to_string(options_.maxClasses) + " are kept");
      classes_.resize(options_.maxClasses);
      classIndex_.clear();
      for (size_t i = 0; i < classes_.size(); ++i) classIndex_[classes_[i].key] = i;
    }
    // Other variants of the same resource (UserBase, UserCompact, …) join the class.
    for (const auto& s : declared) {
      if (isNoiseName(s) || requestShapeOf(s).kind != RequestKind::None) continue;
      auto it = classIndex_.find(compactKey(resourceBaseName(s)));
      if (it == classIndex_.end()) continue;
      auto& c = classes_[it->second];
      if (std::find(c.schemas.begin(), c.schemas.end(), s) == c.schemas.end() && resolver_.isObjectSchema(s)) {
        c.schemas.push_back(s);
      }
    }
    // Primary variant: the schema named exactly like the class, else the first returned one.
    for (auto& c : classes_) {
      auto exact = std::find(c.schemas.begin(), c.schemas.end(), c.name);
      if (exact != c.schemas.end()) std::rotate(c.schemas.begin(), exact, exact + 1);
      schemaToClass_.clear();
    }
    for (size_t i = 0; i < classes_.size(); ++i) {
      for (const auto& s : classes_[i].schemas) schemaToClass_[s] = i;
    }
  }

  const ClassInfo* classOfSchema(const std::string& schema) const {
    auto it = schemaToClass_.find(schema);
    if (it != schemaToClass_.end()) return &classes_[it->second];
    auto k = classIndex_.find(compactKey(resourceBaseName(schema)));
    return k == classIndex_.end() ? nullptr : &classes_[k->second];
  }
  ClassInfo* classByKey(const std::string& key) {
    auto it = classIndex_.find(key);
    return it == classIndex_.end() ? nullptr : &classes_[it->second];
  }

  ClassInfo* classForSegment(const std::string& segment) {
    if (segment.empty()) return nullptr;
    auto votes = segmentVotes_.find(lower(segment));
    ClassInfo* named = nullptr;
    for (auto& c : classes_) {
      if (segmentNamesClass(segment, c.name)) {
        if (!named || compactKey(singularize(segment)) == c.key) named = &c;
      }
    }
    if (named) return named;
    if (votes == segmentVotes_.end()) return nullptr;
    const std::string* bestKey = nullptr;
    int bestCount = 0;
    for (const auto& [key, n] : votes->second) {
      if (n > bestCount) {
        bestCount = n;
        bestKey = &key;
      }
    }
    return bestKey ? classByKey(*bestKey) : nullptr;
  }

  void assignOperations() {
    // Votes: which class each collection segment returns.
    for (auto& op : operations_) {
      if (op.response.schema.empty() || op.owningIndex < 0) continue;
      const ClassInfo* c = classOfSchema(op.response.schema);
      if (c) segmentVotes_[lower(op.segments[op.owningIndex])][c->key]++;
    }
    for (auto& op : operations_) {
      ClassInfo* byResponse = nullptr;
      if (!op.response.schema.empty()) {
        const ClassInfo* c = classOfSchema(op.response.schema);
        if (c) byResponse = classByKey(c->key);
      }
      ClassInfo* byRequest = nullptr;
      if (!op.requestSchema.empty()) {
        RequestShape shape = requestShapeOf(op.requestSchema);
        std::string key = compactKey(shape.kind != RequestKind::None ? shape.resource : resourceBaseName(op.requestSchema));
        byRequest = classByKey(key);
      }
      std::string owning = op.owningIndex >= 0 ? op.segments[op.owningIndex] : "";
      ClassInfo* bySegment = classForSegment(owning);
      ClassInfo* target = byResponse ? byResponse : byRequest;
      bool nested = op.parentHasParam && op.parentIndex >= 0;
      if (!target && bySegment) {
        if (nested && !segmentNamesClass(owning, bySegment->name)) {
          // PUT /teams/{id}/members/{user}: changes the parent's membership.
          ClassInfo* parent = classForSegment(op.segments[op.parentIndex]);
          if (parent && parent != bySegment) {
            op.membershipOp = true;
            target = parent;
          }
        } else {
          target = bySegment;
        }
      }
      if (!target) continue;
      op.className = target->key;
      op.isList = op.response.list;
      op.uses = suggestedUses(op, *target);
      target->ops.push_back(&op);
      bool isCreate = std::find(op.uses.begin(), op.uses.end(), "create") != op.uses.end();
      bool isUpdate = std::find(op.uses.begin(), op.uses.end(), "update") != op.uses.end();
      if (isCreate) target->hasCreateOp = true;
      if (isUpdate) target->hasUpdateOp = true;
      if ((isCreate || isUpdate) && op.requestNode) {
        auto& named = isCreate ? target->createSchemas : target->updateSchemas;
        auto& inl = isCreate ? target->createInline : target->updateInline;
        if (!op.requestSchema.empty()) {
          if (std::find(named.begin(), named.end(), op.requestSchema) == named.end()) named.push_back(op.requestSchema);
        } else {
          inl.push_back({op.requestNode, op.requestPointer});
        }
      }
    }
  }

  std::vector<std::string> suggestedUses(const Operation& op, const ClassInfo& c) const {
    std::vector<std::string> uses;
    if (op.membershipOp) return uses;
    auto add = [&uses](const char* u) {
      if (std::find(uses.begin(), uses.end(), u) == uses.end()) uses.push_back(u);
    };
    bool write = op.method != "GET";
    for (const auto& a : op.actions) {
      if (write && kActivateWords.count(a)) add("activate");
      if (write && kDeactivateWords.count(a)) add("deactivate");
    }
    if (!uses.empty()) return uses;
    bool searchPath = std::any_of(op.actions.begin(), op.actions.end(), [](const std::string& a) { return kSearchWords.count(a) > 0; });
    bool requiredQuery = std::any_of(op.params.begin(), op.params.end(),
                                     [](const EndpointParameter& p) { return p.in == "query" && p.required; });
    bool filterParam = std::any_of(op.params.begin(), op.params.end(), [](const EndpointParameter& p) {
      return p.in == "query" && kFilterParams.count(lower(p.name)) > 0;
    });
    if (op.method == "GET") {
      if (op.response.list || searchPath) {
        if (searchPath) {
          add("search");
          if (op.pathParams == 0 && !requiredQuery) add("getAll");
        } else if (op.pathParams == 0) {
          if (!requiredQuery) add("getAll");
          if (filterParam) add("search");
        } else {
          add("list");
          if (filterParam) add("search");
        }
      } else if (op.endsWithParam && !op.currentMarker && op.actions.empty()) {
        add("getById");
      }
      return uses;
    }
    if (!op.actions.empty()) {
      if (searchPath) add("search");
      return uses;
    }
    bool ownsClass = op.owningIndex >= 0 && (segmentNamesClass(op.segments[op.owningIndex], c.name) ||
                                              (!op.response.schema.empty() && classOfSchema(op.response.schema) == &c) ||
                                              !op.requestSchema.empty());
    if (op.method == "POST") {
      if (!op.endsWithParam && ownsClass) add("create");
      else if (op.endsWithParam) add("update");
    } else if (op.method == "PUT" || op.method == "PATCH") {
      if (op.endsWithParam || op.currentMarker || !ownsClass || op.pathParams > 0) add("update");
    } else if (op.method == "DELETE") {
      if (op.endsWithParam) add("delete");
    }
    return uses;
  }

  // ------------------------------------------------------------------ endpoints

  static PaginationInfo detectPagination(const Operation& op) {
    PaginationInfo p;
    std::string page, size, offset, cursor;
    for (const auto& prm : op.params) {
      if (prm.in != "query") continue;
      std::string n = compactKey(prm.name);
      if (page.empty() && (n == "page" || n == "pagenumber" || n == "pagenum" || n == "pageindex" || n == "pageno")) page = prm.name;
      else if (size.empty() && (n == "limit" || n == "perpage" || n == "pagesize" || n == "size" || n == "count" ||
                                n == "max" || n == "maxresults" || n == "top" || n == "pagelimit" || n == "rows"))
        size = prm.name;
      else if (offset.empty() && (n == "offset" || n == "start" || n == "startindex" || n == "skip" || n == "first" || n == "from")) {
        // An "offset" that is an opaque token handed out by the previous page (Asana) is a cursor.
        std::string d = lower(prm.description);
        if (cursor.empty() && (d.find("token") != std::string::npos || d.find("cursor") != std::string::npos ||
                               d.find("returned by the api") != std::string::npos))
          cursor = prm.name;
        else
          offset = prm.name;
      }
      else if (cursor.empty() && (n == "cursor" || n == "after" || n == "pagetoken" || n == "nexttoken" || n == "continuationtoken" ||
                                  n == "marker" || n == "startingafter" || n == "nextpagetoken" || n == "pagecursor" || n == "since"))
        cursor = prm.name;
      if (page == prm.name && lower(prm.description).find("1-based") != std::string::npos) p.firstPage = "1";
      if (page == prm.name && lower(prm.description).find("0-based") != std::string::npos) p.firstPage = "0";
    }
    if (!cursor.empty()) {
      p.style = "cursor";
      p.cursorParam = cursor;
      p.sizeParam = size;
    } else if (!page.empty()) {
      p.style = "page";
      p.pageParam = page;
      p.sizeParam = size;
    } else if (!offset.empty()) {
      p.style = "offset";
      p.offsetParam = offset;
      p.sizeParam = size;
      if (compactKey(offset) == "startindex") p.firstPage = "1";
    } else if (op.linkHeader) {
      p.style = "link";
      p.sizeParam = size;
    } else if (!size.empty() && op.response.list) {
      p.style = "page";  // size only: a single page of `size` items
      p.sizeParam = size;
    }
    if (!p.style.empty()) p.linkHeader = op.linkHeader;
    if (p.style.empty()) p.firstPage.clear();
    return p;
  }

  Endpoint makeEndpoint(const Operation& op) const {
    Endpoint e;
    e.path = op.path;
    e.method = op.method;
    std::string d = !op.summary.empty() ? op.summary : op.description;
    if (d.empty()) d = op.operationId.empty() ? op.method + " " + op.path : op.operationId;
    e.description = firstSentences(d);
    if (op.membershipOp) e.description += " (membership operation)";
    e.requestContentType = op.requestContentType;
    e.responseContentType = op.responseContentType;
    e.suggestedUse = op.uses;
    e.relevantDocumentations = evidence_.lookup(docId_, op.pointer);
    if (op.method == "GET" && (op.response.list || !op.actions.empty())) e.pagination = detectPagination(op);
    e.parameters = op.params;
    if (op.response.list) e.responseItemsField = op.response.itemsField;
    if (op.response.list && op.response.mapValues) e.extra["responseItemsMap"] = true;
    return e;
  }

  void buildEndpoints() {
    for (auto& c : classes_) {
      std::vector<const Operation*> ops = c.ops;
      std::stable_sort(ops.begin(), ops.end(), [](const Operation* a, const Operation* b) {
        if (a->path != b->path) return a->path < b->path;
        return methodOrder(a->method) < methodOrder(b->method);
      });
      for (const auto* op : ops) c.result.endpoints.push_back(makeEndpoint(*op));
    }
  }

  // ------------------------------------------------------------------ attributes

  struct AttrBuild {
    Attribute attr;
    bool inRead = false, readOnly = false, writeOnly = false, required = false;
    bool inCreate = false, inUpdate = false, requiredCreate = false;
    bool array = false;
    std::string type, format, refName;
  };

  void absorb(std::vector<AttrBuild>& attrs, std::map<std::string, size_t>& index, const PropertyShape& p, int role) {
    // role 0 = read variant, 1 = create body, 2 = update body
    auto it = index.find(p.name);
    if (it == index.end()) {
      if (attrs.size() >= options_.maxAttributesPerClass) return;
      AttrBuild b;
      b.attr.name = p.name;
      index[p.name] = attrs.size();
      attrs.push_back(std::move(b));
      it = index.find(p.name);
    }
    AttrBuild& b = attrs[it->second];
    if (b.type.empty()) b.type = p.type;
    if (b.format.empty()) b.format = p.format;
    if (b.refName.empty()) b.refName = p.refName;
    b.array = b.array || p.array;
    if (!b.attr.description && !p.description.empty()) b.attr.description = firstSentences(p.description);
    auto refs = evidence_.lookup(docId_, p.pointer);
    b.attr.relevantDocumentations.insert(b.attr.relevantDocumentations.end(), refs.begin(), refs.end());
    if (role == 0) {
      b.inRead = true;
      b.readOnly = b.readOnly || p.readOnly;
      b.writeOnly = b.writeOnly || p.writeOnly;
      b.required = b.required || p.required;
    } else if (role == 1) {
      b.inCreate = true;
      b.requiredCreate = b.requiredCreate || p.required;
      b.writeOnly = b.writeOnly || p.writeOnly;
    } else {
      b.inUpdate = true;
      b.writeOnly = b.writeOnly || p.writeOnly;
    }
  }

  void buildAttributes() {
    for (auto& c : classes_) {
      std::vector<AttrBuild> attrs;
      std::map<std::string, size_t> index;
      for (const auto& s : c.schemas) {
        for (const auto& p : resolver_.namedShape(s).properties) absorb(attrs, index, p, 0);
      }
      for (const auto& s : c.createSchemas) {
        for (const auto& p : resolver_.namedShape(s).properties) absorb(attrs, index, p, 1);
      }
      for (const auto& [node, ptr] : c.createInline) {
        for (const auto& p : resolver_.shape(*node, ptr).properties) absorb(attrs, index, p, 1);
      }
      for (const auto& s : c.updateSchemas) {
        for (const auto& p : resolver_.namedShape(s).properties) absorb(attrs, index, p, 2);
      }
      for (const auto& [node, ptr] : c.updateInline) {
        for (const auto& p : resolver_.shape(*node, ptr).properties) absorb(attrs, index, p, 2);
      }
      bool knowCreate = !c.createSchemas.empty() || !c.createInline.empty();
      bool knowUpdate = !c.updateSchemas.empty() || !c.updateInline.empty();
      for (auto& b : attrs) {
        Attribute& a = b.attr;
        if (!b.refName.empty()) {
          const ClassInfo* target = classOfSchema(b.refName);
          if (target) {
            a.type = target->name;
            a.format = "reference";
          } else {
            a.type = b.refName;
            a.format = "embedded";
          }
        } else {
          if (!b.type.empty()) a.type = b.type;
          if (!b.format.empty()) a.format = b.format;
        }
        a.multivalue = b.array;
        a.mandatory = b.required || b.requiredCreate;
        bool writable = !b.readOnly;
        a.creatable = knowCreate ? (b.inCreate && !b.readOnly) : (writable && (c.hasCreateOp || !b.inRead || true));
        a.updatable = knowUpdate ? (b.inUpdate && !b.readOnly) : writable;
        a.readable = b.inRead && !b.writeOnly;
        a.returnedByDefault = *a.readable;
        std::sort(a.relevantDocumentations.begin(), a.relevantDocumentations.end());
        a.relevantDocumentations.erase(std::unique(a.relevantDocumentations.begin(), a.relevantDocumentations.end()),
                                       a.relevantDocumentations.end());
        c.result.attributes.push_back(std::move(a));
      }
    }
  }

  // ------------------------------------------------------------------ nested collections

  struct Link {
    std::string holder;  // class key holding the attribute
    std::string attribute;
    std::string target;  // class key
    std::string evidence;  // "GET /orgs/{org}/members" or "property"
    bool fromPath = false;
  };

  void buildNestedCollections() {
    for (auto& op : operations_) {
      if (op.method != "GET" || !op.response.list || op.className.empty() || op.membershipOp) continue;
      if (op.parentIndex < 0 || op.owningIndex < 0 || !op.actions.empty()) continue;
      ClassInfo* child = classByKey(op.className);
      std::string parentSeg = op.segments[op.parentIndex];
      ClassInfo* parent = nullptr;
      if (op.parentHasParam) {
        parent = classForSegment(parentSeg);
      } else {
        for (auto& c : classes_) {
          if (segmentNamesClass(parentSeg, c.name) && compactKey(singularize(parentSeg)) == c.key) parent = &c;
        }
      }
      if (!child || !parent || parent == child) continue;
      if (parent->iga == kNotIga) parent->iga = igaPriority(parent->name);
      if (child->iga == kNotIga) child->iga = igaPriority(child->name);
      if (igaPriority(parent->name) == kNotIga || igaPriority(child->name) == kNotIga) continue;
      std::string segment = op.segments[op.owningIndex];
      std::string attrName = segment;
      if (segmentNamesClass(segment, child->name) && compactKey(singularize(segment)) != child->key) {
        attrName = pluralize(lowerFirst(child->name));
        attrName[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(attrName[0])));
        // keep camel case of multi-word names: pluralize lowers everything; rebuild from the name
        std::string base = lowerFirst(child->name);
        std::string plural = pluralize(compactKey(child->name));
        attrName = base + plural.substr(std::min(plural.size(), compactKey(child->name).size()));
        if (plural.size() < compactKey(child->name).size() || plural.compare(0, compactKey(child->name).size(), compactKey(child->name)) != 0) {
          attrName = plural;
        }
      }
      auto& attrs = parent->result.attributes;
      bool exists = std::any_of(attrs.begin(), attrs.end(), [&](const Attribute& a) { return a.name == attrName; });
      std::string via = op.method + " " + op.path;
      links_.push_back({parent->key, attrName, child->key, via, true});
      if (exists) continue;
      // Writable when the document has PUT/POST/DELETE on the member item path.
      bool writable = std::any_of(operations_.begin(), operations_.end(), [&](const Operation& o) {
        return o.method != "GET" && startsWith(o.path, op.path) && o.path.size() > op.path.size();
      });
      Attribute a;
      a.name = attrName;
      a.type = child->name;
      a.format = "reference";
      a.description = child->name + " items listed by " + via + ".";
      a.mandatory = false;
      a.creatable = false;
      a.updatable = writable;
      a.readable = true;
      a.multivalue = true;
      a.returnedByDefault = false;
      a.relevantDocumentations = evidence_.lookup(docId_, op.pointer);
      attrs.push_back(std::move(a));
    }
  }

  // ------------------------------------------------------------------ ranking

  void rankClasses() {
    for (auto& c : classes_) {
      ObjectClass& oc = c.result;
      oc.name = c.name;
      c.iga = igaPriority(c.name);
      bool hasList = false, hasGet = false;
      for (const auto& e : oc.endpoints) {
        for (const auto& u : e.suggestedUse) {
          hasList = hasList || u == "getAll" || u == "list" || u == "search";
          hasGet = hasGet || u == "getById";
        }
      }
      oc.confidence = hasList && hasGet ? Confidence::High : (c.returnedSchemas.empty() ? Confidence::Low : Confidence::Medium);
      oc.relevant = c.iga != kNotIga ? "true" : "maybe";
      oc.embedded = false;
      std::string description;
      std::string primaryPointer;
      bool abstract = false;
      for (const auto& s : c.schemas) {
        std::string ptr = resolver_.schemaRefPrefix().substr(1) + escapePointerToken(s);
        if (primaryPointer.empty()) primaryPointer = ptr;
        auto refs = evidence_.lookup(docId_, ptr);
        oc.relevantDocumentations.insert(oc.relevantDocumentations.end(), refs.begin(), refs.end());
        const SchemaShape& shape = resolver_.namedShape(s);
        if (description.empty()) description = !shape.description.empty() ? shape.description : shape.title;
        if (s == c.schemas.front()) {
          abstract = !shape.discriminator.empty() && !shape.variants.empty();
          for (const auto& parent : shape.parents) {
            const ClassInfo* pc = classOfSchema(parent);
            if (pc && pc->key != c.key) {
              oc.superclass = pc->name;
              break;
            }
          }
        }
      }
      for (const auto& e : oc.endpoints) {
        oc.relevantDocumentations.insert(oc.relevantDocumentations.end(), e.relevantDocumentations.begin(),
                                         e.relevantDocumentations.end());
      }
      std::sort(oc.relevantDocumentations.begin(), oc.relevantDocumentations.end());
      oc.relevantDocumentations.erase(std::unique(oc.relevantDocumentations.begin(), oc.relevantDocumentations.end()),
                                      oc.relevantDocumentations.end());
      oc.abstract = abstract;
      if (description.empty()) {
        std::set<std::string> paths;
        for (const auto& e : oc.endpoints) paths.insert(e.path);
        description = c.name + " resource";
        if (!paths.empty()) description += " managed through " + *paths.begin();
        description += ".";
      }
      oc.description = firstSentences(description);
    }
    for (auto& c : classes_) ranked_.push_back(&c);
    std::stable_sort(ranked_.begin(), ranked_.end(), [](const ClassInfo* a, const ClassInfo* b) {
      int ca = confidenceRank(a->result.confidence), cb = confidenceRank(b->result.confidence);
      if (ca != cb) return ca < cb;
      if (a->iga != b->iga) return a->iga < b->iga;
      size_t wa = splitWords(a->name).size(), wb = splitWords(b->name).size();
      if (wa != wb) return wa < wb;  // "User" before "AppUser"
      std::string la = lower(a->name), lb = lower(b->name);
      if (la != lb) return la < lb;
      return a->name < b->name;
    });
    for (size_t i = 0; i < ranked_.size(); ++i) rank_[ranked_[i]->key] = i;
  }

  // ------------------------------------------------------------------ relations

  void buildRelations(std::vector<Relation>& out) {
    // Property links: references and …Id / …Ids properties.
    for (auto& c : classes_) {
      if (c.iga == kNotIga) continue;
      for (const auto& a : c.result.attributes) {
        if (a.format && *a.format == "reference" && a.type) {
          auto* t = classByName(*a.type);
          if (t && t->key != c.key && a.description && startsWith(*a.description, t->name + " items listed by")) continue;
          if (t && t->iga != kNotIga) links_.push_back({c.key, a.name, t->key, "property", false});
          continue;
        }
        std::string n = a.name;
        std::string stem;
        for (const char* suffix : {"_ids", "Ids", "_id", "Id", "IDs", "ID"}) {
          if (n.size() > std::string(suffix).size() + 1 && endsWith(n, suffix)) {
            stem = n.substr(0, n.size() - std::string(suffix).size());
            break;
          }
        }
        if (stem.empty()) continue;
        std::string stemKey = compactKey(singularize(stem));
        for (auto& t : classes_) {
          if (t.key == stemKey && t.key != c.key && t.iga != kNotIga) {
            links_.push_back({c.key, a.name, t.key, "property", false});
          }
        }
      }
    }
    // Group by unordered pair.
    std::map<std::pair<std::string, std::string>, std::vector<const Link*>> pairs;
    for (const auto& l : links_) {
      if (l.holder == l.target) continue;
      auto key = std::minmax(l.holder, l.target);
      auto& v = pairs[{key.first, key.second}];
      bool dup = std::any_of(v.begin(), v.end(), [&](const Link* x) { return x->holder == l.holder && x->attribute == l.attribute; });
      if (!dup) v.push_back(&l);
    }
    std::vector<std::pair<std::tuple<size_t, size_t, std::string>, Relation>> rels;
    for (const auto& [pair, links] : pairs) {
      ClassInfo* a = classByKey(pair.first);
      ClassInfo* b = classByKey(pair.second);
      if (!a || !b) continue;
      // Subject = higher IGA priority (lower number), then better rank.
      ClassInfo* subject = a;
      ClassInfo* object = b;
      if (b->iga < a->iga || (b->iga == a->iga && rank_[b->key] < rank_[a->key])) std::swap(subject, object);
      std::vector<const Link*> subjectSide, objectSide;
      for (const auto* l : links) (l->holder == subject->key ? subjectSide : objectSide).push_back(l);
      auto preferProperty = [](std::vector<const Link*>& v) {
        std::stable_sort(v.begin(), v.end(), [](const Link* x, const Link* y) { return !x->fromPath && y->fromPath; });
      };
      preferProperty(subjectSide);
      preferProperty(objectSide);
      std::string baseName = snakeCase(subject->name) + "_to_" + snakeCase(object->name);
      std::string display = subject->name + " to " + object->name;
      auto sentence = [&](const Link* l, const ClassInfo* holder) {
        return holder->name + "." + l->attribute + (l->fromPath ? " (from " + l->evidence + ")" : " (property)");
      };
      size_t count = std::max(subjectSide.size(), objectSide.size());
      for (size_t i = 0; i < count; ++i) {
        Relation r;
        const Link* sl = i < subjectSide.size() ? subjectSide[i] : nullptr;
        const Link* ol = i < objectSide.size() ? objectSide[i] : nullptr;
        r.subject = lower(subject->name);
        r.object = lower(object->name);
        r.subjectAttribute = sl ? sl->attribute : "";
        r.objectAttribute = ol ? ol->attribute : "";
        r.name = i == 0 ? baseName : baseName + "_via_" + snakeCase(sl ? sl->attribute : ol->attribute);
        r.displayName = display;
        std::string evidence;
        if (sl) evidence = sentence(sl, subject);
        if (ol) evidence += (evidence.empty() ? "" : " and ") + sentence(ol, object);
        r.shortDescription = subject->name + " is related to " + object->name + " through " + evidence + ".";
        rels.push_back({{rank_[subject->key], rank_[object->key], r.name}, std::move(r)});
      }
    }
    std::stable_sort(rels.begin(), rels.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    for (auto& [k, r] : rels) out.push_back(std::move(r));
  }

  ClassInfo* classByName(const std::string& name) {
    for (auto& c : classes_) {
      if (c.name == name) return &c;
    }
    return nullptr;
  }

  // ------------------------------------------------------------------ connectivity

  void buildConnectivity(std::vector<ConnectivityEndpoint>& out) {
    struct Candidate {
      int score;
      const Operation* op;
      std::string why;
    };
    std::vector<Candidate> candidates;
    for (const auto& op : operations_) {
      if (op.method != "GET" || op.pathParams > 0 || op.deprecated) continue;
      if (op.requiresAuth && !*op.requiresAuth) continue;  // public: proves nothing
      bool requiredParam = std::any_of(op.params.begin(), op.params.end(), [](const EndpointParameter& p) {
        return p.required && p.in == "query";
      });
      if (requiredParam) continue;
      std::string last = op.segments.empty() ? "" : lower(op.segments.back());
      std::string text = lower(op.summary + " " + op.description + " " + op.operationId);
      const ClassInfo* cls = op.className.empty() ? nullptr : classByKeyConst(op.className);
      bool userShaped = cls && cls->iga == 0;
      bool currentUser = kCurrentMarkers.count(last) > 0 ||
                         ((last == "user" || last == "account" || last == "profile") && !op.response.list) ||
                         (userShaped && (text.find("authenticated user") != std::string::npos ||
                                         text.find("current user") != std::string::npos));
      PaginationInfo pg = detectPagination(op);
      std::string sizeHint = pg.sizeParam.empty() ? "" : " Call it with " + pg.sizeParam + "=1 to keep the response small.";
      if (currentUser && !op.response.list) {
        candidates.push_back({0, &op, "Returns the authenticated caller, so it succeeds only with valid credentials."});
      } else if (cls && op.response.list && cls->iga == 0) {
        candidates.push_back({1, &op, "Lists " + cls->name + " objects; needs valid credentials." + sizeHint});
      } else if (cls && op.response.list && cls->iga != kNotIga) {
        candidates.push_back({2, &op, "Lists " + cls->name + " objects; needs valid credentials." + sizeHint});
      } else if (last == "serviceproviderconfig") {
        candidates.push_back({3, &op, "SCIM service provider configuration; a cheap authenticated read."});
      } else if (op.response.list || !op.response.schema.empty()) {
        candidates.push_back({4, &op, "Parameterless read operation; a cheap authenticated request."});
      }
    }
    std::stable_sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
      if (a.score != b.score) return a.score < b.score;
      if (a.op->path.size() != b.op->path.size()) return a.op->path.size() < b.op->path.size();
      return a.op->path < b.op->path;
    });
    for (const auto& c : candidates) {
      if (out.size() >= options_.maxConnectivityEndpoints) break;
      ConnectivityEndpoint e;
      e.path = c.op->path;
      e.method = c.op->method;
      std::string summary = !c.op->summary.empty() ? c.op->summary : c.op->description;
      e.description = (summary.empty() ? "" : firstSentences(summary, 160) + " ") + c.why;
      e.responseContentType = c.op->responseContentType;
      e.requestContentType = c.op->requestContentType;
      e.requiresAuth = c.op->requiresAuth;
      e.relevantDocumentations = evidence_.lookup(docId_, c.op->pointer);
      out.push_back(std::move(e));
    }
  }
  const ClassInfo* classByKeyConst(const std::string& key) const {
    auto it = classIndex_.find(key);
    return it == classIndex_.end() ? nullptr : &classes_[it->second];
  }

  const OrderedJson& root_;
  std::string docId_;
  const EvidenceIndex& evidence_;
  const OpenApiOptions& options_;
  std::vector<Diagnostic>& diagnostics_;
  SchemaResolver resolver_;
  std::vector<Operation> operations_;
  std::vector<ClassInfo> classes_;
  std::map<std::string, size_t> classIndex_;
  std::map<std::string, size_t> schemaToClass_;
  std::map<std::string, std::map<std::string, int>> segmentVotes_;
  std::vector<Link> links_;
  std::vector<ClassInfo*> ranked_;
  std::map<std::string, size_t> rank_;
};

void mergeInto(DigestResult& target, DigestResult&& part) {
  if (!target.info || target.info->empty()) {
    target.info = std::move(part.info);
  } else if (part.info) {
    for (auto& e : part.info->baseApiEndpoint) target.info->baseApiEndpoint.push_back(e);
    for (auto& t : part.info->apiType) target.info->apiType.push_back(t);
    normalizeInfoMetadata(*target.info);
  }
  for (auto& c : part.objectClasses) {
    ObjectClass* existing = target.findClass(c.name);
    if (!existing) {
      target.objectClasses.push_back(std::move(c));
      continue;
    }
    for (auto& a : c.attributes) {
      bool has = std::any_of(existing->attributes.begin(), existing->attributes.end(),
                             [&](const Attribute& x) { return x.name == a.name; });
      if (!has) existing->attributes.push_back(std::move(a));
    }
    for (auto& e : c.endpoints) {
      bool has = std::any_of(existing->endpoints.begin(), existing->endpoints.end(),
                             [&](const Endpoint& x) { return x.path == e.path && x.method == e.method; });
      if (!has) existing->endpoints.push_back(std::move(e));
    }
    if (confidenceRank(c.confidence) < confidenceRank(existing->confidence)) existing->confidence = c.confidence;
    existing->relevantDocumentations.insert(existing->relevantDocumentations.end(), c.relevantDocumentations.begin(),
                                            c.relevantDocumentations.end());
    std::sort(existing->relevantDocumentations.begin(), existing->relevantDocumentations.end());
    existing->relevantDocumentations.erase(
        std::unique(existing->relevantDocumentations.begin(), existing->relevantDocumentations.end()),
        existing->relevantDocumentations.end());
  }
  for (auto& r : part.relations) {
    bool has = std::any_of(target.relations.begin(), target.relations.end(), [&](const Relation& x) { return x.name == r.name; });
    if (!has) target.relations.push_back(std::move(r));
  }
  for (auto& a : part.auth) {
    bool has = std::any_of(target.auth.begin(), target.auth.end(),
                           [&](const AuthMethod& x) { return iequals(x.name, a.name) && x.type == a.type; });
    if (!has) target.auth.push_back(std::move(a));
  }
  for (auto& e : part.connectivityEndpoints) {
    bool has = std::any_of(target.connectivityEndpoints.begin(), target.connectivityEndpoints.end(),
                           [&](const ConnectivityEndpoint& x) { return x.path == e.path && x.method == e.method; });
    if (!has) target.connectivityEndpoints.push_back(std::move(e));
  }
}

}  // namespace

bool isOpenApiDocument(const OrderedJson& root) {
  if (!root.is_object()) return false;
  bool versioned = (root.contains("openapi") && root["openapi"].is_string()) ||
                   (root.contains("swagger") && (root["swagger"].is_string() || root["swagger"].is_number()));
  return versioned && (root.contains("paths") || root.contains("components") || root.contains("definitions") ||
                       root.contains("webhooks"));
}

std::optional<OrderedJson> parseSpecText(std::string_view text, const std::string& docId,
                                         std::vector<Diagnostic>& diagnostics) {
  size_t start = 0;
  while (start < text.size() && std::isspace(static_cast<unsigned char>(text[start]))) ++start;
  if (start + 3 <= text.size() && static_cast<unsigned char>(text[start]) == 0xEF) start += 3;  // BOM
  try {
    if (start < text.size() && text[start] == '{') {
      return OrderedJson::parse(text.substr(start), nullptr, true, false);
    }
    return yamlToJson(std::string(text));
  } catch (const std::exception& e) {
    diagnostics.push_back({Diagnostic::Severity::Error, docId, "", std::string("cannot parse document: ") + e.what()});
  }
  return std::nullopt;
}

DigestResult digestOpenApi(const std::vector<OpenApiDocument>& documents, const EvidenceIndex& evidence,
                           const OpenApiOptions& options) {
  DigestResult result;
  for (const auto& doc : documents) {
    if (!doc.root) continue;
    std::vector<Diagnostic> diagnostics;
    DigestResult part;
    try {
      DocumentDigester digester(*doc.root, doc.docId, evidence, options, diagnostics);
      part = digester.run();
    } catch (const std::exception& e) {
      diagnostics.push_back({Diagnostic::Severity::Error, doc.docId, "", std::string("internal error: ") + e.what()});
    }
    mergeInto(result, std::move(part));
    result.diagnostics.insert(result.diagnostics.end(), diagnostics.begin(), diagnostics.end());
  }
  if (documents.size() > 1) {
    std::stable_sort(result.objectClasses.begin(), result.objectClasses.end(), [](const ObjectClass& a, const ObjectClass& b) {
      int ca = confidenceRank(a.confidence), cb = confidenceRank(b.confidence);
      if (ca != cb) return ca < cb;
      int ia = igaPriority(a.name), ib = igaPriority(b.name);
      if (ia != ib) return ia < ib;
      return toLower(a.name) < toLower(b.name);
    });
  }
  return result;
}

DigestResult digestOpenApi(const OrderedJson& root, const std::string& docId, const EvidenceIndex& evidence,
                           const OpenApiOptions& options) {
  return digestOpenApi(std::vector<OpenApiDocument>{{docId, &root}}, evidence, options);
}

}  // namespace cg::digest::openapi

