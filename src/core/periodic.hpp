// Periodic: runs a task on a background thread every `period`, or sooner when poked; stop() waits for the
// current run to end. Used by the mail and search workers. A concurrency primitive, no I/O of its own.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace passerelle::core {

class Periodic {
  public:
    Periodic() = default;
    Periodic(const Periodic&) = delete;
    Periodic& operator=(const Periodic&) = delete;
    ~Periodic() { stop(); }

    void start(std::function<void()> task, std::chrono::milliseconds period) {
        thread_ = std::thread([this, task = std::move(task), period] {
            std::unique_lock lock(mu_);
            while (!stop_) {
                lock.unlock();
                task();
                lock.lock();
                cv_.wait_for(lock, period, [&] { return stop_ || poked_; });
                poked_ = false;
            }
        });
    }
    void poke() {
        std::lock_guard lock(mu_);
        poked_ = true;
        cv_.notify_all();
    }
    void stop() {
        {
            std::lock_guard lock(mu_);
            stop_ = true;
            cv_.notify_all();
        }
        if (thread_.joinable()) thread_.join();
    }

  private:
    std::thread thread_;
    std::mutex mu_;
    std::condition_variable cv_;
    bool stop_ = false;
    bool poked_ = false;
};

}  // namespace passerelle::core
