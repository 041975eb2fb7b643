// Clock: the only source of "now" for domain code, injected so that tests are deterministic.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace passerelle::core {

class Clock {
  public:
    virtual ~Clock() = default;
    // Seconds since the Unix epoch (UTC).
    virtual std::int64_t now() const = 0;
};

class SystemClock final : public Clock {
  public:
    std::int64_t now() const override {
        return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    }
};

// A clock that only moves when told to; thread-safe.
class FakeClock final : public Clock {
  public:
    explicit FakeClock(std::int64_t start) : t_(start) {}
    std::int64_t now() const override { return t_.load(); }
    void advance(std::int64_t seconds) { t_ += seconds; }
    void set(std::int64_t t) { t_ = t; }

  private:
    std::atomic<std::int64_t> t_;
};

}  // namespace passerelle::core
