// A small strict JSON reader and string escaper for safetensors headers (internal to
// src/serialize). It keeps object members in file order, rejects duplicate keys, invalid UTF-8,
// trailing garbage and nesting deeper than a header needs; it does not convert numbers beyond
// unsigned 64-bit ints.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wick::serialize_detail {

// A malformed input: what is wrong and, where it applies, the byte offset in the whole file/buffer.
struct FormatError {
  std::string what;
  std::optional<uint64_t> offset;
};

struct JsonValue {
  enum class Kind { Null, Bool, Number, String, Array, Object };
  Kind kind = Kind::Null;
  bool boolean = false;
  std::string text;              // a string's value, or a number as written
  std::optional<uint64_t> uint;  // a number that is a non-negative integer fitting in 64 bits
  std::vector<JsonValue> items;  // array elements
  std::vector<std::pair<std::string, JsonValue>> members;  // object members in file order
  uint64_t offset = 0;  // where the value starts (absolute byte offset)
};

const char* kind_name(JsonValue::Kind k);

// Parses one JSON value filling `text` (surrounding whitespace allowed); `base` is the absolute
// offset of text[0], used in error offsets. Throws FormatError.
JsonValue parse_json(std::string_view text, uint64_t base);

// True when `s` is well-formed UTF-8 (no overlongs, surrogates or code points above U+10FFFF).
bool is_valid_utf8(std::string_view s);

// Appends `s` as a JSON string literal, escaped as Python's json.dumps(ensure_ascii=False) and
// serde_json do: \" \\ \b \f \n \r \t, other control characters as \u00xx, everything else raw.
void append_json_string(std::string& out, std::string_view s);

}  // namespace wick::serialize_detail
