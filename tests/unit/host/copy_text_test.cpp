// copy_text: fields in COPY text format — the four escapes, everything
// else as it is, and NULL.
#include "store/copy_text.h"

#include <gtest/gtest.h>

namespace mccig {
namespace {

std::string Field(std::string_view value) {
  std::string out;
  store::copy_text::AppendField(out, value);
  return out;
}

TEST(CopyText, EscapesBackslashTabNewlineAndCarriageReturnOnly) {
  EXPECT_EQ(Field(""), "");
  EXPECT_EQ(Field("plain text"), "plain text");
  EXPECT_EQ(Field("a\tb\nc\rd\\e"), "a\\tb\\nc\\rd\\\\e");
  EXPECT_EQ(Field("\t\t"), "\\t\\t");
  EXPECT_EQ(Field("\\"), "\\\\");
  EXPECT_EQ(Field("\\N"), "\\\\N") << "the text \\N is not NULL";
  EXPECT_EQ(Field("\\."), "\\\\.") << "no field spells the end-of-data marker";
  EXPECT_EQ(Field(R"({"k":"line\nnext"})"), R"({"k":"line\\nnext"})") << "JSON's own escapes";
  // Other control bytes, DEL and multi-byte UTF-8 are data as they are.
  const std::string other = std::string("\x01\x1f\x7f", 3) + "\xc3\xa9\xe2\x82\xac";
  EXPECT_EQ(Field(other), other);
}

TEST(CopyText, AppendsAfterWhatIsThereAndWritesNull) {
  std::string out = "x\t";
  store::copy_text::AppendField(out, "a\nb");
  out += '\t';
  store::copy_text::AppendNull(out);
  EXPECT_EQ(out, "x\ta\\nb\t\\N");
}

}  // namespace
}  // namespace mccig
