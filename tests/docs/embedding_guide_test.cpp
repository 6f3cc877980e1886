#include "tests/support/text.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using namespace sluice::testing;

namespace {

/// A fenced code block of the guide, with the snippet marker before it.
struct code_block {
  size_t line = 0;      ///< Of the opening fence, from 1.
  std::string language; ///< "cpp", "cmake", "sh", ...
  std::string source;   ///< "examples/embedding/order.hpp#types", or empty.
  std::string text;
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in{text};
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

/// The fenced blocks of a Markdown text. A block whose source is mirrored
/// has `<!-- snippet: PATH#NAME -->` on the line before its fence.
std::vector<code_block> code_blocks(const std::string& markdown) {
  const std::string marker = "<!-- snippet: ";
  std::vector<code_block> blocks;
  auto lines = lines_of(markdown);
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].compare(0, 3, "```") != 0)
      continue;
    code_block b;
    b.line = i + 1;
    b.language = lines[i].substr(3);
    if (i > 0 && lines[i - 1].compare(0, marker.size(), marker) == 0)
      b.source = lines[i - 1].substr(marker.size(),
                                     lines[i - 1].find(" -->") - marker.size());
    for (++i; i < lines.size() && lines[i] != "```"; ++i)
      b.text += lines[i] + "\n";
    blocks.push_back(std::move(b));
  }
  return blocks;
}

/// The regions of a source file between `snippet-begin: NAME` and
/// `snippet-end` lines (comments in any language), by name.
std::map<std::string, std::string> snippets_of(const std::string& source) {
  const std::string begin = "snippet-begin: ";
  std::map<std::string, std::string> result;
  std::string name;
  std::string text;
  bool inside = false;
  for (auto& line : lines_of(source)) {
    if (auto at = line.find(begin); at != std::string::npos) {
      name = line.substr(at + begin.size());
      text.clear();
      inside = true;
    } else if (line.find("snippet-end") != std::string::npos) {
      result[name] = text;
      inside = false;
    } else if (inside) {
      text += line + "\n";
    }
  }
  return result;
}

const std::string source_dir = SLUICE_SOURCE_DIR;

} // namespace

BOOST_AUTO_TEST_SUITE(embedding_guide_tests)

BOOST_AUTO_TEST_CASE(every_code_snippet_is_a_region_of_a_compiled_example) {
  auto blocks = code_blocks(read_file(source_dir + "/docs/embedding.md"));
  BOOST_TEST_REQUIRE(!blocks.empty());
  for (auto& b : blocks) {
    BOOST_TEST_CONTEXT("docs/embedding.md:" << b.line) {
      // Commands and output may stand alone; code comes from the examples.
      if (b.source.empty()) {
        BOOST_TEST((b.language == "sh" || b.language == "text"));
        continue;
      }
      auto hash = b.source.find('#');
      BOOST_TEST_REQUIRE(hash != std::string::npos);
      auto path = source_dir + "/" + b.source.substr(0, hash);
      BOOST_TEST_REQUIRE(std::filesystem::exists(path), path);
      auto regions = snippets_of(read_file(path));
      auto region = regions.find(b.source.substr(hash + 1));
      BOOST_TEST_REQUIRE((region != regions.end()), b.source);
      BOOST_TEST(b.text == region->second);
    }
  }
}

BOOST_AUTO_TEST_CASE(every_region_of_the_examples_appears_in_the_guide) {
  std::string shown;
  for (auto& b : code_blocks(read_file(source_dir + "/docs/embedding.md")))
    shown += b.source + "\n";
  for (auto& entry : std::filesystem::directory_iterator(
         source_dir + "/examples/embedding")) {
    auto file = "examples/embedding/" + entry.path().filename().string();
    for (auto& [name, text] : snippets_of(read_file(entry.path().string())))
      BOOST_TEST(count_of(shown, file + "#" + name + "\n") == 1u,
                 file << "#" << name);
  }
}

BOOST_AUTO_TEST_SUITE_END()
