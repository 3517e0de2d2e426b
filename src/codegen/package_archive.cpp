#include "codegen/package_archive.h"

#include "codegen/model_rules.h"

#include <zip.h>

#include <fmt/format.h>

#include <stdexcept>

namespace cg::codegen {
namespace {
std::string yamlQuote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

void manifestEntry(std::string& out, const PackageScript& s, const char* operation, const char* intent) {
  out += "  - script: " + yamlQuote("/" + s.fileName) + "\n";
  if (s.kind != ArtifactKind::Relation && s.kind != ArtifactKind::Authentication)
    out += "    objectClass: " + yamlQuote(s.name) + "\n";
  if (operation) out += std::string("    operation: ") + operation + "\n";
  if (intent) out += std::string("    intent: ") + intent + "\n";
}
}  // namespace

std::string connectorManifest(const std::vector<PackageScript>& scripts) {
  std::string schema = "schema:\n", auth = "authorization:\n", ops = "operation:\n";
  bool anySchema = false, anyAuth = false, anyOp = false;
  for (const auto& s : scripts) {
    switch (s.kind) {
      case ArtifactKind::NativeSchema:
      case ArtifactKind::ConnId:
      case ArtifactKind::Relation:
        manifestEntry(schema, s, nullptr, nullptr);
        anySchema = true;
        break;
      case ArtifactKind::Authentication:
        manifestEntry(auth, s, nullptr, nullptr);
        anyAuth = true;
        break;
      case ArtifactKind::SearchAll: manifestEntry(ops, s, "search", "all"), anyOp = true; break;
      case ArtifactKind::SearchFilter: manifestEntry(ops, s, "search", "filter"), anyOp = true; break;
      case ArtifactKind::SearchId: manifestEntry(ops, s, "search", "id"), anyOp = true; break;
      case ArtifactKind::Create: manifestEntry(ops, s, "create", nullptr), anyOp = true; break;
      case ArtifactKind::Update: manifestEntry(ops, s, "update", nullptr), anyOp = true; break;
      case ArtifactKind::Delete: manifestEntry(ops, s, "delete", nullptr), anyOp = true; break;
    }
  }
  std::string out = "# connector.manifest written by connector-gen\n";
  out += anySchema ? schema : "schema: []\n";
  out += anyAuth ? auth : "authorization: []\n";
  out += anyOp ? ops : "operation: []\n";
  return out;
}

std::string packageReadme(const digest::DigestResult& model, const std::vector<PackageReportEntry>& report,
                          const std::string& applicationName) {
  std::string out = "# " + (applicationName.empty() ? std::string("Connector") : applicationName) +
                    " — generated midPoint connector scripts\n\n";
  out += "Generated deterministically by connector-gen from the application's documentation.\n\n";
  if (model.info) {
    const auto& i = *model.info;
    out += "## Application\n\n";
    out += "- Name: " + i.name + "\n- API version: " + i.apiVersion + "\n- Application version: " +
           i.applicationVersion + "\n";
    std::string types;
    for (const auto& t : i.apiType) types += (types.empty() ? "" : ", ") + t;
    out += "- API type: " + types + "\n";
    for (const auto& e : i.baseApiEndpoint) out += "- Base URL: `" + e.uri + "` (" + e.type + ")\n";
    if (!i.databaseName.empty()) out += "- Database: " + i.databaseName + "\n";
    out += "\n";
  }
  if (std::string scope = scopePlaceholder(model); !scope.empty())
    out += "**Base URL:** every documented path starts with `{" + scope + "}`. The generated paths leave it out, "
           "so configure the connector's base URL with the " + scope + " at its end (e.g. `" +
           (model.info && !model.info->baseApiEndpoint.empty() ? model.info->baseApiEndpoint.front().uri : std::string("https://host/api")) +
           "/<" + scope + ">`).\n\n";
  out += "## Object classes\n\n| Class | Confidence | Attributes | Endpoints |\n|---|---|---|---|\n";
  for (const auto& c : model.objectClasses)
    out += fmt::format("| {} | {} | {} | {} |\n", c.name, digest::confidenceName(c.confidence), c.attributes.size(),
                       c.endpoints.size());
  for (const auto& c : model.objectClasses) {
    if (c.attributes.empty() && c.endpoints.empty()) continue;
    out += "\n### " + c.name + "\n\n";
    if (!c.attributes.empty()) {
      out += "| Attribute | Type | Flags |\n|---|---|---|\n";
      for (const auto& a : c.attributes) {
        std::string flags;
        auto flag = [&](const std::optional<bool>& v, const char* name) {
          if (v && *v) flags += (flags.empty() ? "" : ", ") + std::string(name);
        };
        flag(a.mandatory, "mandatory");
        flag(a.multivalue, "multivalued");
        if (a.creatable && !*a.creatable) flags += (flags.empty() ? "" : ", ") + std::string("not creatable");
        if (a.updatable && !*a.updatable) flags += (flags.empty() ? "" : ", ") + std::string("not updatable");
        out += fmt::format("| {} | {} | {} |\n", a.name, a.type.value_or(""), flags);
      }
      out += "\n";
    }
    for (const auto& e : c.endpoints) {
      std::string uses;
      for (const auto& u : e.suggestedUse) uses += (uses.empty() ? "" : ", ") + u;
      out += "- `" + e.method + " " + e.path + "`" + (uses.empty() ? "" : " — " + uses) + "\n";
    }
  }
  if (!model.relations.empty()) {
    out += "\n## Relations\n\n";
    for (const auto& r : model.relations)
      out += "- `" + r.name + "`: " + r.subject + "." + r.subjectAttribute + " → " + r.object + "." + r.objectAttribute +
             "\n";
  }
  out += "\n## Authentication\n\n";
  if (model.auth.empty()) out += "No authentication method is documented.\n";
  for (const auto& a : model.auth) out += "- " + a.name + " (`" + a.type + "`): " + a.quirks + "\n";
  out += "\n## Scripts and validation\n\n| File | Result | Validation |\n|---|---|---|\n";
  for (const auto& r : report)
    out += fmt::format("| {} | {} | {} |\n", r.fileName, r.ok ? "ok" : "FAILED", r.validation);
  bool anyNotes = false;
  for (const auto& r : report)
    for (const auto& n : r.notes) {
      if (!anyNotes) out += "\n## Generator notes\n\n";
      anyNotes = true;
      out += "- " + r.fileName + ": " + n + "\n";
    }
  return out;
}

std::string zipArchive(const std::vector<PackageFile>& files) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(nullptr, 0, 0, &err);
  if (!src) throw std::runtime_error(std::string("zip: ") + zip_error_strerror(&err));
  zip_t* za = zip_open_from_source(src, ZIP_TRUNCATE, &err);
  if (!za) {
    zip_source_free(src);
    throw std::runtime_error(std::string("zip: ") + zip_error_strerror(&err));
  }
  zip_source_keep(src);
  for (const auto& f : files) {
    zip_source_t* s = zip_source_buffer(za, f.content.data(), f.content.size(), 0);
    if (!s || zip_file_add(za, f.name.c_str(), s, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) < 0) {
      if (s) zip_source_free(s);
      std::string msg = zip_strerror(za);
      zip_discard(za);
      zip_source_free(src);
      throw std::runtime_error("zip: cannot add " + f.name + ": " + msg);
    }
  }
  if (zip_close(za) < 0) {
    std::string msg = zip_strerror(za);
    zip_discard(za);
    zip_source_free(src);
    throw std::runtime_error("zip: " + msg);
  }
  std::string out;
  if (zip_source_open(src) == 0) {
    zip_source_seek(src, 0, SEEK_END);
    zip_int64_t size = zip_source_tell(src);
    zip_source_seek(src, 0, SEEK_SET);
    if (size > 0) {
      out.resize(static_cast<size_t>(size));
      zip_source_read(src, out.data(), static_cast<zip_uint64_t>(size));
    }
    zip_source_close(src);
  }
  zip_source_free(src);
  return out;
}
}  // namespace cg::codegen
