// A bounded pool of connections, shared by both adapters. Connections are created lazily up to `max`;
// callers block until one is free.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "storage/database.hpp"

namespace passerelle::storage {

class ConnectionPool {
  public:
    using Factory = std::function<Result<std::unique_ptr<Connection>>()>;
    ConnectionPool(Factory factory, int max) : factory_(std::move(factory)), max_(max) {}

    Status with(const std::function<Status(Connection&)>& fn) {
        std::unique_ptr<Connection> conn;
        {
            std::unique_lock lock(mu_);
            cv_.wait(lock, [&] { return !free_.empty() || created_ < max_; });
            if (!free_.empty()) {
                conn = std::move(free_.back());
                free_.pop_back();
            } else {
                ++created_;
            }
        }
        if (!conn) {
            auto made = factory_();
            if (!made) {
                std::lock_guard lock(mu_);
                --created_;
                cv_.notify_one();
                return made.error();
            }
            conn = std::move(made.value());
        }
        struct Return {
            ConnectionPool* pool;
            std::unique_ptr<Connection>* conn;
            ~Return() {
                std::lock_guard lock(pool->mu_);
                pool->free_.push_back(std::move(*conn));
                pool->cv_.notify_one();
            }
        } give_back{this, &conn};
        return fn(*conn);
    }

  private:
    Factory factory_;
    int max_;
    int created_ = 0;
    std::mutex mu_;
    std::condition_variable cv_;
    std::vector<std::unique_ptr<Connection>> free_;
};

}  // namespace passerelle::storage
