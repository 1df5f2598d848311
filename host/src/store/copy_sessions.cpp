// copy_sessions.cpp — see copy_sessions.h.
#include "store/copy_sessions.h"

#include <algorithm>

namespace mccig::store {

CopySessions::CopySessions(const std::string& database_url, int sessions, std::size_t spill_rows)
    : spill_rows_(spill_rows) {
  for (int i = 0; i < std::max(1, sessions); ++i) {
    sessions_.push_back(std::make_unique<CopyConnection>(database_url));
  }
}

sdk::Result<bool> CopySessions::CopyIn(const std::string& statement, std::string_view rows,
                                       std::size_t row_count) {
  if (row_count >= spill_rows_) {
    for (const auto& session : sessions_) {
      if (auto copied = session->TryCopyIn(statement, rows)) return *std::move(copied);
    }
  }
  return sessions_.front()->CopyIn(statement, rows);
}

}  // namespace mccig::store
