#include "digest/scim/scim_digester.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <set>

#include "digest/openapi/naming.h"
#include "util/json_bounded.h"
#include "util/strings.h"

namespace cg::digest::scim {
namespace {

using openapi::igaPriority;

constexpr const char* kScimJson = "application/scim+json";

// PascalCase keeping inner capitals: "phoneNumbers" → "PhoneNumbers", "cost-center" → "CostCenter".
std::string pascal(std::string_view s) {
  std::string out;
  bool up = true;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      up = true;
      continue;
    }
    out.push_back(up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
    up = false;
  }
  return out;
}

bool isAbsoluteUrl(std::string_view s) { return startsWith(toLower(s), "http://") || startsWith(toLower(s), "https://"); }

// "https://h/scim/v2/Users" → {"https://h/scim/v2", "/Users"}; relative paths get a leading "/".
std::pair<std::string, std::string> splitEndpoint(const std::string& endpoint) {
  std::string e = trim(endpoint);
  if (isAbsoluteUrl(e)) {
    size_t hostStart = e.find("//") + 2;
    size_t pathStart = e.find('/', hostStart);
    if (pathStart == std::string::npos) return {e, "/"};
    size_t last = e.find_last_of('/');
    while (last + 1 == e.size() && last > pathStart) {  // trailing slash
      e.pop_back();
      last = e.find_last_of('/');
    }
    if (last <= pathStart) return {e.substr(0, pathStart), e.substr(pathStart)};
    return {e.substr(0, last), e.substr(last)};
  }
  if (e.empty()) return {"", ""};
  if (e[0] != '/') e = "/" + e;
  while (e.size() > 1 && e.back() == '/') e.pop_back();
  return {"", e};
}

// meta.location → base URL ("…/Schemas/x", "…/ResourceTypes/x", "…/ServiceProviderConfig" stripped).
std::string baseFromLocation(const std::string& location) {
  if (!isAbsoluteUrl(location)) return "";
  for (const char* marker : {"/Schemas", "/ResourceTypes", "/ServiceProviderConfig", "/Users", "/Groups"}) {
    size_t at = location.find(marker);
    if (at != std::string::npos && at > 8) return location.substr(0, at);
  }
  return "";
}

std::string endpointType(const std::string& uri) {
  std::string l = toLower(uri);
  if (l.find('{') != std::string::npos || l.find('<') != std::string::npos || l.find("example.com") != std::string::npos ||
      l.find("example.org") != std::string::npos || l.find("localhost") != std::string::npos ||
      l.find("127.0.0.1") != std::string::npos || l.find("yourdomain") != std::string::npos) {
    return "dynamic";
  }
  return "constant";
}

void addRefs(std::vector<ChunkReference>& into, const std::vector<ChunkReference>& refs) {
  for (const auto& r : refs) {
    if (std::find(into.begin(), into.end(), r) == into.end()) into.push_back(r);
  }
  std::sort(into.begin(), into.end());
}

// Name for an extension schema class: enterprise → "EnterpriseUser"; urn:…:extension:acme:2.0:User → "AcmeUser".
std::string extensionClassName(const ScimSchemaDef& schema, const std::string& resourceClass) {
  std::string lower = toLower(schema.id);
  size_t at = lower.find(":extension:");
  if (at != std::string::npos) {
    auto parts = split(schema.id.substr(at + 11), ':', true);
    if (!parts.empty() && iequals(parts.back(), resourceClass)) parts.pop_back();
    std::string prefix;
    for (const auto& p : parts) {
      bool version = !p.empty() && std::all_of(p.begin(), p.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '.'; });
      if (!version) prefix += pascal(p);
    }
    if (!prefix.empty()) return prefix + resourceClass;
  }
  std::string n = pascal(schema.name);
  if (n.empty() || iequals(n, resourceClass)) {
    auto parts = split(schema.id, ':', true);
    n = parts.empty() ? "Extension" : pascal(parts.back());
    if (iequals(n, resourceClass)) n += "Extension";
  }
  return n;
}

struct ClassBuild {
  ObjectClass cls;
  int ownerPriority = openapi::kNotIga;
};

class ScimDigester {
 public:
  ScimDigester(const std::vector<ScimDocument>& documents, const openapi::EvidenceIndex& evidence,
               const ScimDigestOptions& options)
      : documents_(documents), evidence_(evidence), options_(options) {}

  DigestResult run() {
    collect();
    buildResourceTypes();
    for (const auto& rt : resourceTypes_) buildResource(rt);
    buildOrphanSchemas();
    order();
    buildRelations();
    buildAuth();
    buildMetadata();
    buildConnectivity();
    return std::move(result_);
  }

