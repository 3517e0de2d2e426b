// Groovy source writing primitives for the DSL generators: literal escaping and an indented
// statement writer.
//
// Contract:
//  - groovyString() returns a double-quoted Groovy string literal that denotes exactly the given
//    text: `\`, `"`, `$` (GString interpolation), control characters and every non-ASCII code
//    point are escaped, so the literal is pure ASCII and safe in any file encoding. Invalid UTF-8
//    is replaced (U+FFFD) first. Never throws.
//  - commentText() makes text safe inside a `//` line comment (one line, no control characters,
//    no backslash that Groovy's unicode-escape reader could turn into a line break).
//  - DslWriter produces 4-space indented lines; open()/close() pair braces; str() closes any
//    block still open so the output is always brace-balanced.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace cg::codegen {

std::string groovyString(std::string_view text);
std::string commentText(std::string_view text);

class DslWriter {
 public:
  DslWriter& line(std::string_view statement);
  // Writes `// text`; multi-line text becomes several comment lines.
  DslWriter& comment(std::string_view text);
  DslWriter& open(std::string_view header);  // "header {" then indent
  DslWriter& open(std::string_view header, std::string_view closureParams);  // "header { params ->"
  DslWriter& close();                         // dedent then "}"
  DslWriter& blank();
  int depth() const { return depth_; }
  std::string str() const;

 private:
  std::string out_;
  int depth_ = 0;
  void indent();
};

}  // namespace cg::codegen
