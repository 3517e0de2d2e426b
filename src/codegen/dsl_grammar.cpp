// Grammar table of the runtime's builder scopes and the conformance walk.
//
// Sources (read at Evolveum/connector-scimrest 4f60387, Evolveum/conndev 1d27a05,
// Evolveum/connector-sql 8e1c59e; interface names below, our own table):
//   top             scimrest groovy/api/ConnectorBuilder, OperationBuilder, RestSchemaBuilder
//   objectClass     conndev build/api/ObjectClassSchemaBuilder, scimrest RestObjectClassSchemaBuilder,
//                   scimrest groovy/api/ObjectOperationSupportBuilder, sql SqlObjectClassSchemaBuilder,
//                   sql SqlObjectOperationSupportBuilder
//   attribute       conndev build/api/AttributeBuilder (+ReferenceAttributeBuilder), scimrest RestAttributeBuilder,
//                   sql SqlAttributeBuilder
//   json/connId     conndev AttributeBuilder.JsonMapping / ConnIdMapping, ConnIdBuiltInAttribute
//   search          scimrest RestSearchOperationBuilder, sql SqlSearchOperationBuilder
//   searchEndpoint  scimrest RestSearchEndpointBuilder, SearchHandlerBuilder, FilterSpecification
//   customSearch    scimrest SearchScriptBuilder
//   create/update/delete, opEndpoint, request
//                   scimrest RestCreate/Update/DeleteOperationBuilder, RestOperationBuilder,
//                   EndpointBuilder(.SingleObject/.RequestBuilder), GroovyHttpOperationMixin, GroovyContentTypeMixin
//   scim*           scimrest groovy/api/scim/ScimSearchBuilder, ScimCreateBuilder, ScimUpdateBuilder, ScimOperationBuilder
//   relationship    conndev RelationshipBuilder, scimrest RestRelationshipBuilder, AttributeResolverBuilder
//   authentication  scimrest AuthenticationCustomizationBuilder (per-grant OAuth2 since 2026-05-20)
//   normalize       conndev NormalizationBuilder
#include <map>
#include <set>

#include "codegen/dsl_conformance.h"
#include "codegen/model_rules.h"
#include "util/strings.h"

