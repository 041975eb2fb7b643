// Result<T>: expected failures as values at subsystem boundaries.
//
// An Error carries a code (mapped to an HTTP status in one table, in web/), a message meant for a
// person (in French, since it may be shown as is), and optional per-field messages for forms.
// Exceptions are reserved for programming errors; third-party exceptions are caught in their adapter.
#pragma once

#include <algorithm>
#include <initializer_list>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

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

// A form's field errors, field name -> French message, kept in the order they were found: validators check
// fields in the order of their form, so a page's summary lists them as the person reads the form. The subset
// of std::map's interface the code uses; assigning to a field already present keeps its place.
class FieldErrors {
  public:
    using value_type = std::pair<std::string, std::string>;
    using const_iterator = std::vector<value_type>::const_iterator;
    using iterator = std::vector<value_type>::iterator;

    FieldErrors() = default;
    FieldErrors(std::initializer_list<value_type> items) {
        for (const auto& [k, v] : items) (*this)[k] = v;
    }

    std::string& operator[](const std::string& field) {
        if (auto it = find(field); it != items_.end()) return it->second;
        return items_.emplace_back(field, std::string()).second;
    }
    iterator find(const std::string& field) {
        return std::find_if(items_.begin(), items_.end(), [&](const value_type& i) { return i.first == field; });
    }
    const_iterator find(const std::string& field) const {
        return std::find_if(items_.begin(), items_.end(), [&](const value_type& i) { return i.first == field; });
    }
    const std::string& at(const std::string& field) const {
        if (auto it = find(field); it != items_.end()) return it->second;
        throw std::out_of_range("no error on field " + field);
    }
    std::size_t count(const std::string& field) const { return find(field) == items_.end() ? 0 : 1; }
    bool contains(const std::string& field) const { return count(field) > 0; }
    void erase(const std::string& field) {
        if (auto it = find(field); it != items_.end()) items_.erase(it);
    }
    void erase(iterator it) { items_.erase(it); }
    // Adds `field` only if absent (the first problem found on a field is the one to fix first).
    void add(const std::string& field, std::string message) {
        if (!contains(field)) items_.emplace_back(field, std::move(message));
    }
    // Puts `fields` first, in that order (the form's), when a validator had to check them in another order.
    void order_as(const std::vector<std::string>& fields) {
        std::stable_sort(items_.begin(), items_.end(), [&](const value_type& a, const value_type& b) {
            const auto rank = [&](const std::string& f) {
                return static_cast<std::size_t>(std::find(fields.begin(), fields.end(), f) - fields.begin());
            };
            return rank(a.first) < rank(b.first);
        });
    }
    bool empty() const { return items_.empty(); }
    std::size_t size() const { return items_.size(); }
    iterator begin() { return items_.begin(); }
    iterator end() { return items_.end(); }
    const_iterator begin() const { return items_.begin(); }
    const_iterator end() const { return items_.end(); }
    bool operator==(const FieldErrors&) const = default;

  private:
    std::vector<value_type> items_;
};

struct Error {
    ErrorCode code = ErrorCode::kInternal;
    std::string message;
    FieldErrors fields;           // form field name -> message, in the order of the form
    int retry_after_seconds = 0;  // for kTooManyRequests

    static Error Invalid(std::string msg, FieldErrors fields = {}) {
        return {ErrorCode::kInvalidInput, std::move(msg), std::move(fields), 0};
    }
    static Error NotFound(std::string msg) { return {ErrorCode::kNotFound, std::move(msg), {}, 0}; }
    static Error Gone(std::string msg) { return {ErrorCode::kGone, std::move(msg), {}, 0}; }
    static Error Conflict(std::string msg, FieldErrors fields = {}) {
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