 private:
  struct ResourceType {
    ScimResourceTypeDef def;
    bool documented = false;
    bool inferred = false;  // from a custom schema without a resource type document
  };

  void collect() {
    for (const auto& doc : documents_) {
      if (!doc.root) continue;
      ScimDocumentContent content = parseScimDocument(*doc.root, doc.docId, options_.parse);
      for (auto& d : content.diagnostics) result_.diagnostics.push_back(std::move(d));
      for (auto& s : content.schemas) {
        if (schemaIndex_.count(toLower(s.id))) {
          result_.diagnostics.push_back({Diagnostic::Severity::Info, doc.docId, "", "schema '" + s.id + "' defined again; first definition kept"});
          continue;
        }
        schemaIndex_[toLower(s.id)] = schemas_.size();
        schemas_.push_back(std::move(s));
      }
      for (auto& t : content.resourceTypes) {
        bool dup = std::any_of(resourceTypes_.begin(), resourceTypes_.end(),
                               [&](const ResourceType& x) { return iequals(x.def.name, t.name); });
        if (dup) continue;
        resourceTypes_.push_back({std::move(t), true, false});
      }
      if (content.serviceProviderConfig && !config_) config_ = std::move(content.serviceProviderConfig);
    }
    anyDocumentedSchema_ = !schemas_.empty();
    for (const auto& core : coreScimSchemas()) {
      if (!schemaIndex_.count(toLower(core.id))) {
        schemaIndex_[toLower(core.id)] = schemas_.size();
        schemas_.push_back(core);
      }
    }
  }

  const ScimSchemaDef* schema(const std::string& urn) const {
    auto it = schemaIndex_.find(toLower(urn));
    return it == schemaIndex_.end() ? nullptr : &schemas_[it->second];
  }

  void buildResourceTypes() {
    if (!resourceTypes_.empty()) return;
    ScimResourceTypeDef user;
    user.id = user.name = "User";
    user.description = "User Account";
    user.endpoint = "/Users";
    user.schema = std::string(kUserSchema);
    user.extensions.push_back({std::string(kEnterpriseUserSchema), false});
    ScimResourceTypeDef group;
    group.id = group.name = "Group";
    group.description = "Group";
    group.endpoint = "/Groups";
    group.schema = std::string(kGroupSchema);
    resourceTypes_.push_back({user, false, false});
    resourceTypes_.push_back({group, false, false});
    for (const auto& s : schemas_) {
      if (s.builtIn || findCoreScimSchema(s.id)) continue;
      if (isExtensionSchemaUrn(s.id)) {
        // Attach to the resource type whose name ends the URN (…:User), else to User.
        auto parts = split(s.id, ':', true);
        std::string target = parts.empty() ? "User" : parts.back();
        ResourceType* owner = &resourceTypes_[0];
        for (auto& rt : resourceTypes_) {
          if (iequals(rt.def.name, target)) owner = &rt;
        }
        bool already = std::any_of(owner->def.extensions.begin(), owner->def.extensions.end(),
                                   [&](const ScimSchemaExtensionRef& e) { return iequals(e.schema, s.id); });
        if (!already) owner->def.extensions.push_back({s.id, false});
        continue;
      }
      ScimResourceTypeDef custom;
      custom.name = s.name.empty() ? split(s.id, ':', true).back() : s.name;
      custom.id = custom.name;
      custom.description = s.description;
      custom.schema = s.id;
      // pluralize lower-cases; keep the PascalCase head.
      std::string plural = openapi::pluralize(toLower(pascal(custom.name)));
      std::string pc = pascal(custom.name);
      custom.endpoint = "/" + pc + plural.substr(std::min(plural.size(), pc.size()));
      custom.docId = s.docId;
      resourceTypes_.push_back({custom, false, true});
      result_.diagnostics.push_back({Diagnostic::Severity::Info, s.docId, "",
                                     "no ResourceType document for schema '" + s.id + "'; endpoint " + custom.endpoint +
                                         " inferred from its name"});
    }
  }

  std::vector<ChunkReference> evidenceFor(const std::string& docId, const std::string& id) const {
    if (evidence_.empty() || id.empty()) return {};
    return evidence_.lookup(docId, scimEvidencePointer(id));
  }

  std::string uniqueClassName(std::string name) {
    if (name.empty()) name = "Resource";
    std::string candidate = name;
    for (int n = 2; classNames_.count(toLower(candidate)); ++n) candidate = name + std::to_string(n);
    classNames_.insert(toLower(candidate));
    return candidate;
  }

