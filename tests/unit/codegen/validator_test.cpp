// Validator tests: scripts that must pass and scripts that must fail (every mistake of
// codegen-dsl.md B.4), with the built-in parser and — when java and the jar exist — Groovy 4.
#include <gtest/gtest.h>

#include "codegen/dsl_parser.h"
#include "codegen/groovy_checker.h"
#include "codegen/repair.h"
#include "codegen/script_validator.h"

using namespace cg;
using namespace cg::codegen;

namespace {

ScriptValidation builtIn(const std::string& code, ScriptRole role = ScriptRole::Any) {
  return validateScript(code, role, nullptr);
}

bool mentions(const ScriptValidation& v, const std::string& text) {
  for (const auto& e : v.errors)
    if (e.message.find(text) != std::string::npos) return true;
  return false;
}

GroovyChecker& sharedChecker() {
  static GroovyChecker checker;
  return checker;
}

}  // namespace

TEST(DslParser, BuildsTheCallTree) {
  auto r = parseDsl(
      "objectClass(\"User\") {\n  search {\n    endpoint(\"users\") {\n"
      "      supportedFilter(attribute(\"id\").eq().anySingleValue()) { request.pathParameter(\"id\", value) }\n"
      "      responseFormat JSON_ARRAY\n      pagingSupport {\n        request.queryParameter(\"a\", 1)\n"
      "               .queryParameter(\"b\", paging.pageSize)\n      }\n    }\n  }\n}\n");
  ASSERT_TRUE(r.errors.empty()) << r.errors[0].message;
  ASSERT_EQ(r.tree.size(), 1u);
  const auto& oc = r.tree[0];
  EXPECT_EQ(oc.name, "objectClass");
  ASSERT_EQ(oc.args.size(), 2u);
  const auto& endpoint = oc.args[1].body[0].args[0].body[0];
  EXPECT_EQ(endpoint.name, "endpoint");
  const auto& filter = endpoint.args[1].body[0];
  EXPECT_EQ(filter.name, "supportedFilter");
  ASSERT_EQ(filter.args[0].chain.size(), 3u);
  EXPECT_EQ(filter.args[0].chain[1].name, "eq");
  EXPECT_EQ(filter.args[1].kind, DslArg::Kind::Closure);
  EXPECT_EQ(endpoint.args[1].body[1].args[0].kind, DslArg::Kind::Identifier);
}

TEST(DslParser, ReportsUnbalancedInput) {
  EXPECT_FALSE(parseDsl("objectClass(\"x\") {\n").errors.empty());
  EXPECT_FALSE(parseDsl("a(\"x\"\n").errors.empty());
  EXPECT_FALSE(parseDsl("a \"unterminated\n").errors.empty());
  EXPECT_FALSE(parseDsl("}").errors.empty());
  EXPECT_TRUE(parseDsl("// only a comment\n").errors.empty());
}

TEST(Validator, AcceptsHandWrittenStyleScripts) {
  const char* ok[] = {
      "objectClass(\"User\") {\n  connIdAttribute(\"UID\", \"id\")\n  connIdAttribute(\"NAME\", \"login\")\n}\n",
      "objectClass(\"Team\") {\n  search {\n    endpoint(\"teams/{id}\") {\n      singleResult()\n"
      "      supportedFilter(attribute(\"id\").eq().anySingleValue()) {\n        request.pathParameter(\"id\", value);\n"
      "      }\n    }\n  }\n}\n",
      "authentication {\n  rest {\n    bearer {\n      implementation {\n"
      "        request.header(\"Authorization\", \"token \" + decrypt(configuration.restTokenValue))\n      }\n    }\n  }\n}\n",
      "objectClass(\"User\") { update { endpoint(PATCH, \"users/{id}\") { request { contentType APPLICATION_JSON } } } }\n",
      "objectClass(\"User\") { update { scim { patch { supportedAttribute(\"emails\") { limitations { operations ADD, "
      "REPLACE; maxPerRequest 10 } } } } } }\n",
      "objectClass(\"User\") { search { custom { emptyFilterSupported true\n implementation {\n"
      " def f = objectClass(\"Group\").attributeFilter(\"members\").eq(value)\n objectClass(\"Group\").search(f)\n } } } }\n",
  };
  for (const char* code : ok) {
    auto v = builtIn(code);
    EXPECT_TRUE(v.ok) << code << "\n→ " << v.message();
    EXPECT_NE(v.groovySkipped.find("Groovy compilation skipped"), std::string::npos);
  }
}

