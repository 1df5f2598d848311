// result.h — error and result types that cross the plugin boundary.
//
// Nothing in the SDK throws across a shared-object boundary: every call a
// host makes into a plugin returns a Result<T>, which holds either a value or
// an Error. An Error carries a stable machine code ("validation_failed",
// "plugin_error", …), a human message, and optional per-field details so the
// host can answer 400 with every problem listed at once.
//
// Thread safety: plain values; safe to copy and move between threads.
#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace mccig::sdk {

// One problem with one field of a payload or an options block. `field` is the
// key path as the caller sent it ("Body", "metadata.lang", "options.foo").
struct FieldError {
  std::string field{};
  std::string message{};

  friend bool operator==(const FieldError&, const FieldError&) = default;
};

using FieldErrors = std::vector<FieldError>;

struct Error {
  std::string code{};     // stable, snake_case, safe to branch on
  std::string message{};  // for people
  FieldErrors details{};  // empty unless code == "validation_failed"

  static Error Validation(FieldErrors details) {
    return Error{"validation_failed", "the payload has invalid fields", std::move(details)};
  }
  static Error Plugin(std::string message) { return Error{"plugin_error", std::move(message), {}}; }
};

// Either a T or an Error. Invariant: exactly one of the two is held.
template <typename T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  const Error& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Error> state_;
};

}  // namespace mccig::sdk
