// DDL tokenizer and parser rules, one small hand-made script per rule.
#include <gtest/gtest.h>

#include "digest/sql/ddl_lexer.h"
#include "digest/sql/ddl_parser.h"

using namespace cg::digest;
using namespace cg::digest::sql;

namespace {
const SqlColumn& col(const SqlTable& t, const std::string& name) {
  const SqlColumn* c = t.findColumn(name);
  if (!c) throw std::runtime_error("no column " + name);
  return *c;
}
size_t terminators(const LexResult& r) {
  size_t n = 0;
  for (const auto& t : r.tokens) n += t.kind == TokenKind::Terminator;
  return n;
}
}  // namespace

TEST(DdlLexer, CommentsStringsAndQuotedNames) {
  auto r = lexSql("-- c1\n/* a /* nested */ ; */ SELECT 'it''s;' , \"Quo\"\"ted\", `back`, [brack et] # mysql\n;");
  ASSERT_GE(r.tokens.size(), 8u);
  EXPECT_TRUE(r.tokens[0].isWord("SELECT"));
  EXPECT_EQ(r.tokens[1].kind, TokenKind::String);
  EXPECT_EQ(r.tokens[1].text, "it's;");
  EXPECT_EQ(r.tokens[3].kind, TokenKind::QuotedIdentifier);
  EXPECT_EQ(r.tokens[3].text, "Quo\"ted");
  EXPECT_EQ(r.tokens[5].text, "back");
  EXPECT_EQ(r.tokens[7].text, "brack et");
  EXPECT_EQ(terminators(r), 1u);
  EXPECT_EQ(r.tokens.back().kind, TokenKind::End);
}

TEST(DdlLexer, DollarQuotedBodyIsOneString) {
  auto r = lexSql("CREATE FUNCTION f() RETURNS int AS $body$ BEGIN; RETURN 1; END; $body$ LANGUAGE sql; SELECT 1;");
  EXPECT_EQ(terminators(r), 2u);
  bool found = false;
  for (const auto& t : r.tokens) found = found || (t.kind == TokenKind::String && t.text == " BEGIN; RETURN 1; END; ");
  EXPECT_TRUE(found);
}

TEST(DdlLexer, ClientDelimitersGoAndSlash) {
  auto mysql = lexSql("DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; END//\nDELIMITER ;\nSELECT 2;");
  // DELIMITER line, the procedure (inner ';' is a symbol), [DELIMITER line collapsed], SELECT 2.
  EXPECT_EQ(terminators(mysql), 3u);
  bool innerSemicolonIsSymbol = false;
  for (const auto& t : mysql.tokens) innerSemicolonIsSymbol = innerSemicolonIsSymbol || t.isSymbol(";");
  EXPECT_TRUE(innerSemicolonIsSymbol);
  auto mssql = lexSql("CREATE TABLE a (x int)\nGO\nCREATE TABLE b (y int)\nGO\n");
  EXPECT_EQ(terminators(mssql), 2u);
  auto oracle = lexSql("BEGIN\n  NULL;\nEND;\n/\nSELECT 1 FROM dual;");
  EXPECT_GE(terminators(oracle), 3u);
}

TEST(DdlLexer, ArraySubscriptsAreNotBracketNames) {
  auto r = lexSql("tags text[], m int[3]");
  ASSERT_GE(r.tokens.size(), 10u);
  EXPECT_TRUE(r.tokens[2].isSymbol("["));
  EXPECT_TRUE(r.tokens[3].isSymbol("]"));
}

