// PostgreSQL URLs: the connect timeout added, passwords kept out of logs.
#include <gtest/gtest.h>

#include "store/pg_connection.h"

namespace mccig {
namespace {

TEST(PgUrls, ConnectTimeoutAndRedaction) {
  EXPECT_EQ(store::WithConnectTimeout("postgresql://u@h/db"),
            "postgresql://u@h/db?connect_timeout=3");
  EXPECT_EQ(store::WithConnectTimeout("postgresql://u@h/db?sslmode=disable"),
            "postgresql://u@h/db?sslmode=disable&connect_timeout=3");
  EXPECT_EQ(store::WithConnectTimeout("host=h dbname=db"), "host=h dbname=db connect_timeout=3");
  EXPECT_EQ(store::WithConnectTimeout("postgresql://h/db?connect_timeout=9"),
            "postgresql://h/db?connect_timeout=9");
  EXPECT_EQ(store::RedactUrl("postgresql://u:s3cret@h:5432/db"), "postgresql://u:***@h:5432/db");
  EXPECT_EQ(store::RedactUrl("postgresql://u@h/db"), "postgresql://u@h/db");
  EXPECT_EQ(store::RedactUrl("host=h password=s3cret dbname=db"), "host=h password=*** dbname=db");
}

}  // namespace
}  // namespace mccig
