// A sliding-window rate limiter kept in memory (per process): at most `limit` attempts per key in any
// `window` seconds. Pure computation: the caller gives the time.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace passerelle::core {

class RateLimiter {
  public:
    // Records an attempt for `key` at `now` when it is allowed; otherwise returns false and sets
    // `retry_after` to the seconds until the oldest attempt of the window expires.
    bool allow(const std::string& key, int limit, std::int64_t window, std::int64_t now, std::int64_t* retry_after);

  private:
    std::mutex mu_;
    std::unordered_map<std::string, std::deque<std::int64_t>> hits_;
    std::uint64_t calls_ = 0;
};

}  // namespace passerelle::core
