// Recursive-descent parser for SQL DDL scripts and JSON table descriptions: turns a script into a
// database schema (tables, columns, keys, foreign keys, views, database/schema names).
//
// Dialects: PostgreSQL, MySQL/MariaDB, Oracle, SQL Server, H2 (and SQLite) forms of
//   CREATE [OR REPLACE] [GLOBAL|LOCAL] [TEMP|TEMPORARY|UNLOGGED] TABLE [IF NOT EXISTS] name (elements) options
//   with quoted ("x", `x`, [x]) and schema-qualified names; column types with parameters and arrays;
//   column constraints NOT NULL / NULL / DEFAULT expr / PRIMARY KEY / UNIQUE / REFERENCES t(c) / CHECK /
//   COLLATE / COMMENT '…' / GENERATED … AS IDENTITY / GENERATED ALWAYS AS (expr) / AS (expr) /
//   AUTO_INCREMENT / IDENTITY(1,1) / SERIAL types; table constraints [CONSTRAINT n] PRIMARY KEY (…) /
//   UNIQUE (…) / FOREIGN KEY (…) REFERENCES t (…); table options after `)` (ENGINE=…, COMMENT=…, …);
//   ALTER TABLE … ADD [COLUMN] / ADD [CONSTRAINT n] …; COMMENT ON TABLE/COLUMN … IS '…';
//   CREATE VIEW (recorded, not a table); CREATE DATABASE / USE / CREATE SCHEMA / SET search_path.
//   Every other statement (functions, triggers, indexes, sequences, INSERT, GRANT, …) is skipped.
//
// Contract:
//  - Pure and total: never throws, never loops; work is bounded by the token count (lexer cap) and
//    the caps in DdlParseOptions (tables, columns per table, parenthesis depth). Anything it cannot
//    understand is skipped up to the next statement terminator and reported as a Diagnostic.
//  - Deterministic: tables keep their first-seen order; names keep their written casing
//    (unquoted), identity of a table is (lower-case schema, lower-case name).
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "digest/model.h"
#include "util/json.h"

namespace cg::digest::sql {

struct SqlForeignKey {
  std::string name;  // constraint name, "" when unnamed
  std::vector<std::string> columns;
  std::string referencedSchema;  // "" when the reference is unqualified
  std::string referencedTable;
  std::vector<std::string> referencedColumns;  // empty = the referenced table's primary key
  std::string onDelete;                        // e.g. "CASCADE", "" when not stated
  std::string onUpdate;
};

struct SqlColumn {
  std::string name;
  std::string type;      // as written, normalised spacing, e.g. "VARCHAR(255)", "TIMESTAMP WITH TIME ZONE", "int[]"
  std::string baseType;  // upper-case type name without parameters/array marks, e.g. "VARCHAR", "DOUBLE PRECISION"
  std::vector<std::string> typeParameters;  // e.g. {"10","2"}
  bool array = false;
  bool nullable = true;        // false after NOT NULL or PRIMARY KEY
  bool primaryKey = false;     // column- or table-level
  bool unique = false;         // column-level UNIQUE or a single-column UNIQUE constraint
  bool autoIncrement = false;  // identity / serial / AUTO_INCREMENT / IDENTITY / nextval default
  bool computed = false;       // GENERATED ALWAYS AS (expr) / AS (expr): value derived by the database
  std::optional<std::string> defaultValue;  // expression text as written (normalised spacing)
  std::string comment;
};

struct SqlTable {
  std::string schema;  // "" when unqualified
  std::string name;
  std::vector<SqlColumn> columns;
  std::vector<std::string> primaryKey;  // column names, key order
  std::vector<std::vector<std::string>> uniqueKeys;
  std::vector<SqlForeignKey> foreignKeys;
  std::string comment;
  bool temporary = false;
  std::string docId;     // document of the first definition
  size_t line = 0;       // line of the CREATE TABLE statement
  std::vector<std::string> docIds;  // every document that defined or altered the table

  const SqlColumn* findColumn(std::string_view column) const;  // case-insensitive
  SqlColumn* findColumn(std::string_view column);
};

struct SqlView {
  std::string schema;
  std::string name;
  std::string docId;
  size_t line = 0;
};

struct SqlSchema {
  std::vector<SqlTable> tables;
  std::vector<SqlView> views;
  std::string databaseName;              // from CREATE DATABASE, else USE, else a JSON "databaseName"
  std::vector<std::string> schemaNames;  // CREATE SCHEMA names, first-seen order
  std::vector<std::string> searchPath;   // SET search_path entries as written
  std::vector<Diagnostic> diagnostics;
  size_t statements = 0;         // statements seen
  size_t skippedStatements = 0;  // statements that are not DDL this parser models

  // Case-insensitive; an empty schema matches a table of any schema (first in order).
  const SqlTable* findTable(std::string_view schema, std::string_view name) const;
  SqlTable* findTable(std::string_view schema, std::string_view name);
};

struct DdlParseOptions {
  size_t maxTables = 5000;
  size_t maxColumnsPerTable = 2000;
  size_t maxDepth = 64;  // nesting of parentheses inside one statement
  size_t maxTokens = 2'000'000;
};

// Parses a DDL script. `docId` is recorded on tables, views and diagnostics.
SqlSchema parseDdl(std::string_view text, const std::string& docId = "", const DdlParseOptions& options = {});
// Parses a further script into an existing schema, so ALTER TABLE / COMMENT ON / REFERENCES in one
// document apply to tables created by an earlier one; a repeated CREATE TABLE adds missing columns.
void parseDdlInto(SqlSchema& schema, std::string_view text, const std::string& docId = "",
                  const DdlParseOptions& options = {});

// Parses a JSON table description: a list of tables, or an object whose `tables` / `schema` /
// `databaseSchema` / `nativeSchema` member holds them, or an object keyed by table name. A table is a
// name string or an object with `table`|`name`|`tableName`, `columns`|`attributes`|`fields` (strings
// or objects with `name`|`column`|`columnName`, `type`|`dataType`, `nullable`, `required`,
// `primaryKey`, `unique`, `autoIncrement`|`generated`, `default`, `description`|`comment`,
// `references`|`foreignKey`), `primaryKey`, `foreignKeys`, `description`. A top-level
// `databaseName` is kept. Returns nullopt when the value has no recognisable table.
std::optional<SqlSchema> parseTableDescriptionJson(const OrderedJson& root, const std::string& docId = "",
                                                   const DdlParseOptions& options = {});

// Merges `from` into `into`: same (schema, name) tables get the columns, keys and comments they
// lack; new tables/views are appended; the first non-empty databaseName wins.
void mergeSchema(SqlSchema& into, SqlSchema&& from);

}  // namespace cg::digest::sql
