#pragma once

#include "bench/record_work.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace sluice::bench {

/// Generated text for the wordcount case: a vocabulary of made-up words
/// whose frequencies follow Zipf's law, arranged into a pool of lines of 6
/// to 14 words. Record `i` of the text is line `random_of(input_seed, i)`
/// modulo the pool size, so any reader can tell what a run produced.
/// Immutable once built; shared by all instances.
class text_corpus {
public:
  text_corpus(size_t vocabulary, size_t lines);

  /// The line a record with random number `random` carries.
  const std::string& line(uint64_t random) const {
    return lines_[random % lines_.size()].text;
  }

  /// Words in that line.
  uint64_t words_in(uint64_t random) const {
    return lines_[random % lines_.size()].words;
  }

  /// Sum of (word id + 1) over the words of that line.
  uint64_t weight_of(uint64_t random) const {
    return lines_[random % lines_.size()].weight;
  }

  /// The id of a vocabulary word (its frequency rank).
  std::optional<uint64_t> id_of(const std::string& word) const;

  size_t vocabulary() const noexcept { return words_.size(); }

private:
  struct pooled_line {
    std::string text;
    uint64_t words = 0;
    uint64_t weight = 0;
  };

  std::vector<std::string> words_;
  std::unordered_map<std::string, uint64_t> ids_;
  std::vector<pooled_line> lines_;
};

/// Calls `f(std::string)` for each word of `line` (words are separated by
/// single spaces): the wordcount case's `flat_map`.
template <class F>
void split_words(const std::string& line, F&& f) {
  size_t i = 0;
  while (i < line.size()) {
    auto j = line.find(' ', i);
    if (j == std::string::npos)
      j = line.size();
    if (j > i)
      f(line.substr(i, j - i));
    i = j + 1;
  }
}

/// Words per record of the text: what the wordcount check expects.
struct line_words {
  std::shared_ptr<const text_corpus> text;

  uint64_t operator()(uint64_t index) const {
    return text->words_in(random_of(input_seed, index));
  }
};

/// Weight per record of the text (see `text_corpus::weight_of`).
struct line_weight {
  std::shared_ptr<const text_corpus> text;

  uint64_t operator()(uint64_t index) const {
    return text->weight_of(random_of(input_seed, index));
  }
};

} // namespace sluice::bench
