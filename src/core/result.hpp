// Result<T>: expected failures as values at subsystem boundaries.
//
// An Error carries a code (mapped to an HTTP status in one table, in web/), a message meant for a
// person (in French, since it may be shown as is), and optional per-field messages for forms.
// Exceptions are reserved for programming errors; third-party exceptions are caught in their adapter.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace passerelle::core {

enum class ErrorCode {
    kInvalidInput,     // the request is malformed or a value fails validation
    kNotFound,         // the object does not exist (or is not visible to the caller)
    kGone,             // the object was withdrawn by the platform (the public sees « retiré »)
    kConflict,         // unique constraint, state transition not allowed
    kForbidden,        // the policy refuses the action
    kUnauthenticated,  // a login is required
    kTooManyRequests,  // throttled
    kUnavailable,      // a dependency (database, SMTP) failed; retry later
    kInternal,         // a bug or an unexpected failure
};

struct Error {
    ErrorCode code = ErrorCode::kInternal;
    std::string message;
    std::map<std::string, std::string> fields;  // form field name -> message
    int retry_after_seconds = 0;                // for kTooManyRequests

    static Error Invalid(std::string msg, std::map<std::string, std::string> fields = {}) {
        return {ErrorCode::kInvalidInput, std::move(msg), std::move(fields), 0};
    }
    static Error NotFound(std::string msg) { return {ErrorCode::kNotFound, std::move(msg), {}, 0}; }
    static Error Gone(std::string msg) { return {ErrorCode::kGone, std::move(msg), {}, 0}; }
    static Error Conflict(std::string msg, std::map<std::string, std::string> fields = {}) {
        return {ErrorCode::kConflict, std::move(msg), std::move(fields), 0};
    }
    static Error Forbidden(std::string msg) { return {ErrorCode::kForbidden, std::move(msg), {}, 0}; }
    static Error Unauthenticated(std::string msg) { return {ErrorCode::kUnauthenticated, std::move(msg), {}, 0}; }
    static Error TooMany(std::string msg, int retry_after) {
        return {ErrorCode::kTooManyRequests, std::move(msg), {}, retry_after};
    }
    static Error Unavailable(std::string msg) { return {ErrorCode::kUnavailable, std::move(msg), {}, 0}; }
    static Error Internal(std::string msg) { return {ErrorCode::kInternal, std::move(msg), {}, 0}; }
};

template <typename T>
class [[nodiscard]] Result {
  public:
    Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
    Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    // By value: `for (auto& x : f().value().items)` then keeps the moved-out value alive for the loop.
    T value() && { return std::get<0>(std::move(v_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() { return value(); }
    const Error& error() const { return std::get<1>(v_); }

  private:
    std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
  public:
    Result() = default;
    Result(Error error) : e_(std::move(error)) {}  // NOLINT(google-explicit-constructor)
    bool ok() const { return !e_.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return *e_; }

  private:
    std::optional<Error> e_;
};

using Status = Result<void>;

}  // namespace passerelle::core
