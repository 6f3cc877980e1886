#pragma once

#include <cereal/cereal.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sluice::connectors {

/// What a checkpoint keeps of a file a source reads, besides the offset,
/// so that a resumed source notices that the file is not the one it read:
/// hashes of the first and of the last `fingerprint_window` bytes before
/// the offset. A file that only grew (appended lines) keeps both; one that
/// was cut back, rewritten or replaced by another loses at least one.
/// Device and inode are left out on purpose: a copy of the file, or the
/// file moved to another disk, resumes.
struct file_fingerprint {
  /// Lines read up to the offset, for line numbers after a resume.
  uint64_t lines = 0;
  uint64_t head_hash = 0;
  uint64_t tail_hash = 0;
  /// Bytes of a last line that went out without its line break at the end
  /// of the file; 0 when the offset follows a line break.
  uint64_t open_line = 0;

  template <class Archive>
  void serialize(Archive& ar, std::uint32_t /* version */) {
    ar(lines, head_hash, tail_hash, open_line);
  }
};

/// Bytes hashed at either end of what was read.
inline constexpr uint64_t fingerprint_window = 4096;

/// Reads a file line by line and knows where it is: the byte offset after
/// the last line read and the number of lines. A line is complete once its
/// line break arrived; only at the end of the file does an unterminated
/// last line count (the file is a bounded input), and the reader remembers
/// that it had no line break. Throws `std::runtime_error` naming the file
/// when it cannot open, read or resume it.
class line_reader {
public:
  explicit line_reader(std::string path);
  ~line_reader();
  line_reader(const line_reader&) = delete;
  line_reader& operator=(const line_reader&) = delete;

  /// The next line, without its line break (and a carriage return before
  /// it); false at the end of the file.
  bool next(std::string& line);

  /// True once `next` returned false.
  bool at_end() const noexcept { return at_end_; }

  /// Byte offset after the last line read.
  uint64_t offset() const noexcept { return offset_; }

  /// Lines read so far (the number of the last line read).
  uint64_t lines() const noexcept { return lines_; }

  const std::string& path() const noexcept { return path_; }

  /// The file as read up to the offset.
  file_fingerprint fingerprint() const;

  /// Continues at `offset`. With a fingerprint (taken at that offset),
  /// refuses a file that is shorter or differs before the offset, and one
  /// whose last line went out without a line break and has grown since:
  /// what was read can no longer be matched with what is there.
  void seek(uint64_t offset, const std::optional<file_fingerprint>& taken);

private:
  /// Hash of `size` bytes at `from`.
  uint64_t hash_range(uint64_t from, uint64_t size) const;

  /// Line breaks in the first `up_to` bytes.
  uint64_t count_lines(uint64_t up_to) const;

  /// Refills the buffer; false at the end of the file.
  bool fill();

  std::string path_;
  int fd_ = -1;
  std::vector<char> buffer_;
  size_t begin_ = 0; ///< Unread bytes are [begin_, end_) of buffer_.
  size_t end_ = 0;
  uint64_t offset_ = 0;
  uint64_t lines_ = 0;
  uint64_t open_line_ = 0;
  bool at_end_ = false;
};

} // namespace sluice::connectors

CEREAL_CLASS_VERSION(sluice::connectors::file_fingerprint, 1)
