// Search, create, update and delete scripts (codegen-dsl.md A.8.4–A.8.7, A.8.11, A.8.12, A.9).
#include <algorithm>
#include <optional>
#include <set>
#include <tuple>

#include "codegen/generators.h"
#include "codegen/groovy_writer.h"
#include "codegen/model_rules.h"
#include "util/strings.h"

namespace cg::codegen {
namespace {

using digest::Attribute;
using digest::Endpoint;

std::string objectClassHeader(const ClassCodegenInput& in) { return "objectClass(" + groovyString(in.className) + ")"; }

std::string pathOf(const ClassCodegenInput& in, const Endpoint& e) { return connectorPath(e.path, in.baseApiUrl); }

bool isListEndpoint(const Endpoint& e) { return hasUse(e, "getAll") || hasUse(e, "list") || hasUse(e, "search"); }

bool isPreferred(const ClassCodegenInput& in, const Endpoint& e) {
  for (const auto& p : in.preferredEndpoints)
    if (iequals(p.method, e.method) && connectorPath(p.path, in.baseApiUrl) == pathOf(in, e)) return true;
  return false;
}

int listRank(const Endpoint& e) { return hasUse(e, "getAll") ? 0 : hasUse(e, "list") ? 1 : hasUse(e, "search") ? 2 : 3; }

size_t segmentCount(const std::string& p) { return split(p, '/', true).size(); }

struct FilterChoice {
  std::string attribute;
  const char* op;
  std::string param;
  std::string exactFlag;  // boolean query parameter set to true for eq on a "contained in" parameter
};
std::vector<FilterChoice> queryFilters(const ClassCodegenInput& in, const Endpoint& e);
bool isPagingOrControlParam(const Endpoint& e, const std::string& name);

// "user/teams", "me/groups": lists of the authenticated account's own objects.
bool isCallerScoped(const std::string& connectorRelativePath) {
  static const std::set<std::string> kCallerScoped = {"user", "me", "my", "self", "current", "currentuser"};
  auto segs = split(connectorRelativePath, '/', true);
  return segs.size() >= 2 && kCallerScoped.count(looseKey(segs[0])) > 0;
}

// How many of the UID and NAME attributes the endpoint's own query parameters can filter on.
int identifierCoverage(const ClassCodegenInput& in, const Endpoint& e) {
  const Attribute* uid = chooseUidAttribute(in);
  const Attribute* name = chooseNameAttribute(in);
  std::set<std::string> covered;
  for (const auto& f : queryFilters(in, e))
    if ((uid && f.attribute == uid->name) || (name && f.attribute == name->name)) covered.insert(f.attribute);
  return static_cast<int>(covered.size());
}

bool requiresFilterParameter(const Endpoint& e) {
  for (const auto& p : e.parameters)
    if (p.required && p.in == "query" && !isPagingOrControlParam(e, p.name)) return true;
  return false;
}

// The list ("get all") endpoint: a preferred GET without placeholders, else among documented list
// endpoints without placeholders and without a required filter parameter, lists of the whole
// system before lists of the caller's own objects ("user/orgs"), then the one whose query
// parameters also filter on the UID/NAME attributes (id and name look-ups then hit the same
// collection, e.g. Forgejo users/search over admin/users), then getAll > list > search, then the
// shorter path.
const Endpoint* chooseListEndpoint(const ClassCodegenInput& in) {
  const Endpoint* best = nullptr;
  int bestCoverage = -1;
  for (const auto* e : endpointsByPreference(in, "GET")) {
    if (!pathPlaceholders(e->path).empty()) continue;
    if (isPreferred(in, *e)) return e;
    if (!isListEndpoint(*e) || requiresFilterParameter(*e)) continue;
    int coverage = identifierCoverage(in, *e);
    bool scoped = isCallerScoped(pathOf(in, *e));
    if (best && scoped != isCallerScoped(pathOf(in, *best))) {
      if (!scoped) {
        best = e;
        bestCoverage = coverage;
      }
      continue;
    }
    if (!best || coverage > bestCoverage ||
        (coverage == bestCoverage &&
         (listRank(*e) < listRank(*best) ||
          (listRank(*e) == listRank(*best) && segmentCount(pathOf(in, *e)) < segmentCount(pathOf(in, *best)))))) {
      best = e;
      bestCoverage = coverage;
    }
  }
  return best;
}

void writeResponseHandling(DslWriter& w, const Endpoint& e) {
  // The digester writes nested envelopes as "ocs.data.users"; JsonNode.get takes one field name.
  std::string chain;
  for (const auto& field : split(e.responseItemsField, '.', true)) chain += ".get(" + groovyString(field) + ")";
  auto map = e.extra.find("responseItemsMap");
  if (map != e.extra.end() && map->is_boolean() && map->get<bool>()) {
    // An object keyed by id whose values are the objects: hand the runtime an array of the values.
    w.open("objectExtractor");
    w.line("def byId = response.body()" + chain);
    w.line("def objects = response.body().arrayNode()");
    w.line("if (byId != null) byId.elements().each { objects.add(it) }");
    w.line("return objects");
    w.close();
  } else if (!e.responseItemsField.empty()) {
    w.open("objectExtractor");
    w.line("return response.body()" + chain);
    w.close();
  } else if (isListEndpoint(e)) {
    w.line("responseFormat JSON_ARRAY");
  }
}

// Writes pagingSupport when the parameter names are documented; returns a note otherwise.
std::string writePaging(DslWriter& w, const Endpoint& e) {
  const auto& p = e.pagination;
  std::vector<std::string> calls;
  if (p.style == "page") {
    if (!p.sizeParam.empty()) calls.push_back("queryParameter(" + groovyString(p.sizeParam) + ", paging.pageSize)");
    if (!p.pageParam.empty())
      calls.push_back("queryParameter(" + groovyString(p.pageParam) + ", " +
                      (p.firstPage == "0" ? "paging.pageOffset - 1" : "paging.pageOffset") + ")");
  } else if (p.style == "offset") {
    if (!p.sizeParam.empty()) calls.push_back("queryParameter(" + groovyString(p.sizeParam) + ", paging.pageSize)");
    if (!p.offsetParam.empty())
      calls.push_back("queryParameter(" + groovyString(p.offsetParam) + ", (paging.pageOffset - 1) * paging.pageSize)");
  } else if (p.style == "cursor" || p.style == "link") {
    w.comment("Paging is " + p.style + "-based and the runtime pages only by number: no pagingSupport, so only the "
              "first page of '" + connectorPath(e.path, "") + "' is read.");
    return "paging of '" + e.path + "' is " + p.style + "-based: the runtime reads only the first page";
  }
  if (calls.empty()) return p.style.empty() ? "no paging parameters documented for '" + e.path + "'" : "";
  w.open("pagingSupport");
  for (size_t i = 0; i < calls.size(); ++i) w.line(i == 0 ? "request." + calls[i] : "       ." + calls[i]);
  w.close();
  return "";
}

std::string filterSpec(const std::string& attribute, const char* op) {
  return "attribute(" + groovyString(attribute) + ")." + op + "().anySingleValue()";
}

void writeFilter(DslWriter& w, const std::string& attribute, const char* op, const char* where, const std::string& param,
                 const std::string& flag = "") {
  w.open("supportedFilter(" + filterSpec(attribute, op) + ")");
  std::string call = std::string("request.") + where + "(" + groovyString(param) + ", value)";
  if (!flag.empty()) call += "." + std::string(where) + "(" + groovyString(flag) + ", \"true\")";
  w.line(call);
  w.close();
}

bool isPagingOrControlParam(const Endpoint& e, const std::string& name) {
  const auto& p = e.pagination;
  if (name == p.pageParam || name == p.sizeParam || name == p.offsetParam || name == p.cursorParam) return true;
  static const std::set<std::string> kControl = {"page", "limit", "perpage", "pagesize", "size", "offset", "cursor",
                                                 "sort", "sortby", "order", "orderby", "direction", "fields",
                                                 "expand", "include", "exclude", "count", "startindex", "after",
                                                 "before", "token", "apikey", "accesstoken", "format"};
  return kControl.count(looseKey(name)) > 0;
}

// Query parameters of `e` that filter on an attribute (documented rules, attribute-named parameters
// first):
//  - a parameter named like an attribute → eq; when its description says it matches a part
//    ("contained in", "substring", "partial") → contains, plus eq through a boolean "exact"
//    parameter when the endpoint has one (Keycloak username + exact=true);
//  - q/query/search/keyword/term → contains on the NAME attribute (only a real one, not the UID
//    fallback), unless its description says it takes a structured query ("format", "whether",
//    "custom attribute", "expression", "syntax");
//  - uid → eq on the UID attribute.
// One parameter per (attribute, operator): the first in that order wins.
std::vector<FilterChoice> queryFilters(const ClassCodegenInput& in, const Endpoint& e) {
  std::vector<FilterChoice> out;
  std::set<std::pair<std::string, std::string>> seen;
  auto add = [&](FilterChoice f) {
    if (seen.insert({f.attribute, f.op}).second) out.push_back(std::move(f));
  };
  const Attribute* nameAttr = chooseNameAttribute(in);
  const Attribute* uidAttr = chooseUidAttribute(in);
  std::string exactFlag;
  for (const auto& p : e.parameters)
    if (p.in == "query" && (looseKey(p.name) == "exact" || looseKey(p.name) == "exactmatch")) exactFlag = p.name;
  auto describes = [](const digest::EndpointParameter& p, std::initializer_list<const char*> words) {
    std::string d = toLower(p.description);
    for (const char* w : words)
      if (d.find(w) != std::string::npos) return true;
    return false;
  };
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& p : e.parameters) {
      if (p.in != "query" || isPagingOrControlParam(e, p.name) || p.name == exactFlag) continue;
      std::string key = looseKey(p.name);
      const Attribute* exact = nullptr;
      for (const auto& a : in.attributes)
        if (looseKey(a.name) == key && !isComplexAttribute(a)) exact = exact ? exact : &a;
      if (pass == 0) {
        if (!exact) continue;
        if (describes(p, {"contained in", "substring", "partial"})) {
          add({exact->name, "contains", p.name, ""});
          if (!exactFlag.empty()) add({exact->name, "eq", p.name, exactFlag});
        } else {
          add({exact->name, "eq", p.name, ""});
        }
      } else if (!exact) {
        bool generic = key == "q" || key == "query" || key == "search" || key == "keyword" || key == "term";
        if (generic && nameAttr && nameAttr != uidAttr &&
            !describes(p, {"format", "whether", "custom attribute", "expression", "syntax"}))
          add({nameAttr->name, "contains", p.name, ""});
        else if (key == "uid" && uidAttr)
          add({uidAttr->name, "eq", p.name, ""});
      }
    }
  }
  return out;
}

