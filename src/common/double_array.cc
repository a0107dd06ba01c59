#include "common/double_array.h"

namespace sentencepiece {

DoubleArray DoubleArray::FromBytes(std::string_view bytes) {
  std::vector<uint32_t> units(bytes.size() / 4);
  for (size_t i = 0; i < units.size(); ++i) {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data() + 4 * i);
    units[i] = uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 |
               uint32_t{p[3]} << 24;
  }
  return DoubleArray(std::move(units));
}

}  // namespace sentencepiece