// Each B.4 mistake must be rejected by the built-in checks.
TEST(Validator, RejectsEveryReferenceMistake) {
  struct Case {
    const char* code;
    const char* expect;
  } cases[] = {
      {"authentication { rest { oauth2 { oauth2Context -> } } }", "B.4.1"},
      {"authentication { rest { other { implementation { } } } }", "B.4.2"},
      {"relationship(\"r\") { subject(\"A\") { attribute(\"b\") { resolver { resolutionType PER_SEARCH } } } }", "PER_SEARCH"},
      {"relationship(\"r\") { subject(\"A\") { attribute(\"b\") { resolver { endpoint(\"x\") } } } }", "B.4.3"},
      {"objectClass(\"A\") { search { custom { implementation { searchAll() } } } }", "B.4.4"},
      {"objectClass(\"A\") { search { custom { implementation { def f = requestFilter } } } }", ""},
      {"objectClass(\"A\") { search { endpoint(\"a\") { supportedFilter(attribute(\"x\").startsWith().anySingleValue()) { } } } }", "B.4.5"},
      {"objectClass(\"A\") { search { endpoint(\"a\") { httpOperation GET } } }", "B.4.6"},
      {"objectClass(\"A\") { search { endpoint(\"a\") { supportedFilter(attribute(\"x\").eq().anySingleValue()) } } }", "B.4.6"},
      {"objectClass(\"A\") { update { endpoint(PATCH, \"a/{name}\") { request { contentType APPLICATION_JSON } } } }", "B.4.7"},
      {"objectClass(\"A\") { delete { endpoint(DELETE, \"a/{userId}\") } }", "B.4.7"},
      {"objectClass(\"A\") { create { endpoint(POST, \"a\") { request { body { x -> x } } } } }", "B.4.8"},
      {"objectClass(\"A\") { connIdAttribute(\"ENABLE\", \"active\") }", "B.4.9"},
      {"objectClass(\"A\") { attribute(\"x\") { json { type \"array\" } } }", "B.4.9"},
      {"objectClass(\"A\") { attribute(\"x\") { jsonType \"object\" } }", "B.4.9"},
      {"search {\n}\n", "B.4.12"},
      {"relation {\n}\n", "B.4.12"},
      {"objectClass(\"A\") { scim { onlyExplicitlyListed \"yes\" } }", "onlyExplicitlyListed"},
      {"objectClass(\"A\") { scim { search { limitations { } } } }", "B.4.13"},
      {"connector { authorization { header \"Authorization\" } }", "connector"},
      {"objectClass(\"A\") { attribute(\"x\") { }\n attribute(\"x\") { } }", "declared twice"},
  };
  for (const auto& c : cases) {
    auto v = builtIn(c.code);
    EXPECT_FALSE(v.ok) << "accepted: " << c.code;
    if (*c.expect) {
      EXPECT_TRUE(mentions(v, c.expect)) << c.code << "\n→ " << v.message();
    }
  }
  // B.4.10 leading "/" and create without JSON content type are warnings, not errors.
  auto slash = builtIn("objectClass(\"A\") { search { endpoint(\"/users\") { emptyFilterSupported true } } }");
  EXPECT_TRUE(slash.ok);
  ASSERT_FALSE(slash.warnings.empty());
  EXPECT_NE(slash.warnings[0].message.find("B.4.10"), std::string::npos);
  auto noBody = builtIn("objectClass(\"A\") { create { endpoint(POST, \"a\") { } } }");
  EXPECT_TRUE(noBody.ok);
  EXPECT_FALSE(noBody.warnings.empty());
  // Role: relationship is not bound in operation scripts.
  EXPECT_FALSE(builtIn("relationship(\"r\") { }", ScriptRole::Operation).ok);
  EXPECT_FALSE(builtIn("   \n").ok);
}

