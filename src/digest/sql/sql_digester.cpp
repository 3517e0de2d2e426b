#include "digest/sql/sql_digester.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <unordered_map>

#include "digest/openapi/naming.h"
#include "util/json_bounded.h"
#include "util/strings.h"

namespace cg::digest::sql {
namespace {

using openapi::igaPriority;
using openapi::kNotIga;
using openapi::singularize;
using openapi::splitWords;

std::string pascal(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    if (w.empty()) continue;
    std::string lw = toLower(w);
    lw[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(lw[0])));
    out += lw;
  }
  return out;
}

std::string firstWord(const std::string& baseType) {
  auto sp = baseType.find(' ');
  std::string w = sp == std::string::npos ? baseType : baseType.substr(0, sp);
  if (auto dot = w.rfind('.'); dot != std::string::npos) w = w.substr(dot + 1);
  return w;
}

long paramNumber(const SqlColumn& c, size_t index) {
  if (index >= c.typeParameters.size()) return -1;
  const std::string& p = c.typeParameters[index];
  if (p.empty() || !std::isdigit(static_cast<unsigned char>(p[0]))) return -1;
  long v = 0;
  for (char ch : p) {
    if (!std::isdigit(static_cast<unsigned char>(ch))) break;
    v = v * 10 + (ch - '0');
    if (v > 1'000'000) break;
  }
  return v;
}

bool oneOf(const std::string& w, std::initializer_list<const char*> list) {
  for (const char* x : list) {
    if (w == x) return true;
  }
  return false;
}

// Technical tables: bookkeeping, not identity data (word-based, so `login_*`/`catalog` are safe).
bool isTechnicalTable(const SqlTable& table) {
  if (table.temporary) return true;
  auto words = splitWords(table.name);
  for (size_t i = 0; i < words.size(); ++i) {
    std::string w = toLower(words[i]);
    if (oneOf(w, {"audit", "audits", "cache", "caches", "flyway", "liquibase", "log", "logs", "migration", "migrations",
                  "tmp", "temp", "history", "histories", "databasechangelog", "databasechangeloglock", "changelog"})) {
      return true;
    }
    if (w == "schema" && i + 1 < words.size() && toLower(words[i + 1]) == "version") return true;
  }
  return false;
}

bool isBookkeepingColumn(const SqlColumn& c) {
  auto words = splitWords(c.name);
  if (words.empty()) return false;
  std::string w0 = toLower(words[0]);
  if (oneOf(w0, {"created", "updated", "modified", "changed", "inserted", "timestamp", "version", "rowversion",
                 "creation", "modification"})) {
    return true;
  }
  if (w0 == "last" && words.size() > 1) {
    std::string w1 = toLower(words[1]);
    return oneOf(w1, {"modified", "updated", "changed"});
  }
  return false;
}

bool inList(const std::vector<std::string>& list, std::string_view v) {
  return std::any_of(list.begin(), list.end(), [&](const std::string& x) { return iequals(x, v); });
}

// Tables by lower-case name (all schemas, in order), so foreign keys resolve in O(1) on big schemas.
class TableIndex {
 public:
  explicit TableIndex(const SqlSchema& schema) {
    for (const auto& t : schema.tables) byName_[toLower(t.name)].push_back(&t);
  }
  const SqlTable* find(std::string_view schemaName, std::string_view name) const {
    auto it = byName_.find(toLower(name));
    if (it == byName_.end()) return nullptr;
    if (schemaName.empty()) return it->second.front();
    for (const SqlTable* t : it->second) {
      if (iequals(t->schema, schemaName)) return t;
    }
    return nullptr;
  }

 private:
  std::unordered_map<std::string, std::vector<const SqlTable*>> byName_;
};

const SqlTable* referencedTable(const TableIndex& index, const SqlTable& from, const SqlForeignKey& fk) {
  if (!fk.referencedSchema.empty()) {
    if (const SqlTable* t = index.find(fk.referencedSchema, fk.referencedTable)) return t;
  }
  if (!from.schema.empty()) {
    if (const SqlTable* t = index.find(from.schema, fk.referencedTable)) return t;
  }
  return index.find("", fk.referencedTable);
}

std::string joinColumns(const std::vector<std::string>& cols) { return join(cols, ","); }

std::string qualified(const SqlTable& t) { return t.schema.empty() ? t.name : t.schema + "." + t.name; }