  // Converts one attribute definition; `owner` is the class the attribute belongs to.
  Attribute attribute(const ScimAttributeDef& def, const std::string& path, const std::string& owner,
                      const std::string& parentMutability, const std::vector<ChunkReference>& refs,
                      const std::string& complexType, const std::string& parentName) {
    Attribute a;
    a.name = def.name;
    std::string mutability = def.mutability;
    if (parentMutability == "readOnly") mutability = "readOnly";
    else if (parentMutability == "immutable" && mutability == "readWrite") mutability = "immutable";
    if (def.isComplex() && !complexType.empty()) {
      a.type = complexType;
      a.format = "embedded";
    } else if (def.type == "boolean") {
      a.type = "boolean";
    } else if (def.type == "integer") {
      a.type = "integer";
    } else if (def.type == "decimal") {
      a.type = "number";
    } else if (def.type == "dateTime") {
      a.type = "string";
      a.format = "date-time";
    } else if (def.type == "binary") {
      a.type = "string";
      a.format = "binary";
    } else if (def.type == "reference") {
      a.type = "string";
      bool onlyExternal = !def.referenceTypes.empty() &&
                          std::all_of(def.referenceTypes.begin(), def.referenceTypes.end(), [](const std::string& r) {
                            return iequals(r, "external") || iequals(r, "uri");
                          });
      a.format = onlyExternal ? "uri" : "reference";
    } else {
      a.type = "string";
      std::string lname = toLower(def.name);
      if (lname.find("email") != std::string::npos || (lname == "value" && toLower(parentName) == "emails")) {
        a.format = "email";
      }
    }
    a.description = def.description.empty() ? std::nullopt : std::optional<std::string>(def.description);
    a.creatable = mutability != "readOnly";
    a.updatable = mutability == "readWrite" || mutability == "writeOnly";
    a.readable = mutability != "writeOnly";
    a.mandatory = def.required && mutability != "readOnly";
    a.multivalue = def.multiValued;
    a.returnedByDefault = (def.returned == "always" || def.returned == "default") && *a.readable;
    a.scimAttribute = path;
    a.relevantDocumentations = refs;
    if (def.uniqueness != "none") a.extra["uniqueness"] = def.uniqueness;
    if (def.caseExact) a.extra["caseExact"] = true;
    if (!def.canonicalValues.empty()) a.extra["canonicalValues"] = def.canonicalValues;
    if (!def.referenceTypes.empty()) a.extra["referenceTypes"] = def.referenceTypes;
    (void)owner;
    return a;
  }

  // Attributes of a (resource or extension) schema; complex ones produce embedded classes.
  void fillAttributes(ObjectClass& cls, const std::vector<ScimAttributeDef>& defs, const std::string& urnPrefix,
                      const std::vector<ChunkReference>& refs, int ownerPriority, const std::string& schemaUrn) {
    for (const auto& def : defs) {
      std::string path = urnPrefix.empty() ? def.name : urnPrefix + ":" + def.name;
      std::string embedded;
      if (def.isComplex()) {
        embedded = uniqueClassName(embeddedClassName(cls.name, def.name));
        ClassBuild sub;
        sub.ownerPriority = ownerPriority;
        sub.cls.name = embedded;
        sub.cls.description = def.description.empty() ? "Complex attribute '" + def.name + "' of " + cls.name + "."
                                                      : def.description;
        sub.cls.superclass = std::nullopt;
        sub.cls.abstract = false;
        sub.cls.embedded = true;
        sub.cls.confidence = cls.confidence;
        sub.cls.relevantDocumentations = refs;
        sub.cls.extra["sourceAttribute"] = def.name;
        sub.cls.extra["schemaUrn"] = schemaUrn;
        for (const auto& s : def.subAttributes) {
          sub.cls.attributes.push_back(attribute(s, path + "." + s.name, embedded, def.mutability, refs, "", def.name));
        }
        embeddedFor_[toLower(cls.name)][def.name] = embedded;
        pending_.push_back(std::move(sub));
      }
      cls.attributes.push_back(attribute(def, path, cls.name, "", refs, embedded, ""));
      complexDefs_[toLower(cls.name)].push_back(def);
    }
  }

