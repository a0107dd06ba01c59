// sentencepiece::util::Status: the error type of the public API.
//
// Usage:
//
//   const sentencepiece::util::Status s = sp.Load("m.model");
//   if (!s.ok()) {
//     std::cerr << s.ToString() << "\n";   // e.g. Not found: "m.model": No such file ...
//     if (s.code() == sentencepiece::util::StatusCode::kNotFound) ...
//   }
//
// Source-compatible with SentencePiece 0.1.97's util::Status: a code and a
// message, ok(), code(), message()/error_message(), ToString() printing
// "<Code name>: <message>" exactly as the reference prints it (including
// its "Unauthenticated" for kResourceExhausted). tests/compat/programs/
// compat_status.cc checks this against the reference. Where the reference
// misbehaves, this class does the expected thing instead:
//   - Status(kOk, msg) is OK (the reference makes it an error whose code
//     is kOk and whose ToString() is ": msg");
//   - == compares code and message (the reference compares pointers, so
//     two error statuses are never equal, even copies of each other);
//   - set_error_message() on an OK status makes a kUnknown error (the
//     reference leaves the code unset).
// Inside the library we use absl::Status; this class keeps abseil out of
// the public headers. A Status is a value: copies are independent; it is
// not synchronized (like std::string).

#ifndef SPM_SRC_SENTENCEPIECE_STATUS_H_
#define SPM_SRC_SENTENCEPIECE_STATUS_H_

#include <memory>
#include <string>
#include <string_view>

namespace sentencepiece {
namespace util {

enum class StatusCode : int {
  kOk = 0,
  kCancelled = 1,
  kUnknown = 2,
  kInvalidArgument = 3,
  kDeadlineExceeded = 4,
  kNotFound = 5,
  kAlreadyExists = 6,
  kPermissionDenied = 7,
  kResourceExhausted = 8,
  kFailedPrecondition = 9,
  kAborted = 10,
  kOutOfRange = 11,
  kUnimplemented = 12,
  kInternal = 13,
  kUnavailable = 14,
  kDataLoss = 15,
  kUnauthenticated = 16,
};

class Status {
 public:
  Status() = default;  // OK.
  Status(StatusCode code, std::string_view error_message);
  Status(const Status& s) { *this = s; }
  Status& operator=(const Status& s);
  Status(Status&&) = default;
  Status& operator=(Status&&) = default;
  ~Status() = default;

  bool operator==(const Status& s) const;
  bool operator!=(const Status& s) const { return !(*this == s); }

  bool ok() const { return rep_ == nullptr; }
  StatusCode code() const;
  // The message ("" when OK). The pointer is valid until the status is
  // changed or destroyed.
  const char* error_message() const;
  const char* message() const { return error_message(); }
  void set_error_message(const char* str);
  // "OK", or "<Code name>: <message>", e.g. "Not found: ...".
  std::string ToString() const;
  // Documents that an error is deliberately dropped.
  void IgnoreError() {}

 private:
  struct Rep {
    StatusCode code;
    std::string message;
  };
  std::unique_ptr<Rep> rep_;
};

inline Status OkStatus() { return Status(); }

}  // namespace util
}  // namespace sentencepiece

#endif  // SPM_SRC_SENTENCEPIECE_STATUS_H_