std::string displayNameOf(const std::string& className) {
  auto words = splitWords(className);
  std::string out;
  for (const auto& w : words) {
    if (w.empty()) continue;
    if (!out.empty()) out += " ";
    std::string x = toLower(w);
    x[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(x[0])));
    out += x;
  }
  return out;
}

void addRefs(std::vector<ChunkReference>& into, const std::vector<ChunkReference>& refs) {
  for (const auto& r : refs) {
    if (std::find(into.begin(), into.end(), r) == into.end()) into.push_back(r);
  }
  std::sort(into.begin(), into.end());
}

std::string inferDatabaseName(const SqlSchema& schema) {
  if (!schema.databaseName.empty()) return schema.databaseName;
  for (const auto& s : schema.searchPath) {
    std::string l = toLower(s);
    if (l != "$user" && l != "public" && l != "pg_catalog" && l != "\"$user\"" && !l.empty()) return s;
  }
  if (!schema.schemaNames.empty()) return schema.schemaNames.front();
  std::string common;
  for (const auto& t : schema.tables) {
    if (t.schema.empty()) return "";
    if (common.empty()) common = t.schema;
    else if (!iequals(common, t.schema)) return "";
  }
  std::string l = toLower(common);
  if (l == "public" || l == "dbo") return "";
  return common;
}

}  // namespace

std::string sqlEvidencePointer(std::string_view tableName) {
  std::string escaped;
  for (char c : toLower(tableName)) {
    if (c == '~') escaped += "~0";
    else if (c == '/') escaped += "~1";
    else escaped.push_back(c);
  }
  return "/tables/" + escaped;
}

// SQL type → attribute type (first word of the upper-case base type unless stated):
//   CHAR CHARACTER VARCHAR VARCHAR2 NVARCHAR NVARCHAR2 NCHAR NATIONAL TEXT TINYTEXT MEDIUMTEXT LONGTEXT
//   NTEXT CLOB NCLOB CITEXT STRING NAME ENUM SET LONG XML XMLTYPE INET CIDR … → string
//   UUID UNIQUEIDENTIFIER → string/uuid;  JSON JSONB → string/json
//   BIGINT INT8 BIGSERIAL SERIAL8 → integer/int64;  INT INTEGER INT4 SERIAL SERIAL4 MEDIUMINT → integer/int32
//   SMALLINT TINYINT INT2 SMALLSERIAL YEAR → integer;  TINYINT(1) BIT BIT(1) BOOLEAN BOOL → boolean
//   NUMBER/NUMERIC/DECIMAL/DEC with scale 0 (or only a precision) → integer (int64 above 9 digits, else
//   int32); otherwise → number;  REAL FLOAT4 BINARY_FLOAT FLOAT(≤24) FLOAT → number/float;
//   DOUBLE [PRECISION] FLOAT8 BINARY_DOUBLE FLOAT(>24) → number/double;  MONEY SMALLMONEY → number
//   TIMESTAMP* DATETIME DATETIME2 SMALLDATETIME DATETIMEOFFSET → string/date-time;  DATE → string/date;
//   TIME TIMETZ → string/time;  INTERVAL → string/duration
//   BYTEA BLOB TINYBLOB MEDIUMBLOB LONGBLOB BINARY VARBINARY RAW LONG RAW IMAGE BFILE ROWVERSION
//   BINARY LARGE OBJECT → string/binary;  anything else (user-defined types, geometry) → string
SqlTypeMapping mapSqlType(const SqlColumn& column) {
  const std::string w = firstWord(column.baseType);
  const std::string& full = column.baseType;
  if (w.empty()) return {"string", std::nullopt};
  if (full == "LONG RAW" || full == "LONG VARBINARY" || full.starts_with("BINARY LARGE OBJECT") ||
      full.starts_with("BINARY VARYING")) {
    return {"string", "binary"};
  }
  if (oneOf(w, {"UUID", "UNIQUEIDENTIFIER"})) return {"string", "uuid"};
  if (oneOf(w, {"JSON", "JSONB"})) return {"string", "json"};
  if (oneOf(w, {"BOOLEAN", "BOOL"})) return {"boolean", std::nullopt};
  if (w == "BIT") {
    long n = paramNumber(column, 0);
    if (n <= 1) return {"boolean", std::nullopt};
    return {"string", std::nullopt};
  }
  if (w == "TINYINT" && paramNumber(column, 0) == 1) return {"boolean", std::nullopt};
  if (oneOf(w, {"BIGINT", "INT8", "BIGSERIAL", "SERIAL8"})) return {"integer", "int64"};
  if (oneOf(w, {"INT", "INTEGER", "INT4", "SERIAL", "SERIAL4", "MEDIUMINT", "PLS_INTEGER", "BINARY_INTEGER"})) {
    return {"integer", "int32"};
  }
  if (oneOf(w, {"SMALLINT", "TINYINT", "INT2", "SMALLSERIAL", "SERIAL2", "YEAR"})) return {"integer", std::nullopt};
  if (oneOf(w, {"NUMBER", "NUMERIC", "DECIMAL", "DEC"})) {
    long precision = paramNumber(column, 0);
    long scale = paramNumber(column, 1);
    bool integral = precision > 0 && (column.typeParameters.size() == 1 || scale == 0);
    if (integral) return {"integer", precision > 9 ? std::optional<std::string>("int64") : std::optional<std::string>("int32")};
    return {"number", std::nullopt};
  }
  if (oneOf(w, {"REAL", "FLOAT4", "BINARY_FLOAT", "SMALLFLOAT"})) return {"number", "float"};
  if (w == "FLOAT") {
    long p = paramNumber(column, 0);
    return {"number", p > 24 ? "double" : "float"};
  }
  if (oneOf(w, {"DOUBLE", "FLOAT8", "BINARY_DOUBLE"})) return {"number", "double"};
  if (oneOf(w, {"MONEY", "SMALLMONEY"})) return {"number", std::nullopt};
  if (oneOf(w, {"TIMESTAMP", "TIMESTAMPTZ", "DATETIME", "DATETIME2", "SMALLDATETIME", "DATETIMEOFFSET"})) {
    return {"string", "date-time"};
  }
  if (w == "DATE") return {"string", "date"};
  if (oneOf(w, {"TIME", "TIMETZ"})) return {"string", "time"};
  if (w == "INTERVAL") return {"string", "duration"};
  if (oneOf(w, {"BYTEA", "BLOB", "TINYBLOB", "MEDIUMBLOB", "LONGBLOB", "BINARY", "VARBINARY", "RAW", "IMAGE", "BFILE",
                "ROWVERSION"})) {
    return {"string", "binary"};
  }
  return {"string", std::nullopt};
}

