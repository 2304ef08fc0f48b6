// The strict JSON reader behind safetensors headers: a recursive-descent parser over a bounded
// string_view (every read checks the end first) and the matching string escaper for the writer.
// It accepts exactly RFC 8259 JSON; it does not convert floating-point numbers (headers hold none).
#include "json.h"

#include <cstdio>

namespace wick::serialize_detail {
namespace {

// Nesting a safetensors header needs is 3 (root, entry, shape); the limit only stops recursion
// bombs.
constexpr int kMaxDepth = 64;

// Length of the UTF-8 sequence starting at s[i], or 0 when it is malformed.
size_t utf8_sequence_length(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) return 1;
  size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (n == 0 || c > 0xF4 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  unsigned char c1 = byte(i + 1);
  if (c == 0xE0 && c1 < 0xA0) return 0;   // overlong
  if (c == 0xED && c1 >= 0xA0) return 0;  // UTF-16 surrogate
  if (c == 0xF0 && c1 < 0x90) return 0;   // overlong
  if (c == 0xF4 && c1 >= 0x90) return 0;  // above U+10FFFF
  return n;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

class Parser {
 public:
  Parser(std::string_view s, uint64_t base) : s_(s), base_(base) {}

  JsonValue parse_document() {
    skip_ws();
    JsonValue v = parse_value(0);
    skip_ws();
    if (i_ != s_.size()) fail("unexpected character after the JSON value");
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const { throw FormatError{what, base_ + i_}; }
  bool at_end() const { return i_ >= s_.size(); }
  char peek() const { return s_[i_]; }

  void skip_ws() {
    while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) ++i_;
  }

  void expect(char c, const char* what) {
    if (at_end()) fail(std::string("unexpected end of JSON, expected ") + what);
    if (peek() != c) fail(std::string("invalid JSON: expected ") + what);
    ++i_;
  }

  JsonValue parse_value(int depth) {
    if (at_end()) fail("unexpected end of JSON, expected a value");
    if (depth > kMaxDepth) fail("JSON nested deeper than 64 levels");
    JsonValue v;
    v.offset = base_ + i_;
    char c = peek();
    if (c == '{') {
      v.kind = JsonValue::Kind::Object;
      parse_object(v, depth);
    } else if (c == '[') {
      v.kind = JsonValue::Kind::Array;
      parse_array(v, depth);
    } else if (c == '"') {
      v.kind = JsonValue::Kind::String;
      v.text = parse_string();
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      v.kind = JsonValue::Kind::Number;
      parse_number(v);
    } else if (literal("true")) {
      v.kind = JsonValue::Kind::Bool;
      v.boolean = true;
    } else if (literal("false")) {
      v.kind = JsonValue::Kind::Bool;
    } else if (literal("null")) {
      v.kind = JsonValue::Kind::Null;
    } else {
      fail("invalid JSON: expected a value");
    }
    return v;
  }

  bool literal(std::string_view word) {
    if (s_.substr(i_, word.size()) != word) return false;
    i_ += word.size();
    return true;
  }

  void parse_object(JsonValue& v, int depth) {
    ++i_;  // '{'
    skip_ws();
    if (!at_end() && peek() == '}') {
      ++i_;
      return;
    }
    while (true) {
      skip_ws();
      if (at_end() || peek() != '"')
        fail(at_end() ? "unexpected end of JSON, expected a key"
                      : "invalid JSON: expected a string key");
      uint64_t key_offset = base_ + i_;
      std::string key = parse_string();
      for (const auto& m : v.members)
        if (m.first == key) throw FormatError{"duplicate key \"" + key + "\"", key_offset};
      skip_ws();
      expect(':', "':'");
      skip_ws();
      JsonValue child = parse_value(depth + 1);
      v.members.emplace_back(std::move(key), std::move(child));
      skip_ws();
      if (at_end()) fail("unexpected end of JSON, expected ',' or '}'");
      if (peek() == '}') {
        ++i_;
        return;
      }
      expect(',', "',' or '}'");
    }
  }

  void parse_array(JsonValue& v, int depth) {
    ++i_;  // '['
    skip_ws();
    if (!at_end() && peek() == ']') {
      ++i_;
      return;
    }
    while (true) {
      skip_ws();
      v.items.push_back(parse_value(depth + 1));
      skip_ws();
      if (at_end()) fail("unexpected end of JSON, expected ',' or ']'");
      if (peek() == ']') {
        ++i_;
        return;
      }
      expect(',', "',' or ']'");
    }
  }

  uint32_t parse_hex4() {
    if (s_.size() - i_ < 4) fail("unexpected end of JSON in a \\u escape");
    uint32_t cp = 0;
    for (int k = 0; k < 4; ++k) {
      char h = s_[i_++];
      cp <<= 4;
      if (h >= '0' && h <= '9')
        cp |= static_cast<uint32_t>(h - '0');
      else if (h >= 'a' && h <= 'f')
        cp |= static_cast<uint32_t>(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F')
        cp |= static_cast<uint32_t>(h - 'A' + 10);
      else {
        --i_;
        fail("invalid JSON: bad hex digit in a \\u escape");
      }
    }
    return cp;
  }

  std::string parse_string() {
    ++i_;  // '"'
    std::string out;
    while (true) {
      if (at_end()) fail("unexpected end of JSON inside a string");
      unsigned char c = static_cast<unsigned char>(peek());
      if (c == '"') {
        ++i_;
        return out;
      }
      if (c < 0x20) fail("invalid JSON: unescaped control character in a string");
      if (c != '\\') {
        size_t n = utf8_sequence_length(s_, i_);
        if (n == 0) fail("invalid UTF-8 in a string");
        out.append(s_.substr(i_, n));
        i_ += n;
        continue;
      }
      ++i_;
      if (at_end()) fail("unexpected end of JSON in an escape");
      char e = s_[i_++];
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          uint32_t cp = parse_hex4();
          if (cp >= 0xDC00 && cp <= 0xDFFF)
            fail("invalid JSON: lone low surrogate in a \\u escape");
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (s_.substr(i_, 2) != "\\u") fail("invalid JSON: high surrogate without a low one");
            i_ += 2;
            uint32_t lo = parse_hex4();
            if (lo < 0xDC00 || lo > 0xDFFF) fail("invalid JSON: high surrogate without a low one");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          append_utf8(out, cp);
          break;
        }
        default:
          --i_;
          fail("invalid JSON: unknown escape in a string");
      }
    }
  }

  void parse_number(JsonValue& v) {
    size_t start = i_;
    bool integral = true;
    auto digits = [&]() {
      size_t d = i_;
      while (!at_end() && peek() >= '0' && peek() <= '9') ++i_;
      if (i_ == d) fail("invalid JSON: expected a digit");
    };
    if (peek() == '-') {
      ++i_;
      integral = false;
    }
    if (!at_end() && peek() == '0') {
      ++i_;
      if (!at_end() && peek() >= '0' && peek() <= '9')
        fail("invalid JSON: leading zero in a number");
    } else {
      digits();
    }
    if (!at_end() && peek() == '.') {
      ++i_;
      digits();
      integral = false;
    }
    if (!at_end() && (peek() == 'e' || peek() == 'E')) {
      ++i_;
      if (!at_end() && (peek() == '+' || peek() == '-')) ++i_;
      digits();
      integral = false;
    }
    v.text = std::string(s_.substr(start, i_ - start));
    if (!integral) return;
    uint64_t x = 0;
    for (char d : v.text) {
      uint64_t digit = static_cast<uint64_t>(d - '0');
      if (x > (UINT64_MAX - digit) / 10) return;  // too large: stays a number without `uint`
      x = x * 10 + digit;
    }
    v.uint = x;
  }

  std::string_view s_;
  uint64_t base_;
  size_t i_ = 0;
};

}  // namespace

const char* kind_name(JsonValue::Kind k) {
  switch (k) {
    case JsonValue::Kind::Null:
      return "null";
    case JsonValue::Kind::Bool:
      return "a boolean";
    case JsonValue::Kind::Number:
      return "a number";
    case JsonValue::Kind::String:
      return "a string";
    case JsonValue::Kind::Array:
      return "an array";
    case JsonValue::Kind::Object:
      return "an object";
  }
  return "?";
}

JsonValue parse_json(std::string_view text, uint64_t base) {
  return Parser(text, base).parse_document();
}

bool is_valid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    size_t n = utf8_sequence_length(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

}  // namespace wick::serialize_detail