TEST(Validator, NormalizesFencedCode) {
  EXPECT_EQ(normalizeGroovyCode("```groovy\nobjectClass(\"A\") {}\n```\n"), "objectClass(\"A\") {}");
  EXPECT_EQ(normalizeGroovyCode("  x  "), "x");
}

TEST(Repair, FixesKnownRuntimeMessagesLocally) {
  std::string script =
      "objectClass(\"User\") {\n    // user edit kept\n    attribute(\"tags\") {\n        json {\n            type \"array\"\n"
      "        }\n    }\n    connIdAttribute(\"UID\", \"id\")\n    connIdAttribute(\"ENABLE\", \"active\")\n}\n";
  bool regenerated = false;
  auto r = repairScript(script,
                        {"java.lang.IllegalArgumentException: Unknown json schema type: array",
                         "No such built-in ConnID attribute: ENABLE"},
                        ScriptRole::Schema, [&] {
                          regenerated = true;
                          return GeneratedScript{"objectClass(\"User\") {\n}\n", {}};
                        });
  EXPECT_FALSE(regenerated);
  EXPECT_FALSE(r.regenerated);
  EXPECT_NE(r.code.find("type \"string\""), std::string::npos) << r.code;
  EXPECT_EQ(r.code.find("ENABLE"), std::string::npos);
  EXPECT_NE(r.code.find("// user edit kept"), std::string::npos);
  EXPECT_EQ(r.changes.size(), 2u);
}

TEST(Repair, RemovesUnknownAttributesAndRegeneratesOtherwise) {
  std::string script =
      "objectClass(\"User\") {\n  update {\n    endpoint(PATCH, \"users/{id}\") {\n      supportedAttributes \"a\", \"ghost\"\n"
      "      request { contentType APPLICATION_JSON }\n    }\n  }\n}\n";
  auto r = repairScript(script, {"ConnectorException: Attribute ghost not found in schema"}, ScriptRole::Operation, nullptr);
  EXPECT_EQ(r.code.find("ghost"), std::string::npos) << r.code;
  EXPECT_NE(r.code.find("supportedAttributes \"a\""), std::string::npos);

  auto g = repairScript(script, {"Multiple declarations for the same definition detected. Current value x"},
                        ScriptRole::Operation, [] { return GeneratedScript{"objectClass(\"User\") {\n}\n", {"note"}}; });
  EXPECT_TRUE(g.regenerated);
  EXPECT_EQ(g.code, "objectClass(\"User\") {\n}\n");
  EXPECT_EQ(g.changes.back(), "note");
  EXPECT_FALSE(g.needsRegeneration);
  EXPECT_FALSE(r.needsRegeneration);  // fixed locally

  // Without a callback the caller is told (the LLM repair path) and gets the script unchanged.
  auto n = repairScript(script, {"Multiple declarations for the same definition detected. Current value x"},
                        ScriptRole::Operation, nullptr);
  EXPECT_TRUE(n.needsRegeneration);
  EXPECT_FALSE(n.regenerated);
  EXPECT_NE(n.code.find("ghost"), std::string::npos);
  // The runtime's message and the shorter wording both name the bad JSON type.
  for (const char* msg : {"Unknown json schema type: uuid-string", "Unknown JSON type: uuid-string"}) {
    auto t = repairScript("objectClass(\"User\") {\n  attribute(\"id\") {\n    json {\n      type \"uuid-string\"\n    }\n  }\n}\n",
                          {msg}, ScriptRole::Schema, nullptr);
    EXPECT_FALSE(t.needsRegeneration) << msg;
    EXPECT_NE(t.code.find("type \"string\""), std::string::npos) << t.code;
  }
}