TEST(DdlParser, PostgresTableWithTypesAndConstraints) {
  auto s = parseDdl(R"sql(
    CREATE TABLE IF NOT EXISTS public."Users" (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      login varchar(255) NOT NULL UNIQUE,
      balance numeric(10,2) DEFAULT 0.00 NOT NULL,
      created timestamp with time zone DEFAULT now(),
      nick character varying(40) DEFAULT 'x'::character varying,
      tags text[],
      score double precision,
      org_id integer REFERENCES orgs (id) ON DELETE CASCADE,
      full_name text GENERATED ALWAYS AS (login || ' ') STORED,
      CONSTRAINT chk CHECK (balance >= 0)
    ) TABLESPACE fast WITH (fillfactor=70);)sql");
  ASSERT_EQ(s.tables.size(), 1u);
  const SqlTable& t = s.tables[0];
  EXPECT_EQ(t.schema, "public");
  EXPECT_EQ(t.name, "Users");
  ASSERT_EQ(t.columns.size(), 9u);
  EXPECT_TRUE(col(t, "id").autoIncrement);
  EXPECT_TRUE(col(t, "id").primaryKey);
  EXPECT_EQ(t.primaryKey, std::vector<std::string>{"id"});
  EXPECT_FALSE(col(t, "login").nullable);
  EXPECT_TRUE(col(t, "login").unique);
  EXPECT_EQ(col(t, "login").type, "varchar(255)");
  EXPECT_EQ(col(t, "balance").typeParameters, (std::vector<std::string>{"10", "2"}));
  EXPECT_EQ(col(t, "balance").defaultValue, "0.00");
  EXPECT_FALSE(col(t, "balance").nullable);
  EXPECT_EQ(col(t, "created").baseType, "TIMESTAMP WITH TIME ZONE");
  EXPECT_EQ(col(t, "created").defaultValue, "now()");
  EXPECT_EQ(col(t, "nick").baseType, "CHARACTER VARYING");
  EXPECT_TRUE(col(t, "tags").array);
  EXPECT_EQ(col(t, "score").baseType, "DOUBLE PRECISION");
  EXPECT_TRUE(col(t, "full_name").computed);
  ASSERT_EQ(t.foreignKeys.size(), 1u);
  EXPECT_EQ(t.foreignKeys[0].columns, std::vector<std::string>{"org_id"});
  EXPECT_EQ(t.foreignKeys[0].referencedTable, "orgs");
  EXPECT_EQ(t.foreignKeys[0].referencedColumns, std::vector<std::string>{"id"});
  EXPECT_EQ(t.foreignKeys[0].onDelete, "CASCADE");
}

TEST(DdlParser, MySqlTableOptionsDoNotSwallowTheNextTable) {
  auto s = parseDdl(R"sql(
    # dump header
    CREATE TABLE `users` (
      `id` int(11) unsigned NOT NULL AUTO_INCREMENT COMMENT 'surrogate',
      `email` varchar(191) COLLATE utf8mb4_unicode_ci NOT NULL,
      `active` tinyint(1) NOT NULL DEFAULT '1',
      `updated` datetime NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
      `kind` enum('a','b') DEFAULT NULL,
      PRIMARY KEY (`id`),
      UNIQUE KEY `users_email_unique` (`email`),
      KEY `idx_kind` (`kind`)
    ) ENGINE=InnoDB AUTO_INCREMENT=5 DEFAULT CHARSET=utf8mb4 COMMENT='People who log in';
    CREATE TABLE `groups` (`id` int NOT NULL, `name` varchar(50), PRIMARY KEY (`id`)) ENGINE=InnoDB;
    INSERT INTO `users` VALUES (1,'O\'Brien; x',1,NOW(),'a');)sql");
  ASSERT_EQ(s.tables.size(), 2u);
  const SqlTable& u = s.tables[0];
  EXPECT_EQ(u.name, "users");
  EXPECT_EQ(u.comment, "People who log in");
  ASSERT_EQ(u.columns.size(), 5u);
  EXPECT_TRUE(col(u, "id").autoIncrement);
  EXPECT_TRUE(col(u, "id").primaryKey);
  EXPECT_EQ(col(u, "id").comment, "surrogate");
  EXPECT_EQ(col(u, "id").baseType, "INT UNSIGNED");
  EXPECT_TRUE(col(u, "email").unique);
  EXPECT_EQ(col(u, "updated").defaultValue, "CURRENT_TIMESTAMP");
  EXPECT_EQ(col(u, "kind").defaultValue, "NULL");
  EXPECT_TRUE(col(u, "kind").nullable);
  EXPECT_EQ(s.tables[1].name, "groups");
  EXPECT_EQ(s.tables[1].primaryKey, std::vector<std::string>{"id"});
}