GeneratedScript finish(DslWriter& w, GeneratedScript out) {
  out.code = w.str();
  return out;
}

// ------------------------------------------------------------------ search

void restSearchAll(const ClassCodegenInput& in, DslWriter& w, GeneratedScript& out) {
  if (!in.scope.empty())
    w.comment("Every documented path starts with {" + in.scope + "}: the paths here leave it out, so the connector's "
              "base URL must end with the " + in.scope + " (the runtime fills only {id}).");
  const Endpoint* e = chooseListEndpoint(in);
  if (!e) {
    w.comment("No list endpoint without path parameters is documented, so no search endpoint supports the empty filter.");
    out.notes.push_back("no list endpoint for '" + in.className + "'");
    return;
  }
  std::string path = pathOf(in, *e);
  if (isCallerScoped(path)) {
    w.comment("'" + path + "' lists only the authenticated account's objects; no wider list is documented.");
    out.notes.push_back("search all of '" + in.className + "' uses '" + path +
                        "', which lists only the authenticated account's objects");
  }
  w.open("endpoint(" + groovyString(path) + ")");
  writeResponseHandling(w, *e);
  if (auto note = writePaging(w, *e); !note.empty()) out.notes.push_back(note);
  w.line("emptyFilterSupported true");
  w.close();
}