  std::vector<Endpoint> standardEndpoints(const std::string& path, const std::string& className,
                                          const std::vector<ChunkReference>& refs) const {
    std::string plural = toLower(openapi::pluralize(toLower(className)));
    std::string single = toLower(className);
    bool patch = !(config_ && config_->patchSupported == false);
    bool filter = !(config_ && config_->filterSupported == false);
    bool sort = config_ && config_->sortSupported == true;
    std::vector<Endpoint> out;
    auto make = [&](std::string p, std::string method, std::string description, std::vector<std::string> uses,
                    bool requestBody, bool responseBody) {
      Endpoint e;
      e.path = std::move(p);
      e.method = std::move(method);
      e.description = std::move(description);
      if (requestBody) e.requestContentType = kScimJson;
      if (responseBody) e.responseContentType = kScimJson;
      e.suggestedUse = std::move(uses);
      e.relevantDocumentations = refs;
      return e;
    };
    Endpoint list = make(path, "GET",
                         filter ? "List " + plural + "; supports SCIM filtering and startIndex/count pagination."
                                : "List " + plural + " with startIndex/count pagination (filtering not supported).",
                         filter ? std::vector<std::string>{"getAll", "search"} : std::vector<std::string>{"getAll"}, false,
                         true);
    list.pagination.style = "offset";
    list.pagination.offsetParam = "startIndex";
    list.pagination.sizeParam = "count";
    list.pagination.firstPage = "1";
    list.responseItemsField = "Resources";
    if (filter) list.parameters.push_back({"filter", "query", "string", "SCIM filter expression, e.g. userName eq \"x\"", false});
    list.parameters.push_back({"startIndex", "query", "integer", "1-based index of the first result", false});
    list.parameters.push_back({"count", "query", "integer", "Maximum number of results per page", false});
    list.parameters.push_back({"attributes", "query", "string", "Attributes to return", false});
    list.parameters.push_back({"excludedAttributes", "query", "string", "Attributes not to return", false});
    if (sort) {
      list.parameters.push_back({"sortBy", "query", "string", "Attribute to sort by", false});
      list.parameters.push_back({"sortOrder", "query", "string", "ascending or descending", false});
    }
    out.push_back(std::move(list));
    out.push_back(make(path, "POST", "Create a " + single + ".", {"create"}, true, true));
    out.push_back(make(path + "/{id}", "GET", "Get one " + single + " by id.", {"getById"}, false, true));
    out.push_back(make(path + "/{id}", "PUT", "Replace a " + single + " (all writable attributes).", {"update"}, true, true));
    if (patch) {
      out.push_back(make(path + "/{id}", "PATCH", "Modify a " + single + " with SCIM PatchOp operations.", {"update"}, true, true));
    }
    out.push_back(make(path + "/{id}", "DELETE", "Delete a " + single + ".", {"delete"}, false, false));
    return out;
  }

