// See charsmap_tsv.h for the file format.

#include "trainer/charsmap_tsv.h"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <locale>
#include <sstream>
#include <vector>

#include "absl/status/status.h"
#include "trainer/charsmap_utf8.h"

namespace sentencepiece {
namespace {

bool IsStreamSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
         c == '\r';
}

bool IsHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
         (c >= 'A' && c <= 'F');
}

std::string Where(std::string_view file_name, size_t line_no) {
  return std::string(file_name) + " line " + std::to_string(line_no) + ": ";
}

// Splits a line on TAB. Empty fields are kept, except that a trailing empty
// field is dropped (so "41\t" has one field and "" has none), as the
// reference's splitter does.
std::vector<std::string_view> SplitFields(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t begin = 0;
  for (size_t tab; (tab = line.find('\t', begin)) != std::string_view::npos;
       begin = tab + 1) {
    fields.push_back(line.substr(begin, tab - begin));
  }
  if (begin < line.size()) fields.push_back(line.substr(begin));
  return fields;
}

// Reads one hex number the way `std::istringstream(p) >> std::hex >> n` does
// for the reference, where p points into the field at `text` and the field
// ends at its first NUL: leading whitespace is skipped, reading stops at the
// first non-hex character, even if that is beyond the space-separated piece.
absl::StatusOr<char32_t> ReadHex(std::string_view text, std::string_view what) {
  text = text.substr(0, text.find('\0'));
  size_t first = 0;
  while (first < text.size() && IsStreamSpace(text[first])) ++first;
  if (first == text.size() || !IsHexDigit(text[first])) {
    return absl::InvalidArgumentError("\"" + std::string(what) +
                                      "\" is not a hex code point");
  }
  std::istringstream stream{std::string(text)};
  stream.imbue(std::locale::classic());
  uint32_t value = 0;
  stream >> std::hex >> value;
  if (stream.fail()) {
    return absl::InvalidArgumentError("\"" + std::string(what) +
                                      "\" does not fit in 32 bits");
  }
  return static_cast<char32_t>(value);
}

// Parses a space-separated list of code points; empty pieces are skipped.
absl::StatusOr<std::u32string> ParseCodepoints(std::string_view field) {
  std::u32string cps;
  size_t begin = 0;
  while (begin < field.size()) {
    size_t end = field.find(' ', begin);
    if (end == std::string_view::npos) end = field.size();
    if (end > begin) {
      const std::string_view piece = field.substr(begin, end - begin);
      // The "U+" is stripped from the piece, then the number is read from
      // there to the end of the field (so "U+ 41" reads 41, twice).
      const size_t skip = piece.substr(0, 2) == "U+" ? 2 : 0;
      absl::StatusOr<char32_t> cp = ReadHex(field.substr(begin + skip), piece);
      if (!cp.ok()) return cp.status();
      cps.push_back(*cp);
    }
    begin = end + 1;
  }
  return cps;
}

absl::Status ParseLine(std::string_view line, NormalizationRules* rules) {
  const std::vector<std::string_view> fields = SplitFields(line);
  if (fields.empty()) return absl::InvalidArgumentError("empty line");
  absl::StatusOr<std::u32string> source = ParseCodepoints(fields[0]);
  if (!source.ok()) return source.status();
  if (source->empty()) {
    return absl::InvalidArgumentError("source field is empty");
  }
  std::u32string target;  // Empty: a deletion rule.
  if (fields.size() > 1) {
    absl::StatusOr<std::u32string> parsed = ParseCodepoints(fields[1]);
    if (!parsed.ok()) return parsed.status();
    target = *std::move(parsed);
  }
  (*rules)[*std::move(source)] = std::move(target);
  return absl::OkStatus();
}

void AppendHex(uint32_t value, std::string* out) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  char buffer[8];
  int n = 0;
  do {
    buffer[n++] = kDigits[value & 0xF];
    value >>= 4;
  } while (value != 0);
  while (n > 0) out->push_back(buffer[--n]);
}

void AppendHexList(const std::u32string& cps, std::string* out) {
  for (size_t i = 0; i < cps.size(); ++i) {
    if (i > 0) out->push_back(' ');
    AppendHex(cps[i], out);
  }
}

}  // namespace

absl::StatusOr<NormalizationRules> ParseNormalizationRulesTsv(
    std::string_view contents, std::string_view file_name) {
  NormalizationRules rules;
  size_t line_no = 0;
  while (!contents.empty()) {
    const size_t eol = contents.find('\n');
    const std::string_view line = contents.substr(0, eol);
    contents.remove_prefix(eol == std::string_view::npos ? contents.size()
                                                         : eol + 1);
    ++line_no;
    absl::Status status = ParseLine(line, &rules);
    if (!status.ok()) {
      return absl::InvalidArgumentError(Where(file_name, line_no) +
                                        std::string(status.message()));
    }
  }
  return rules;
}

absl::StatusOr<NormalizationRules> LoadNormalizationRulesTsv(
    const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return absl::NotFoundError("\"" + path + "\": " + std::strerror(errno));
  }
  std::ostringstream contents;
  contents << file.rdbuf();
  if (file.bad()) {
    return absl::DataLossError("\"" + path + "\": read error");
  }
  return ParseNormalizationRulesTsv(contents.str(), path);
}

std::string FormatNormalizationRulesTsv(const NormalizationRules& rules) {
  std::string out;
  for (const auto& [source, target] : rules) {
    const size_t line_begin = out.size();
    AppendHexList(source, &out);
    out.push_back('\t');
    AppendHexList(target, &out);
    out += "\t# ";
    out += internal::EncodeCodepoints(source);
    out += " => ";
    out += internal::EncodeCodepoints(target);
    for (size_t i = line_begin; i < out.size(); ++i) {
      const char c = out[i];
      if (c == '\b' || c == '\v' || c == '\f' || c == '\n' || c == '\r') {
        out[i] = ' ';
      }
    }
    out.push_back('\n');
  }
  return out;
}

}  // namespace sentencepiece