// How well a path's last segment names a participant attribute: 3 same (loose) name, 2 an
// abbreviation with the same plural form ("orgs" ~ "organizations"), 1 any abbreviation, 0 none.
int collectionMatch(std::string_view segment, std::string_view attribute) {
  std::string s = looseKey(segment), a = looseKey(attribute);
  if (s.empty() || a.empty()) return 0;
  if (s == a) return 3;
  auto singular = [](std::string x) {
    if (x.size() > 1 && x.back() == 's') x.pop_back();
    return x;
  };
  std::string ss = singular(s), sa = singular(a);
  if (ss == sa) return 3;
  const std::string& shorter = ss.size() <= sa.size() ? ss : sa;
  const std::string& longer = ss.size() <= sa.size() ? sa : ss;
  if (shorter.size() < 3 || !startsWith(longer, shorter)) return 0;
  return (s.back() == 's') == (a.back() == 's') ? 2 : 1;
}

// "Support search" endpoints for reference attributes (codegen-dsl.md A.8.4): a GET list at
// <others>/{key}/<collection> among this class's endpoints, whose key identifies the other class
// by its UID or NAME and whose collection names the other participant's attribute, answers
// `<refAttr> eq <reference>` with the reference's uid/name in the path. One endpoint per
// reference attribute (preferred endpoints first). Returns whether it wrote any.
bool restReferenceFilters(const ClassCodegenInput& in, DslWriter& w) {
  std::set<std::string> done;
  bool any = false;
  for (const auto* e : endpointsByPreference(in, "GET")) {
    auto ph = pathPlaceholders(e->path);
    if (ph.size() != 1 || !isListEndpoint(*e)) continue;
    auto segs = split(pathOf(in, *e), '/', true);
    if (segs.size() < 3 || segs[segs.size() - 2] != "{" + ph[0] + "}") continue;
    const ReferenceAttributeInput* best = nullptr;
    const char* accessor = nullptr;
    int bestScore = 0;
    for (const auto& ref : in.references) {
      if (!ref.other || done.count(ref.attribute) || !segmentNamesClass(segs[segs.size() - 3], ref.other->className))
        continue;
      const Attribute* key = attributeForPlaceholder(*ref.other, ph[0]);
      if (!key) continue;
      const char* acc = key == chooseUidAttribute(*ref.other) ? "uid" : key == chooseNameAttribute(*ref.other) ? "name" : nullptr;
      int score = collectionMatch(segs.back(), ref.otherAttribute);
      if (!acc || score <= bestScore) continue;
      best = &ref;
      accessor = acc;
      bestScore = score;
    }
    if (!best) continue;
    done.insert(best->attribute);
    any = true;
    w.comment(in.className + " objects related to one " + best->other->className + " (relationship " + best->relation +
              ", attribute " + best->attribute + ").");
    w.open("endpoint(" + groovyString(pathOf(in, *e)) + ")");
    writeResponseHandling(w, *e);
    writePaging(w, *e);
    w.open("supportedFilter(" + filterSpec(best->attribute, "eq") + ")");
    w.line("request.pathParameter(" + groovyString(ph[0]) + ", value.value." + accessor + ")");
    w.close();
    w.close();
  }
  return any;
}

