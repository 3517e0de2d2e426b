// Connector package archive: the generated scripts plus the connector manifest (connector.manifest,
// YAML, in the shape midPoint's ConnectorManifestWriter produces: `schema`, `authorization`,
// `operation` lists of {script, objectClass, operation, intent}) and a README listing classes,
// attributes, endpoints, auth and every validation finding, written as one in-memory ZIP.
#pragma once
#include <string>
#include <vector>

#include "codegen/package_generator.h"
#include "digest/model.h"

namespace cg::codegen {
struct PackageFile {
  std::string name;
  std::string content;
};

struct PackageReportEntry {
  std::string fileName;
  bool ok = true;
  std::string validation;          // e.g. "Groovy 4 compiled; DSL conformant" or the first error
  std::vector<std::string> notes;  // generator notes and warnings
};

std::string connectorManifest(const std::vector<PackageScript>& scripts);
std::string packageReadme(const digest::DigestResult& model, const std::vector<PackageReportEntry>& report,
                          const std::string& applicationName);
// A ZIP archive (deflate) of the files; throws std::runtime_error if libzip fails.
std::string zipArchive(const std::vector<PackageFile>& files);
}  // namespace cg::codegen