TEST(GroovyChecker, RoundTripWithGroovy4) {
  auto& checker = sharedChecker();
  if (std::string why = checker.unavailableReason(); !why.empty()) GTEST_SKIP() << "Groovy compilation skipped: " << why;
  auto good = checker.check("a.groovy", "objectClass(\"User\") {\n  attribute(\"a\") { json { type \"string\" } }\n}\n");
  ASSERT_TRUE(good.ok()) << (good.errors.empty() ? good.skippedReason : good.errors[0].message);
  ASSERT_TRUE(good.tree.has_value());
  auto tree = dslTreeFromJson(*good.tree);
  ASSERT_EQ(tree.size(), 1u);
  EXPECT_EQ(tree[0].name, "objectClass");
  EXPECT_EQ(tree[0].args[1].body[0].name, "attribute");

  auto bad = checker.check("b.groovy", "objectClass(\"User\") {\n  attribute(\"a\" {\n}\n");
  EXPECT_EQ(bad.status, GroovyCheckResult::Status::Failed);
  ASSERT_FALSE(bad.errors.empty());
  EXPECT_GT(bad.errors[0].line, 0);

  // Escaped `$` and unicode escapes compile; an unescaped GString with a bad expression fails.
  EXPECT_TRUE(checker.check("c.groovy", "description \"cost \\$5 \\u00e9 \\\\u0041\"\n").ok());
  EXPECT_FALSE(checker.check("d.groovy", "description \"cost ${\"\n").ok());
  EXPECT_EQ(checker.starts(), 1);  // one JVM for every script

  // Full validation: Groovy + conformance.
  auto v = validateScript("objectClass(\"A\") { connIdAttribute(\"ENABLE\", \"x\") }\n", ScriptRole::Schema, &checker);
  EXPECT_TRUE(v.groovyCompiled);
  EXPECT_FALSE(v.ok);
  EXPECT_TRUE(v.groovySkipped.empty());
}

TEST(GroovyChecker, MissingJarIsReportedAsSkipped) {
  GroovyCheckerOptions o;
  o.groovyJar = "/nonexistent/groovy-4.0.26.jar";
  GroovyChecker checker(o);
  auto r = checker.check("x.groovy", "objectClass(\"A\") { }");
  EXPECT_EQ(r.status, GroovyCheckResult::Status::Skipped);
  EXPECT_NE(r.skippedReason.find("Groovy compilation skipped"), std::string::npos);
  auto v = validateScript("objectClass(\"A\") { connIdAttribute(\"X\", \"y\") }", ScriptRole::Schema, &checker);
  EXPECT_FALSE(v.ok);  // built-in checks still run
  EXPECT_NE(v.groovySkipped.find("jar not found"), std::string::npos);
  EXPECT_EQ(checker.starts(), 0);
}

