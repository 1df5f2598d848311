// copy_text.h — values written in PostgreSQL's COPY text format, the rows
// the worker streams into `COPY ... FROM STDIN`.
//
// A row is its fields separated by a tab and ended by a newline. In a
// field, backslash, tab, newline and carriage return are written as the
// escapes \\, \t, \n and \r, so a field never holds a raw separator and no
// field can spell the end-of-data marker \. ; every other byte (multi-byte
// UTF-8 included) is written as it is. \N is NULL. The server checks the
// encoding and the column types; nothing here judges a value.
#pragma once

#include <string>
#include <string_view>

namespace mccig::store::copy_text {

// Appends `value` as one field, escaped.
void AppendField(std::string& out, std::string_view value);

// Appends NULL as one field.
inline void AppendNull(std::string& out) {
  out += "\\N";
}

}  // namespace mccig::store::copy_text