namespace cg::codegen {
namespace {

// Argument codes: s string, b boolean, n number, c closure, k constant identifier, f filter spec
// chain, p attribute path chain, v any value, '*' = the previous code repeats (varargs).
struct MethodRule {
  std::vector<std::string> signatures;
  std::string childScope;  // scope of the closure argument ("runtime" = executed later)
  std::set<std::string> constants;
};

using Scope = std::map<std::string, MethodRule>;

const std::set<std::string> kHttpMethods = {"GET", "POST", "PUT", "DELETE", "PATCH"};
const std::set<std::string> kContentTypes = {"APPLICATION_JSON", "APPLICATION_XML", "APPLICATION_YAML",
                                             "APPLICATION_HAL_JSON"};

Scope attributeScope(bool reference) {
  Scope s = {
      {"description", {{"s"}}},           {"required", {{"b"}}},        {"creatable", {{"b"}}},
      {"updatable", {{"b"}}},             {"updateable", {{"b"}}},      {"readable", {{"b"}}},
      {"returnedByDefault", {{"b"}}},     {"multiValued", {{"b"}}},     {"emulated", {{"b"}}},
      {"complexType", {{"s"}}},           {"jsonType", {{"s"}}},        {"openApiFormat", {{"s"}}},
      {"json", {{"c"}, "json"}},          {"connId", {{"c"}, "connId"}}, {"scim", {{"c"}, "attrScim"}},
      {"sql", {{"c"}, "attrSql"}},        {"protocolName", {{"s"}}},    {"remoteName", {{"s"}}},
  };
  if (reference) {
    s["objectClass"] = {{"s"}};
    s["subtype"] = {{"s"}};
    s["role"] = {{"k", "s"}, "", {"SUBJECT", "OBJECT"}};
    s["resolver"] = {{"c"}, "resolver"};
  }
  return s;
}

Scope opEndpointScope() {
  return {
      {"httpOperation", {{"k"}, "", kHttpMethods}},
      {"request", {{"c"}, "request"}},
      {"response", {{"c"}, "response"}},
      {"pathParameter", {{"s,v"}}},
      {"supportedAttribute", {{"s", "s,c"}, "attrValueFilter"}},
      {"supportedAttributes", {{"s*"}}},
  };
}

Scope opScope(const char* scimScope) {
  return {
      {"endpoint", {{"s", "s,c", "k,s", "k,s,c"}, "opEndpoint", kHttpMethods}},
      {"scim", {{"c"}, scimScope}},
  };
}

const std::map<std::string, Scope>& grammar() {
  static const std::map<std::string, Scope> g = [] {
    std::map<std::string, Scope> m;
    m["top"] = {
        {"objectClass", {{"s", "s,c"}, "objectClass"}},
        {"relationship", {{"s,c"}, "relationship"}},
        {"authentication", {{"c"}, "authentication"}},
        {"test", {{"c"}, "test"}},
    };
    m["objectClass"] = {
        {"description", {{"s"}}},
        {"embedded", {{"b"}}},
        {"attribute", {{"s", "s,c"}, "attribute"}},
        {"reference", {{"s", "s,c"}, "reference"}},
        {"connIdAttribute", {{"s,s"}}},
        {"scim", {{"c"}, "classScim"}},
        {"sql", {{"c"}, "classSql"}},
        {"table", {{"s"}}},
        {"schema", {{"s"}}},
        {"onlyExplicitlyListed", {{"b"}}},
        {"readOnly", {{"b"}}},
        {"search", {{"c"}, "search"}},
        {"create", {{"c"}, "create"}},
        {"update", {{"c"}, "update"}},
        {"delete", {{"c"}, "delete"}},
        {"disableCreate", {{""}}},
        {"disableUpdate", {{""}}},
        {"disableDelete", {{""}}},
    };
    m["attribute"] = attributeScope(false);
    m["reference"] = attributeScope(true);
    m["json"] = {
        {"type", {{"s"}}},          {"openApiFormat", {{"s"}}},        {"name", {{"s"}}},
        {"path", {{"p"}}},          {"implementation", {{"c"}, "runtime"}}, {"mappingTable", {{"c"}, "runtime"}},
    };
    m["connId"] = {
        {"name", {{"s", "k"}, "", {"UID", "NAME", "PASSWORD", "ENABLE", "ENABLE_DATE", "DISABLE_DATE", "LOCK_OUT"}}},
        {"type", {{"v"}}},           {"required", {{"b"}}},   {"description", {{"s"}}},
        {"returnedByDefault", {{"b"}}}, {"multiValued", {{"b"}}}, {"nativeName", {{"s"}}},
        {"readable", {{"b"}}},       {"creatable", {{"b"}}},  {"updatable", {{"b"}}},
    };
    m["attrScim"] = {
        {"name", {{"s"}}}, {"type", {{"s"}}}, {"path", {{"s", "p"}}},
        {"implementation", {{"c"}, "runtime"}}, {"mappingTable", {{"c"}, "runtime"}},
    };
    m["attrSql"] = {
        {"name", {{"s"}}},          {"type", {{"k", "v"}}},      {"notNull", {{"", "b"}}},
        {"nullable", {{""}}},       {"unique", {{"", "b"}}},     {"primaryKey", {{"", "b"}}},
        {"autoIncrement", {{"", "b"}}}, {"joinOn", {{"v"}}},
    };
    m["classScim"] = {
        {"extension", {{"s,s"}}}, {"schemaUri", {{"s"}}}, {"name", {{"s"}}}, {"onlyExplicitlyListed", {{"b"}}},
    };
    m["classSql"] = {{"table", {{"s"}}}};
    m["search"] = {
        {"endpoint", {{"s", "s,c"}, "searchEndpoint"}},
        {"attributeResolver", {{"c"}, "resolver"}},
        {"normalize", {{"c"}, "normalize"}},
        {"custom", {{"c"}, "customSearch"}},
        {"scim", {{"c"}, "scimSearch"}},
        {"sql", {{"c"}, "sqlSearch"}},
    };
    m["searchEndpoint"] = {
        {"responseFormat", {{"k"}, "", {"JSON_ARRAY", "JSON_OBJECT"}}},
        {"pagingSupport", {{"c"}, "runtime"}},
        {"singleResult", {{""}}},
        {"objectExtractor", {{"c"}, "runtime"}},
        {"supportedFilter", {{"f,c"}, "runtime"}},
        {"emptyFilterSupported", {{"b"}}},
    };
    m["customSearch"] = {
        {"emptyFilterSupported", {{"b"}}},
        {"implementation", {{"c"}, "runtime"}},
        {"supportedFilter", {{"f"}}},
    };
    m["normalize"] = {
        {"toSingleValue", {{"s"}}},           {"rewriteUid", {{"c"}, "runtime"}},
        {"rewriteName", {{"c"}, "runtime"}},  {"restoreUid", {{"c"}, "runtime"}},
        {"restoreName", {{"c"}, "runtime"}},
    };
    m["scimSearch"] = {{"enabled", {{"b"}}}, {"limitations", {{"c"}, "scimSearchLimitations"}}};
    m["scimSearchLimitations"] = {
        {"emptyFilterSupported", {{"b"}}},
        {"supportedFilter", {{"f", "f,c"}, "runtime"}},
    };
    m["sqlSearch"] = {{"builtIn", {{"c"}, "sqlBuiltIn"}}, {"custom", {{"c"}, "runtime"}}};
    m["sqlBuiltIn"] = {
        {"enabled", {{"b"}}}, {"where", {{"c"}, "runtime"}},
        {"emptyFilterSupported", {{"b"}}}, {"anyFilterSupported", {{"b"}}},
    };
    m["create"] = opScope("scimCreate");
    m["update"] = opScope("scimUpdate");
    m["delete"] = opScope("empty");
    m["opEndpoint"] = opEndpointScope();
    m["request"] = {
        {"contentType", {{"k", "s"}, "", kContentTypes}},
        {"accept", {{"k*", "s*"}, "", kContentTypes}},
        {"body", {{"k", "v"}, "", {"EMPTY"}}},
    };
    m["response"] = {{"contentType", {{"k", "s"}, "", kContentTypes}}};
    m["attrValueFilter"] = {{"value", {{"v"}}}, {"transition", {{"v,v"}}}};
    m["scimCreate"] = {
        {"enabled", {{"b"}}},
        {"limitations", {{"c"}, "empty"}},
        {"supportedAttribute", {{"s", "s,c"}, "scimAttrFilter"}},
        {"supportedAttributes", {{"s*"}}},
    };
    m["scimUpdate"] = {
        {"enabled", {{"b"}}},
        {"limitations", {{"c"}, "empty"}},
        {"put", {{"c"}, "scimPutPatch"}},
        {"patch", {{"c"}, "scimPutPatch"}},
    };
    m["scimPutPatch"] = {
        {"supportedAttribute", {{"s", "s,c"}, "scimAttrFilter"}},
        {"supportedAttributes", {{"s*"}}},
    };
    m["scimAttrFilter"] = {
        {"value", {{"v"}}}, {"transition", {{"v,v"}}}, {"limitations", {{"c"}, "scimAttrLimitations"}},
    };
    m["scimAttrLimitations"] = {
        {"operations", {{"k*", "s*"}, "", {"ADD", "REPLACE", "REMOVE"}}},
        {"maxPerRequest", {{"n"}}},
    };
    m["relationship"] = {{"subject", {{"s,c"}, "participant"}}, {"object", {{"s,c"}, "participant"}}};
    m["participant"] = {{"attribute", {{"s", "s,c"}, "reference"}}, {"owner", {{"b"}}}};
    m["resolver"] = {
        {"resolutionType", {{"k"}, "", {"PER_OBJECT", "BATCH"}}},
        {"search", {{"c"}, "runtime"}},
        {"implementation", {{"c"}, "runtime"}},
        {"attribute", {{"s"}}},
        {"attributes", {{"s*"}}},
    };
    m["authentication"] = {{"rest", {{"c"}, "authContainer"}}, {"scim", {{"c"}, "authContainer"}}};
    Scope auth;
    for (const char* simple : {"basic", "bearer", "jwtBearer", "apiKey"}) auth[simple] = {{"c"}, "authImpl"};
    for (const char* grant : {"oauth2ClientCredentials", "oauth2JwtBearer", "oauth2Password", "oauth2Saml"})
      auth[grant] = {{"c"}, "oauth2"};
    auth["awsSignature"] = {{"c"}, "aws"};
    auth["preference"] = {{"k*"}, "", {"basic", "bearer", "jwtBearer", "apiKey", "oauth2ClientCredentials",
                                        "oauth2JwtBearer", "oauth2Password", "oauth2Saml", "awsSignature"}};
    m["authContainer"] = auth;
    m["authImpl"] = {{"implementation", {{"c"}, "runtime"}}};
    m["oauth2"] = {
        {"buildTokenRequest", {{"c"}, "runtime"}}, {"parseTokenResponse", {{"c"}, "runtime"}},
        {"validateToken", {{"c"}, "runtime"}},     {"applyToken", {{"c"}, "runtime"}},
        {"onResponse", {{"c"}, "runtime"}},        {"implementation", {{"c"}, "runtime"}},
    };
    m["aws"] = {{"beforeSign", {{"c"}, "runtime"}}};
    m["test"] = {{"endpoint", {{"s", "s,c"}, "runtime"}}};
    m["empty"] = {};
    return m;
  }();
  return g;
}

// Explanations for names the reference teaches but the runtime lacks (codegen-dsl.md B.4).
std::string knownMistake(const std::string& scope, const std::string& name) {
  if (scope == "authContainer" && name == "oauth2")
    return "the generic oauth2 { } block no longer exists; use oauth2ClientCredentials, oauth2JwtBearer, "
           "oauth2Password or oauth2Saml (B.4.1)";
  if (scope == "authContainer" && name == "other") return "the runtime has no `other` authentication method (B.4.2)";
  if (scope == "resolver" && name == "endpoint") return "resolver { endpoint(...) } does not exist (B.4.3)";
  if (scope == "searchEndpoint" && name == "httpOperation")
    return "search endpoints are GET only; httpOperation is not supported there (B.4.6)";
  if (scope == "searchEndpoint" && (name == "sortingSupport" || name == "sorting"))
    return "sortingSupport does not exist in the runtime";
  if (scope == "top" && (name == "search" || name == "create" || name == "update" || name == "delete" ||
                         name == "relation" || name == "connector"))
    return "`" + name + "` is not a top-level DSL function; wrap it in objectClass(\"<Class>\") { … } (B.4.12)";
  if (scope == "classScim" && name == "search")
    return "SCIM search limitations belong in search { scim { limitations { … } } } (B.4.13)";
  if (name == "anyFilterSupported") return "anyFilterSupported is not part of this builder";
  return "";
}

struct Walker {
  ConformanceReport report;
  std::string operation;  // enclosing create/update/delete

