// Command-line flags for the spm_* tools, parsed as SentencePiece's tools
// parse them, so existing scripts keep working:
//   --name=value, -name=value, --name value (the next argument is the value
//   unless it starts with '-'), and a bare --boolflag meaning true.
// Arguments that are not flags are returned as positional (input files).
// --help prints the flag list; --version prints "sentencepiece 0.1.97".
//
// Where the reference is lenient in a harmful way we are strict: a value
// that does not parse as the flag's type ("--vocab_size=abc", which the
// reference silently turns into 0) is an error naming the flag. A bool
// flag followed by a word that is not a bool keeps that word as a
// positional argument instead of swallowing it.

#ifndef SPM_TOOLS_FLAGS_H_
#define SPM_TOOLS_FLAGS_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace sentencepiece {

class FlagParser {
 public:
  // `program` is argv[0].
  explicit FlagParser(std::string program) : program_(std::move(program)) {}

  // Registers a flag bound to `target`, whose current value is the default.
  void Add(const char* name, std::string* target, const char* help);
  void Add(const char* name, bool* target, const char* help);
  void Add(const char* name, int32_t* target, const char* help);
  void Add(const char* name, uint32_t* target, const char* help);
  void Add(const char* name, int64_t* target, const char* help);
  void Add(const char* name, uint64_t* target, const char* help);
  void Add(const char* name, float* target, const char* help);
  void Add(const char* name, double* target, const char* help);

  // Registers a flag whose value `set` parses (returning false if it does
  // not parse); `type` and `default_value` are what --help shows. For flags
  // generated from proto fields (spm_train).
  void AddCustom(const std::string& name, const std::string& type,
                 const std::string& default_value, bool is_bool,
                 std::function<bool(std::string_view value)> set, const std::string& help);

  // The --minloglevel value (0 unless given).
  int32_t minloglevel() const { return minloglevel_; }

  // Parses argv[1..]; returns the positional arguments. Errors name the
  // flag (unknown flag, bad value).
  absl::StatusOr<std::vector<std::string>> Parse(int argc, char** argv);

  // Parse(), handling --help/--version (print, exit 0) and errors (print
  // the error and the flag list to stderr, exit 1).
  std::vector<std::string> ParseOrExit(int argc, char** argv);

  // The --help text.
  std::string Help() const;

 private:
  struct Flag {
    std::string name;
    std::string help;
    std::string type;
    std::string default_value;
    bool is_bool;
    // Sets the value; false if `value` does not parse.
    std::function<bool(std::string_view value)> set;
  };
  void Register(Flag flag);
  const Flag* Find(std::string_view name) const;

  std::string program_;
  std::vector<Flag> flags_;
  bool help_ = false;
  bool version_ = false;
  int32_t minloglevel_ = 0;
  bool builtins_added_ = false;
};

// Parses a bool as the reference does: 1/t/true/y/yes, 0/f/false/n/no
// (case-insensitive).
bool ParseBool(std::string_view s, bool* out);

// Prints "<program>: <message>" to stderr and exits with status 1.
[[noreturn]] void Die(std::string_view program, std::string_view message);

}  // namespace sentencepiece

#endif  // SPM_TOOLS_FLAGS_H_
