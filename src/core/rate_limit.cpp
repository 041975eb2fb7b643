#include "core/rate_limit.hpp"

#include <algorithm>

namespace passerelle::core {

bool RateLimiter::allow(const std::string& key, int limit, std::int64_t window, std::int64_t now,
                        std::int64_t* retry_after) {
    std::lock_guard lock(mu_);
    if (++calls_ % 4096 == 0)  // forget the keys whose attempts all expired
        for (auto it = hits_.begin(); it != hits_.end();)
            it = !it->second.empty() && it->second.back() > now - window ? std::next(it) : hits_.erase(it);
    auto& q = hits_[key];
    while (!q.empty() && q.front() <= now - window) q.pop_front();
    if (static_cast<int>(q.size()) >= limit) {
        if (retry_after) *retry_after = std::max<std::int64_t>(1, q.front() + window - now);
        return false;
    }
    q.push_back(now);
    return true;
}

}  // namespace passerelle::core