TEST(DdlParser, SqlServerBracketsIdentityAndComposites) {
  auto s = parseDdl(R"sql(
    USE [Hr]
    GO
    CREATE TABLE [dbo].[UserRoles] (
      [UserId] INT NOT NULL,
      [RoleId] INT NOT NULL,
      [Id] INT IDENTITY(1,1) NOT NULL,
      [FullName] AS ([First] + ' ' + [Last]),
      CONSTRAINT [PK_UR] PRIMARY KEY CLUSTERED ([UserId] ASC, [RoleId] ASC),
      CONSTRAINT [FK_U] FOREIGN KEY ([UserId]) REFERENCES [dbo].[Users] ([Id])
    )
    GO)sql");
  EXPECT_EQ(s.databaseName, "Hr");
  ASSERT_EQ(s.tables.size(), 1u);
  const SqlTable& t = s.tables[0];
  EXPECT_EQ(t.schema, "dbo");
  EXPECT_EQ(t.primaryKey, (std::vector<std::string>{"UserId", "RoleId"}));
  EXPECT_TRUE(col(t, "UserId").primaryKey);
  EXPECT_TRUE(col(t, "RoleId").primaryKey);
  EXPECT_TRUE(col(t, "Id").autoIncrement);
  EXPECT_TRUE(col(t, "FullName").computed);
  ASSERT_EQ(t.foreignKeys.size(), 1u);
  EXPECT_EQ(t.foreignKeys[0].name, "FK_U");
  EXPECT_EQ(t.foreignKeys[0].referencedSchema, "dbo");
  EXPECT_EQ(t.foreignKeys[0].referencedTable, "Users");
}

TEST(DdlParser, OracleAndH2Forms) {
  auto s = parseDdl(R"sql(
    CREATE TABLE hr.employees (
      employee_id NUMBER(6) GENERATED BY DEFAULT ON NULL AS IDENTITY,
      salary NUMBER(8,2),
      name VARCHAR2(100 CHAR) NOT NULL ENABLE,
      photo LONG RAW,
      hired DATE DEFAULT SYSDATE
    ) TABLESPACE users;
    COMMENT ON TABLE hr.employees IS 'Staff';
    COMMENT ON COLUMN hr.employees.salary IS 'Monthly salary';
    CREATE CACHED TABLE PUBLIC.ACCOUNTS (ID BIGINT AUTO_INCREMENT PRIMARY KEY, NAME VARCHAR(50) DEFAULT NEXT VALUE FOR s);
    /
  )sql");
  ASSERT_EQ(s.tables.size(), 2u);
  const SqlTable& e = s.tables[0];
  EXPECT_EQ(e.comment, "Staff");
  EXPECT_TRUE(col(e, "employee_id").autoIncrement);
  EXPECT_EQ(col(e, "salary").comment, "Monthly salary");
  EXPECT_EQ(col(e, "name").typeParameters, std::vector<std::string>{"100 CHAR"});
  EXPECT_FALSE(col(e, "name").nullable);
  EXPECT_EQ(col(e, "photo").baseType, "LONG RAW");
  EXPECT_EQ(s.tables[1].name, "ACCOUNTS");
  EXPECT_TRUE(col(s.tables[1], "ID").autoIncrement);
}

TEST(DdlParser, AlterTableAddsKeysColumnsAndIdentity) {
  auto s = parseDdl(R"sql(
    CREATE TABLE public.members (user_id integer NOT NULL, group_id integer NOT NULL, id integer NOT NULL);
    ALTER TABLE ONLY public.members ADD CONSTRAINT members_pkey PRIMARY KEY (id);
    ALTER TABLE ONLY public.members ADD CONSTRAINT fk_user FOREIGN KEY (user_id) REFERENCES public.users(id),
      ADD CONSTRAINT fk_group FOREIGN KEY (group_id) REFERENCES public.groups(id);
    ALTER TABLE public.members ALTER COLUMN id SET DEFAULT nextval('members_id_seq'::regclass);
    ALTER TABLE members ADD COLUMN note text;
    ALTER TABLE ghosts ADD COLUMN x int;
  )sql");
  ASSERT_EQ(s.tables.size(), 1u);
  const SqlTable& t = s.tables[0];
  EXPECT_EQ(t.primaryKey, std::vector<std::string>{"id"});
  EXPECT_TRUE(col(t, "id").primaryKey);
  EXPECT_TRUE(col(t, "id").autoIncrement);
  EXPECT_EQ(t.foreignKeys.size(), 2u);
  EXPECT_NE(t.findColumn("note"), nullptr);
  bool warned = false;
  for (const auto& d : s.diagnostics) warned = warned || d.message.find("ghosts") != std::string::npos;
  EXPECT_TRUE(warned);
}

