// Relationship and authentication scripts (codegen-dsl.md A.8.8, A.8.10, A.9) and artifact names (B.5).
#include <algorithm>

#include "codegen/generators.h"
#include "codegen/groovy_writer.h"
#include "codegen/model_rules.h"
#include "util/strings.h"

namespace cg::codegen {
namespace {

std::string classCasing(const std::vector<std::string>& known, const std::string& name) {
  if (auto k = knownClassName(known, name)) return *k;
  if (name.empty()) return name;
  std::string out = name;
  out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

void writeParticipant(DslWriter& w, const char* role, const std::string& cls, const std::string& attribute,
                      const std::string& otherAttribute) {
  w.open(std::string(role) + "(" + groovyString(cls) + ")");
  w.open("attribute(" + groovyString(attribute) + ")");
  w.line("multiValued true");
  w.open("resolver");
  w.line("resolutionType PER_OBJECT");
  w.open("search");
  w.line("attributeFilter(" + groovyString(otherAttribute) + ").eq(value)");
  w.close();
  w.close();
  w.close();
  w.close();
}

}  // namespace

GeneratedScript generateRelation(const RelationCodegenInput& in) {
  GeneratedScript out;
  const auto& r = in.relation;
  std::string subject = classCasing(in.knownClasses, r.subject);
  std::string object = classCasing(in.knownClasses, r.object);
  std::string subjectAttr = participantAttribute(r, true);
  std::string objectAttr = participantAttribute(r, false);
  if (trim(r.subjectAttribute).empty()) {
    out.notes.push_back("relation '" + r.name + "': subjectAttribute missing, using '" + subjectAttr + "'");
  }
  if (trim(r.objectAttribute).empty()) {
    out.notes.push_back("relation '" + r.name + "': objectAttribute missing, using '" + objectAttr + "'");
  }
  DslWriter w;
  if (!trim(r.shortDescription).empty()) w.comment(r.shortDescription);
  w.comment("Resolving needs search support for these attributes (a supportedFilter on " + objectAttr + " of " +
            object + " and on " + subjectAttr + " of " + subject + ").");
  w.open("relationship(" + groovyString(r.name.empty() ? subject + "_to_" + object : r.name) + ")");
  writeParticipant(w, "subject", subject, subjectAttr, objectAttr);
  writeParticipant(w, "object", object, objectAttr, subjectAttr);
  w.close();
  out.code = w.str();
  return out;
}

namespace {

// digester auth type → runtime block (A.8.10); "" when the runtime has none.
std::string runtimeAuthBlock(std::string_view type) {
  if (type == "basic" || type == "bearer" || type == "jwtBearer" || type == "apiKey" ||
      type == "oauth2ClientCredentials" || type == "oauth2Password" || type == "oauth2Saml" || type == "awsSignature")
    return std::string(type);
  if (type == "oauth2Jwt") return "oauth2JwtBearer";
  return "";
}

const digest::AuthMethod* documentedMatch(const AuthCodegenInput& in, const PreferredAuthorization& p) {
  for (const auto& d : in.documented)
    if (iequals(trim(d.name), trim(p.name)) && (p.type.empty() || d.type == p.type)) return &d;
  for (const auto& d : in.documented)
    if (d.type == p.type) return &d;
  return nullptr;
}

std::string configPrefix(Protocol p) { return p == Protocol::Scim ? "scim" : "rest"; }

}  // namespace

GeneratedScript generateAuthentication(const AuthCodegenInput& in) {
  GeneratedScript out;
  DslWriter w;
  if (in.protocol == Protocol::Sql) {
    w.comment("SQL connections authenticate through the JDBC configuration (user and password);");
    w.comment("the runtime has no authentication script for SQL.");
    out.code = w.str();
    return out;
  }
  std::string prefix = configPrefix(in.protocol);
  w.open("authentication");
  w.open(std::string(protocolName(in.protocol)));
  std::vector<std::string> blocks;
  // An API key sent in the Authorization header is what the runtime's bearer method sends (with
  // the documented scheme prefix), so it is offered as bearer too unless a real bearer is selected.
  bool bearerSelected = false;
  for (const auto& p : in.preferred)
    bearerSelected = bearerSelected || runtimeAuthBlock(digest::normalizeAuthType(p.type.empty() ? p.name : p.type)) == "bearer";
  for (const auto& p : in.preferred) {
    std::string type = digest::normalizeAuthType(p.type.empty() ? p.name : p.type);
    std::string block = runtimeAuthBlock(type);
    std::string label = p.name + " (" + type + ")";
    if (block.empty()) {
      w.comment(label + ": the runtime has no built-in method of this type; it needs a custom connector.");
      if (!trim(p.quirks).empty()) w.comment(p.quirks);
      out.notes.push_back("authentication '" + label + "' is not supported by the runtime: comment only");
      continue;
    }
    if (std::find(blocks.begin(), blocks.end(), block) != blocks.end()) continue;  // one block per method
    blocks.push_back(block);
    const digest::AuthMethod* doc = documentedMatch(in, p);
    const digest::AuthDetails details = doc ? doc->details : digest::AuthDetails{};
    if (block.rfind("oauth2", 0) == 0) {
      w.open(block, "oauth2Context");
      w.comment("Built-in token handling; configure " + prefix + "OAuth2TokenUrl, " + prefix + "OAuth2ClientId, " +
                prefix + "OAuth2ClientSecret" + (details.scopes.empty() ? "" : ", " + prefix + "OAuth2Scope") + ".");
      if (!details.tokenUrl.empty()) w.comment("Documented token URL: " + details.tokenUrl);
      w.close();
      continue;
    }
    w.open(block);
    std::string scheme = trim(details.scheme);
    if (block == "bearer" && !scheme.empty() && !iequals(scheme, "bearer")) {
      w.open("implementation");
      w.line("request.header(\"Authorization\", " + groovyString(scheme + " ") + " + decrypt(configuration." + prefix +
             "TokenValue))");
      w.close();
    } else if (block == "apiKey" && !details.parameterName.empty() && (details.in == "header" || details.in == "query")) {
      std::string value = scheme.empty() ? "decrypt(configuration." + prefix + "ApiKey)"
                                         : groovyString(scheme + " ") + " + decrypt(configuration." + prefix + "ApiKey)";
      w.open("implementation");
      w.line(std::string("request.") + (details.in == "header" ? "header" : "queryParameter") + "(" +
             groovyString(details.parameterName) + ", " + value + ")");
      w.close();
      if (details.in == "header" && iequals(details.parameterName, "Authorization") && !bearerSelected) {
        w.close();
        bearerSelected = true;
        blocks.push_back("bearer");
        w.comment("The API key goes in the Authorization header, as the bearer method sends its token (" + prefix +
                  "TokenValue).");
        w.open("bearer");
        w.open("implementation");
        w.line("request.header(\"Authorization\", " +
               (scheme.empty() ? std::string() : groovyString(scheme + " ") + " + ") + "decrypt(configuration." +
               prefix + "TokenValue))");
        w.close();
      }
    } else {
      w.comment("Built-in " + block + " handling (connector configuration properties).");
    }
    w.close();
  }
  if (blocks.size() > 1) w.line("preference " + join(blocks, ", "));
  if (blocks.empty() && in.preferred.empty()) w.comment("No authentication method selected: built-in behaviour.");
  w.close();
  w.close();
  out.code = w.str();
  return out;
}

std::string artifactFileName(ArtifactKind kind, std::string_view name) {
  std::string n(name);
  switch (kind) {
    case ArtifactKind::NativeSchema: return n + ".native.schema.groovy";
    case ArtifactKind::ConnId: return n + ".connid.schema.groovy";
    case ArtifactKind::SearchAll: return n + ".search.all.op.groovy";
    case ArtifactKind::SearchFilter: return n + ".search.filter.op.groovy";
    case ArtifactKind::SearchId: return n + ".search.id.op.groovy";
    case ArtifactKind::Create: return n + ".create.op.groovy";
    case ArtifactKind::Update: return n + ".update.op.groovy";
    case ArtifactKind::Delete: return n + ".delete.op.groovy";
    case ArtifactKind::Relation: return n + ".schema.groovy";
    case ArtifactKind::Authentication: return "authentication.op.groovy";
  }
  return n + ".groovy";
}

std::string_view artifactKeySuffix(ArtifactKind kind) {
  switch (kind) {
    case ArtifactKind::NativeSchema: return "NativeSchema";
    case ArtifactKind::ConnId: return "Connid";
    case ArtifactKind::SearchAll: return "SearchAll";
    case ArtifactKind::SearchFilter: return "SearchFilter";
    case ArtifactKind::SearchId: return "SearchId";
    case ArtifactKind::Create: return "Create";
    case ArtifactKind::Update: return "Update";
    case ArtifactKind::Delete: return "Delete";
    case ArtifactKind::Relation: return "Code";
    case ArtifactKind::Authentication: return "";
  }
  return "";
}

ArtifactKind searchArtifact(SearchIntent intent) {
  switch (intent) {
    case SearchIntent::Filter: return ArtifactKind::SearchFilter;
    case SearchIntent::Id: return ArtifactKind::SearchId;
    default: return ArtifactKind::SearchAll;
  }
}

}  // namespace cg::codegen