  void error(int line, int col, std::string msg) { report.errors.push_back({line, col, std::move(msg)}); }
  void warn(int line, int col, std::string msg) { report.warnings.push_back({line, col, std::move(msg)}); }

  static char code(const DslArg& a) {
    switch (a.kind) {
      case DslArg::Kind::String: return 's';
      case DslArg::Kind::GString: return 'g';
      case DslArg::Kind::Boolean: return 'b';
      case DslArg::Kind::Number: return 'n';
      case DslArg::Kind::Closure: return 'c';
      case DslArg::Kind::Identifier: return 'k';
      case DslArg::Kind::Call: return 'f';
      default: return 'v';
    }
  }

  static bool codeMatches(char want, const DslArg& a) {
    char have = code(a);
    switch (want) {
      case 's': return have == 's' || have == 'g';
      case 'v': return have != 'c';
      case 'p': return have == 'f' || have == 's';
      case 'f': return have == 'f';
      default: return want == have;
    }
  }

  static bool signatureMatches(const std::string& sig, const std::vector<DslArg>& args) {
    auto codes = split(sig, ',', true);
    if (codes.empty()) return args.empty();
    size_t i = 0;
    for (size_t k = 0; k < codes.size(); ++k) {
      const std::string& c = codes[k];
      bool repeat = c.size() > 1 && c[1] == '*';
      if (repeat) {
        if (i >= args.size()) return false;
        while (i < args.size() && codeMatches(c[0], args[i])) ++i;
        continue;
      }
      if (i >= args.size() || !codeMatches(c[0], args[i])) return false;
      ++i;
    }
    return i == args.size();
  }