TEST(DdlParser, MySqlModifyAddsAutoIncrement) {
  auto s = parseDdl("CREATE TABLE `t` (`id` int(11) NOT NULL, `v` text);\n"
                    "ALTER TABLE `t` ADD PRIMARY KEY (`id`);\n"
                    "ALTER TABLE `t` MODIFY `id` int(11) NOT NULL AUTO_INCREMENT;");
  ASSERT_EQ(s.tables.size(), 1u);
  EXPECT_TRUE(col(s.tables[0], "id").primaryKey);
  EXPECT_TRUE(col(s.tables[0], "id").autoIncrement);
}

TEST(DdlParser, ViewsDatabaseSchemaAndSkippedStatements) {
  auto s = parseDdl(R"sql(
    CREATE DATABASE IF NOT EXISTS shop;
    CREATE SCHEMA sales;
    SET search_path TO sales, public;
    CREATE OR REPLACE VIEW v_users AS SELECT * FROM users;
    CREATE UNIQUE INDEX ix ON users (email);
    CREATE SEQUENCE s START 1;
    GRANT SELECT ON users TO bob;
    CREATE TABLE users (id serial PRIMARY KEY);
  )sql");
  EXPECT_EQ(s.databaseName, "shop");
  EXPECT_EQ(s.schemaNames, std::vector<std::string>{"sales"});
  EXPECT_EQ(s.searchPath, (std::vector<std::string>{"sales", "public"}));
  ASSERT_EQ(s.views.size(), 1u);
  EXPECT_EQ(s.views[0].name, "v_users");
  ASSERT_EQ(s.tables.size(), 1u);
  EXPECT_TRUE(s.tables[0].columns[0].autoIncrement);
  EXPECT_EQ(s.statements, 8u);
  EXPECT_EQ(s.skippedStatements, 3u);
}

TEST(DdlParser, HostileInputIsBounded) {
  std::string deep = "CREATE TABLE t (a int CHECK " + std::string(100000, '(') + ");";
  auto s = parseDdl(deep);
  EXPECT_LE(s.tables.size(), 1u);
  auto unterminated = parseDdl("CREATE TABLE t (a varchar(10) DEFAULT 'oops);");
  EXPECT_FALSE(unterminated.diagnostics.empty());
  DdlParseOptions small;
  small.maxTables = 3;
  std::string many;
  for (int i = 0; i < 10; ++i) many += "CREATE TABLE t" + std::to_string(i) + " (a int);";
  EXPECT_EQ(parseDdl(many, "", small).tables.size(), 3u);
  EXPECT_TRUE(parseDdl("").tables.empty());
  EXPECT_TRUE(parseDdl("CREATE TABLE").tables.empty());
  EXPECT_TRUE(parseDdl("CREATE TABLE (").tables.empty());
}

TEST(DdlParser, TableDescriptionJson) {
  auto j = cg::OrderedJson::parse(R"js({"databaseName": "crm", "users": {"columns": [
      {"name": "id", "type": "uuid", "primaryKey": true},
      {"name": "email", "dataType": "VARCHAR(255)", "nullable": false},
      {"name": "org", "type": "int", "references": "orgs(id)"}]},
    "orgs": {"columns": ["id", "name"]}})js");
  auto s = parseTableDescriptionJson(j, "doc");
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->databaseName, "crm");
  ASSERT_EQ(s->tables.size(), 2u);
  const SqlTable& u = s->tables[0];
  EXPECT_EQ(u.name, "users");
  EXPECT_EQ(u.primaryKey, std::vector<std::string>{"id"});
  EXPECT_EQ(col(u, "email").baseType, "VARCHAR");
  EXPECT_FALSE(col(u, "email").nullable);
  ASSERT_EQ(u.foreignKeys.size(), 1u);
  EXPECT_EQ(u.foreignKeys[0].referencedTable, "orgs");
  EXPECT_EQ(u.foreignKeys[0].referencedColumns, std::vector<std::string>{"id"});
  auto list = parseTableDescriptionJson(cg::OrderedJson::parse(R"({"tables": [{"table": "a.b", "columns": ["x"]}]})"));
  ASSERT_TRUE(list.has_value());
  EXPECT_EQ(list->tables[0].schema, "a");
  EXPECT_EQ(list->tables[0].name, "b");
  EXPECT_FALSE(parseTableDescriptionJson(cg::OrderedJson::parse(R"({"openapi": "3.0.0"})")).has_value());
}