  void buildResource(const ResourceType& rt) {
    const ScimSchemaDef* core = schema(rt.def.schema);
    std::string name = uniqueClassName(pascal(rt.def.name));
    ClassBuild b;
    b.ownerPriority = igaPriority(name);
    ObjectClass& cls = b.cls;
    cls.name = name;
    cls.description = !rt.def.description.empty() ? rt.def.description : (core ? core->description : "");
    if (cls.description.empty()) cls.description = "SCIM resource " + rt.def.name + ".";
    cls.superclass = std::nullopt;
    cls.abstract = false;
    cls.embedded = false;
    cls.confidence = rt.inferred ? Confidence::Medium : Confidence::High;
    std::vector<ChunkReference> rtRefs = evidenceFor(rt.def.docId, rt.def.id);
    addRefs(rtRefs, evidenceFor(rt.def.docId, rt.def.name));
    std::vector<ChunkReference> schemaRefs = core ? evidenceFor(core->docId, core->id) : std::vector<ChunkReference>{};
    addRefs(cls.relevantDocumentations, rtRefs);
    addRefs(cls.relevantDocumentations, schemaRefs);
    auto [base, path] = splitEndpoint(rt.def.endpoint);
    if (!base.empty()) bases_.push_back(base);
    if (path.empty()) path = "/" + name + "s";
    cls.extra["schemaUrn"] = rt.def.schema;
    cls.extra["endpoint"] = path;
    if (!rt.def.location.empty()) locations_.push_back(rt.def.location);
    if (!core) {
      result_.diagnostics.push_back({Diagnostic::Severity::Warning, rt.def.docId, "",
                                     "resource type '" + rt.def.name + "' uses unknown schema '" + rt.def.schema +
                                         "'; only the common attributes are known"});
    } else if (!core->location.empty()) {
      locations_.push_back(core->location);
    }
    ScimSchemaDef effective = core ? *core : ScimSchemaDef{};
    effective = withCommonAttributes(std::move(effective));
    fillAttributes(cls, effective.attributes, "", schemaRefs.empty() ? cls.relevantDocumentations : schemaRefs,
                   b.ownerPriority, rt.def.schema);
    cls.endpoints = standardEndpoints(path, name, rtRefs.empty() ? cls.relevantDocumentations : rtRefs);
    resourceClassByType_[toLower(rt.def.name)] = name;
    resourceClassByType_[toLower(rt.def.id)] = name;
    if (collectionPath_.empty() || (igaPriority(name) < igaPriority(collectionClass_))) {
      collectionPath_ = path;
      collectionClass_ = name;
    }
    std::string resourceName = name;
    built_.push_back(std::move(b));
    if (core) usedSchemas_.insert(toLower(core->id));

    for (const auto& ext : rt.def.extensions) {
      const ScimSchemaDef* es = schema(ext.schema);
      if (!es) {
        result_.diagnostics.push_back({Diagnostic::Severity::Warning, rt.def.docId, "",
                                       "schema extension '" + ext.schema + "' of resource type '" + rt.def.name +
                                           "' is not defined in the documents"});
        continue;
      }
      usedSchemas_.insert(toLower(es->id));
      ClassBuild e;
      e.ownerPriority = igaPriority(resourceName);
      e.cls.name = uniqueClassName(extensionClassName(*es, resourceName));
      e.cls.description = !es->description.empty() && !iequals(es->description, resourceName) ? es->description
                                                                                             : "Extension of " + resourceName + " (" + es->id + ").";
      if (iequals(es->id, kEnterpriseUserSchema) && es->description.empty()) e.cls.description = "Enterprise User";
      e.cls.superclass = resourceName;
      e.cls.abstract = false;
      e.cls.embedded = false;
      e.cls.confidence = rt.inferred ? Confidence::Medium : Confidence::High;
      auto refs = evidenceFor(es->docId, es->id);
      e.cls.relevantDocumentations = refs;
      e.cls.extra["schemaUrn"] = es->id;
      e.cls.extra["extensionOf"] = resourceName;
      if (ext.required) e.cls.extra["required"] = true;
      if (!es->location.empty()) locations_.push_back(es->location);
      fillAttributes(e.cls, es->attributes, es->id, refs, e.ownerPriority, es->id);
      built_.push_back(std::move(e));
    }
  }

  void buildOrphanSchemas() {
    for (const auto& s : schemas_) {
      if (s.builtIn || usedSchemas_.count(toLower(s.id))) continue;
      result_.diagnostics.push_back({Diagnostic::Severity::Info, s.docId, "",
                                     "schema '" + s.id + "' is not used by any resource type; listed as a class without endpoints"});
      ClassBuild b;
      b.cls.name = uniqueClassName(pascal(s.name.empty() ? split(s.id, ':', true).back() : s.name));
      b.ownerPriority = igaPriority(b.cls.name);
      b.cls.description = s.description.empty() ? "SCIM schema " + s.id + "." : s.description;
      b.cls.abstract = false;
      b.cls.embedded = false;
      b.cls.confidence = Confidence::Low;
      b.cls.relevant = "maybe";
      auto refs = evidenceFor(s.docId, s.id);
      b.cls.relevantDocumentations = refs;
      b.cls.extra["schemaUrn"] = s.id;
      bool extension = isExtensionSchemaUrn(s.id);
      fillAttributes(b.cls, extension ? s.attributes : withCommonAttributes(s).attributes, extension ? s.id : "", refs,
                     b.ownerPriority, s.id);
      built_.push_back(std::move(b));
    }
  }

  void order() {
    for (auto& p : pending_) built_.push_back(std::move(p));
    pending_.clear();
    std::stable_sort(built_.begin(), built_.end(), [](const ClassBuild& x, const ClassBuild& y) {
      int cx = confidenceRank(x.cls.confidence), cy = confidenceRank(y.cls.confidence);
      if (cx != cy) return cx < cy;
      bool ex = x.cls.embedded.value_or(false), ey = y.cls.embedded.value_or(false);
      if (ex != ey) return !ex;
      bool xx = x.cls.superclass.has_value(), xy = y.cls.superclass.has_value();  // extensions after resources
      if (xx != xy) return !xx;
      if (x.ownerPriority != y.ownerPriority) return x.ownerPriority < y.ownerPriority;
      return toLower(x.cls.name) < toLower(y.cls.name);
    });
    for (auto& b : built_) result_.objectClasses.push_back(std::move(b.cls));
  }