  void checkFilterChain(const DslArg& a, int line, int col) {
    if (a.kind != DslArg::Kind::Call || a.chain.empty() || !a.receiver.empty()) {
      error(line, col, "supportedFilter needs a filter specification such as attribute(\"<a>\").eq().anySingleValue()");
      return;
    }
    if (a.chain.front().name != "attribute")
      error(line, col, "a filter specification starts with attribute(\"<name>\")");
    for (size_t i = 1; i < a.chain.size(); ++i) {
      const auto& n = a.chain[i].name;
      if (n == "eq" || n == "contains" || n == "anySingleValue" || n == "child") continue;
      error(line, col, "filter operator `" + n + "` does not exist; only eq() and contains() (B.4.5)");
    }
  }

  void checkPath(const std::string& scope, const DslNode& n, const std::string& path) {
    if (startsWith(path, "/"))
      warn(n.line, n.column, "path \"" + path + "\" starts with '/'; the runtime joins it to the base URL as '//…' (B.4.10)");
    if (startsWith(path, "http://") || startsWith(path, "https://"))
      error(n.line, n.column, "endpoint paths are relative to the base URL, not absolute (\"" + path + "\")");
    if (scope == "update" || scope == "delete") {
      for (const auto& ph : pathPlaceholders(path))
        if (ph != "id")
          error(n.line, n.column, "placeholder {" + ph + "} in " + scope +
                                      " path: the runtime fills only {id} (from the UID) (B.4.7)");
    }
  }

