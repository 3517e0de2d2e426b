// Generates every script of a connector package from one digest result, in memory: per relevant
// class the native schema, ConnId mapping, search all/filter/id, create, update and delete scripts;
// one script per relation; the authentication script. (Zip/README/manifest writing belongs to the
// package job; this is the pure part it and the benchmarks call.)
//
// Contract: pure, deterministic, never throws. Classes with relevant == "false" are skipped;
// embedded classes get only native/ConnId-free schema scripts (no operations).
#pragma once
#include <string>
#include <vector>

#include "codegen/codegen_input.h"
#include "codegen/generators.h"
#include "digest/model.h"

namespace cg::codegen {

struct PackageScript {
  ArtifactKind kind;
  std::string name;      // class (native casing) or relation name
  std::string fileName;  // artifactFileName(kind, name)
  GeneratedScript script;
};

struct PackageOptions {
  std::vector<PreferredAuthorization> preferredAuthorizations;  // empty → every documented method
  size_t maxClasses = 200;
};

// True for a SCIM schema extension class (extra "extensionOf") whose base class is in the digest:
// the package folds its attributes into the base class instead of giving it scripts of its own.
bool isFoldedExtension(const digest::DigestResult& digest, const digest::ObjectClass& cls);

// The ClassCodegenInput for one class of a digest (protocol and base URL from its metadata; SCIM
// extension attributes folded into the class they extend).
ClassCodegenInput classInputFromDigest(const digest::DigestResult& digest, const digest::ObjectClass& cls);

std::vector<PackageScript> generatePackage(const digest::DigestResult& digest, const PackageOptions& options = {});

}  // namespace cg::codegen