// The batch path (one compilation unit for many scripts) must answer exactly what one check() per
// script answers: trees for clean scripts, errors attributed to the right script, unresolved
// classes as warnings, and no collateral failures for the clean scripts of a failing batch.
TEST(GroovyChecker, BatchAnswersLikeSingleChecks) {
  auto& checker = sharedChecker();
  if (std::string why = checker.unavailableReason(); !why.empty()) GTEST_SKIP() << "Groovy compilation skipped: " << why;
  std::vector<std::pair<std::string, std::string>> scripts = {
      {"ok1.groovy", "objectClass(\"User\") {\n  attribute(\"a\") { json { type \"string\" } }\n}\n"},
      {"syntax.groovy", "objectClass(\"User\") {\n  attribute(\"a\" {\n}\n"},
      {"ok2.groovy", "objectClass(\"Team\") { search { endpoint(\"teams\") { emptyFilterSupported true } } }\n"},
      {"unresolved.groovy", "import com.example.Missing\nobjectClass(\"A\") { }\nnew Missing()\n"},
      {"classA.groovy", "class Helper { }\nobjectClass(\"A\") { }\n"},
      {"classB.groovy", "class Helper { }\nobjectClass(\"B\") { }\n"},
      {"gstring.groovy", "description \"cost ${\"\n"},
      {"ok3.groovy", "authentication { rest { bearer { implementation { request.header(\"A\", \"b\") } } } }\n"},
  };
  auto batch = checker.checkMany(scripts);
  ASSERT_EQ(batch.size(), scripts.size());
  for (size_t i = 0; i < scripts.size(); ++i) {
    auto single = checker.check(scripts[i].first, scripts[i].second);
    SCOPED_TRACE(scripts[i].first);
    EXPECT_EQ(batch[i].status, single.status);
    ASSERT_EQ(batch[i].errors.size(), single.errors.size());
    for (size_t e = 0; e < single.errors.size(); ++e) {
      EXPECT_EQ(batch[i].errors[e].line, single.errors[e].line);
      EXPECT_EQ(batch[i].errors[e].message, single.errors[e].message);
    }
    EXPECT_EQ(batch[i].warnings.size(), single.warnings.size());
    EXPECT_EQ(batch[i].tree.has_value(), single.tree.has_value());
    if (batch[i].tree && single.tree) {
      EXPECT_EQ(*batch[i].tree, *single.tree);
    }
  }
  EXPECT_TRUE(batch[0].ok());
  EXPECT_FALSE(batch[1].ok());
  EXPECT_GT(batch[1].errors.at(0).line, 0);
  EXPECT_TRUE(batch[2].ok());
  EXPECT_TRUE(batch[3].ok());  // unresolved classes are warnings (the framework is not on the classpath)
  EXPECT_FALSE(batch[3].warnings.empty());
  EXPECT_TRUE(batch[4].ok());  // same class name in two scripts: fine when each is checked on its own
  EXPECT_TRUE(batch[5].ok());
  EXPECT_FALSE(batch[6].ok());
  EXPECT_TRUE(batch[7].ok());
  EXPECT_EQ(checker.starts(), 1);
  EXPECT_TRUE(checker.checkMany({}).empty());

  std::vector<ScriptToValidate> toValidate = {
      {"schema.groovy", "objectClass(\"A\") { connIdAttribute(\"ENABLE\", \"x\") }\n", ScriptRole::Schema},
      {"empty.groovy", "  \n", ScriptRole::Operation},
      {"good.groovy", "objectClass(\"A\") { search { endpoint(\"a\") { emptyFilterSupported true } } }\n", ScriptRole::Operation},
      {"broken.groovy", "objectClass(\"A\") {\n", ScriptRole::Operation},
  };
  auto validations = validateScripts(toValidate, &checker);
  ASSERT_EQ(validations.size(), toValidate.size());
  for (size_t i = 0; i < toValidate.size(); ++i) {
    auto single = validateScript(toValidate[i].source, toValidate[i].role, &checker, toValidate[i].name);
    SCOPED_TRACE(toValidate[i].name);
    EXPECT_EQ(validations[i].ok, single.ok);
    EXPECT_EQ(validations[i].groovyCompiled, single.groovyCompiled);
    EXPECT_EQ(validations[i].message(), single.message());
    EXPECT_EQ(validations[i].warnings.size(), single.warnings.size());
  }
  EXPECT_TRUE(validations[0].groovyCompiled);
  EXPECT_FALSE(validations[0].ok);  // conformance still runs on the batch's tree
  EXPECT_FALSE(validations[1].ok);
  EXPECT_TRUE(validations[2].ok);
  EXPECT_FALSE(validations[3].ok);
  EXPECT_NE(validations[3].message().find("Groovy"), std::string::npos);
}

TEST(GroovyChecker, BatchWithoutJarIsSkippedAndBuiltInChecksDecide) {
  GroovyCheckerOptions o;
  o.groovyJar = "/nonexistent/groovy-4.0.26.jar";
  GroovyChecker checker(o);
  auto results = checker.checkMany({{"a.groovy", "objectClass(\"A\") { }"}, {"b.groovy", "x {"}});
  ASSERT_EQ(results.size(), 2u);
  for (const auto& r : results) EXPECT_EQ(r.status, GroovyCheckResult::Status::Skipped);
  auto v = validateScripts({{"a.groovy", "objectClass(\"A\") { connIdAttribute(\"X\", \"y\") }", ScriptRole::Schema},
                            {"b.groovy", "objectClass(\"A\") { }", ScriptRole::Schema}},
                           &checker);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_FALSE(v[0].ok);
  EXPECT_TRUE(v[1].ok);
  EXPECT_NE(v[1].groovySkipped.find("jar not found"), std::string::npos);
  EXPECT_EQ(checker.starts(), 0);
}