  void walk(const std::vector<DslNode>& nodes, const std::string& scopeName) {
    if (scopeName == "runtime") {
      runtime(nodes);
      return;
    }
    const auto& g = grammar();
    auto sit = g.find(scopeName);
    if (sit == g.end()) return;
    std::map<std::string, int> attributeDecls;
    for (const auto& n : nodes) {
      if (n.kind == DslNode::Kind::Other) {
        if (scopeName != "top") warn(n.line, n.column, "statement inside the " + scopeName + " block is not a DSL call");
        continue;
      }
      if (n.kind == DslNode::Kind::Property) {
        if (scopeName == "attrSql" && (n.name == "primaryKey" || n.name == "autoIncrement" || n.name == "notNull" || n.name == "unique"))
          continue;  // bare flags of SqlMapping (property form used by connector-sql fixtures)
        error(n.line, n.column, "`" + n.name + "` is not valid inside " + scopeName);
        continue;
      }
      if (!n.receiver.empty()) continue;  // calls on values are runtime code
      auto mit = sit->second.find(n.name);
      if (mit == sit->second.end()) {
        std::string why = knownMistake(scopeName, n.name);
        error(n.line, n.column, why.empty() ? "`" + n.name + "` is not a method of the " + scopeName + " builder" : why);
        continue;
      }
      const MethodRule& rule = mit->second;
      bool matched = false;
      for (const auto& sig : rule.signatures) matched = matched || signatureMatches(sig, n.args);
      if (!matched) {
        std::vector<std::string> kinds;
        for (const auto& a : n.args) kinds.push_back(argKindName(a.kind));
        if (scopeName == "searchEndpoint" && n.name == "supportedFilter" && n.args.size() == 1)
          error(n.line, n.column, "supportedFilter on a REST search endpoint needs its closure: "
                                  "supportedFilter(<spec>) { request.… } (B.4.6)");
        else if (n.name == "body" && !n.args.empty() && n.args[0].kind == DslArg::Kind::Closure)
          error(n.line, n.column, "body { closure } is not supported for create/update/delete requests (B.4.8)");
        else
          error(n.line, n.column, "wrong arguments for `" + n.name + "` in " + scopeName + " (" + join(kinds, ", ") + ")");
        continue;
      }
      for (const auto& a : n.args)
        if (a.kind == DslArg::Kind::Identifier && !rule.constants.empty() && !rule.constants.count(a.value))
          error(n.line, n.column, "`" + a.value + "` is not a valid constant for `" + n.name + "`" +
                                      (a.value == "PER_SEARCH" ? " (PER_SEARCH does not exist; use PER_OBJECT or BATCH) (B.4.3)" : ""));
      semantic(scopeName, n, attributeDecls);
      std::string child = rule.childScope;
      for (const auto& a : n.args)
        if (a.kind == DslArg::Kind::Closure) {
          std::string saved = operation;
          if (scopeName == "objectClass" && (n.name == "create" || n.name == "update" || n.name == "delete")) operation = n.name;
          if (child == "opEndpoint") endpointChecks(n, a.body);
          walk(a.body, child.empty() ? "empty" : child);
          operation = saved;
        }
    }
  }

