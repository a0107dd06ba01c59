#include "trainer/spec_fields.h"

#include <sstream>

#include "absl/strings/ascii.h"
#include "google/protobuf/descriptor.pb.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"

namespace sentencepiece {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

absl::Status CannotParse(const FieldDescriptor& field, std::string_view value,
                         std::string_view type) {
  return absl::InvalidArgumentError(absl::StrCat(field.name(), ": cannot parse \"",
                                                 ToAbsl(value), "\" as ", ToAbsl(type), "."));
}

template <typename T>
std::string Str(const T& v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

// Sets a singular (or appends to a repeated, non-string) field from `value`.
absl::Status SetOne(const FieldDescriptor& field, std::string_view value, Message* m) {
  const Reflection* r = m->GetReflection();
  const bool rep = field.is_repeated();
  const absl::string_view v = ToAbsl(value);
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string s(value);
      rep ? r->AddString(m, &field, std::move(s)) : r->SetString(m, &field, std::move(s));
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t x;
      if (!absl::SimpleAtoi(v, &x)) return CannotParse(field, value, "int32");
      rep ? r->AddInt32(m, &field, x) : r->SetInt32(m, &field, x);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      int64_t x;
      if (!absl::SimpleAtoi(v, &x)) return CannotParse(field, value, "int64");
      rep ? r->AddInt64(m, &field, x) : r->SetInt64(m, &field, x);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
      uint32_t x;
      if (!absl::SimpleAtoi(v, &x)) return CannotParse(field, value, "uint32");
      rep ? r->AddUInt32(m, &field, x) : r->SetUInt32(m, &field, x);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
      uint64_t x;
      if (!absl::SimpleAtoi(v, &x)) return CannotParse(field, value, "uint64");
      rep ? r->AddUInt64(m, &field, x) : r->SetUInt64(m, &field, x);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT: {
      double x;
      if (!absl::SimpleAtod(v, &x)) {
        return CannotParse(field, value, field.cpp_type() == FieldDescriptor::CPPTYPE_FLOAT
                                             ? "float"
                                             : "double");
      }
      if (field.cpp_type() == FieldDescriptor::CPPTYPE_FLOAT) {
        const float f = static_cast<float>(x);
        rep ? r->AddFloat(m, &field, f) : r->SetFloat(m, &field, f);
      } else {
        rep ? r->AddDouble(m, &field, x) : r->SetDouble(m, &field, x);
      }
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      bool x = true;
      if (!value.empty() && !ParseBoolWord(value, &x)) return CannotParse(field, value, "bool");
      rep ? r->AddBool(m, &field, x) : r->SetBool(m, &field, x);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const std::string upper = absl::AsciiStrToUpper(v);
      const auto* e = field.enum_type()->FindValueByName(upper);
      if (e == nullptr) {
        std::string names;
        for (int i = 0; i < field.enum_type()->value_count(); ++i) {
          absl::StrAppend(&names, i ? ", " : "", field.enum_type()->value(i)->name());
        }
        return absl::InvalidArgumentError(absl::StrCat(field.name(),
                                                       ": unknown enumeration value of \"", v,
                                                       "\" (expected one of ", names, ")."));
      }
      rep ? r->AddEnum(m, &field, e) : r->SetEnum(m, &field, e);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      break;
  }
  return absl::InvalidArgumentError(
      absl::StrCat(field.name(), ": this field cannot be set from text."));
}

std::string ValueText(const Message& m, const FieldDescriptor& f, int i) {
  const Reflection* r = m.GetReflection();
  const bool rep = f.is_repeated();
  switch (f.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return rep ? r->GetRepeatedString(m, &f, i) : r->GetString(m, &f);
    case FieldDescriptor::CPPTYPE_INT32:
      return Str(rep ? r->GetRepeatedInt32(m, &f, i) : r->GetInt32(m, &f));
    case FieldDescriptor::CPPTYPE_INT64:
      return Str(rep ? r->GetRepeatedInt64(m, &f, i) : r->GetInt64(m, &f));
    case FieldDescriptor::CPPTYPE_UINT32:
      return Str(rep ? r->GetRepeatedUInt32(m, &f, i) : r->GetUInt32(m, &f));
    case FieldDescriptor::CPPTYPE_UINT64:
      return Str(rep ? r->GetRepeatedUInt64(m, &f, i) : r->GetUInt64(m, &f));
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return Str(rep ? r->GetRepeatedDouble(m, &f, i) : r->GetDouble(m, &f));
    case FieldDescriptor::CPPTYPE_FLOAT:
      return Str(rep ? r->GetRepeatedFloat(m, &f, i) : r->GetFloat(m, &f));
    case FieldDescriptor::CPPTYPE_BOOL:
      return (rep ? r->GetRepeatedBool(m, &f, i) : r->GetBool(m, &f)) ? "1" : "0";
    case FieldDescriptor::CPPTYPE_ENUM:
      return (rep ? r->GetRepeatedEnum(m, &f, i) : r->GetEnum(m, &f))->name();
    case FieldDescriptor::CPPTYPE_MESSAGE:
      break;
  }
  return "";
}

}  // namespace

bool ParseBoolWord(std::string_view text, bool* value) {
  const std::string lower = absl::AsciiStrToLower(ToAbsl(text));
  for (const char* t : {"1", "t", "true", "y", "yes"}) {
    if (lower == t) return *value = true, true;
  }
  for (const char* f : {"0", "f", "false", "n", "no"}) {
    if (lower == f) return *value = false, true;
  }
  return false;
}

std::vector<std::string> SplitCsv(std::string_view text) {
  std::vector<std::string> out;
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    std::string item;
    if (text[i] == '"') {
      ++i;
      while (i < n) {
        if (text[i] == '"') {
          if (i + 1 < n && text[i + 1] == '"') {  // An escaped quote.
            item.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        item.push_back(text[i++]);
      }
      while (i < n && text[i] != ',') ++i;  // Anything after the quote is dropped.
    } else {
      const size_t comma = std::min(text.find(',', i), n);
      item.assign(text.substr(i, comma - i));
      i = comma;
    }
    // The reference keeps C strings: an item ends at its first NUL.
    if (const size_t nul = item.find('\0'); nul != std::string::npos) item.resize(nul);
    out.push_back(std::move(item));
    ++i;  // Past the comma.
  }
  return out;
}

absl::Status SetSpecField(std::string_view name, std::string_view value, Message* message) {
  const FieldDescriptor* field =
      message->GetDescriptor()->FindFieldByName(std::string(name));
  if (field == nullptr) {
    return absl::NotFoundError(absl::StrCat("unknown field name \"", ToAbsl(name), "\" in ",
                                            message->GetDescriptor()->name(), "."));
  }
  if (field->is_repeated() && field->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
    for (const std::string& v : SplitCsv(value)) {
      message->GetReflection()->AddString(message, field, v);
    }
    return absl::OkStatus();
  }
  if (field->is_repeated()) {
    for (const std::string& v : SplitCsv(value)) {
      if (absl::Status s = SetOne(*field, v, message); !s.ok()) return s;
    }
    return absl::OkStatus();
  }
  return SetOne(*field, value, message);
}

void SetUnsetFieldsToDefaults(const std::vector<std::string>& names, Message* message) {
  const Reflection* r = message->GetReflection();
  for (const std::string& name : names) {
    const FieldDescriptor* f = message->GetDescriptor()->FindFieldByName(name);
    if (f == nullptr || f->is_repeated() || r->HasField(*message, f)) continue;
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        r->SetString(message, f, f->default_value_string());
        break;
      case FieldDescriptor::CPPTYPE_INT32:
        r->SetInt32(message, f, f->default_value_int32());
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        r->SetInt64(message, f, f->default_value_int64());
        break;
      case FieldDescriptor::CPPTYPE_UINT32:
        r->SetUInt32(message, f, f->default_value_uint32());
        break;
      case FieldDescriptor::CPPTYPE_UINT64:
        r->SetUInt64(message, f, f->default_value_uint64());
        break;
      case FieldDescriptor::CPPTYPE_DOUBLE:
        r->SetDouble(message, f, f->default_value_double());
        break;
      case FieldDescriptor::CPPTYPE_FLOAT:
        r->SetFloat(message, f, f->default_value_float());
        break;
      case FieldDescriptor::CPPTYPE_BOOL:
        r->SetBool(message, f, f->default_value_bool());
        break;
      case FieldDescriptor::CPPTYPE_ENUM:
        r->SetEnum(message, f, f->default_value_enum());
        break;
      case FieldDescriptor::CPPTYPE_MESSAGE:
        break;
    }
  }
}

std::string DefaultValueText(const FieldDescriptor& f) {
  switch (f.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return f.is_repeated() ? "" : f.default_value_string();
    case FieldDescriptor::CPPTYPE_INT32:
      return Str(f.default_value_int32());
    case FieldDescriptor::CPPTYPE_INT64:
      return Str(f.default_value_int64());
    case FieldDescriptor::CPPTYPE_UINT32:
      return Str(f.default_value_uint32());
    case FieldDescriptor::CPPTYPE_UINT64:
      return Str(f.default_value_uint64());
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return Str(f.default_value_double());
    case FieldDescriptor::CPPTYPE_FLOAT:
      return Str(f.default_value_float());
    case FieldDescriptor::CPPTYPE_BOOL:
      return f.default_value_bool() ? "true" : "false";
    case FieldDescriptor::CPPTYPE_ENUM:
      return f.default_value_enum()->name();
    case FieldDescriptor::CPPTYPE_MESSAGE:
      break;
  }
  return "";
}

std::string PrintSpec(const Message& message, std::string_view name) {
  std::string out = absl::StrCat(ToAbsl(name), " {\n");
  const auto* d = message.GetDescriptor();
  const Reflection* r = message.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (f->type() == FieldDescriptor::TYPE_BYTES) continue;  // Blobs are not printed.
    if (f->is_repeated()) {
      for (int j = 0; j < r->FieldSize(message, f); ++j) {
        absl::StrAppend(&out, "  ", f->name(), ": ", ValueText(message, *f, j), "\n");
      }
    } else if (!f->options().deprecated()) {
      absl::StrAppend(&out, "  ", f->name(), ": ", ValueText(message, *f, 0), "\n");
    }
  }
  out += "}\n";
  return out;
}

}  // namespace sentencepiece