std::string classNameForTable(std::string_view tableName) {
  auto words = splitWords(tableName);
  if (words.empty()) return "Table";
  words.back() = singularize(words.back());
  std::string name = pascal(words);
  if (name.empty()) return "Table";
  if (std::isdigit(static_cast<unsigned char>(name[0]))) name = "T" + name;
  return name;
}

namespace {
bool isLinkTableIndexed(const SqlTable& table, const TableIndex& schema);
}

bool isLinkTable(const SqlTable& table, const SqlSchema& schema) { return isLinkTableIndexed(table, TableIndex(schema)); }

namespace {
bool isLinkTableIndexed(const SqlTable& table, const TableIndex& schema) {
  if (table.foreignKeys.size() != 2) return false;
  std::vector<std::string> fkColumns;
  for (const auto& fk : table.foreignKeys) {
    if (fk.columns.empty() || !referencedTable(schema, table, fk)) return false;
    for (const auto& c : fk.columns) fkColumns.push_back(c);
  }
  for (const auto& c : table.columns) {
    if (inList(fkColumns, c.name)) continue;
    bool surrogate = c.primaryKey && (c.autoIncrement || iequals(c.name, "id"));
    if (surrogate || isBookkeepingColumn(c)) continue;
    return false;
  }
  return true;
}
}  // namespace

