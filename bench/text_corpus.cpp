#include "bench/text_corpus.hpp"

#include <random>

namespace sluice::bench {

namespace {

/// A pronounceable word for `id`: consonant-vowel syllables, at least two.
std::string make_word(uint64_t id) {
  static constexpr char consonants[] = "bcdfghjklmnpqrstvwxz";
  static constexpr char vowels[] = "aeiou";
  std::string word;
  auto x = id;
  do {
    word += consonants[x % 20];
    x /= 20;
    word += vowels[x % 5];
    x /= 5;
  } while (x > 0 || word.size() < 4);
  return word;
}

} // namespace

text_corpus::text_corpus(size_t vocabulary, size_t lines) {
  words_.reserve(vocabulary);
  for (uint64_t id = 0; id < vocabulary; ++id) {
    words_.push_back(make_word(id));
    ids_.emplace(words_.back(), id);
  }
  // Zipf's law: the word of rank r has weight 1/r.
  std::vector<double> weights;
  weights.reserve(vocabulary);
  for (size_t r = 1; r <= vocabulary; ++r)
    weights.push_back(1.0 / static_cast<double>(r));
  std::discrete_distribution<size_t> pick{weights.begin(), weights.end()};
  std::uniform_int_distribution<uint64_t> length{6, 14};
  std::mt19937_64 rng{input_seed};
  lines_.reserve(lines);
  for (size_t i = 0; i < lines; ++i) {
    pooled_line x;
    x.words = length(rng);
    for (uint64_t w = 0; w < x.words; ++w) {
      auto id = pick(rng);
      if (w > 0)
        x.text += ' ';
      x.text += words_[id];
      x.weight += id + 1;
    }
    lines_.push_back(std::move(x));
  }
}

std::optional<uint64_t> text_corpus::id_of(const std::string& word) const {
  if (auto i = ids_.find(word); i != ids_.end())
    return i->second;
  return std::nullopt;
}

} // namespace sluice::bench
