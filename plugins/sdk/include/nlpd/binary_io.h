// Writing and reading the fixed-size values of a binary model file (the
// server's and the plugins' trained models): values in host byte order, as
// the project's training code writes them on the machine that builds the
// plugin. Header-only.
//
//   std::string out;
//   nlpd::sdk::AppendValue<uint32_t>(out, 7);
//   nlpd::sdk::ByteReader reader(out);
//   uint32_t seven;
//   if (!reader.Get(&seven)) { /* truncated */ }
#ifndef NLPD_BINARY_IO_H_
#define NLPD_BINARY_IO_H_

#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

namespace nlpd::sdk {

// Appends the bytes of `value` to `out`.
template <typename T>
void AppendValue(std::string& out, T value) {
  static_assert(std::is_trivially_copyable_v<T>);
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  out.append(bytes, sizeof(T));
}

// Reads values and byte runs from the front of a view it does not own (the
// bytes must outlive the reader and the views it returns). Each call either
// reads all it asks for and advances, or returns false and leaves the
// position where it was (the data is truncated). Not thread-safe.
class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}

  template <typename T>
  bool Get(T* value) {
    static_assert(std::is_trivially_copyable_v<T>);
    if (remaining() < sizeof(T)) return false;
    std::memcpy(value, bytes_.data() + position_, sizeof(T));
    position_ += sizeof(T);
    return true;
  }

  // The next `n` bytes, as a view into the reader's bytes.
  bool Take(size_t n, std::string_view* out) {
    if (remaining() < n) return false;
    *out = bytes_.substr(position_, n);
    position_ += n;
    return true;
  }

  size_t remaining() const { return bytes_.size() - position_; }

 private:
  std::string_view bytes_;
  size_t position_ = 0;
};

}  // namespace nlpd::sdk

#endif  // NLPD_BINARY_IO_H_
