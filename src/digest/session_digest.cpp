#include "digest/session_digest.h"

#include <algorithm>
#include <set>

#include "digest/openapi/evidence_index.h"
#include "digest/openapi/openapi_digester.h"
#include "digest/prose/prose_digester.h"
#include "digest/scim/scim_digester.h"
#include "digest/sql/sql_digester.h"
#include "util/strings.h"

namespace cg::digest {
namespace {
std::string escapePointer(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out.push_back(c);
  }
  return out;
}

std::vector<std::string> stringList(const OrderedJson& meta, const char* key) {
  std::vector<std::string> out;
  if (meta.is_object() && meta.contains(key) && meta[key].is_array())
    for (const auto& v : meta[key])
      if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

openapi::EvidenceIndex buildEvidence(const std::vector<ChunkEvidence>& chunks) {
  openapi::EvidenceIndex index;
  for (const auto& c : chunks) {
    for (const auto& p : stringList(c.metadata, "paths")) index.add(c.docId, "/paths/" + escapePointer(p), c.chunkId);
    for (const auto& s : stringList(c.metadata, "schemas")) {
      index.add(c.docId, "/components/schemas/" + escapePointer(s), c.chunkId);
      index.add(c.docId, "/definitions/" + escapePointer(s), c.chunkId);
    }
    for (const auto& s : stringList(c.metadata, "scim_schemas")) index.add(c.docId, scim::scimEvidencePointer(s), c.chunkId);
    for (const auto& t : stringList(c.metadata, "tables")) index.add(c.docId, sql::sqlEvidencePointer(t), c.chunkId);
    std::string strategy = c.metadata.is_object() ? c.metadata.value("chunking_strategy", "") : "";
    if (startsWith(strategy, "openapi_overview"))
      for (const char* p : {"/info", "/servers", "/host", "/basePath", "/schemes", "/securityDefinitions",
                            "/components/securitySchemes", "/security"})
        index.add(c.docId, p, c.chunkId);
  }
  return index;
}

// Adds what `more` knows and `into` does not: classes by name, relations by name, auth by
// name+type, connectivity endpoints by method+path; metadata fields fill gaps, apiType is a union.
void mergeInto(DigestResult& into, DigestResult&& more) {
  for (auto& c : more.objectClasses)
    if (!into.findClass(c.name)) into.objectClasses.push_back(std::move(c));
  std::set<std::string> relNames;
  for (const auto& r : into.relations) relNames.insert(r.name);
  for (auto& r : more.relations)
    if (relNames.insert(r.name).second) into.relations.push_back(std::move(r));
  std::set<std::pair<std::string, std::string>> auths;
  for (const auto& a : into.auth) auths.emplace(toLower(a.name), a.type);
  for (auto& a : more.auth)
    if (auths.emplace(toLower(a.name), a.type).second) into.auth.push_back(std::move(a));
  std::set<std::pair<std::string, std::string>> conns;
  for (const auto& e : into.connectivityEndpoints) conns.emplace(e.method, e.path);
  for (auto& e : more.connectivityEndpoints)
    if (conns.emplace(e.method, e.path).second) into.connectivityEndpoints.push_back(std::move(e));
  if (more.info) {
    if (!into.info) {
      into.info = std::move(more.info);
    } else {
      InfoMetadata& a = *into.info;
      const InfoMetadata& b = *more.info;
      if (a.name.empty()) a.name = b.name;
      if (a.applicationVersion.empty()) a.applicationVersion = b.applicationVersion;
      if (a.apiVersion.empty()) a.apiVersion = b.apiVersion;
      if (a.databaseName.empty()) a.databaseName = b.databaseName;
      for (const auto& t : b.apiType) a.apiType.push_back(t);
      for (const auto& e : b.baseApiEndpoint) a.baseApiEndpoint.push_back(e);
      normalizeInfoMetadata(a);
    }
  }
  for (auto& d : more.diagnostics) into.diagnostics.push_back(std::move(d));
}
}  // namespace

SessionDigest digestDocuments(const std::vector<DocumentInput>& documents, const std::vector<ChunkEvidence>& chunks) {
  SessionDigest out;
  openapi::EvidenceIndex evidence = buildEvidence(chunks);
  // Parse every structured document once, grouped by engine.
  std::vector<std::pair<std::string, OrderedJson>> openApiRoots, scimRoots;
  std::vector<bool> describesScim;
  std::vector<sql::SqlDocument> sqlDocs;
  std::vector<prose::ProseDocument> proseDocs;
  for (const auto& d : documents) {
    ProtocolDetection p = detectProtocol(d.text, d.contentType);
    if (p.protocol == Protocol::Unknown) {
      proseDocs.push_back({d.docId, d.text});
      continue;
    }
    if (p.protocol == Protocol::Sql) {
      sqlDocs.push_back({d.docId, d.text});
    } else {
      auto root = openapi::parseSpecText(d.text, d.docId, out.result.diagnostics);
      if (!root) {
        ++out.documentsSkipped;
        continue;
      }
      if (p.protocol == Protocol::Rest && openapi::isOpenApiDocument(*root)) {
        openApiRoots.emplace_back(d.docId, std::move(*root));
        describesScim.push_back(p.describesScim);
      } else if (p.protocol == Protocol::Scim) {
        scimRoots.emplace_back(d.docId, std::move(*root));
      } else {
        ++out.documentsSkipped;
        continue;
      }
    }
    out.protocols.push_back(p.apiType);
    ++out.documentsUsed;
  }
  bool first = true;
  auto take = [&](DigestResult&& r) {
    if (first) {
      out.result = std::move(r);
      first = false;
    } else {
      mergeInto(out.result, std::move(r));
    }
  };
  std::vector<Diagnostic> parseDiagnostics = std::move(out.result.diagnostics);
  out.result.diagnostics.clear();
  if (!openApiRoots.empty()) {
    std::vector<openapi::OpenApiDocument> docs;
    for (const auto& [id, root] : openApiRoots) docs.push_back({id, &root});
    DigestResult r = openapi::digestOpenApi(docs, evidence);
    if (std::any_of(describesScim.begin(), describesScim.end(), [](bool b) { return b; })) scim::applyScimSemantics(r);
    take(std::move(r));
  }
  if (!scimRoots.empty()) {
    std::vector<scim::ScimDocument> docs;
    for (const auto& [id, root] : scimRoots) docs.push_back({id, &root});
    take(scim::digestScim(docs, evidence));
  }
  if (!sqlDocs.empty()) {
    sql::SqlDigest s = sql::digestSql(sqlDocs, evidence);
    out.sqlEndpoints = std::move(s.tableRecords);
    take(std::move(s.result));
  }
  out.proseDocuments = proseDocs.size();
  if (!proseDocs.empty()) {
    // Prose last: what the structured engines found wins on name clashes (mergeInto keeps the first).
    DigestResult r = prose::digestProse(proseDocs, chunks);
    bool understood = !r.objectClasses.empty() || !r.auth.empty();
    if (understood) {
      out.documentsUsed += proseDocs.size();
      take(std::move(r));
    } else {
      out.documentsSkipped += proseDocs.size();
      for (auto& d : r.diagnostics) out.result.diagnostics.push_back(std::move(d));
    }
  }
  for (auto& d : parseDiagnostics) out.result.diagnostics.push_back(std::move(d));
  return out;
}
}  // namespace cg::digest