void restSearchFilter(const ClassCodegenInput& in, DslWriter& w, GeneratedScript& out) {
  std::set<std::pair<std::string, std::string>> used;
  bool any = false;
  for (const auto* e : endpointsByPreference(in, "GET")) {
    // Only endpoints documented to answer with objects of the class (a bare GET may list ids only).
    if (!pathPlaceholders(e->path).empty() || (!isListEndpoint(*e) && !isPreferred(in, *e))) continue;
    std::vector<FilterChoice> filters;
    for (auto& f : queryFilters(in, *e))
      if (used.insert({f.attribute, f.op}).second) filters.push_back(f);
    if (filters.empty()) continue;
    any = true;
    w.open("endpoint(" + groovyString(pathOf(in, *e)) + ")");
    writeResponseHandling(w, *e);
    writePaging(w, *e);
    for (const auto& f : filters) writeFilter(w, f.attribute, f.op, "queryParameter", f.param, f.exactFlag);
    w.close();
  }
  any = restReferenceFilters(in, w) || any;
  if (!any) {
    w.comment("No documented query parameter filters on an attribute of this class.");
    out.notes.push_back("no filter parameters documented for '" + in.className + "'");
  }
}

void restSearchId(const ClassCodegenInput& in, DslWriter& w, GeneratedScript& out) {
  std::set<std::string> covered;
  std::vector<std::pair<const Endpoint*, const Attribute*>> chosen;
  const Attribute* uid = chooseUidAttribute(in);
  // Candidates come best first from getByKeyEndpoints. Pass 1: the UID attribute; pass 2: any
  // other identifying attribute.
  auto candidates = getByKeyEndpoints(in);
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& g : candidates) {
      const Attribute* a = g.attribute;
      if (!a || covered.count(a->name)) continue;
      if (pass == 0 && a != uid) continue;
      covered.insert(a->name);
      chosen.emplace_back(g.endpoint, a);
    }
  }
  for (const auto& [e, a] : chosen) {
    w.open("endpoint(" + groovyString(pathOf(in, *e)) + ")");
    w.line("singleResult()");
    writeFilter(w, a->name, "eq", "pathParameter", pathPlaceholders(e->path)[0]);
    w.close();
  }
  if (uid && !covered.count(uid->name)) {
    // No path lookup by UID: an eq filter on a documented query parameter.
    for (const auto* e : endpointsByPreference(in, "GET")) {
      if (!pathPlaceholders(e->path).empty()) continue;
      for (const auto& f : queryFilters(in, *e)) {
        if (f.attribute != uid->name || std::string(f.op) != "eq") continue;
        w.open("endpoint(" + groovyString(pathOf(in, *e)) + ")");
        writeResponseHandling(w, *e);
        writeFilter(w, f.attribute, "eq", "queryParameter", f.param, f.exactFlag);
        w.close();
        covered.insert(uid->name);
        break;
      }
      if (covered.count(uid->name)) break;
    }
  }
  if (chosen.empty() && !(uid && covered.count(uid->name))) {
    w.comment("No endpoint that reads one object by its identifier is documented.");
    out.notes.push_back("no get-by-id endpoint for '" + in.className + "'");
  }
}

