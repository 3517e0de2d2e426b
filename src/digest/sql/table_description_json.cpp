// JSON table descriptions → SqlSchema (see ddl_parser.h, parseTableDescriptionJson).
#include <algorithm>

#include "digest/sql/ddl_parser.h"
#include "digest/sql/ddl_lexer.h"
#include "util/strings.h"

namespace cg::digest::sql {
namespace {

const OrderedJson* member(const OrderedJson& j, std::initializer_list<const char*> keys) {
  if (!j.is_object()) return nullptr;
  for (const char* k : keys) {
    auto it = j.find(k);
    if (it != j.end() && !it->is_null()) return &*it;
  }
  return nullptr;
}

std::string text(const OrderedJson* j) {
  if (!j) return "";
  if (j->is_string()) return j->get<std::string>();
  if (j->is_number() || j->is_boolean()) return j->dump();
  return "";
}

std::optional<bool> flag(const OrderedJson* j) {
  if (!j) return std::nullopt;
  if (j->is_boolean()) return j->get<bool>();
  if (j->is_string()) {
    std::string s = toLower(trim(j->get<std::string>()));
    if (s == "true" || s == "yes" || s == "y" || s == "1") return true;
    if (s == "false" || s == "no" || s == "n" || s == "0") return false;
  }
  if (j->is_number_integer()) return j->get<long long>() != 0;
  return std::nullopt;
}

// "a.b" → {a, b}; quotes/backticks/brackets stripped from every part.
std::pair<std::string, std::string> splitQualified(const std::string& raw) {
  std::vector<std::string> parts;
  for (auto& p : split(raw, '.', false)) {
    std::string s = trim(p);
    if (s.size() >= 2 && ((s.front() == '"' && s.back() == '"') || (s.front() == '`' && s.back() == '`') ||
                          (s.front() == '[' && s.back() == ']'))) {
      s = s.substr(1, s.size() - 2);
    }
    parts.push_back(s);
  }
  if (parts.empty()) return {"", ""};
  if (parts.size() == 1) return {"", parts[0]};
  return {parts[parts.size() - 2], parts.back()};
}

// Fills the type fields of a column from a type string by lexing it like DDL.
void applyTypeText(SqlColumn& column, const std::string& typeText) {
  column.type = trim(typeText);
  if (column.type.empty()) return;
  SqlSchema probe = parseDdl("CREATE TABLE t (c " + column.type + ");");
  if (!probe.tables.empty() && !probe.tables[0].columns.empty()) {
    const SqlColumn& parsed = probe.tables[0].columns[0];
    column.baseType = parsed.baseType;
    column.typeParameters = parsed.typeParameters;
    column.array = column.array || parsed.array;
    column.autoIncrement = column.autoIncrement || parsed.autoIncrement;
  } else {
    std::string upper = column.type;
    for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    column.baseType = upper;
  }
}

struct Builder {
  SqlSchema& out;
  const std::string& docId;
  const DdlParseOptions& opt;
  size_t depth = 0;

  void column(SqlTable& table, const OrderedJson& c) {
    if (table.columns.size() >= opt.maxColumnsPerTable) return;
    SqlColumn col;
    if (c.is_string()) {
      col.name = splitQualified(c.get<std::string>()).second;
    } else if (c.is_object()) {
      col.name = splitQualified(text(member(c, {"name", "column", "columnName"}))).second;
      applyTypeText(col, text(member(c, {"type", "dataType", "data_type", "sqlType"})));
      if (auto n = flag(member(c, {"nullable", "isNullable"}))) col.nullable = *n;
      if (auto r = flag(member(c, {"required", "mandatory", "notNull"}))) {
        if (*r) col.nullable = false;
      }
      if (auto pk = flag(member(c, {"primaryKey", "primary_key", "pk"}))) col.primaryKey = *pk;
      if (auto u = flag(member(c, {"unique"}))) col.unique = *u;
      if (auto g = flag(member(c, {"autoIncrement", "auto_increment", "generated", "identity"}))) {
        col.autoIncrement = col.autoIncrement || *g;
      }
      if (const auto* d = member(c, {"default", "defaultValue"})) col.defaultValue = d->is_string() ? d->get<std::string>() : d->dump();
      col.comment = text(member(c, {"description", "comment"}));
      const OrderedJson* ref = member(c, {"references", "foreignKey", "foreign_key"});
      std::string refText = text(ref);
      if (ref && ref->is_object()) refText = text(member(*ref, {"table", "referencedTable"}));
      if (!refText.empty() && refText != "true") {
        SqlForeignKey fk;
        fk.columns.push_back(col.name);
        std::string target = refText;
        std::string refColumn;
        if (auto open = target.find('('); open != std::string::npos) {
          auto close = target.find(')', open);
          refColumn = trim(target.substr(open + 1, close == std::string::npos ? std::string::npos : close - open - 1));
          target = trim(target.substr(0, open));
        }
        if (ref->is_object()) refColumn = text(member(*ref, {"column", "referencedColumn"}));
        auto [schema, name] = splitQualified(target);
        if (refColumn.empty() && ref->is_string() && schema.size() && !name.empty()) {
          // "users.id" form: table.column
          refColumn = name;
          name = schema;
          schema.clear();
        }
        fk.referencedSchema = schema;
        fk.referencedTable = name;
        if (!refColumn.empty()) fk.referencedColumns.push_back(refColumn);
        if (!fk.referencedTable.empty()) table.foreignKeys.push_back(std::move(fk));
      }
    }
    if (col.name.empty() || table.findColumn(col.name)) return;
    if (col.primaryKey) {
      col.nullable = false;
      if (std::none_of(table.primaryKey.begin(), table.primaryKey.end(), [&](auto& x) { return iequals(x, col.name); })) {
        table.primaryKey.push_back(col.name);
      }
    }
    table.columns.push_back(std::move(col));
  }

