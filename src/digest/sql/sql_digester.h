// Deterministic SQL digester: DDL scripts and JSON table descriptions → the digester results of
// spec/api-contract.md B.6 / E.4–E.9 (object classes, attributes, relations, metadata) plus the SQL
// "endpoints" of E.6b (table records), without an LLM.
//
// Contract:
//  - Pure, deterministic (same input → same result, byte-identical JSON), never throws; hostile
//    input is bounded by the parser's caps (ddl_parser.h) and reported as diagnostics.
//  - Classes: one per table, except *link tables* (exactly two foreign keys to known tables and no
//    other data columns besides a surrogate key and created/updated-style bookkeeping columns),
//    which become relations. Views are not classes (info diagnostic). Class name = singular
//    PascalCase of the table name (`document_stores` → `DocumentStore`); collisions are prefixed
//    with the schema. Confidence: high when the name is in the IGA priority table of
//    openapi/naming.h, low (relevant "maybe") for technical tables (audit, log, history, cache,
//    migration/flyway/liquibase, tmp) and temporary tables, else medium. Order: confidence, IGA
//    priority, name. Class `extra`: {"table", "schema"?}.
//  - Attributes: one per column, keyed by the column name as written. Type/format from
//    mapSqlType (table in sql_digester.cpp, documented in docs below). mandatory = NOT NULL (or
//    primary key) without a default and not generated; creatable = not generated (identity, serial,
//    AUTO_INCREMENT, IDENTITY, nextval default, computed); updatable = creatable and not part of
//    the primary key; readable/returnedByDefault = true; multivalue = array type. Attribute
//    `extra`: {"table", "column", "primaryKey", "sqlType", "nullable", "unique"?, "autoIncrement"?,
//    "computed"?, "default"?, "references"? ("table(col)")}.
//  - Relations: every foreign key of a class table to another class table → subject = the table
//    holding the key, subjectAttribute = its column(s), object = the referenced class; link tables
//    → subject/object = the two referenced classes (higher IGA priority is the subject),
//    subjectAttribute = the link table name.
//  - Endpoints (E.6b): table records per class (its own table, plus the link tables it is the
//    subject of), returned by SqlDigest::endpointsResponse — ObjectClass::endpoints stays empty
//    because table records are not EndpointInfo.
//  - Metadata: apiType ["SQL"], databaseName from CREATE DATABASE / USE / JSON databaseName, else
//    the first SET search_path entry (not $user/public), else the first CREATE SCHEMA, else the one
//    schema qualifier all tables share (not public/dbo).
//  - Evidence: a table's chunks are looked up in the EvidenceIndex at sqlEvidencePointer(table)
//    for every document that defined/altered it; its class, attributes and record carry them.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "digest/model.h"
#include "digest/openapi/evidence_index.h"
#include "digest/sql/ddl_parser.h"
#include "util/json.h"

namespace cg::digest::sql {

struct SqlDocument {
  std::string docId;
  std::string_view text;  // DDL script, or JSON table description (text starting with '{' or '[')
};

struct SqlDigestOptions {
  DdlParseOptions parse;
};

struct SqlDigest {
  DigestResult result;  // info, objectClasses (with attributes), relations, diagnostics
  SqlSchema schema;     // the merged parsed schema
  // E.6b table records per class, keyed by lower-case class name.
  std::map<std::string, std::vector<OrderedJson>> tableRecords;
  // {"endpoints": [table records]} for a class (case-insensitive); {"endpoints": []} when unknown.
  OrderedJson endpointsResponse(std::string_view className) const;
};

// "/tables/<lower-case table name>" — where chunk evidence of a table is registered.
std::string sqlEvidencePointer(std::string_view tableName);

SqlDigest digestSql(const std::vector<SqlDocument>& documents, const openapi::EvidenceIndex& evidence = {},
                    const SqlDigestOptions& options = {});
SqlDigest digestSql(std::string_view text, const std::string& docId = "", const openapi::EvidenceIndex& evidence = {},
                    const SqlDigestOptions& options = {});
// Digests an already parsed (possibly merged) schema.
SqlDigest digestSqlSchema(SqlSchema schema, const openapi::EvidenceIndex& evidence = {});

// SQL type → attribute type/format (see the table in sql_digester.cpp).
struct SqlTypeMapping {
  std::string type;                   // string | integer | number | boolean
  std::optional<std::string> format;  // int32, int64, float, double, date-time, date, time, duration, uuid, json, binary
};
SqlTypeMapping mapSqlType(const SqlColumn& column);

// Singular PascalCase class name of a table: "document_stores" → "DocumentStore", "Users" → "User".
std::string classNameForTable(std::string_view tableName);

// True for a table that only links two other tables (see the header comment).
bool isLinkTable(const SqlTable& table, const SqlSchema& schema);

// The E.6b record of one table.
OrderedJson tableRecord(const SqlTable& table, const std::vector<ChunkReference>& evidence = {});

}  // namespace cg::digest::sql