OrderedJson tableRecord(const SqlTable& table, const std::vector<ChunkReference>& evidence) {
  OrderedJson rec = OrderedJson::object();
  rec["table"] = table.name;
  if (!table.schema.empty()) rec["schema"] = table.schema;
  OrderedJson cols = OrderedJson::array();
  for (const auto& c : table.columns) {
    OrderedJson col = OrderedJson::object();
    col["name"] = c.name;
    col["type"] = c.type;
    col["nullable"] = c.nullable;
    col["primaryKey"] = c.primaryKey;
    if (c.unique) col["unique"] = true;
    if (c.autoIncrement) col["autoIncrement"] = true;
    if (c.computed) col["computed"] = true;
    if (c.defaultValue) col["default"] = *c.defaultValue;
    if (!c.comment.empty()) col["comment"] = c.comment;
    cols.push_back(std::move(col));
  }
  rec["columns"] = std::move(cols);
  if (!table.primaryKey.empty()) rec["primaryKey"] = table.primaryKey;
  if (!table.foreignKeys.empty()) {
    OrderedJson fks = OrderedJson::array();
    for (const auto& fk : table.foreignKeys) {
      OrderedJson f = OrderedJson::object();
      if (!fk.name.empty()) f["name"] = fk.name;
      f["columns"] = fk.columns;
      f["referencedTable"] = fk.referencedSchema.empty() ? fk.referencedTable : fk.referencedSchema + "." + fk.referencedTable;
      f["referencedColumns"] = fk.referencedColumns;
      if (!fk.onDelete.empty()) f["onDelete"] = fk.onDelete;
      if (!fk.onUpdate.empty()) f["onUpdate"] = fk.onUpdate;
      fks.push_back(std::move(f));
    }
    rec["foreignKeys"] = std::move(fks);
  }
  rec["description"] = table.comment.empty()
                           ? "Table '" + qualified(table) + "' with " + std::to_string(table.columns.size()) + " columns."
                           : table.comment;
  OrderedJson refs = OrderedJson::array();
  for (const auto& r : evidence) refs.push_back(toJson(r));
  rec["relevantDocumentations"] = std::move(refs);
  return rec;
}

OrderedJson SqlDigest::endpointsResponse(std::string_view className) const {
  OrderedJson out = OrderedJson::object();
  OrderedJson list = OrderedJson::array();
  auto it = tableRecords.find(toLower(className));
  if (it != tableRecords.end()) {
    for (const auto& r : it->second) list.push_back(r);
  }
  out["endpoints"] = std::move(list);
  return out;
}

