#include "connectors/line_reader.hpp"

#include "protocol/key_hash.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sluice::connectors {

namespace {

constexpr size_t buffer_size = 64 * 1024;

[[noreturn]] void fail(const std::string& text) {
  throw std::runtime_error(text);
}

} // namespace

line_reader::line_reader(std::string path)
    : path_(std::move(path)), buffer_(buffer_size) {
  fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0)
    fail("cannot open '" + path_ + "' for reading: " + std::strerror(errno));
}

line_reader::~line_reader() {
  if (fd_ >= 0)
    ::close(fd_);
}

bool line_reader::fill() {
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buffer_.size())
    buffer_.resize(buffer_.size() * 2); // a line longer than the buffer
  for (;;) {
    auto n = ::read(fd_, buffer_.data() + end_, buffer_.size() - end_);
    if (n >= 0) {
      end_ += static_cast<size_t>(n);
      return n > 0;
    }
    if (errno != EINTR)
      fail("reading '" + path_ + "' failed after line " + std::to_string(lines_)
           + ": " + std::strerror(errno));
  }
}

bool line_reader::next(std::string& line) {
  if (at_end_)
    return false;
  size_t searched = 0; // unread bytes known to hold no line break
  for (;;) {
    auto* first = buffer_.data() + begin_;
    auto* nl = static_cast<const char*>(
      std::memchr(first + searched, '\n', end_ - begin_ - searched));
    if (nl != nullptr) {
      auto length = static_cast<size_t>(nl - first);
      line.assign(first, length);
      begin_ += length + 1;
      offset_ += length + 1;
      break;
    }
    searched = end_ - begin_;
    if (!fill()) {
      // The end of the file: an unterminated last line counts once.
      at_end_ = true;
      if (begin_ == end_)
        return false;
      line.assign(buffer_.data() + begin_, end_ - begin_);
      open_line_ = end_ - begin_;
      offset_ += open_line_;
      begin_ = end_;
      break;
    }
  }
  ++lines_;
  if (!line.empty() && line.back() == '\r')
    line.pop_back();
  return true;
}

uint64_t line_reader::hash_range(uint64_t from, uint64_t size) const {
  std::string bytes(size, '\0');
  size_t done = 0;
  while (done < size) {
    auto n = ::pread(fd_, bytes.data() + done, size - done,
                     static_cast<off_t>(from + done));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break; // the file is shorter: the hash differs
    done += static_cast<size_t>(n);
  }
  bytes.resize(done);
  return protocol::hash_bytes(bytes);
}

uint64_t line_reader::count_lines(uint64_t up_to) const {
  std::vector<char> chunk(buffer_size);
  uint64_t lines = 0;
  for (uint64_t at = 0; at < up_to;) {
    auto want
      = static_cast<size_t>(std::min<uint64_t>(chunk.size(), up_to - at));
    auto n = ::pread(fd_, chunk.data(), want, static_cast<off_t>(at));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    lines += static_cast<uint64_t>(
      std::count(chunk.data(), chunk.data() + n, '\n'));
    at += static_cast<uint64_t>(n);
  }
  return lines;
}

file_fingerprint line_reader::fingerprint() const {
  file_fingerprint result;
  result.lines = lines_;
  auto head = std::min(offset_, fingerprint_window);
  result.head_hash = hash_range(0, head);
  result.tail_hash = hash_range(offset_ - head, head);
  result.open_line = open_line_;
  return result;
}

void line_reader::seek(uint64_t offset,
                       const std::optional<file_fingerprint>& taken) {
  auto at = [&] {
    return "byte " + std::to_string(offset)
           + (taken ? " (line " + std::to_string(taken->lines) + ")"
                    : std::string{});
  };
  struct stat st {};
  if (::fstat(fd_, &st) != 0)
    fail("cannot examine '" + path_ + "': " + std::strerror(errno));
  auto size = static_cast<uint64_t>(st.st_size);
  if (size < offset)
    fail("'" + path_ + "' has " + std::to_string(size)
         + " bytes, but the checkpoint read it up to " + at()
         + ": the file was cut back or replaced since; start afresh "
           "(--fresh) to read it from the beginning");
  begin_ = end_ = 0;
  at_end_ = false;
  offset_ = offset;
  open_line_ = 0;
  if (!taken) {
    // A checkpoint from before fingerprints: the line count is not in it,
    // so count the line breaks before the offset once.
    lines_ = count_lines(offset);
  } else {
    lines_ = taken->lines;
    auto head = std::min(offset, fingerprint_window);
    if (hash_range(0, head) != taken->head_hash
        || hash_range(offset - head, head) != taken->tail_hash)
      fail("'" + path_ + "' differs from the file the checkpoint read up to "
           + at()
           + ": it was rewritten or replaced since; start afresh (--fresh) "
             "to read it from the beginning");
  }
  if (::lseek(fd_, static_cast<off_t>(offset), SEEK_SET) < 0)
    fail("cannot seek '" + path_ + "' to byte " + std::to_string(offset) + ": "
         + std::strerror(errno));
  if (!taken || taken->open_line == 0)
    return;
  // The last line went out at the end of the file without its line break.
  // The break alone may follow now; anything else would continue a line
  // that already went out as a record.
  char c = 0;
  if (size == offset
      || (::pread(fd_, &c, 1, static_cast<off_t>(offset)) == 1 && c == '\n')) {
    if (size > offset) {
      ++offset_;
      ::lseek(fd_, static_cast<off_t>(offset_), SEEK_SET);
    }
    if (size == offset)
      open_line_ = taken->open_line; // still open
    return;
  }
  fail("line " + std::to_string(taken->lines) + " of '" + path_
       + "' went out without its line break at the end of the file, and has "
         "grown since: its rest would become a record of its own; start "
         "afresh (--fresh), or end lines before the job reads them");
}

} // namespace sluice::connectors
