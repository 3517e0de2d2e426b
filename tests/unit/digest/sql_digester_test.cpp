// SQL digester: classes, attributes, relations, table records and metadata from DDL, plus the corpus.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "digest/sql/sql_digester.h"

using namespace cg;
using namespace cg::digest;
using namespace cg::digest::sql;

namespace {
const Attribute* attr(const ObjectClass* c, const std::string& name) {
  if (!c) return nullptr;
  for (const auto& a : c->attributes) {
    if (a.name == name) return &a;
  }
  return nullptr;
}
const Relation* relation(const DigestResult& r, const std::string& s, const std::string& o) {
  for (const auto& x : r.relations) {
    if (x.subject == s && x.object == o) return &x;
  }
  return nullptr;
}
std::vector<std::string> classNames(const DigestResult& r) {
  std::vector<std::string> out;
  for (const auto& c : r.objectClasses) out.push_back(c.name);
  return out;
}
std::optional<std::string> readCorpus(const std::string& rel) {
  const char* shared = std::getenv("CG_SHARED_DIR");
  std::ifstream in(std::string(shared ? shared : "/work/shared") + "/corpus/" + rel, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
SqlColumn typed(const std::string& type) {
  auto s = parseDdl("CREATE TABLE t (c " + type + ");");
  return s.tables.at(0).columns.at(0);
}
}  // namespace

TEST(SqlDigester, TypeMapping) {
  auto m = [](const std::string& t) {
    auto x = mapSqlType(typed(t));
    return x.type + "/" + x.format.value_or("");
  };
  EXPECT_EQ(m("varchar(255)"), "string/");
  EXPECT_EQ(m("uuid"), "string/uuid");
  EXPECT_EQ(m("jsonb"), "string/json");
  EXPECT_EQ(m("bigint"), "integer/int64");
  EXPECT_EQ(m("int(11) unsigned"), "integer/int32");
  EXPECT_EQ(m("smallint"), "integer/");
  EXPECT_EQ(m("numeric(10,2)"), "number/");
  EXPECT_EQ(m("NUMBER(10)"), "integer/int64");
  EXPECT_EQ(m("NUMBER(5,0)"), "integer/int32");
  EXPECT_EQ(m("double precision"), "number/double");
  EXPECT_EQ(m("real"), "number/float");
  EXPECT_EQ(m("boolean"), "boolean/");
  EXPECT_EQ(m("tinyint(1)"), "boolean/");
  EXPECT_EQ(m("bit"), "boolean/");
  EXPECT_EQ(m("timestamp with time zone"), "string/date-time");
  EXPECT_EQ(m("datetime2(7)"), "string/date-time");
  EXPECT_EQ(m("date"), "string/date");
  EXPECT_EQ(m("interval"), "string/duration");  // not integer (the reference's substring bug)
  EXPECT_EQ(m("point"), "string/");
  EXPECT_EQ(m("bytea"), "string/binary");
  EXPECT_EQ(m("LONG RAW"), "string/binary");
  EXPECT_EQ(m("public.mood"), "string/");
}

TEST(SqlDigester, ClassNames) {
  EXPECT_EQ(classNameForTable("users"), "User");
  EXPECT_EQ(classNameForTable("document_stores"), "DocumentStore");
  EXPECT_EQ(classNameForTable("people"), "Person");
  EXPECT_EQ(classNameForTable("status"), "Status");
  EXPECT_EQ(classNameForTable("companies"), "Company");
  EXPECT_EQ(classNameForTable("UserAccounts"), "UserAccount");
}

TEST(SqlDigester, AttributesFlagsAndExtras) {
  auto d = digestSql(R"sql(
    CREATE TABLE accounts (
      id BIGSERIAL PRIMARY KEY,
      login VARCHAR(64) NOT NULL UNIQUE,
      status VARCHAR(10) NOT NULL DEFAULT 'active',
      nick TEXT,
      roles TEXT[],
      search tsvector GENERATED ALWAYS AS (to_tsvector('simple', login)) STORED
    );)sql", "doc1");
  const ObjectClass* c = d.result.findClass("Account");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->confidence, Confidence::High);
  EXPECT_EQ(c->extra["table"], "accounts");
  const Attribute* id = attr(c, "id");
  ASSERT_NE(id, nullptr);
  EXPECT_EQ(id->type, "integer");
  EXPECT_EQ(id->format, "int64");
  EXPECT_EQ(id->creatable, false);
  EXPECT_EQ(id->updatable, false);
  EXPECT_EQ(id->mandatory, false);
  EXPECT_EQ(id->extra["primaryKey"], true);
  EXPECT_EQ(id->extra["autoIncrement"], true);
  const Attribute* login = attr(c, "login");
  EXPECT_EQ(login->mandatory, true);
  EXPECT_EQ(login->creatable, true);
  EXPECT_EQ(login->updatable, true);
  EXPECT_EQ(login->extra["unique"], true);
  EXPECT_EQ(login->extra["sqlType"], "VARCHAR(64)");
  EXPECT_EQ(attr(c, "status")->mandatory, false);  // NOT NULL but defaulted
  EXPECT_EQ(attr(c, "nick")->mandatory, false);
  EXPECT_EQ(attr(c, "roles")->multivalue, true);
  EXPECT_EQ(attr(c, "search")->creatable, false);
  EXPECT_EQ(attr(c, "search")->updatable, false);
  EXPECT_EQ(attr(c, "nick")->readable, true);
  EXPECT_EQ(attr(c, "nick")->returnedByDefault, true);
  ASSERT_TRUE(d.result.info.has_value());
  EXPECT_EQ(d.result.info->apiType, std::vector<std::string>{"SQL"});
}

TEST(SqlDigester, LinkTablesBecomeRelations) {
  auto d = digestSql(R"sql(
    CREATE TABLE groups (id INT PRIMARY KEY, name VARCHAR(50));
    CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(50), manager_id INT REFERENCES users(id));
    CREATE TABLE user_groups (
      user_id INT NOT NULL, group_id INT NOT NULL, created_at TIMESTAMP DEFAULT now(),
      PRIMARY KEY (user_id, group_id),
      FOREIGN KEY (group_id) REFERENCES groups (id),
      FOREIGN KEY (user_id) REFERENCES users (id));
    CREATE TABLE audit_log (id INT PRIMARY KEY, user_id INT REFERENCES users(id), msg TEXT);)sql");
  EXPECT_EQ(classNames(d.result), (std::vector<std::string>{"User", "Group", "AuditLog"}));
  EXPECT_EQ(d.result.findClass("AuditLog")->confidence, Confidence::Low);
  EXPECT_EQ(d.result.findClass("UserGroup"), nullptr);
  const Relation* member = relation(d.result, "user", "group");
  ASSERT_NE(member, nullptr);
  EXPECT_EQ(member->subjectAttribute, "user_groups");
  EXPECT_EQ(member->name, "user_to_group");
  EXPECT_EQ(member->displayName, "User to Group");
  const Relation* manager = relation(d.result, "user", "user");
  ASSERT_NE(manager, nullptr);
  EXPECT_EQ(manager->subjectAttribute, "manager_id");
  EXPECT_EQ(relation(d.result, "auditlog", "user"), nullptr);  // technical tables relate nothing
  // Table records: the user class carries its table and the link table.
  auto records = d.endpointsResponse("user")["endpoints"];
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0]["table"], "users");
  EXPECT_EQ(records[1]["table"], "user_groups");
  EXPECT_EQ(records[1]["primaryKey"], (OrderedJson{"user_id", "group_id"}));
  EXPECT_EQ(records[1]["foreignKeys"].size(), 2u);
  EXPECT_EQ(records[0]["columns"][0], (OrderedJson{{"name", "id"}, {"type", "INT"}, {"nullable", false}, {"primaryKey", true}}));
  EXPECT_EQ(d.endpointsResponse("nothing")["endpoints"].size(), 0u);
}