  void semantic(const std::string& scope, const DslNode& n, std::map<std::string, int>& decls) {
    auto str = [&](size_t i) { return i < n.args.size() ? n.args[i].value : std::string(); };
    if (n.name == "connIdAttribute") {
      if (str(0) != "UID" && str(0) != "NAME")
        error(n.line, n.column, "connIdAttribute accepts only \"UID\" and \"NAME\", not \"" + str(0) +
                                    "\" (No such built-in ConnID attribute) (B.4.9)");
    }
    if ((scope == "json" && n.name == "type") || (scope == "attribute" && n.name == "jsonType") ||
        (scope == "reference" && n.name == "jsonType")) {
      if (!isJsonSchemaType(str(0)))
        error(n.line, n.column, "unknown JSON schema type \"" + str(0) +
                                    "\": use string, integer, number, boolean or binary (arrays: element type + "
                                    "multiValued true; objects: complexType) (B.4.9)");
    }
    if (n.name == "openApiFormat" && !isKnownOpenApiFormat(str(0)))
      warn(n.line, n.column, "openApiFormat \"" + str(0) + "\" is not in the runtime's format registry");
    if (scope == "attribute" && (n.name == "jsonType" || n.name == "openApiFormat"))
      warn(n.line, n.column, "`" + n.name + "` is a deprecated shortcut; prefer json { … }");
    if ((scope == "objectClass" || scope == "participant") && (n.name == "attribute" || n.name == "reference")) {
      if (++decls[str(0)] == 2)
        error(n.line, n.column, "attribute \"" + str(0) + "\" is declared twice in this block "
                                "(Multiple declarations for the same definition detected)");
    }
    if (scope == "searchEndpoint" && n.name == "supportedFilter" && !n.args.empty())
      checkFilterChain(n.args[0], n.line, n.column);
    if ((scope == "customSearch" || scope == "scimSearchLimitations") && n.name == "supportedFilter" && !n.args.empty())
      checkFilterChain(n.args[0], n.line, n.column);
    if (scope == "search" && n.name == "endpoint") checkPath("search", n, str(0));
    if ((scope == "create" || scope == "update" || scope == "delete") && n.name == "endpoint") {
      std::string path = n.args.size() >= 2 && n.args[0].kind == DslArg::Kind::Identifier ? str(1) : str(0);
      checkPath(scope, n, path);
      if (scope == "create" && !pathPlaceholders(path).empty())
        warn(n.line, n.column, "create path \"" + path + "\" has placeholders the runtime cannot fill");
    }
  }

