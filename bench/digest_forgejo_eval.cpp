// Quality and speed of the OpenAPI digester on the Forgejo fixture, measured against the
// hand-written Forgejo connector (shared/corpus/forgejo/expected.json).
// Prints: class recall; attribute recall and precision over the expected classes; per-flag
// accuracy (only where the hand-written connector states a value); relation recall; and the time
// to produce all seven results (parse + digest + JSON), best of N runs.
// Matching rules (documented because they shape the numbers):
//  - classes match by name, case-insensitively;
//  - an attribute matches by exact name, or by singular/plural form of the same name
//    ("member" ≈ "members", "organization" ≈ "organizations"); a dotted expected name "a.b"
//    matches when attribute "a" exists and is typed with a class;
//  - flags: type (class names case-insensitive), format, creatable, updatable, readable,
//    multivalued ↔ multivalue, required ↔ mandatory;
//  - a relation matches when the same two classes are related (either orientation).
// Usage: bench_digest_forgejo_eval [--runs N]
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "digest/model.h"
#include "digest/openapi/naming.h"
#include "digest/openapi/openapi_digester.h"
#include "util/strings.h"

using namespace cg;
using namespace cg::digest;
using Clock = std::chrono::steady_clock;

namespace {
std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
std::string norm(const std::string& s) { return openapi::compactKey(openapi::singularize(s)); }

const Attribute* findAttribute(const ObjectClass& c, const std::string& name) {
  for (const auto& a : c.attributes) {
    if (a.name == name) return &a;
  }
  for (const auto& a : c.attributes) {
    if (norm(a.name) == norm(name)) return &a;
  }
  return nullptr;
}
}  // namespace

