// RESP command formatting: the exact bytes Redis expects, binary safe.
#include "redis/resp_command.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mccig::redis {
namespace {

std::string Format(const std::vector<std::string_view>& args) {
  std::string out;
  AppendRespCommand(out, args);
  return out;
}

TEST(RespCommand, ArrayOfBulkStrings) {
  EXPECT_EQ(Format({"SET", "k", "value"}), "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n");
  EXPECT_EQ(Format({"PING"}), "*1\r\n$4\r\nPING\r\n");
}

TEST(RespCommand, EmptyAndBinaryArgumentsKeepTheirBytes) {
  const std::string binary("a\r\nb\0c", 6);
  const std::string expected = "*3\r\n$3\r\nSET\r\n$0\r\n\r\n$6\r\n" + binary + "\r\n";
  EXPECT_EQ(expected.size(), 31u);
  EXPECT_EQ(Format({"SET", "", binary}), expected);
}

TEST(RespCommand, AppendsAfterWhatIsThereAndHandlesLongArguments) {
  std::string out = "*1\r\n$4\r\nPING\r\n";  // a pipeline's first command
  const std::string big(100'000, 'e');
  AppendRespCommand(out, std::vector<std::string_view>{"XADD", big});
  EXPECT_EQ(out, "*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nXADD\r\n$100000\r\n" + big + "\r\n");
  std::string none;
  AppendRespCommand(none, std::vector<std::string_view>{});
  EXPECT_EQ(none, "*0\r\n");
}

}  // namespace
}  // namespace mccig::redis