void scimSearch(const ClassCodegenInput& in, SearchIntent intent, DslWriter& w) {
  const Attribute* uid = chooseUidAttribute(in);
  const Attribute* name = chooseNameAttribute(in);
  w.open("scim");
  w.open("limitations");
  if (intent == SearchIntent::All) w.line("emptyFilterSupported true");
  if (intent == SearchIntent::Id) w.line("supportedFilter " + filterSpec(uid ? uid->name : "id", "eq"));
  if (intent == SearchIntent::Filter) {
    std::string n = name ? name->name : "userName";
    w.line("supportedFilter " + filterSpec(n, "eq"));
    w.line("supportedFilter " + filterSpec(n, "contains"));
  }
  w.close();
  w.close();
}

}  // namespace

GeneratedScript generateSearch(const ClassCodegenInput& in, SearchIntent intent) {
  GeneratedScript out;
  DslWriter w;
  w.open(objectClassHeader(in));
  if (in.protocol == Protocol::Sql && intent != SearchIntent::All) {
    w.comment("The built-in SQL search (declared by the search.all script) answers " +
              std::string(searchIntentName(intent)) + " queries on every column.");
    w.close();
    return finish(w, out);
  }
  w.open("search");
  if (in.protocol == Protocol::Sql) {
    w.open("sql");
    w.open("builtIn");
    w.line("enabled true");
    w.close();
    w.close();
  } else if (in.protocol == Protocol::Scim) {
    scimSearch(in, intent, w);
  } else if (intent == SearchIntent::All) {
    restSearchAll(in, w, out);
  } else if (intent == SearchIntent::Filter) {
    restSearchFilter(in, w, out);
  } else {
    restSearchId(in, w, out);
  }
  w.close();
  w.close();
  return finish(w, out);
}