TEST(SqlDigester, AssociationWithDataStaysAClass) {
  auto d = digestSql("CREATE TABLE users (id INT PRIMARY KEY); CREATE TABLE roles (id INT PRIMARY KEY);"
                     "CREATE TABLE assignments (id INT PRIMARY KEY, user_id INT REFERENCES users(id),"
                     " role_id INT REFERENCES roles(id), valid_until DATE);");
  ASSERT_NE(d.result.findClass("Assignment"), nullptr);
  EXPECT_NE(relation(d.result, "assignment", "user"), nullptr);
  EXPECT_NE(relation(d.result, "assignment", "role"), nullptr);
}

TEST(SqlDigester, SchemasDatabaseNameAndCollisions) {
  auto d = digestSql("CREATE TABLE hr.users (id INT); CREATE TABLE crm.users (id INT);");
  EXPECT_EQ(classNames(d.result), (std::vector<std::string>{"CrmUser", "User"}));  // same priority: by name
  EXPECT_EQ(d.result.findClass("CrmUser")->extra["schema"], "crm");
  EXPECT_EQ(d.result.info->databaseName, "");  // two different schemas
  auto one = digestSql("CREATE TABLE hr.people (id INT);");
  EXPECT_EQ(one.result.info->databaseName, "hr");
  auto pub = digestSql("CREATE TABLE public.people (id INT);");
  EXPECT_EQ(pub.result.info->databaseName, "");
  auto path = digestSql("SET search_path = \"$user\", app; CREATE TABLE people (id INT);");
  EXPECT_EQ(path.result.info->databaseName, "app");
  auto use = digestSql("USE `shop`; CREATE TABLE people (id INT);");
  EXPECT_EQ(use.result.info->databaseName, "shop");
}

