// SPDX-License-Identifier: Apache-2.0
// A bounds-checked reader for FlatBuffers binaries (the container of .tflite files).
// Every offset, vtable, vector and string is checked against the buffer before it is read; a
// bad one records an error (the first one wins) and returns an empty value, so a caller can read
// a whole structure and check ok() once at the end. Values are read with memcpy, so unaligned
// data is fine. Little-endian hosts only (as TFLite itself).
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <type_traits>

namespace monokin::infer::detail {

class FlatBuffer {
 public:
  struct Table {
    std::uint32_t pos = 0;     // absolute offset of the table start
    std::uint32_t vtable = 0;  // absolute offset of its vtable
    std::uint16_t vt_size = 0;
    std::uint16_t size = 0;  // inline size of the table, from its vtable
    bool valid = false;
  };
  struct Vector {
    std::uint32_t pos = 0;   // absolute offset of element 0
    std::uint32_t size = 0;  // number of elements
    std::uint32_t elem = 0;  // bytes per element
  };

  explicit FlatBuffer(std::span<const std::uint8_t> data) : data_(data) {}

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  // Records an error (only the first is kept); always returns false.
  bool Fail(const std::string& what) {
    if (error_.empty()) error_ = what;
    return false;
  }

  Table Root() {
    if (data_.size() < 8) {
      Fail("file too small for a FlatBuffer (" + std::to_string(data_.size()) + " bytes)");
      return {};
    }
    return TableAt(Read<std::uint32_t>(0), "root");
  }

  // Field `index` (0-based, as declared in the schema) of `t`, or 0 if absent.
  std::uint32_t FieldPos(const Table& t, int index, std::uint32_t width) {
    if (!t.valid) return 0;
    const std::uint32_t slot = 4u + 2u * static_cast<std::uint32_t>(index);
    if (slot + 2 > t.vt_size) return 0;  // field added after this file was written
    const std::uint16_t off = Read<std::uint16_t>(t.vtable + slot);
    if (off == 0) return 0;
    if (off < 4 || static_cast<std::uint32_t>(off) + width > t.size) {
      Fail("field " + std::to_string(index) + " lies outside its table at " +
           std::to_string(t.pos));
      return 0;
    }
    return t.pos + off;
  }

  template <typename T>
  T Scalar(const Table& t, int index, T default_value) {
    static_assert(std::is_arithmetic_v<T>);
    const std::uint32_t p = FieldPos(t, index, sizeof(T));
    return p == 0 ? default_value : Read<T>(p);
  }

  Table SubTable(const Table& t, int index) {
    const std::uint32_t p = FieldPos(t, index, 4);
    if (p == 0) return {};
    return TableAt(Follow(p), "sub-table");
  }

  // A vector field; elem_size is the size of one element (4 for tables, strings and offsets).
  Vector GetVector(const Table& t, int index, std::uint32_t elem_size) {
    const std::uint32_t p = FieldPos(t, index, 4);
    if (p == 0) return {};
    return VectorAt(Follow(p), elem_size);
  }

  template <typename T>
  T At(const Vector& v, std::uint32_t i) {
    static_assert(std::is_arithmetic_v<T>);
    if (i >= v.size || sizeof(T) != v.elem) {
      Fail("vector index out of range");
      return T{};
    }
    return Read<T>(v.pos + i * v.elem);
  }

  Table TableIn(const Vector& v, std::uint32_t i) {
    if (i >= v.size || v.elem != 4) {
      Fail("vector index out of range");
      return {};
    }
    return TableAt(Follow(v.pos + i * 4), "vector element");
  }

  std::string String(const Table& t, int index) {
    const std::uint32_t p = FieldPos(t, index, 4);
    if (p == 0) return {};
    const Vector v = VectorAt(Follow(p), 1);
    if (!ok()) return {};
    return std::string(reinterpret_cast<const char*>(data_.data()) + v.pos, v.size);
  }

  // Raw bytes of a [ubyte] vector field (empty if absent).
  std::span<const std::uint8_t> Bytes(const Table& t, int index) {
    const Vector v = GetVector(t, index, 1);
    if (!ok() || v.size == 0) return {};
    return data_.subspan(v.pos, v.size);
  }

 private:
  bool InRange(std::uint64_t pos, std::uint64_t len) const {
    return pos <= data_.size() && len <= data_.size() - pos;
  }

  template <typename T>
  T Read(std::uint64_t pos) {
    if (!InRange(pos, sizeof(T))) {
      Fail("read of " + std::to_string(sizeof(T)) + " bytes at " + std::to_string(pos) +
           " is past the end of the file (" + std::to_string(data_.size()) + " bytes)");
      return T{};
    }
    T value;
    std::memcpy(&value, data_.data() + pos, sizeof(T));
    return value;
  }

  // Resolves the uoffset stored at `pos`; returns 0 (never a valid target) on error.
  std::uint32_t Follow(std::uint32_t pos) {
    const std::uint64_t target = static_cast<std::uint64_t>(pos) + Read<std::uint32_t>(pos);
    if (!ok()) return 0;
    if (target >= data_.size()) {
      Fail("offset at " + std::to_string(pos) + " points past the end of the file");
      return 0;
    }
    return static_cast<std::uint32_t>(target);
  }

  Table TableAt(std::uint32_t pos, const char* what) {
    if (!ok()) return {};
    if (!InRange(pos, 4)) {
      Fail(std::string(what) + " table at " + std::to_string(pos) + " is past the end");
      return {};
    }
    const std::int64_t vt = static_cast<std::int64_t>(pos) - Read<std::int32_t>(pos);
    if (vt < 0 || !InRange(static_cast<std::uint64_t>(vt), 4)) {
      Fail(std::string(what) + " table at " + std::to_string(pos) + " has a bad vtable offset");
      return {};
    }
    Table t;
    t.pos = pos;
    t.vtable = static_cast<std::uint32_t>(vt);
    t.vt_size = Read<std::uint16_t>(t.vtable);
    t.size = Read<std::uint16_t>(t.vtable + 2);
    if (t.vt_size < 4 || (t.vt_size & 1) != 0 || !InRange(t.vtable, t.vt_size) || t.size < 4 ||
        !InRange(pos, t.size)) {
      Fail(std::string(what) + " table at " + std::to_string(pos) + " has a malformed vtable");
      return {};
    }
    t.valid = ok();
    return t;
  }

  Vector VectorAt(std::uint32_t pos, std::uint32_t elem_size) {
    if (!ok()) return {};
    const std::uint32_t n = Read<std::uint32_t>(pos);
    if (!ok()) return {};
    if (!InRange(static_cast<std::uint64_t>(pos) + 4, static_cast<std::uint64_t>(n) * elem_size)) {
      Fail("vector at " + std::to_string(pos) + " of " + std::to_string(n) +
           " elements runs past the end of the file");
      return {};
    }
    return {pos + 4, n, elem_size};
  }

  std::span<const std::uint8_t> data_;
  std::string error_;
};

}  // namespace monokin::infer::detail