  // Resource classes a complex attribute references through its $ref sub-attribute.
  std::vector<std::string> referencedClasses(const std::string& ownerClass, const ScimAttributeDef& def) const {
    std::vector<std::string> out;
    for (const auto& s : def.subAttributes) {
      if (s.name != "$ref") continue;
      for (const auto& r : s.referenceTypes) {
        auto it = resourceClassByType_.find(toLower(r));
        if (it != resourceClassByType_.end() &&
            std::find(out.begin(), out.end(), it->second) == out.end()) {
          out.push_back(it->second);
        }
      }
    }
    if (out.empty()) {  // servers often omit referenceTypes: use the RFC meaning of the core names
      auto known = [&](const char* type) {
        auto it = resourceClassByType_.find(type);
        if (it != resourceClassByType_.end()) out.push_back(it->second);
      };
      std::string owner = toLower(ownerClass);
      if (def.name == "members" && owner == "group") known("user");
      if (def.name == "groups" && owner == "user") known("group");
      if (def.name == "manager") known("user");
    }
    return out;
  }

  void buildRelations() {
    std::vector<Relation> relations;
    auto find = [&](const std::string& s, const std::string& o) -> Relation* {
      for (auto& r : relations) {
        if (r.subject == s && r.object == o) return &r;
      }
      return nullptr;
    };
    std::map<std::string, std::string> display;
    for (const auto& c : result_.objectClasses) display[toLower(c.name)] = c.name;
    auto superOf = [&](const std::string& cls) -> std::string {
      if (const ObjectClass* c = result_.findClass(cls); c && c->superclass) return toLower(*c->superclass);
      return toLower(cls);
    };
    // Pass 1: membership-style attributes (the referenced side is the subject).
    for (const auto& [owner, defs] : complexDefs_) {
      for (const auto& def : defs) {
        if (!def.isComplex() || (def.name != "members" && def.name != "member")) continue;
        for (const auto& target : referencedClasses(display[owner], def)) {
          std::string subject = toLower(target);
          if (subject == owner || subject == superOf(owner)) continue;
          Relation r;
          r.subject = subject;
          r.object = owner;
          r.objectAttribute = def.name;
          relations.push_back(r);
        }
      }
    }
    // Pass 2: direct references (the holder is the subject), merged into pass-1 records.
    for (const auto& [owner, defs] : complexDefs_) {
      for (const auto& def : defs) {
        if (!def.isComplex() || def.name == "members" || def.name == "member" || def.name == "meta") continue;
        for (const auto& target : referencedClasses(display[owner], def)) {
          std::string object = toLower(target);
          if (object == owner || (def.name != "manager" && object == superOf(owner))) continue;
          if (Relation* existing = find(owner, object)) {
            if (existing->subjectAttribute.empty()) existing->subjectAttribute = def.name;
            continue;
          }
          if (Relation* inverse = find(object, owner); inverse && !inverse->objectAttribute.empty()) continue;
          Relation r;
          r.subject = owner;
          r.object = object;
          r.subjectAttribute = def.name;
          relations.push_back(r);
        }
      }
    }
    std::map<std::string, size_t> position;
    for (size_t i = 0; i < result_.objectClasses.size(); ++i) position[toLower(result_.objectClasses[i].name)] = i;
    for (auto& r : relations) {
      std::string s = display.count(r.subject) ? display[r.subject] : r.subject;
      std::string o = display.count(r.object) ? display[r.object] : r.object;
      r.name = openapi::snakeCase(s) + "_to_" + openapi::snakeCase(o);
      if (r.subject == "enterpriseuser" && r.subjectAttribute == "manager") r.name += "_via_manager";
      r.displayName = s + " to " + o;
      if (!r.objectAttribute.empty()) {
        r.shortDescription = o + "." + r.objectAttribute + " lists the " + toLower(openapi::pluralize(toLower(s))) + " that belong to a " +
                             toLower(o) + (r.subjectAttribute.empty() ? "." : "; " + s + "." + r.subjectAttribute + " is its inverse.");
      } else {
        r.shortDescription = s + "." + r.subjectAttribute + " references a " + toLower(o) + ".";
      }
    }
    std::stable_sort(relations.begin(), relations.end(), [&](const Relation& x, const Relation& y) {
      if (position[x.subject] != position[y.subject]) return position[x.subject] < position[y.subject];
      return position[x.object] < position[y.object];
    });
    result_.relations = std::move(relations);
  }

