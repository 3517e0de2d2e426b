// Serializers used by the chunker to re-emit parsed JSON/YAML documents as self-contained
// chunks. writeChunkYaml writes block-style YAML that cg::yamlToJson (YAML 1.2 core schema)
// and common YAML 1.1 readers parse back to the same value: strings that could be read as
// another type are quoted, multi-line strings use literal blocks when that is lossless and
// double quotes otherwise. writeChunkJson pretty-prints with two-space indentation.
// Both are deterministic, keep key order, and replace invalid UTF-8 instead of throwing.
// Callers must bound the nesting depth (the writers recurse).
#pragma once
#include <string>

#include "util/json.h"

namespace cg::ingest::chunking {
std::string writeChunkYaml(const OrderedJson& value);
std::string writeChunkJson(const OrderedJson& value);
// Nesting depth of a value (scalars are 0), computed without recursion.
size_t jsonDepth(const OrderedJson& value);
}  // namespace cg::ingest::chunking
