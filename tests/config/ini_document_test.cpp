#include "config/ini_document.hpp"

#include "protocol/describe.hpp"
#include "tests/support/caf_printing.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

using namespace sluice;
using namespace sluice::config;
using sluice::testing::temp_dir;

namespace {

/// The error parsing `text` as "job.ini" gives; "" if none.
std::string error_of(const std::string& text) {
  auto doc = ini_document::parse(text, "job.ini");
  return doc ? std::string{} : protocol::describe(doc.error());
}

} // namespace

BOOST_AUTO_TEST_SUITE(ini_document_tests)

BOOST_AUTO_TEST_CASE(sections_and_keys_keep_their_lines) {
  auto doc = ini_document::parse("; a comment\n"
                                 "[job]\n"
                                 "name = wordcount  ; trailing comment\n"
                                 "\n"
                                 "# another comment\n"
                                 "[stage.lines]\n"
                                 "type=file-source\n"
                                 "path = \"my file; with #signs.txt\"\n",
                                 "job.ini");
  BOOST_TEST_REQUIRE(static_cast<bool>(doc));
  BOOST_TEST_REQUIRE(doc->sections().size() == 2u);
  auto& job = doc->sections()[0];
  BOOST_TEST(job.name == "job");
  BOOST_TEST(job.where.line == 2u);
  BOOST_TEST_REQUIRE(job.entries.size() == 1u);
  BOOST_TEST(job.entries[0].key == "name");
  BOOST_TEST(job.entries[0].value == "wordcount");
  BOOST_TEST(to_string(job.entries[0].where) == "job.ini:3");
  auto* lines = doc->find("stage.lines");
  BOOST_TEST_REQUIRE(lines != nullptr);
  BOOST_TEST(lines->where.line == 6u);
  BOOST_TEST(lines->find("type")->value == "file-source");
  BOOST_TEST(lines->find("path")->value == "my file; with #signs.txt");
  BOOST_TEST(lines->find("path")->where.line == 8u);
}

BOOST_AUTO_TEST_CASE(quoted_values_resolve_escapes) {
  auto doc = ini_document::parse("[s]\nsep = \"\\t\"\nq = \"say \\\"hi\\\"\"\n",
                                 "job.ini");
  BOOST_TEST_REQUIRE(static_cast<bool>(doc));
  BOOST_TEST(doc->find("s")->find("sep")->value == "\t");
  BOOST_TEST(doc->find("s")->find("q")->value == "say \"hi\"");
}

BOOST_AUTO_TEST_CASE(syntax_errors_name_the_file_and_line) {
  BOOST_TEST(error_of("[job]\nname = x\n[stage.a\n")
             == "job.ini:3: a section header lacks its closing ']'");
  BOOST_TEST(error_of("name = x\n")
             == "job.ini:1: key 'name' comes before any [section]");
  BOOST_TEST(error_of("[job]\njust words\n")
             == "job.ini:2: expected '[section]' or 'key = value', got 'just "
                "words'");
  BOOST_TEST(error_of("[job]\nname = \"open\n")
             == "job.ini:2: key 'name' in [job]: a quoted value lacks its "
                "closing '\"'");
  auto doc = ini_document::parse("[job]\n= x\n", "job.ini");
  BOOST_TEST_REQUIRE(!doc);
  BOOST_TEST(doc.error() == errc::syntax);
}

BOOST_AUTO_TEST_CASE(a_key_or_section_given_twice_is_rejected_with_both_lines) {
  BOOST_TEST(error_of("[job]\nname = a\nname = b\n")
             == "job.ini:3: key 'name' in [job] appears twice (first at line "
                "2)");
  BOOST_TEST(error_of("[job]\n[engine]\n[job]\n")
             == "job.ini:3: section [job] appears twice (first at line 1)");
}

BOOST_AUTO_TEST_CASE(an_unreadable_file_is_named) {
  temp_dir dir;
  auto missing = dir.file("missing.ini");
  auto doc = ini_document::read(missing);
  BOOST_TEST_REQUIRE(!doc);
  BOOST_TEST(doc.error() == errc::unreadable_file);
  BOOST_TEST(protocol::describe(doc.error())
             == missing
                  + ": cannot read the job file: No such file or "
                    "directory");
  auto folder = dir.path().string();
  auto not_a_file = ini_document::read(folder);
  BOOST_TEST_REQUIRE(!not_a_file);
  BOOST_TEST(protocol::describe(not_a_file.error())
             == folder + ": cannot read the job file: it is a directory");
}

BOOST_AUTO_TEST_SUITE_END()