  bool table(const OrderedJson& t, const std::string& keyName) {
    if (out.tables.size() >= opt.maxTables) return false;
    SqlTable table;
    std::string rawName = keyName;
    if (t.is_string()) {
      rawName = t.get<std::string>();
    } else if (t.is_object()) {
      std::string n = text(member(t, {"table", "name", "tableName", "table_name"}));
      if (!n.empty()) rawName = n;
    } else {
      return false;
    }
    auto [schema, name] = splitQualified(rawName);
    if (name.empty()) return false;
    table.schema = text(member(t, {"schema", "schemaName"}));
    if (table.schema.empty()) table.schema = schema;
    table.name = name;
    table.docId = docId;
    table.docIds.push_back(docId);
    if (t.is_object()) {
      const OrderedJson* cols = member(t, {"columns", "attributes", "fields"});
      if (cols && cols->is_array()) {
        for (const auto& c : *cols) column(table, c);
      } else if (cols && cols->is_object()) {  // {"colName": {...}} or {"colName": "type"}
        for (auto it = cols->begin(); it != cols->end(); ++it) {
          OrderedJson c = it.value().is_object() ? it.value() : OrderedJson{{"type", it.value()}};
          if (!c.contains("name")) c["name"] = it.key();
          column(table, c);
        }
      } else if (!member(t, {"table", "tableName", "table_name"})) {
        return false;  // an object without columns or a table key is not a table description
      }
      if (const auto* pk = member(t, {"primaryKey", "primary_key"})) {
        std::vector<std::string> keys;
        if (pk->is_string()) keys.push_back(pk->get<std::string>());
        if (pk->is_array()) {
          for (const auto& k : *pk) {
            if (k.is_string()) keys.push_back(k.get<std::string>());
          }
        }
        for (const auto& k : keys) {
          if (std::none_of(table.primaryKey.begin(), table.primaryKey.end(), [&](auto& x) { return iequals(x, k); })) {
            table.primaryKey.push_back(k);
          }
          if (SqlColumn* c = table.findColumn(k)) {
            c->primaryKey = true;
            c->nullable = false;
          }
        }
      }
      if (const auto* fks = member(t, {"foreignKeys", "foreign_keys"}); fks && fks->is_array()) {
        for (const auto& f : *fks) {
          if (!f.is_object()) continue;
          SqlForeignKey fk;
          fk.name = text(member(f, {"name", "constraint"}));
          auto names = [](const OrderedJson* j) {
            std::vector<std::string> v;
            if (j && j->is_string()) v.push_back(j->get<std::string>());
            if (j && j->is_array()) {
              for (const auto& x : *j) {
                if (x.is_string()) v.push_back(x.get<std::string>());
              }
            }
            return v;
          };
          fk.columns = names(member(f, {"columns", "column"}));
          auto [rs, rn] = splitQualified(text(member(f, {"referencedTable", "references", "refTable", "table"})));
          fk.referencedSchema = rs;
          fk.referencedTable = rn;
          fk.referencedColumns = names(member(f, {"referencedColumns", "referencedColumn", "refColumns"}));
          if (!fk.columns.empty() && !fk.referencedTable.empty()) table.foreignKeys.push_back(std::move(fk));
        }
      }
      table.comment = text(member(t, {"description", "comment"}));
    }
    for (auto& existing : out.tables) {
      if (iequals(existing.name, table.name) && iequals(existing.schema, table.schema)) {
        SqlSchema one;
        one.tables.push_back(std::move(table));
        mergeSchema(out, std::move(one));
        return true;
      }
    }
    out.tables.push_back(std::move(table));
    return true;
  }

  void tables(const OrderedJson& j) {
    if (++depth > 8) return;
    if (j.is_array()) {
      for (const auto& t : j) table(t, "");
    } else if (j.is_object()) {
      if (const auto* inner = member(j, {"tables", "schema", "databaseSchema", "nativeSchema"});
          inner && (inner->is_array() || inner->is_object())) {
        tables(*inner);
      } else if (member(j, {"columns", "attributes", "fields"}) && member(j, {"table", "name", "tableName"})) {
        table(j, "");
      } else {
        for (auto it = j.begin(); it != j.end(); ++it) {
          if (it.value().is_object()) table(it.value(), it.key());
        }
      }
    }
    --depth;
  }
};

}  // namespace

std::optional<SqlSchema> parseTableDescriptionJson(const OrderedJson& root, const std::string& docId,
                                                   const DdlParseOptions& options) {
  SqlSchema schema;
  Builder builder{schema, docId, options};
  builder.tables(root);
  if (schema.tables.empty()) return std::nullopt;
  if (root.is_object()) schema.databaseName = text(member(root, {"databaseName", "database"}));
  return schema;
}

}  // namespace cg::digest::sql