SqlDigest digestSqlSchema(SqlSchema schema, const openapi::EvidenceIndex& evidence) {
  SqlDigest digest;
  DigestResult& result = digest.result;
  result.diagnostics = schema.diagnostics;

  auto tableEvidence = [&](const SqlTable& t) {
    std::vector<ChunkReference> refs;
    if (evidence.empty()) return refs;
    std::vector<std::string> docs = t.docIds;
    if (docs.empty()) docs.push_back(t.docId);
    for (const auto& d : docs) addRefs(refs, evidence.lookup(d, sqlEvidencePointer(t.name)));
    return refs;
  };

  // 1. Decide which tables are classes; name them without collisions.
  std::vector<bool> link(schema.tables.size(), false);
  std::vector<std::string> className(schema.tables.size());
  std::set<std::string> usedNames;
  TableIndex index(schema);
  for (size_t i = 0; i < schema.tables.size(); ++i) link[i] = isLinkTableIndexed(schema.tables[i], index);
  for (size_t i = 0; i < schema.tables.size(); ++i) {
    if (link[i]) continue;
    const SqlTable& t = schema.tables[i];
    std::vector<std::string> candidates = {classNameForTable(t.name)};
    if (!t.schema.empty()) candidates.push_back(pascal(splitWords(t.schema)) + candidates[0]);
    candidates.push_back(pascal(splitWords(t.schema + "_" + t.name)));
    std::string chosen;
    for (const auto& c : candidates) {
      if (!usedNames.count(toLower(c))) {
        chosen = c;
        break;
      }
    }
    for (int n = 2; chosen.empty(); ++n) {
      std::string c = candidates[0] + std::to_string(n);
      if (!usedNames.count(toLower(c))) chosen = c;
    }
    usedNames.insert(toLower(chosen));
    className[i] = chosen;
  }
  auto classOfTable = [&](const SqlTable* t) -> std::string {
    if (!t) return "";
    size_t idx = static_cast<size_t>(t - schema.tables.data());
    return idx < className.size() ? className[idx] : "";
  };

  // 2. Classes with attributes.
  std::vector<std::pair<size_t, ObjectClass>> classes;
  for (size_t i = 0; i < schema.tables.size(); ++i) {
    if (link[i]) continue;
    const SqlTable& t = schema.tables[i];
    auto refs = tableEvidence(t);
    ObjectClass oc;
    oc.name = className[i];
    oc.description = t.comment.empty() ? "Database table '" + qualified(t) + "' with " + std::to_string(t.columns.size()) +
                                             " columns."
                                       : t.comment;
    oc.superclass = std::nullopt;
    oc.abstract = false;
    oc.embedded = false;
    bool technical = isTechnicalTable(t);
    oc.relevant = technical ? "maybe" : "true";
    oc.confidence = technical ? Confidence::Low : (igaPriority(oc.name) < kNotIga ? Confidence::High : Confidence::Medium);
    oc.relevantDocumentations = refs;
    oc.extra["table"] = t.name;
    if (!t.schema.empty()) oc.extra["schema"] = t.schema;
    for (const auto& c : t.columns) {
      Attribute a;
      a.name = c.name;
      SqlTypeMapping m = mapSqlType(c);
      a.type = m.type;
      a.format = m.format;
      a.description = c.comment.empty() ? "Column '" + c.name + "' of table '" + t.name + "'." : c.comment;
      bool generated = c.autoIncrement || c.computed;
      a.mandatory = (!c.nullable || c.primaryKey) && !c.defaultValue && !generated;
      a.creatable = !generated;
      a.updatable = !generated && !c.primaryKey;
      a.readable = true;
      a.multivalue = c.array;
      a.returnedByDefault = true;
      a.relevantDocumentations = refs;
      a.extra["table"] = t.name;
      a.extra["column"] = c.name;
      a.extra["primaryKey"] = c.primaryKey;
      a.extra["sqlType"] = c.type;
      a.extra["nullable"] = c.nullable;
      if (c.unique) a.extra["unique"] = true;
      if (c.autoIncrement) a.extra["autoIncrement"] = true;
      if (c.computed) a.extra["computed"] = true;
      if (c.defaultValue) a.extra["default"] = *c.defaultValue;
      for (const auto& fk : t.foreignKeys) {
        if (fk.columns.size() == 1 && iequals(fk.columns[0], c.name)) {
          a.extra["references"] = fk.referencedTable + (fk.referencedColumns.empty() ? "" : "(" + joinColumns(fk.referencedColumns) + ")");
          break;
        }
      }
      oc.attributes.push_back(std::move(a));
    }
    digest.tableRecords[toLower(oc.name)].push_back(tableRecord(t, refs));
    classes.emplace_back(i, std::move(oc));
  }

  // 3. Relations.
  std::vector<Relation> relations;
  auto addRelation = [&](Relation r) {
    for (const auto& x : relations) {
      if (x.subject == r.subject && x.object == r.object && x.subjectAttribute == r.subjectAttribute) return;
    }
    relations.push_back(std::move(r));
  };
  for (size_t i = 0; i < schema.tables.size(); ++i) {
    const SqlTable& t = schema.tables[i];
    if (link[i]) {
      const SqlTable* a = referencedTable(index, t, t.foreignKeys[0]);
      const SqlTable* b = referencedTable(index, t, t.foreignKeys[1]);
      std::string ca = classOfTable(a), cb = classOfTable(b);
      if (ca.empty() || cb.empty()) continue;
      bool swap = igaPriority(cb) < igaPriority(ca);
      const std::string& subject = swap ? cb : ca;
      const std::string& object = swap ? ca : cb;
      Relation r;
      r.subject = toLower(subject);
      r.object = toLower(object);
      r.subjectAttribute = t.name;
      r.name = openapi::snakeCase(subject) + "_to_" + openapi::snakeCase(object);
      r.displayName = displayNameOf(subject) + " to " + displayNameOf(object);
      const SqlForeignKey& fa = t.foreignKeys[0];
      const SqlForeignKey& fb = t.foreignKeys[1];
      r.shortDescription = "Link table '" + qualified(t) + "' (" + joinColumns(fa.columns) + " → " + fa.referencedTable +
                           ", " + joinColumns(fb.columns) + " → " + fb.referencedTable + ") relates " +
                           displayNameOf(subject) + " and " + displayNameOf(object) + ".";
      addRelation(std::move(r));
      digest.tableRecords[toLower(subject)].push_back(tableRecord(t, tableEvidence(t)));
      continue;
    }
    if (isTechnicalTable(t)) continue;
    std::map<std::string, int> perTarget;
    for (const auto& fk : t.foreignKeys) {
      if (const SqlTable* target = referencedTable(index, t, fk)) perTarget[toLower(classOfTable(target))]++;
    }
    for (const auto& fk : t.foreignKeys) {
      const SqlTable* target = referencedTable(index, t, fk);
      if (!target) {
        result.diagnostics.push_back({Diagnostic::Severity::Info, t.docId, "",
                                      "foreign key of table '" + t.name + "' references unknown table '" +
                                          fk.referencedTable + "'; no relation"});
        continue;
      }
      std::string subject = className[i];
      std::string object = classOfTable(target);
      if (object.empty()) continue;  // a link table is referenced: nothing to relate to
      Relation r;
      r.subject = toLower(subject);
      r.object = toLower(object);
      r.subjectAttribute = joinColumns(fk.columns);
      r.name = openapi::snakeCase(subject) + "_to_" + openapi::snakeCase(object);
      if (perTarget[r.object] > 1) r.name += "_via_" + openapi::snakeCase(r.subjectAttribute);
      r.displayName = displayNameOf(subject) + " to " + displayNameOf(object);
      r.shortDescription = "Column " + t.name + "." + r.subjectAttribute + " references " + target->name +
                           (fk.referencedColumns.empty() ? "" : "(" + joinColumns(fk.referencedColumns) + ")") + ".";
      addRelation(std::move(r));
    }
  }

  // 4. Order classes: confidence, IGA priority, name; relations follow the class order.
  std::stable_sort(classes.begin(), classes.end(), [](const auto& x, const auto& y) {
    int cx = confidenceRank(x.second.confidence), cy = confidenceRank(y.second.confidence);
    if (cx != cy) return cx < cy;
    int px = igaPriority(x.second.name), py = igaPriority(y.second.name);
    if (px != py) return px < py;
    return toLower(x.second.name) < toLower(y.second.name);
  });
  std::map<std::string, size_t> position;
  for (auto& [idx, oc] : classes) {
    position[toLower(oc.name)] = result.objectClasses.size();
    result.objectClasses.push_back(std::move(oc));
  }
  std::stable_sort(relations.begin(), relations.end(), [&](const Relation& x, const Relation& y) {
    auto pos = [&](const std::string& n) { auto it = position.find(n); return it == position.end() ? position.size() : it->second; };
    if (pos(x.subject) != pos(y.subject)) return pos(x.subject) < pos(y.subject);
    if (pos(x.object) != pos(y.object)) return pos(x.object) < pos(y.object);
    return x.subjectAttribute < y.subjectAttribute;
  });
  result.relations = std::move(relations);

  // 5. Views and metadata.
  if (!schema.tables.empty() || !schema.views.empty() || !schema.databaseName.empty()) {
    InfoMetadata info;
    info.apiType = {"SQL"};
    info.databaseName = inferDatabaseName(schema);
    result.info = info;
  } else {
    result.diagnostics.push_back({Diagnostic::Severity::Warning, "", "", "no CREATE TABLE statement or table description found"});
  }
  digest.schema = std::move(schema);
  return digest;
}

SqlDigest digestSql(const std::vector<SqlDocument>& documents, const openapi::EvidenceIndex& evidence,
                    const SqlDigestOptions& options) {
  SqlSchema merged;
  for (const auto& doc : documents) {
    if (looksLikeJson(doc.text)) {
      std::string error;
      auto json = parseJsonBounded(doc.text, 256, &error);
      if (json) {
        if (auto fromJson = parseTableDescriptionJson(*json, doc.docId, options.parse)) {
          mergeSchema(merged, std::move(*fromJson));
          continue;
        }
        merged.diagnostics.push_back({Diagnostic::Severity::Warning, doc.docId, "", "JSON document has no table description"});
        continue;
      }
      merged.diagnostics.push_back({Diagnostic::Severity::Warning, doc.docId, "", "JSON document: " + error});
      continue;
    }
    parseDdlInto(merged, doc.text, doc.docId, options.parse);
  }
  return digestSqlSchema(std::move(merged), evidence);
}

SqlDigest digestSql(std::string_view text, const std::string& docId, const openapi::EvidenceIndex& evidence,
                    const SqlDigestOptions& options) {
  return digestSql(std::vector<SqlDocument>{{docId, text}}, evidence, options);
}

}  // namespace cg::digest::sql