int main(int argc, char** argv) {
  int runs = 10;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--runs") runs = std::max(1, std::atoi(argv[i + 1]));
  }
  std::string shared = CG_SHARED_DIR;
  if (const char* env = std::getenv("CG_SHARED_DIR")) shared = env;
  std::string specText = readFile(shared + "/corpus/forgejo/swagger.v1.json");
  std::string expectedText = readFile(shared + "/corpus/forgejo/expected.json");
  if (specText.empty() || expectedText.empty()) {
    std::printf("forgejo corpus missing under %s\n", shared.c_str());
    return 1;
  }
  OrderedJson expected = OrderedJson::parse(expectedText);

  double best = 1e18;
  DigestResult result;
  std::string firstJson;
  bool deterministic = true;
  for (int r = 0; r < runs; ++r) {
    auto t0 = Clock::now();
    std::vector<Diagnostic> diags;
    auto doc = openapi::parseSpecText(specText, "forgejo", diags);
    result = openapi::digestOpenApi(*doc, "forgejo");
    OrderedJson all = OrderedJson::array();
    all.push_back(infoResponse(result.info));
    all.push_back(objectClassesResponse(result.objectClasses));
    for (const auto& c : result.objectClasses) {
      all.push_back(attributesResponse(c.attributes));
      all.push_back(endpointsResponse(c.endpoints));
    }
    all.push_back(relationsResponse(result.relations));
    all.push_back(authResponse(result.auth));
    all.push_back(connectivityResponse(result.connectivityEndpoints));
    std::string json = dumpJson(all);
    auto t1 = Clock::now();
    best = std::min(best, std::chrono::duration<double, std::milli>(t1 - t0).count());
    if (r == 0) firstJson = json;
    else deterministic = deterministic && json == firstJson;
  }

  int classesExpected = 0, classesFound = 0;
  int attrsExpected = 0, attrsFound = 0;
  size_t producedAttrs = 0;
  std::map<std::string, std::pair<int, int>> flags;  // flag → (correct, compared)
  std::vector<std::string> missing;
  for (auto it = expected["objectClasses"].begin(); it != expected["objectClasses"].end(); ++it) {
    ++classesExpected;
    const ObjectClass* c = result.findClass(it.key());
    if (!c) {
      missing.push_back("class " + it.key());
      continue;
    }
    ++classesFound;
    producedAttrs += c->attributes.size();
    for (auto a = it.value()["attributes"].begin(); a != it.value()["attributes"].end(); ++a) {
      ++attrsExpected;
      std::string name = a.key();
      const Attribute* got = nullptr;
      if (auto dot = name.find('.'); dot != std::string::npos) {
        const Attribute* head = findAttribute(*c, name.substr(0, dot));
        if (head && head->format && (*head->format == "reference" || *head->format == "embedded")) got = head;
        if (got) ++attrsFound;
        else missing.push_back(it.key() + "." + name);
        continue;  // flags of a dotted path are about the referenced class
      }
      got = findAttribute(*c, name);
      if (!got) {
        missing.push_back(it.key() + "." + name);
        continue;
      }
      ++attrsFound;
      const auto& e = a.value();
      auto cmpBool = [&](const char* flag, const char* key, const std::optional<bool>& value) {
        if (!e.contains(key) || e[key].is_null()) return;
        auto& f = flags[flag];
        ++f.second;
        if (value && *value == e[key].get<bool>()) ++f.first;
        else missing.push_back("flag " + it.key() + "." + name + "." + flag);
      };
      auto cmpStr = [&](const char* flag, const char* key, const std::optional<std::string>& value) {
        if (!e.contains(key) || e[key].is_null()) return;
        auto& f = flags[flag];
        ++f.second;
        if (value && iequals(*value, e[key].get<std::string>())) ++f.first;
        else missing.push_back("flag " + it.key() + "." + name + "." + flag + " (got " + value.value_or("null") + ")");
      };
      cmpStr("type", "type", got->type);
      cmpStr("format", "format", got->format);
      cmpBool("creatable", "creatable", got->creatable);
      cmpBool("updatable", "updatable", got->updatable);
      cmpBool("readable", "readable", got->readable);
      cmpBool("multivalue", "multivalued", got->multivalue);
      cmpBool("mandatory", "required", got->mandatory);
    }
  }
  int relsExpected = 0, relsFound = 0;
  for (const auto& rel : expected["relations"]) {
    ++relsExpected;
    std::string s = toLower(rel["subject"].get<std::string>()), o = toLower(rel["object"].get<std::string>());
    bool found = false;
    for (const auto& r : result.relations) {
      found = found || (r.subject == s && r.object == o) || (r.subject == o && r.object == s);
    }
    if (found) ++relsFound;
    else missing.push_back("relation " + s + "-" + o);
  }

  std::printf("Forgejo digest evaluation (expected.json = hand-written connector)\n");
  std::printf("  time, all seven results (parse+digest+JSON), best of %d: %.1f ms\n", runs, best);
  std::printf("  deterministic across runs: %s\n", deterministic ? "yes" : "NO");
  std::printf("  classes produced: %zu\n", result.objectClasses.size());
  std::printf("  class recall: %d/%d = %.1f%%\n", classesFound, classesExpected, 100.0 * classesFound / std::max(1, classesExpected));
  std::printf("  attribute recall: %d/%d = %.1f%%\n", attrsFound, attrsExpected, 100.0 * attrsFound / std::max(1, attrsExpected));
  std::printf("  attribute precision (expected classes; the connector maps only a subset): %d/%zu = %.1f%%\n", attrsFound,
              producedAttrs, 100.0 * attrsFound / std::max<size_t>(1, producedAttrs));
  int correct = 0, compared = 0;
  for (const auto& [flag, f] : flags) {
    std::printf("  flag %-11s %d/%d = %.1f%%\n", flag.c_str(), f.first, f.second, 100.0 * f.first / std::max(1, f.second));
    correct += f.first;
    compared += f.second;
  }
  std::printf("  flag accuracy overall: %d/%d = %.1f%%\n", correct, compared, 100.0 * correct / std::max(1, compared));
  std::printf("  relation recall: %d/%d\n", relsFound, relsExpected);
  for (const auto& m : missing) std::printf("  miss: %s\n", m.c_str());
  return 0;
}
