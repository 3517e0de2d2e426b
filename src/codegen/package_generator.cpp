#include "codegen/package_generator.h"

#include <algorithm>
#include <map>
#include <memory>

#include "codegen/model_rules.h"
#include "util/strings.h"

namespace cg::codegen {

namespace {

// Case-insensitive, then loosely ("enterprise_user" ~ "EnterpriseUser"): relations name classes in
// lower case.
const digest::ObjectClass* findClass(const digest::DigestResult& digest, const std::string& name) {
  for (const auto& c : digest.objectClasses)
    if (iequals(c.name, name)) return &c;
  for (const auto& c : digest.objectClasses)
    if (looseKey(c.name) == looseKey(name)) return &c;
  return nullptr;
}

ClassCodegenInput ownClassInput(const digest::DigestResult& digest, const digest::ObjectClass& cls,
                                const std::string& scope) {
  ClassCodegenInput in;
  if (digest.info) {
    in.protocol = protocolFromApiTypes(digest.info->apiType);
    if (!digest.info->baseApiEndpoint.empty()) in.baseApiUrl = digest.info->baseApiEndpoint.front().uri;
    in.databaseName = digest.info->databaseName;
  }
  in.className = cls.name;
  in.description = cls.description;
  in.embedded = cls.embedded.value_or(false);
  in.attributes = cls.attributes;
  in.endpoints = cls.endpoints;
  // SCIM schema extensions (the digester's "EnterpriseUser", extensionOf "User") belong to the class
  // they extend: their attributes carry URN paths, which the native schema turns into
  // scim { extension(…) } plus attribute paths (codegen-dsl.md A.8.11).
  for (const auto& ext : digest.objectClasses) {
    auto it = ext.extra.find("extensionOf");
    if (it == ext.extra.end() || !it->is_string() || !iequals(it->get<std::string>(), cls.name)) continue;
    for (const auto& a : ext.attributes)
      if (!std::any_of(in.attributes.begin(), in.attributes.end(), [&](const digest::Attribute& x) { return iequals(x.name, a.name); }))
        in.attributes.push_back(a);
  }
  in.scope = scope;
  for (auto& e : in.endpoints) e.path = stripScope(e.path, in.scope);
  for (const auto& c : digest.objectClasses)
    if (c.relevant != "false") in.knownClasses.push_back(c.name);
  return in;
}

}  // namespace

bool isFoldedExtension(const digest::DigestResult& digest, const digest::ObjectClass& cls) {
  auto it = cls.extra.find("extensionOf");
  if (it == cls.extra.end() || !it->is_string()) return false;
  const digest::ObjectClass* base = findClass(digest, it->get<std::string>());
  return base && base->relevant != "false";
}

ClassCodegenInput classInputFromDigest(const digest::DigestResult& digest, const digest::ObjectClass& cls) {
  const std::string scope = scopePlaceholder(digest);
  ClassCodegenInput in = ownClassInput(digest, cls, scope);
  std::map<std::string, std::shared_ptr<const ClassCodegenInput>> others;
  auto other = [&](const digest::ObjectClass* c) -> std::shared_ptr<const ClassCodegenInput> {
    if (!c) return nullptr;
    auto& slot = others[c->name];
    if (!slot) slot = std::make_shared<const ClassCodegenInput>(ownClassInput(digest, *c, scope));
    return slot;
  };
  for (const auto& r : digest.relations) {
    std::string subjectAttr = participantAttribute(r, true), objectAttr = participantAttribute(r, false);
    const digest::ObjectClass* subject = findClass(digest, r.subject);
    const digest::ObjectClass* object = findClass(digest, r.object);
    if (subject && subject->name == cls.name)
      if (auto o = other(object)) in.references.push_back({subjectAttr, r.name, objectAttr, o});
    if (object && object->name == cls.name)
      if (auto o = other(subject)) in.references.push_back({objectAttr, r.name, subjectAttr, o});
  }
  return in;
}

std::vector<PackageScript> generatePackage(const digest::DigestResult& digest, const PackageOptions& options) {
  std::vector<PackageScript> out;
  auto add = [&](ArtifactKind kind, const std::string& name, GeneratedScript s) {
    out.push_back({kind, name, artifactFileName(kind, name), std::move(s)});
  };
  std::vector<std::string> known;
  size_t count = 0;
  for (const auto& cls : digest.objectClasses) {
    if (cls.relevant == "false" || isFoldedExtension(digest, cls) || count++ >= options.maxClasses) continue;
    known.push_back(cls.name);
    ClassCodegenInput in = classInputFromDigest(digest, cls);
    add(ArtifactKind::NativeSchema, cls.name, generateNativeSchema(in));
    if (in.embedded) continue;
    add(ArtifactKind::ConnId, cls.name, generateConnIdSchema(in));
    add(ArtifactKind::SearchAll, cls.name, generateSearch(in, SearchIntent::All));
    add(ArtifactKind::SearchFilter, cls.name, generateSearch(in, SearchIntent::Filter));
    add(ArtifactKind::SearchId, cls.name, generateSearch(in, SearchIntent::Id));
    add(ArtifactKind::Create, cls.name, generateCreate(in));
    add(ArtifactKind::Update, cls.name, generateUpdate(in));
    add(ArtifactKind::Delete, cls.name, generateDelete(in));
  }
  for (const auto& r : digest.relations) {
    // Both sides must be classes this package declares; a side that is a folded SCIM extension or a
    // class without scripts would make the runtime reject the relationship.
    std::string missing;
    for (const std::string* side : {&r.subject, &r.object}) {
      const digest::ObjectClass* c = findClass(digest, *side);
      bool declared = c && std::any_of(known.begin(), known.end(), [&](const std::string& k) { return k == c->name; });
      if (!declared && missing.empty()) missing = c ? c->name : *side;
    }
    if (!missing.empty()) {
      GeneratedScript skipped;
      std::string why = "relationship '" + r.name + "' not generated: class '" + missing +
                        "' has no scripts in this package" +
                        (findClass(digest, missing) && isFoldedExtension(digest, *findClass(digest, missing))
                             ? " (a SCIM extension folded into the class it extends)"
                             : "");
      skipped.code = "// " + why + ".\n";
      skipped.notes.push_back(why);
      add(ArtifactKind::Relation, r.name, std::move(skipped));
      continue;
    }
    RelationCodegenInput ri{r, known};
    add(ArtifactKind::Relation, r.name, generateRelation(ri));
  }
  AuthCodegenInput auth;
  auth.protocol = digest.info ? protocolFromApiTypes(digest.info->apiType) : Protocol::Rest;
  auth.documented = digest.auth;
  auth.preferred = options.preferredAuthorizations;
  if (auth.preferred.empty())
    for (const auto& a : digest.auth) auth.preferred.push_back({a.name, a.type, a.quirks});
  add(ArtifactKind::Authentication, "authentication", generateAuthentication(auth));
  return out;
}

}  // namespace cg::codegen