  void buildAuth() {
    if (!config_) return;
    std::vector<ChunkReference> refs = evidenceFor(config_->docId, "ServiceProviderConfig");
    for (const auto& s : config_->authenticationSchemes) {
      AuthMethod m;
      std::string key = toLower(s.type);
      std::string type;
      if (key == "oauthbearertoken" || key == "bearer") type = "bearer";
      else if (key == "httpbasic") type = "basic";
      else if (key == "httpdigest") type = "digest";
      else type = normalizeAuthType(s.type.empty() ? s.name : s.type);
      m.type = type;
      m.name = s.name.empty() ? s.type : s.name;
      if (type == "bearer") {
        m.details.in = "header";
        m.details.parameterName = "Authorization";
        m.details.scheme = "Bearer";
        m.quirks = "Send the token in the header 'Authorization: Bearer <token>'.";
      } else if (type == "basic") {
        m.details.in = "header";
        m.details.parameterName = "Authorization";
        m.details.scheme = "Basic";
        m.quirks = "Send 'Authorization: Basic <base64(user:password)>'.";
      }
      m.details.schemeName = s.type;
      if (!s.description.empty()) m.quirks += (m.quirks.empty() ? "" : " ") + s.description;
      if (!s.documentationUri.empty()) m.quirks += (m.quirks.empty() ? "" : " ") + std::string("See ") + s.documentationUri + ".";
      m.quirks = trim(m.quirks);
      m.relevantDocumentations = refs;
      bool dup = std::any_of(result_.auth.begin(), result_.auth.end(),
                             [&](const AuthMethod& x) { return x.type == m.type && iequals(x.name, m.name); });
      if (!dup) result_.auth.push_back(std::move(m));
    }
    if (!config_->location.empty()) locations_.push_back(config_->location);
  }

  void buildMetadata() {
    InfoMetadata info;
    info.apiType = {"SCIM"};
    for (const auto& b : bases_) info.baseApiEndpoint.push_back({b, endpointType(b)});
    for (const auto& l : locations_) {
      std::string b = baseFromLocation(l);
      if (!b.empty()) info.baseApiEndpoint.push_back({b, endpointType(b)});
    }
    normalizeInfoMetadata(info);
    result_.info = std::move(info);
  }

  void buildConnectivity() {
    auto add = [&](std::string path, std::string description, std::optional<bool> auth) {
      ConnectivityEndpoint e;
      e.path = std::move(path);
      e.method = "GET";
      e.description = std::move(description);
      e.responseContentType = kScimJson;
      e.requiresAuth = auth;
      result_.connectivityEndpoints.push_back(std::move(e));
    };
    if (!collectionPath_.empty()) {
      add(collectionPath_, "Lists " + toLower(openapi::pluralize(toLower(collectionClass_))) +
                               " (use count=1); needs valid credentials, so it proves them.", true);
    }
    add("/ServiceProviderConfig", "SCIM service provider configuration; cheap, but may be readable without credentials.", std::nullopt);
    add("/ResourceTypes", "SCIM resource types supported by the service provider.", std::nullopt);
    add("/Schemas", "SCIM schemas supported by the service provider.", std::nullopt);
  }

  const std::vector<ScimDocument>& documents_;
  const openapi::EvidenceIndex& evidence_;
  const ScimDigestOptions& options_;
  DigestResult result_;
  std::vector<ScimSchemaDef> schemas_;
  std::map<std::string, size_t> schemaIndex_;
  std::vector<ResourceType> resourceTypes_;
  std::optional<ScimServiceProviderConfig> config_;
  bool anyDocumentedSchema_ = false;
  std::vector<ClassBuild> built_;
  std::vector<ClassBuild> pending_;
  std::set<std::string> classNames_;
  std::set<std::string> usedSchemas_;
  std::map<std::string, std::map<std::string, std::string>> embeddedFor_;
  std::map<std::string, std::vector<ScimAttributeDef>> complexDefs_;  // lower class → its attribute defs
  std::map<std::string, std::string> resourceClassByType_;            // lower resource type name/id → class
  std::vector<std::string> bases_;
  std::vector<std::string> locations_;
  std::string collectionPath_;
  std::string collectionClass_;
};

// ---------------------------------------------------------------- SCIM inside OpenAPI

const ScimAttributeDef* findDef(const std::vector<ScimAttributeDef>& defs, std::string_view name) {
  for (const auto& d : defs) {
    if (iequals(d.name, name)) return &d;
  }
  return nullptr;
}

}  // namespace

std::string scimEvidencePointer(std::string_view id) {
  std::string escaped;
  for (char c : id) {
    if (c == '~') escaped += "~0";
    else if (c == '/') escaped += "~1";
    else escaped.push_back(c);
  }
  return "/scimSchemas/" + escaped;
}

