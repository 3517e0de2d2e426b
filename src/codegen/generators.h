// One deterministic generator per connector artifact (spec/codegen-dsl.md A.8 with the "RT"
// corrections, A.9): model in, Groovy DSL out, for REST, SCIM and SQL.
//
// Contract:
//  - Pure and deterministic: same input → byte-identical code. Never throws; missing data yields a
//    loadable script (`objectClass("<C>") { … }` with explanatory comments) plus notes.
//  - Output follows the runtime grammar, never the reference's mistakes (codegen-dsl.md B.4): JSON
//    types only string/integer/number/boolean/binary, connIdAttribute only UID/NAME, search
//    endpoints GET-only with closure-form supportedFilter, create/update with
//    `request { contentType APPLICATION_JSON }`, update/delete paths only with `{id}`, paths
//    without a leading "/", strings escaped for Groovy, class names in the native schema's casing.
//  - File names follow midPoint (spec B.5): see artifactFileName().
#pragma once
#include <string>
#include <string_view>

#include "codegen/codegen_input.h"
#include "codegen/generated_script.h"

namespace cg::codegen {

GeneratedScript generateNativeSchema(const ClassCodegenInput& in);
GeneratedScript generateConnIdSchema(const ClassCodegenInput& in);
GeneratedScript generateSearch(const ClassCodegenInput& in, SearchIntent intent);
GeneratedScript generateCreate(const ClassCodegenInput& in);
GeneratedScript generateUpdate(const ClassCodegenInput& in);
GeneratedScript generateDelete(const ClassCodegenInput& in);
GeneratedScript generateRelation(const RelationCodegenInput& in);
GeneratedScript generateAuthentication(const AuthCodegenInput& in);

// The artifacts of the codegen routes (B.7) and of the package.
enum class ArtifactKind { NativeSchema, ConnId, SearchAll, SearchFilter, SearchId, Create, Update, Delete, Relation, Authentication };
// midPoint file names: "<Class>.native.schema.groovy", "<Class>.search.all.op.groovy",
// "authentication.op.groovy", "<relation>.schema.groovy", …  (`name` = class or relation name).
std::string artifactFileName(ArtifactKind kind, std::string_view name);
// The session operation key suffix: "NativeSchema", "Connid", "SearchAll", …, "Code" (relation),
// "" for authentication.
std::string_view artifactKeySuffix(ArtifactKind kind);
ArtifactKind searchArtifact(SearchIntent intent);

}  // namespace cg::codegen