TEST(SqlDigester, DocumentsMergeAndEvidence) {
  openapi::EvidenceIndex evidence;
  evidence.add("d1", sqlEvidencePointer("users"), "c1");
  evidence.add("d2", sqlEvidencePointer("users"), "c2");
  std::string a = "CREATE TABLE users (id INT PRIMARY KEY);";
  std::string b = "ALTER TABLE users ADD COLUMN email VARCHAR(100) NOT NULL;";
  auto d = digestSql({{"d1", a}, {"d2", b}}, evidence);
  const ObjectClass* u = d.result.findClass("User");
  ASSERT_NE(u, nullptr);
  EXPECT_NE(attr(u, "email"), nullptr);
  ASSERT_EQ(u->relevantDocumentations.size(), 2u);
  EXPECT_EQ(u->relevantDocumentations[0].chunkId, "c1");
  EXPECT_EQ(u->relevantDocumentations[1].chunkId, "c2");
  EXPECT_EQ(attr(u, "email")->relevantDocumentations.size(), 2u);
}

TEST(SqlDigester, JsonTableDescriptionDocument) {
  auto d = digestSql(R"({"tables": [{"name": "users", "columns": [{"name": "id", "type": "uuid", "primaryKey": true},
                       {"name": "active", "type": "boolean"}]}]})", "j");
  const ObjectClass* u = d.result.findClass("User");
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(attr(u, "id")->format, "uuid");
  EXPECT_EQ(attr(u, "id")->updatable, false);
  EXPECT_EQ(attr(u, "active")->type, "boolean");
}

TEST(SqlDigester, DeterministicJson) {
  std::string ddl = "CREATE TABLE b (id INT PRIMARY KEY, a_id INT REFERENCES a(id)); CREATE TABLE a (id INT PRIMARY KEY);";
  auto x = digestSql(ddl);
  auto y = digestSql(ddl);
  EXPECT_EQ(objectClassesResponse(x.result.objectClasses).dump(), objectClassesResponse(y.result.objectClasses).dump());
  EXPECT_EQ(relationsResponse(x.result.relations).dump(), relationsResponse(y.result.relations).dump());
}

TEST(SqlDigester, EmptyInputGivesNoMetadata) {
  auto d = digestSql("SELECT 1;");
  EXPECT_FALSE(d.result.info.has_value());
  EXPECT_TRUE(d.result.objectClasses.empty());
  EXPECT_FALSE(d.result.diagnostics.empty());
}

TEST(SqlCorpus, ScriptedIdmPostgres) {
  auto text = readCorpus("sql/create-scripted-idm-tables-sync-postgresql.sql");
  if (!text) GTEST_SKIP() << "corpus file sql/create-scripted-idm-tables-sync-postgresql.sql not found (CG_SHARED_DIR)";
  auto d = digestSql(*text, "idm");
  EXPECT_EQ(classNames(d.result), (std::vector<std::string>{"User", "Group", "Organization"}));
  const ObjectClass* u = d.result.findClass("User");
  ASSERT_EQ(u->attributes.size(), 10u);
  EXPECT_EQ(attr(u, "id")->creatable, false);  // SERIAL
  EXPECT_EQ(attr(u, "login")->mandatory, true);
  EXPECT_EQ(attr(u, "disabled")->type, "boolean");
  EXPECT_EQ(attr(u, "disabled")->mandatory, false);
  EXPECT_EQ(attr(u, "timestamp")->format, "date-time");
  EXPECT_EQ(u->extra["table"], "Users");
  EXPECT_TRUE(d.result.relations.empty());
  EXPECT_GE(d.schema.skippedStatements, 2u);  // function + trigger
}

TEST(SqlCorpus, DocumentStores) {
  auto text = readCorpus("sql/dms-db-tables.sql");
  if (!text) GTEST_SKIP() << "corpus file sql/dms-db-tables.sql not found (CG_SHARED_DIR)";
  auto d = digestSql(*text, "dms");
  EXPECT_EQ(classNames(d.result), (std::vector<std::string>{"User", "Access", "DocumentStore"}));
  const ObjectClass* access = d.result.findClass("Access");
  ASSERT_NE(access, nullptr);
  EXPECT_EQ(attr(access, "level")->mandatory, true);
  EXPECT_EQ(attr(access, "user_id")->extra["references"], "users(id)");
  const Relation* r1 = relation(d.result, "access", "user");
  ASSERT_NE(r1, nullptr);
  EXPECT_EQ(r1->subjectAttribute, "user_id");
  EXPECT_NE(relation(d.result, "access", "documentstore"), nullptr);
  ASSERT_EQ(d.schema.views.size(), 1u);
  EXPECT_EQ(d.schema.views[0].name, "accesses_view");
  EXPECT_EQ(d.schema.tables.size(), 3u);
  auto records = d.endpointsResponse("DocumentStore")["endpoints"];
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0]["table"], "document_stores");
  EXPECT_EQ(records[0]["columns"].size(), 3u);
}
