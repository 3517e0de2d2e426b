// Runs the deterministic OpenAPI digester over every OpenAPI/Swagger spec of the shared corpus
// and prints, per spec, the counts of each result and the time (parse and digest separately,
// best of N runs). `--dump <name>` prints the full results of one spec as JSON instead.
// Usage: bench_digest_corpus [--runs N] [--dump forgejo|okta|...]
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "digest/model.h"
#include "digest/openapi/openapi_digester.h"

using namespace cg;
using namespace cg::digest;
using Clock = std::chrono::steady_clock;

namespace {
struct Spec {
  const char* name;
  const char* path;
};
const Spec kSpecs[] = {
    {"forgejo", "forgejo/swagger.v1.json"},       {"nextcloud", "nextcloud/provisioning_api-openapi.json"},
    {"pagerduty-scim", "scim/pagerduty-scim-openapiv3.json"}, {"keycloak", "keycloak/keycloak-23.0.7.yml"},
    {"asana", "asana/asana_oas.yaml"},            {"okta", "okta/management-minimal.yaml"},
};

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

OrderedJson allResults(const DigestResult& r) {
  OrderedJson j = OrderedJson::object();
  j["metadata"] = infoResponse(r.info);
  j["classes"] = objectClassesResponse(r.objectClasses);
  OrderedJson per = OrderedJson::object();
  for (const auto& c : r.objectClasses) {
    per[c.name] = OrderedJson{{"attributes", attributesResponse(c.attributes)["attributes"]},
                              {"endpoints", endpointsResponse(c.endpoints)["endpoints"]}};
  }
  j["perClass"] = per;
  j["relations"] = relationsResponse(r.relations);
  j["auth"] = authResponse(r.auth);
  j["connectivity"] = connectivityResponse(r.connectivityEndpoints);
  OrderedJson d = OrderedJson::array();
  for (const auto& x : r.diagnostics) d.push_back(toJson(x));
  j["diagnostics"] = d;
  return j;
}
}  // namespace

int main(int argc, char** argv) {
  int runs = 5;
  std::string dump;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--runs" && i + 1 < argc) runs = std::max(1, std::atoi(argv[++i]));
    if (a == "--dump" && i + 1 < argc) dump = argv[++i];
  }
  std::string shared = CG_SHARED_DIR;
  if (const char* env = std::getenv("CG_SHARED_DIR")) shared = env;
  if (dump.empty()) {
    std::printf("%-16s %9s %9s %9s %7s %6s %8s %5s %5s %5s %5s\n", "spec", "bytes", "parse_ms", "digest_ms", "classes",
                "attrs", "endpts", "rels", "auth", "conn", "diag");
  }
  for (const auto& spec : kSpecs) {
    if (!dump.empty() && dump != spec.name) continue;
    std::string text = readFile(shared + "/corpus/" + spec.path);
    if (text.empty()) {
      std::printf("%-16s missing (%s)\n", spec.name, spec.path);
      continue;
    }
    double bestParse = 1e18, bestDigest = 1e18;
    DigestResult result;
    for (int r = 0; r < runs; ++r) {
      std::vector<Diagnostic> diags;
      auto t0 = Clock::now();
      auto doc = openapi::parseSpecText(text, spec.name, diags);
      auto t1 = Clock::now();
      if (!doc) {
        std::printf("%-16s parse failed: %s\n", spec.name, diags.empty() ? "" : diags[0].message.c_str());
        break;
      }
      result = openapi::digestOpenApi(*doc, spec.name);
      // Serialize everything too: that is part of producing the seven results.
      std::string out = dumpJson(allResults(result));
      auto t2 = Clock::now();
      bestParse = std::min(bestParse, ms(t1 - t0));
      bestDigest = std::min(bestDigest, ms(t2 - t1));
      if (!dump.empty()) {
        std::cout << allResults(result).dump(1) << "\n";
        break;
      }
    }
    if (!dump.empty()) continue;
    size_t attrs = 0, endpoints = 0;
    for (const auto& c : result.objectClasses) {
      attrs += c.attributes.size();
      endpoints += c.endpoints.size();
    }
    std::printf("%-16s %9zu %9.1f %9.1f %7zu %6zu %8zu %5zu %5zu %5zu %5zu\n", spec.name, text.size(), bestParse,
                bestDigest, result.objectClasses.size(), attrs, endpoints, result.relations.size(), result.auth.size(),
                result.connectivityEndpoints.size(), result.diagnostics.size());
  }
  return 0;
}