std::string embeddedClassName(std::string_view ownerClass, std::string_view attribute) {
  return pascal(ownerClass).empty() ? pascal(attribute) : std::string(ownerClass) + pascal(attribute);
}

DigestResult digestScim(const std::vector<ScimDocument>& documents, const openapi::EvidenceIndex& evidence,
                        const ScimDigestOptions& options) {
  try {
    return ScimDigester(documents, evidence, options).run();
  } catch (const std::exception& e) {  // defensive: the engine never throws out
    DigestResult r;
    r.diagnostics.push_back({Diagnostic::Severity::Error, "", "", std::string("internal error: ") + e.what()});
    return r;
  }
}

DigestResult digestScim(const OrderedJson& root, const std::string& docId, const openapi::EvidenceIndex& evidence,
                        const ScimDigestOptions& options) {
  return digestScim(std::vector<ScimDocument>{{docId, &root}}, evidence, options);
}

DigestResult digestScimText(std::string_view text, const std::string& docId, const openapi::EvidenceIndex& evidence,
                            const ScimDigestOptions& options) {
  std::string error;
  auto root = parseJsonBounded(text, 128, &error);
  if (!root) {
    DigestResult r;
    r.diagnostics.push_back({Diagnostic::Severity::Error, docId, "", "cannot parse SCIM document: " + error});
    return r;
  }
  return digestScim(*root, docId, evidence, options);
}

size_t applyScimSemantics(DigestResult& r) {
  size_t filled = 0;
  if (!r.info) r.info = InfoMetadata{};
  std::vector<std::string> types = {"SCIM"};
  for (const auto& t : r.info->apiType) types.push_back(t);
  r.info->apiType = types;
  normalizeInfoMetadata(*r.info);

  auto setPath = [&](Attribute& a, const std::string& path) {
    if (a.scimAttribute) return;
    a.scimAttribute = path;
    ++filled;
  };
  // Fills `cls` attributes matching `defs`; complex matches typed as another class recurse one level.
  std::function<void(ObjectClass&, const std::vector<ScimAttributeDef>&, const std::string&, int)> fill;
  fill = [&](ObjectClass& cls, const std::vector<ScimAttributeDef>& defs, const std::string& prefix, int depth) {
    for (auto& a : cls.attributes) {
      const ScimAttributeDef* def = findDef(defs, a.name);
      if (!def) continue;
      std::string path = prefix.empty() ? def->name : prefix + def->name;
      setPath(a, path);
      if (depth == 0 && def->isComplex() && a.type) {
        if (ObjectClass* inner = r.findClass(*a.type); inner && inner != &cls) {
          fill(*inner, def->subAttributes, path + ".", 1);
        }
      }
    }
  };
  for (auto& cls : r.objectClasses) {
    // The protocol's own discovery resources (RFC 7643 §5–7, RFC 7644 §4) are not identities.
    for (const char* meta : {"Schema", "Schemas", "ResourceType", "ResourceTypes", "ServiceProviderConfig",
                             "ServiceProviderConfiguration", "ListResponse", "PatchOp", "BulkRequest", "BulkResponse",
                             "SearchRequest", "Error"})
      if (iequals(cls.name, meta)) cls.relevant = "false";
    const ScimSchemaDef* core = nullptr;
    if (iequals(cls.name, "User")) core = findCoreScimSchema(kUserSchema);
    else if (iequals(cls.name, "Group")) core = findCoreScimSchema(kGroupSchema);
    if (core) fill(cls, withCommonAttributes(*core).attributes, "", 0);
    if (iequals(cls.name, "EnterpriseUser")) {
      fill(cls, findCoreScimSchema(kEnterpriseUserSchema)->attributes, std::string(kEnterpriseUserSchema) + ":", 0);
    }
    // Extension-URN-named properties: urn:…:enterprise:2.0:User → its class's attributes get URN paths.
    for (auto& a : cls.attributes) {
      if (!startsWith(toLower(a.name), "urn:ietf:params:scim:schemas:extension:")) continue;
      setPath(a, a.name);
      if (!a.type) continue;
      ObjectClass* inner = r.findClass(*a.type);
      if (!inner || inner == &cls) continue;
      const ScimSchemaDef* ext = findCoreScimSchema(a.name);
      if (ext) {
        fill(*inner, ext->attributes, a.name + ":", 0);
      } else {
        for (auto& ia : inner->attributes) setPath(ia, a.name + ":" + ia.name);
      }
    }
  }
  return filled;
}

}  // namespace cg::digest::scim
