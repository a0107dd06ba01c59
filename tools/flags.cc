#include "flags.h"

#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"

namespace sentencepiece {
namespace {

template <typename T>
std::string ToString(const T& v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

}  // namespace

bool ParseBool(std::string_view s, bool* out) {
  const std::string lower = absl::AsciiStrToLower(ToAbsl(s));
  if (lower == "1" || lower == "t" || lower == "true" || lower == "y" || lower == "yes") {
    *out = true;
    return true;
  }
  if (lower == "0" || lower == "f" || lower == "false" || lower == "n" || lower == "no") {
    *out = false;
    return true;
  }
  return false;
}

void Die(std::string_view program, std::string_view message) {
  std::fprintf(stderr, "%.*s: %.*s\n", static_cast<int>(program.size()), program.data(),
               static_cast<int>(message.size()), message.data());
  std::exit(1);
}

void FlagParser::Register(Flag flag) { flags_.push_back(std::move(flag)); }

void FlagParser::AddCustom(const std::string& name, const std::string& type,
                           const std::string& default_value, bool is_bool,
                           std::function<bool(std::string_view value)> set,
                           const std::string& help) {
  Register({name, help, type, default_value, is_bool, std::move(set)});
}

void FlagParser::Add(const char* name, std::string* t, const char* help) {
  Register({name, help, "string", absl::StrCat("\"", *t, "\""), false,
            [t](std::string_view v) {
              t->assign(v.data(), v.size());
              return true;
            }});
}

void FlagParser::Add(const char* name, bool* t, const char* help) {
  Register({name, help, "bool", *t ? "true" : "false", true, [t](std::string_view v) {
              if (v.empty()) {
                *t = true;
                return true;
              }
              return ParseBool(v, t);
            }});
}

#define SPM_NUMERIC_FLAG(T, type_name, parse)                                   \
  void FlagParser::Add(const char* name, T* t, const char* help) {              \
    Register({name, help, type_name, ToString(*t), false, [t](std::string_view v) { \
                return parse(ToAbsl(v), t);                                     \
              }});                                                              \
  }
SPM_NUMERIC_FLAG(int32_t, "int32", absl::SimpleAtoi)
SPM_NUMERIC_FLAG(uint32_t, "uint32", absl::SimpleAtoi)
SPM_NUMERIC_FLAG(int64_t, "int64", absl::SimpleAtoi)
SPM_NUMERIC_FLAG(uint64_t, "uint64", absl::SimpleAtoi)
SPM_NUMERIC_FLAG(float, "float", absl::SimpleAtof)
SPM_NUMERIC_FLAG(double, "double", absl::SimpleAtod)
#undef SPM_NUMERIC_FLAG

const FlagParser::Flag* FlagParser::Find(std::string_view name) const {
  for (const Flag& f : flags_) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::string FlagParser::Help() const {
  std::string out = absl::StrCat("sentencepiece\n\nUsage: ", program_, " [options] files\n\n");
  for (const Flag& f : flags_) {
    absl::StrAppend(&out, "   --", f.name, " (", f.help, ")  type: ", f.type,
                    " default: ", f.default_value, "\n");
  }
  out += "\n\n";
  return out;
}

absl::StatusOr<std::vector<std::string>> FlagParser::Parse(int argc, char** argv) {
  if (!builtins_added_) {
    builtins_added_ = true;
    Add("help", &help_, "show help");
    Add("version", &version_, "show version");
    Add("minloglevel", &minloglevel_,
        "Messages logged at a lower level than this don't actually get logged anywhere");
  }
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg.size() < 2 || arg[0] != '-') {
      positional.emplace_back(arg);
      continue;
    }
    arg.remove_prefix(arg[1] == '-' ? 2 : 1);
    std::string_view name = arg, value;
    bool has_value = false;
    if (const size_t eq = arg.find('='); eq != std::string_view::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      has_value = true;
    }
    const Flag* flag = Find(name);
    if (flag == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("Unknown/Invalid flag ", ToAbsl(name)));
    }
    if (!has_value && i + 1 < argc && argv[i + 1][0] != '-') {
      bool unused;
      // A bool flag only takes the next argument if it is a bool word.
      if (!flag->is_bool || ParseBool(argv[i + 1], &unused)) {
        value = argv[++i];
        has_value = true;
      }
    }
    if (!flag->set(value)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "invalid value \"", ToAbsl(value), "\" for flag --", ToAbsl(name), " (type ", flag->type, ")"));
    }
  }
  return positional;
}

std::vector<std::string> FlagParser::ParseOrExit(int argc, char** argv) {
  auto result = Parse(argc, argv);
  if (!result.ok()) {
    std::fprintf(stderr, "%s\n\n%s", std::string(result.status().message()).c_str(),
                 Help().c_str());
    std::exit(1);
  }
  if (help_) {
    std::fputs(Help().c_str(), stdout);
    std::exit(0);
  }
  if (version_) {
    std::puts("sentencepiece 0.1.97");
    std::exit(0);
  }
  return *std::move(result);
}

}  // namespace sentencepiece