// ------------------------------------------------------------------ create

GeneratedScript generateCreate(const ClassCodegenInput& in) {
  GeneratedScript out;
  DslWriter w;
  w.open(objectClassHeader(in));
  bool anyCreatable = std::any_of(in.attributes.begin(), in.attributes.end(),
                                  [](const Attribute& a) { return a.creatable.value_or(true); });
  if (in.protocol == Protocol::Sql) {
    if (anyCreatable) w.comment("Rows are inserted by the built-in SQL create operation.");
    else w.line("disableCreate()");
    w.close();
    return finish(w, out);
  }
  w.open("create");
  if (in.protocol == Protocol::Scim) {
    w.open("scim");
    w.line("enabled true");
    w.close();
  } else {
    const Endpoint* chosen = nullptr;
    for (int pass = 0; pass < 2 && !chosen; ++pass)
      for (const auto* e : endpointsByPreference(in, "POST")) {
        if (!pathPlaceholders(e->path).empty()) continue;
        if (pass == 0 && !hasUse(*e, "create") && !isPreferred(in, *e)) continue;
        if (pass == 1) {  // a POST on the list path
          const Endpoint* list = chooseListEndpoint(in);
          if (!list || pathOf(in, *list) != pathOf(in, *e)) continue;
        }
        chosen = e;
        break;
      }
    if (chosen) {
      w.open("endpoint(POST, " + groovyString(pathOf(in, *chosen)) + ")");
      w.open("request");
      w.line("contentType APPLICATION_JSON");
      w.close();
      w.close();
      if (chosen->requestContentType && !chosen->requestContentType->empty() &&
          chosen->requestContentType->find("json") == std::string::npos)
        out.notes.push_back("create endpoint documents '" + *chosen->requestContentType + "'; JSON body generated");
    } else {
      w.comment("No create endpoint without unresolvable path parameters is documented.");
      out.notes.push_back("no create endpoint for '" + in.className + "'");
    }
  }
  w.close();
  w.close();
  return finish(w, out);
}

// ------------------------------------------------------------------ update

