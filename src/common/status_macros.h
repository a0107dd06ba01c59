// RETURN_IF_ERROR and ASSIGN_OR_RETURN for absl::Status / absl::StatusOr.
//
// abseil 20220623 (Debian 12) has no status macros; these keep the names the
// later abseil releases use, so a sed can swap them when we move on.

#ifndef SPM_SRC_COMMON_STATUS_MACROS_H_
#define SPM_SRC_COMMON_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define SPM_STATUS_CONCAT_INNER_(a, b) a##b
#define SPM_STATUS_CONCAT_(a, b) SPM_STATUS_CONCAT_INNER_(a, b)

// Returns `expr` from the current function if it is not OK.
#define RETURN_IF_ERROR(expr)                          \
  do {                                                 \
    const ::absl::Status spm_status_ = (expr);         \
    if (!spm_status_.ok()) return spm_status_;         \
  } while (0)

// ASSIGN_OR_RETURN(lhs, expr): evaluates the StatusOr `expr`; returns its
// status if not OK, else moves its value into `lhs` (which may declare a
// variable: ASSIGN_OR_RETURN(auto x, F())).
#define ASSIGN_OR_RETURN(lhs, expr) \
  SPM_ASSIGN_OR_RETURN_IMPL_(SPM_STATUS_CONCAT_(spm_statusor_, __LINE__), lhs, expr)

#define SPM_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                               \
  if (!statusor.ok()) return statusor.status();         \
  lhs = std::move(statusor).value()

#endif  // SPM_SRC_COMMON_STATUS_MACROS_H_