  // create/update endpoints send no body unless a JSON content type or a body is declared (B.4.8).
  void endpointChecks(const DslNode& endpoint, const std::vector<DslNode>& body) {
    if (operation != "create" && operation != "update") return;
    bool hasBody = false;
    for (const auto& n : body) {
      if (n.name == "request")
        for (const auto& a : n.args)
          for (const auto& r : a.body)
            if (r.name == "contentType" || r.name == "body") hasBody = true;
      if (n.name == "supportedAttribute") hasBody = true;  // value-triggered action endpoints
    }
    if (!hasBody)
      warn(endpoint.line, endpoint.column,
           operation + " endpoint without request { contentType APPLICATION_JSON }: the runtime sends no body (B.4.8)");
  }

  void runtime(const std::vector<DslNode>& nodes) {
    for (const auto& n : nodes) {
      if (n.kind != DslNode::Kind::Call) continue;
      if (n.name == "searchAll" || n.name == "requestFilter")
        error(n.line, n.column, "`" + n.name + "` does not exist in the runtime's script context; use search() and "
                                "filter (B.4.4)");
      for (const auto& a : n.args) runtimeArg(a);
    }
  }
  void runtimeArg(const DslArg& a) {
    if (a.kind == DslArg::Kind::Closure) runtime(a.body);
    for (const auto& l : a.chain) {
      if (l.name == "searchAll")
        error(a.line, a.column, "`searchAll()` does not exist in the runtime's script context; use search() (B.4.4)");
      for (const auto& x : l.args) runtimeArg(x);
    }
  }
};

}  // namespace

ConformanceReport checkConformance(const std::vector<DslNode>& tree, ScriptRole role) {
  Walker w;
  for (const auto& n : tree) {
    if (n.kind != DslNode::Kind::Call || !n.receiver.empty()) continue;
    bool schemaOnly = n.name == "relationship";
    bool opOnly = n.name == "authentication" || n.name == "test";
    if ((role == ScriptRole::Schema && opOnly) || (role == ScriptRole::Operation && schemaOnly) ||
        (role == ScriptRole::Authentication && n.name != "authentication" && grammar().at("top").count(n.name)))
      w.error(n.line, n.column, "`" + n.name + "` is not bound in this kind of script");
  }
  w.walk(tree, "top");
  bool any = false;
  for (const auto& n : tree) any = any || n.kind == DslNode::Kind::Call;
  if (!any && role != ScriptRole::Authentication) w.warn(1, 1, "the script declares nothing");
  return w.report;
}

std::vector<std::string> grammarSources() {
  return {"top: ConnectorBuilder, OperationBuilder, RestSchemaBuilder (connector-scimrest groovy/api)",
          "objectClass: ObjectClassSchemaBuilder (conndev), RestObjectClassSchemaBuilder, ObjectOperationSupportBuilder, "
          "SqlObjectClassSchemaBuilder, SqlObjectOperationSupportBuilder",
          "attribute/reference: AttributeBuilder, ReferenceAttributeBuilder (conndev), RestAttributeBuilder, SqlAttributeBuilder",
          "json/connId: AttributeBuilder.JsonMapping, ConnIdMapping, ConnIdBuiltInAttribute (conndev)",
          "search/searchEndpoint/customSearch: RestSearchOperationBuilder, RestSearchEndpointBuilder, SearchHandlerBuilder, "
          "FilterSpecification, SearchScriptBuilder, SqlSearchOperationBuilder",
          "create/update/delete/opEndpoint/request: RestCreate/Update/DeleteOperationBuilder, RestOperationBuilder, "
          "EndpointBuilder, GroovyHttpOperationMixin, GroovyContentTypeMixin",
          "scim*: ScimSearchBuilder, ScimCreateBuilder, ScimUpdateBuilder, ScimOperationBuilder",
          "relationship/participant/resolver: RelationshipBuilder, RestRelationshipBuilder, AttributeResolverBuilder",
          "authentication: AuthenticationCustomizationBuilder (per-grant OAuth2)",
          "normalize: NormalizationBuilder (conndev)"};
}

}  // namespace cg::codegen