namespace {

struct StatusTarget {
  const Attribute* attribute = nullptr;
  std::string value;  // Groovy literal
};

// The attribute an activate/deactivate endpoint changes, and the value it sets.
StatusTarget statusTarget(const ClassCodegenInput& in, bool activate) {
  static const std::vector<std::string> positive = {"active", "enabled", "isactive", "isenabled"};
  static const std::vector<std::string> negative = {"suspended", "blocked", "locked", "disabled", "prohibitlogin",
                                                    "issuspended", "isblocked", "islocked", "isdisabled"};
  for (const auto& a : in.attributes) {
    if (toLower(a.type.value_or("")) != "boolean") continue;
    std::string k = looseKey(a.name);
    if (std::find(positive.begin(), positive.end(), k) != positive.end()) return {&a, activate ? "true" : "false"};
  }
  for (const auto& a : in.attributes) {
    if (toLower(a.type.value_or("")) != "boolean") continue;
    std::string k = looseKey(a.name);
    if (std::find(negative.begin(), negative.end(), k) != negative.end()) return {&a, activate ? "false" : "true"};
  }
  return {};
}

// Path with its single placeholder renamed to {id} when that placeholder identifies the UID.
// Endpoints of `method` for one object, best first: preferred ones, then paths whose segment before
// the last placeholder names the class ("users/{id}"), then the shorter path
// ("users/{id}" before "attack-detection/brute-force/users/{id}"); stable otherwise.
std::vector<const Endpoint*> objectEndpoints(const ClassCodegenInput& in, std::string_view method) {
  auto list = endpointsByPreference(in, method);
  auto key = [&](const Endpoint* e) {
    auto segs = split(pathOf(in, *e), '/', true);
    bool names = segs.size() >= 2 && segs.back().front() == '{' && segmentNamesClass(segs[segs.size() - 2], in.className);
    return std::make_tuple(isPreferred(in, *e) ? 0 : 1, names ? 0 : 1, segs.size());
  };
  std::stable_sort(list.begin(), list.end(), [&](const Endpoint* a, const Endpoint* b) { return key(a) < key(b); });
  return list;
}

std::optional<std::string> idPath(const ClassCodegenInput& in, const Endpoint& e, GeneratedScript& out, const char* op) {
  auto ph = pathPlaceholders(e.path);
  std::string p = pathOf(in, e);
  if (ph.size() != 1) {
    out.notes.push_back(std::string(op) + " endpoint '" + e.method + " " + e.path +
                        "' skipped: the runtime fills only one {id} placeholder");
    return std::nullopt;
  }
  const Attribute* uid = chooseUidAttribute(in);
  const Attribute* target = attributeForPlaceholder(in, ph[0]);
  if (target && uid && target != uid) {
    out.notes.push_back(std::string(op) + " endpoint '" + e.method + " " + e.path + "' skipped: {" + ph[0] +
                        "} is '" + target->name + "' but the runtime fills {id} with the UID '" + uid->name + "'");
    return std::nullopt;
  }
  return replacePlaceholder(p, ph[0], "id");
}

std::string quotedList(const std::vector<std::string>& names) {
  std::vector<std::string> q;
  for (const auto& n : names) q.push_back(groovyString(n));
  return join(q, ", ");
}

}  // namespace

