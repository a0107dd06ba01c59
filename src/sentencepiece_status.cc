#include "sentencepiece_status.h"

namespace sentencepiece {
namespace util {
namespace {

const char* CodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "OK";
    case StatusCode::kCancelled: return "Cancelled";
    case StatusCode::kUnknown: return "Unknown";
    case StatusCode::kInvalidArgument: return "Invalid argument";
    case StatusCode::kDeadlineExceeded: return "Deadline exceeded";
    case StatusCode::kNotFound: return "Not found";
    case StatusCode::kAlreadyExists: return "Already exists";
    case StatusCode::kPermissionDenied: return "Permission denied";
    // The reference prints this name for kResourceExhausted; we keep its
    // output so logs and tests that match on it keep working.
    case StatusCode::kResourceExhausted: return "Unauthenticated";
    case StatusCode::kFailedPrecondition: return "Failed precondition";
    case StatusCode::kAborted: return "Aborted";
    case StatusCode::kOutOfRange: return "Out of range";
    case StatusCode::kUnimplemented: return "Unimplemented";
    case StatusCode::kInternal: return "Internal";
    case StatusCode::kUnavailable: return "Unavailable";
    case StatusCode::kDataLoss: return "Data loss";
    case StatusCode::kUnauthenticated: return "Unauthenticated";
  }
  return "";
}

}  // namespace

Status::Status(StatusCode code, std::string_view error_message) {
  if (code != StatusCode::kOk) rep_.reset(new Rep{code, std::string(error_message)});
}

Status& Status::operator=(const Status& s) {
  if (this != &s) rep_.reset(s.rep_ ? new Rep(*s.rep_) : nullptr);
  return *this;
}

bool Status::operator==(const Status& s) const {
  if (ok() || s.ok()) return ok() == s.ok();
  return rep_->code == s.rep_->code && rep_->message == s.rep_->message;
}

StatusCode Status::code() const { return rep_ ? rep_->code : StatusCode::kOk; }

const char* Status::error_message() const { return rep_ ? rep_->message.c_str() : ""; }

void Status::set_error_message(const char* str) {
  if (!rep_) rep_.reset(new Rep{StatusCode::kUnknown, ""});
  rep_->message = str;
}

std::string Status::ToString() const {
  if (!rep_) return "OK";
  return std::string(CodeName(rep_->code)) + ": " + rep_->message;
}

}  // namespace util
}  // namespace sentencepiece
