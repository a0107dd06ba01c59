// Tables that belong to one model and vocabulary, renewed with them.
//
// A model's uid changes with its vocabulary (a new restriction), and with
// it what its caches hold. ModelTables<T> keeps the T of the current uid;
// old ones are kept until the holder dies, so a pointer returned by Get()
// stays valid as long as the holder.

#ifndef SPM_SRC_ENCODER_MODEL_TABLES_H_
#define SPM_SRC_ENCODER_MODEL_TABLES_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace sentencepiece {

// T: with uid() returning the uid it was made for (by Get(uid), from the
// uid; by Get(uid, make), by make(uid), a std::unique_ptr<T>).
template <typename T>
class ModelTables {
 public:
  T* Get(uint64_t uid) const {
    return Get(uid, [](uint64_t id) { return std::make_unique<T>(id); });
  }
  template <typename Make>
  T* Get(uint64_t uid, Make make) const {
    T* t = current_.load(std::memory_order_acquire);
    return t != nullptr && t->uid() == uid ? t : Renew(uid, make);
  }
  // The T of the latest uid asked for, or nullptr.
  T* current() const { return current_.load(std::memory_order_acquire); }

 private:
  template <typename Make>
  T* Renew(uint64_t uid, Make& make) const {
    std::lock_guard<std::mutex> lock(mu_);
    T* t = current_.load(std::memory_order_acquire);
    if (t != nullptr && t->uid() == uid) return t;
    all_.push_back(make(uid));
    current_.store(all_.back().get(), std::memory_order_release);
    return all_.back().get();
  }

  mutable std::atomic<T*> current_{nullptr};
  mutable std::mutex mu_;
  mutable std::vector<std::unique_ptr<T>> all_;
};

}  // namespace sentencepiece

#endif  // SPM_SRC_ENCODER_MODEL_TABLES_H_