GeneratedScript generateUpdate(const ClassCodegenInput& in) {
  GeneratedScript out;
  DslWriter w;
  w.open(objectClassHeader(in));
  auto updatable = [](const Attribute& a) {
    return a.updatable.value_or(true) && !isComplexAttribute(a) && a.readable.value_or(true) != false;
  };
  bool anyUpdatable = std::any_of(in.attributes.begin(), in.attributes.end(), updatable);
  if (in.protocol == Protocol::Sql) {
    if (anyUpdatable) w.comment("Rows are updated by the built-in SQL update operation.");
    else w.line("disableUpdate()");
    w.close();
    return finish(w, out);
  }
  w.open("update");
  if (in.protocol == Protocol::Scim) {
    bool patch = in.endpoints.empty() || std::any_of(in.endpoints.begin(), in.endpoints.end(),
                                                     [](const Endpoint& e) { return e.method == "PATCH"; });
    w.open("scim");
    w.open(patch ? "patch" : "put");
    w.close();
    w.close();
    w.close();
    w.close();
    return finish(w, out);
  }

  struct Planned {
    const Endpoint* e;
    std::string method, path;
    std::vector<std::string> attributes;  // supportedAttributes
    StatusTarget status;
  };
  std::vector<Planned> plan;
  std::set<std::string> claimed;
  const Endpoint* main = nullptr;
  std::string mainPath;
  for (const char* method : {"PATCH", "PUT"}) {
    for (const auto* e : objectEndpoints(in, method)) {
      if (!hasUse(*e, "update") && !isPreferred(in, *e)) continue;
      auto ph = pathPlaceholders(e->path);
      if (ph.size() != 1 || !endsWith(e->path, "{" + ph[0] + "}")) continue;
      if (auto p = idPath(in, *e, out, "update")) {
        main = e;
        mainPath = *p;
        break;
      }
    }
    if (main) break;
  }
  // Additional endpoints: attribute sub-resources (…/{id}/password) and activate/deactivate.
  for (const auto* e : endpointsByPreference(in, "")) {
    if (e == main || e->method == "GET" || e->method == "DELETE") continue;
    bool activate = hasUse(*e, "activate"), deactivate = hasUse(*e, "deactivate");
    bool update = hasUse(*e, "update");
    if (!activate && !deactivate && !update) continue;
    auto ph = pathPlaceholders(e->path);
    if (ph.size() != 1) continue;
    std::string path = pathOf(in, *e);
    if (activate || deactivate) {
      StatusTarget st = statusTarget(in, activate);
      if (!st.attribute) {
        out.notes.push_back(std::string(activate ? "activate" : "deactivate") + " endpoint '" + e->path +
                            "' skipped: no status attribute documented");
        continue;
      }
      auto p = idPath(in, *e, out, activate ? "activate" : "deactivate");
      if (!p) continue;
      claimed.insert(st.attribute->name);
      plan.push_back({e, e->method, *p, {}, st});
      continue;
    }
    // Sub-resource update: the last path segment names the attribute it changes.
    auto segs = split(path, '/', true);
    if (segs.empty() || segs.back().front() == '{') continue;
    const Attribute* a = findAttribute(in, segs.back());
    if (!a) {
      for (const auto& cand : in.attributes)
        if (looseKey(cand.name) == looseKey(segs.back())) a = &cand;
    }
    if (!a) {
      out.notes.push_back("update endpoint '" + e->method + " " + e->path + "' skipped: no attribute named '" +
                          segs.back() + "'");
      continue;
    }
    auto p = idPath(in, *e, out, "update");
    if (!p || claimed.count(a->name)) continue;
    claimed.insert(a->name);
    plan.push_back({e, e->method, *p, {a->name}, {}});
  }
  if (main) {
    Planned m{main, main->method, mainPath, {}, {}};
    if (!plan.empty()) {
      std::vector<const Attribute*> attrs;
      for (const auto& a : in.attributes)
        if (updatable(a) && !claimed.count(a.name)) attrs.push_back(&a);
      std::set<std::string> seen;
      for (const auto* a : attrs)
        if (seen.insert(a->name).second) m.attributes.push_back(a->name);
    }
    plan.insert(plan.begin(), m);
  }
  for (const auto& p : plan) {
    w.open("endpoint(" + p.method + ", " + groovyString(p.path) + ")");
    if (p.status.attribute) {
      w.open("supportedAttribute(" + groovyString(p.status.attribute->name) + ")");
      w.line("value " + p.status.value);
      w.close();
      w.open("request");
      w.line("body EMPTY");
      w.close();
    } else {
      if (!p.attributes.empty()) w.line("supportedAttributes " + quotedList(p.attributes));
      w.open("request");
      w.line("contentType APPLICATION_JSON");
      w.close();
    }
    w.close();
  }
  if (plan.empty()) {
    w.comment("No update endpoint addressed by the object's {id} is documented.");
    out.notes.push_back("no usable update endpoint for '" + in.className + "'");
  }
  w.close();
  w.close();
  return finish(w, out);
}

// ------------------------------------------------------------------ delete

GeneratedScript generateDelete(const ClassCodegenInput& in) {
  GeneratedScript out;
  DslWriter w;
  w.open(objectClassHeader(in));
  if (in.protocol == Protocol::Sql) {
    w.comment("Rows are deleted by the built-in SQL delete operation.");
    w.close();
    return finish(w, out);
  }
  w.open("delete");
  if (in.protocol == Protocol::Scim) {
    w.open("scim");
    w.close();
  } else {
    bool done = false;
    for (const auto* e : objectEndpoints(in, "DELETE")) {
      if (!hasUse(*e, "delete") && !isPreferred(in, *e)) continue;
      if (auto p = idPath(in, *e, out, "delete")) {
        w.line("endpoint(DELETE, " + groovyString(*p) + ")");
        done = true;
        break;
      }
    }
    if (!done) {
      w.comment("No delete endpoint addressed by the object's {id} is documented.");
      out.notes.push_back("no usable delete endpoint for '" + in.className + "'");
    }
  }
  w.close();
  w.close();
  return finish(w, out);
}

}  // namespace cg::codegen
