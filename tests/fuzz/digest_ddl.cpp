// Fuzz target for the SQL DDL tokenizer, parser and digester: arbitrary bytes are digested as a DDL
// script (or a JSON table description when they look like JSON) and serialized, including the E.6b
// table records. Checks determinism and that every token offset lies inside the input. Must never
// crash, hang or throw.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "digest/model.h"
#include "digest/sql/ddl_lexer.h"
#include "digest/sql/sql_digester.h"

namespace {
std::string serialize(const cg::digest::sql::SqlDigest& d) {
  std::string out = cg::dumpJson(cg::digest::objectClassesResponse(d.result.objectClasses));
  for (const auto& c : d.result.objectClasses) {
    out += cg::dumpJson(cg::digest::attributesResponse(c.attributes));
    out += cg::dumpJson(d.endpointsResponse(c.name));
  }
  out += cg::dumpJson(cg::digest::relationsResponse(d.result.relations));
  out += cg::dumpJson(cg::digest::infoResponse(d.result.info));
  return out;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 1'000'000) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto lexed = cg::digest::sql::lexSql(text);
  for (const auto& t : lexed.tokens) {
    if (t.offset > size) std::abort();
  }
  if (lexed.tokens.empty() || lexed.tokens.back().kind != cg::digest::sql::TokenKind::End) std::abort();
  auto first = cg::digest::sql::digestSql(text, "fuzz");
  auto second = cg::digest::sql::digestSql(text, "fuzz");
  if (serialize(first) != serialize(second)) std::abort();
  return 0;
}
