// Word count: a text file, split into words, keyed by word, counted.
//
//   wordcount [FILE]         counts the words of FILE
//   wordcount --generate N   writes N words of generated text first
//
// It embeds Sluice as any CAF application would: its own actor system, a
// job declared with the builder, a wait for the result.

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <sluice.hpp>

namespace {

/// Writes `words` words drawn from a skewed vocabulary, 12 to a line.
void generate_text(const std::string& path, uint64_t words) {
  std::vector<std::string> vocabulary;
  for (int i = 0; i < 5000; ++i)
    vocabulary.push_back("w" + std::to_string(i));
  std::mt19937_64 rng{42};
  // Zipf-like: rank r with weight 1/r.
  std::vector<double> weights;
  for (size_t r = 1; r <= vocabulary.size(); ++r)
    weights.push_back(1.0 / static_cast<double>(r));
  std::discrete_distribution<size_t> pick{weights.begin(), weights.end()};
  std::ofstream out{path};
  for (uint64_t i = 0; i < words; ++i) {
    out << vocabulary[pick(rng)];
    out << ((i % 12 == 11) ? '\n' : ' ');
  }
}

} // namespace

int main(int argc, char** argv) {
  std::string path;
  uint64_t generate = 0;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--generate" && i + 1 < argc)
      generate = std::stoull(argv[++i]);
    else
      path = arg;
  }
  if (path.empty() && generate == 0) {
    std::cerr << "usage: wordcount FILE | wordcount --generate WORDS [FILE]\n";
    return 2;
  }
  if (path.empty())
    path = "wordcount-input.txt";
  if (generate > 0) {
    std::cout << "generating " << generate << " words into " << path
              << std::endl;
    generate_text(path, generate);
  }

  caf::actor_system_config cfg;
  sluice::announce(cfg);
  cfg.set("scheduler.max-threads", static_cast<int64_t>(std::max(
                                     2u, std::thread::hardware_concurrency())));
  caf::actor_system sys{cfg};

  sluice::job_builder job{"wordcount"};
  auto counts = job.source("lines", sluice::file_lines{path})
                  .flat_map<std::string>("split",
                                         [](const std::string& line,
                                            sluice::emitter<std::string>& out) {
                                           size_t i = 0;
                                           while (i < line.size()) {
                                             auto j = line.find(' ', i);
                                             if (j == std::string::npos)
                                               j = line.size();
                                             if (j > i)
                                               out(line.substr(i, j - i));
                                             i = j + 1;
                                           }
                                         })
                  .key_by([](const std::string& word) { return word; })
                  .count("count")
                  .parallelism(2)
                  .collect("result");

  auto report = job.run(sys);
  if (!report) {
    std::cerr << "wordcount failed: " << sluice::describe(report.error())
              << std::endl;
    return 1;
  }
  // The count stage emits a changelog: the latest count per word wins.
  std::unordered_map<std::string, uint64_t> totals;
  for (auto& [word, n] : counts->records())
    totals[word] = std::max(totals[word], n);
  std::vector<std::pair<std::string, uint64_t>> top(totals.begin(),
                                                    totals.end());
  std::sort(top.begin(), top.end(), [](auto& x, auto& y) {
    return x.second != y.second ? x.second > y.second : x.first < y.first;
  });
  auto words = report->records_out("split");
  auto seconds = std::chrono::duration<double>(report->elapsed).count();
  std::cout << "top words:\n";
  for (size_t i = 0; i < std::min<size_t>(10, top.size()); ++i)
    std::printf("  %-8s %10llu\n", top[i].first.c_str(),
                static_cast<unsigned long long>(top[i].second));
  std::printf("%llu lines, %llu words, %zu distinct, in %.2f s: %.0f words/s\n",
              static_cast<unsigned long long>(report->records_out("lines")),
              static_cast<unsigned long long>(words), totals.size(), seconds,
              static_cast<double>(words) / seconds);
  return 0;
}
