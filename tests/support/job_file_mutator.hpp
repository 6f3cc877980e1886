#pragma once

#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace sluice::testing {

/// The seed and count of a fuzz run: fixed defaults so that the suite
/// always runs the same cases, overridable to explore (`SLUICE_FUZZ_SEED`,
/// `SLUICE_FUZZ_COUNT`).
struct fuzz_run {
  uint64_t seed;
  uint64_t count;

  static fuzz_run from_environment(uint64_t seed, uint64_t count) {
    if (auto* s = std::getenv("SLUICE_FUZZ_SEED"))
      seed = std::strtoull(s, nullptr, 10);
    if (auto* c = std::getenv("SLUICE_FUZZ_COUNT"))
      count = std::strtoull(c, nullptr, 10);
    return {seed, count};
  }

  /// For the test's output, so that a failure can be replayed.
  std::string describe() const {
    return "seed " + std::to_string(seed) + " (SLUICE_FUZZ_SEED), "
           + std::to_string(count) + " mutants (SLUICE_FUZZ_COUNT)";
  }
};

/// Mutates the text of a job file as a careless or hostile hand would:
/// flips bytes, deletes, duplicates and swaps lines, swaps values between
/// keys, and puts odd values (huge, negative, empty, paths of devices and
/// folders, quotes) where values were. Deterministic for a seed.
class job_file_mutator {
public:
  explicit job_file_mutator(uint64_t seed) : rng_(seed) {}

  /// One to three mutations of `text`, and what they were.
  std::pair<std::string, std::string> mutate(const std::string& text) {
    auto lines = split(text);
    std::string what;
    auto rounds = pick(3) + 1;
    for (size_t i = 0; i < rounds && !lines.empty(); ++i)
      what += (what.empty() ? "" : "; ") + mutate_once(lines);
    return {join(lines), what};
  }

private:
  size_t pick(size_t n) {
    return std::uniform_int_distribution<size_t>{0, n - 1}(rng_);
  }

  static std::vector<std::string> split(const std::string& text) {
    std::vector<std::string> lines;
    size_t start = 0;
    for (;;) {
      auto end = text.find('\n', start);
      if (end == std::string::npos) {
        if (start < text.size())
          lines.push_back(text.substr(start));
        return lines;
      }
      lines.push_back(text.substr(start, end - start));
      start = end + 1;
    }
  }

  static std::string join(const std::vector<std::string>& lines) {
    std::string text;
    for (auto& l : lines)
      text += l + "\n";
    return text;
  }

  /// Indices of `key = value` lines.
  std::vector<size_t> value_lines(const std::vector<std::string>& lines) {
    std::vector<size_t> result;
    for (size_t i = 0; i < lines.size(); ++i)
      if (lines[i].find('=') != std::string::npos && lines[i][0] != ';')
        result.push_back(i);
    return result;
  }

  static std::string value_of(const std::string& line) {
    return line.substr(line.find('=') + 1);
  }

  static std::string with_value(const std::string& line,
                                const std::string& value) {
    return line.substr(0, line.find('=') + 1) + value;
  }

  std::string mutate_once(std::vector<std::string>& lines) {
    static const std::vector<std::string> odd_values{" 0",
                                                     " -1",
                                                     " 1e30",
                                                     " 1000",
                                                     " 4294967296",
                                                     " 99999999999999999999999",
                                                     "",
                                                     " \"",
                                                     " \"unclosed",
                                                     " /dev/null",
                                                     " .",
                                                     " /",
                                                     " wordcount-input.txt",
                                                     " sales.csv",
                                                     " count",
                                                     " 1_000_000",
                                                     " 0.0001",
                                                     " nan",
                                                     " inf",
                                                     " 10ms",
                                                     " 0s",
                                                     " 1h",
                                                     " lines",
                                                     " \"a;b#c\"",
                                                     " a\tb",
                                                     " key-by",
                                                     " hash",
                                                     " broadcast",
                                                     " exactly-once",
                                                     " 255.255.255.255"};
    // Bytes that mean something to the INI reader, and some that do not.
    static const char odd_chars[] = "\n[]=;#\"\\\t\r\0\xff\x7f _.-:,09aZ";
    static const std::string odd_bytes{odd_chars, sizeof(odd_chars) - 1};
    auto values = value_lines(lines);
    switch (pick(7)) {
    case 0: { // flip a byte
      auto i = pick(lines.size());
      if (lines[i].empty())
        lines[i] = std::string(1, odd_bytes[pick(odd_bytes.size())]);
      else
        lines[i][pick(lines[i].size())] = odd_bytes[pick(odd_bytes.size())];
      return "byte flipped in line " + std::to_string(i + 1);
    }
    case 1: { // delete a line
      auto i = pick(lines.size());
      lines.erase(lines.begin() + static_cast<long>(i));
      return "line " + std::to_string(i + 1) + " deleted";
    }
    case 2: { // duplicate a line
      auto i = pick(lines.size());
      lines.insert(lines.begin() + static_cast<long>(i), lines[i]);
      return "line " + std::to_string(i + 1) + " duplicated";
    }
    case 3: { // swap two lines
      auto i = pick(lines.size());
      auto j = pick(lines.size());
      std::swap(lines[i], lines[j]);
      return "lines " + std::to_string(i + 1) + " and " + std::to_string(j + 1)
             + " swapped";
    }
    case 4: { // swap two values
      if (values.size() < 2)
        return "no values to swap";
      auto i = values[pick(values.size())];
      auto j = values[pick(values.size())];
      auto vi = value_of(lines[i]);
      lines[i] = with_value(lines[i], value_of(lines[j]));
      lines[j] = with_value(lines[j], vi);
      return "values of lines " + std::to_string(i + 1) + " and "
             + std::to_string(j + 1) + " swapped";
    }
    case 5: { // an odd value
      if (values.empty())
        return "no value to replace";
      auto i = values[pick(values.size())];
      lines[i] = with_value(lines[i], odd_values[pick(odd_values.size())]);
      return "odd value in line " + std::to_string(i + 1);
    }
    default: { // a line moved into another section
      auto i = pick(lines.size());
      auto line = lines[i];
      lines.erase(lines.begin() + static_cast<long>(i));
      auto j = pick(lines.size() + 1);
      lines.insert(lines.begin() + static_cast<long>(j), line);
      return "line " + std::to_string(i + 1) + " moved to "
             + std::to_string(j + 1);
    }
    }
  }

  std::mt19937_64 rng_;
};

} // namespace sluice::testing

namespace sluice::testing {

/// True if an error about job file `file` names it and a line in it
/// ("job.ini:12: ..."). The one refusal that has no line to point at, a
/// file without any stage, may name the file alone.
inline bool names_file_and_line(const std::string& text,
                                const std::string& file) {
  if (text.rfind(file + ": the job has no stages", 0) == 0)
    return true;
  if (text.rfind(file + ":", 0) != 0)
    return false;
  auto i = file.size() + 1;
  auto digits = i;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9')
    ++i;
  return i > digits && text[digits] != '0' && text.compare(i, 2, ": ") == 0;
}

} // namespace sluice::testing
