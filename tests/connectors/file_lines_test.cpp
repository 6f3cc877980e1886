#include "connectors/file_lines_sink.hpp"
#include "connectors/file_lines_source.hpp"
#include "connectors/line_format.hpp"
#include "connectors/line_reader.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/text.hpp"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace sluice;
using sluice::testing::read_file;
using sluice::testing::temp_dir;

namespace {

std::unique_ptr<protocol::output_router<std::string>> router() {
  auto r = std::make_unique<protocol::output_router<std::string>>(1024);
  r->add_edge(std::make_unique<protocol::forward_writer<std::string>>());
  return r;
}

/// Pulls everything the source has, `per_pull` records at a time.
std::vector<std::string> drain(operators::source_instance& src,
                               uint64_t per_pull) {
  struct keep : protocol::batch_shipper {
    std::vector<std::string> lines;
    void ship(uint32_t, protocol::record_payload&& xs) override {
      auto got = xs.take<std::string>();
      lines.insert(lines.end(), got->begin(), got->end());
    }
    void ship_barrier(uint32_t, const protocol::barrier_mark&) override {}
    void ship_latency_marker(uint32_t, int64_t) override {}
  } out;
  src.output().grant(0, 1u << 30);
  for (;;) {
    auto r = src.pull(per_pull);
    src.output().flush(protocol::flush_mode::everything, out);
    if (r.status == operators::pull_status::exhausted)
      return out.lines;
  }
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out{path, std::ios::binary};
  out << text;
}

} // namespace

BOOST_AUTO_TEST_SUITE(file_lines_tests)

BOOST_AUTO_TEST_CASE(reads_lines_without_their_breaks) {
  temp_dir dir;
  write_file(dir.file("in.txt"), "one\r\ntwo\n\nlast without break");
  connectors::file_lines_instance src{dir.file("in.txt"), router()};
  auto lines = drain(src, 2);
  BOOST_TEST(
    lines == (std::vector<std::string>{"one", "two", "", "last without break"}),
    boost::test_tools::per_element());
  BOOST_TEST(src.offset() == 28u); // every byte of the file
}

BOOST_AUTO_TEST_CASE(resumes_at_its_offset) {
  temp_dir dir;
  write_file(dir.file("in.txt"), "a\nbb\nccc\ndddd\n");
  uint64_t offset = 0;
  {
    connectors::file_lines_instance src{dir.file("in.txt"), router()};
    src.output().grant(0, 100);
    static_cast<void>(src.pull(2)); // "a", "bb"
    offset = src.offset();
  }
  BOOST_TEST(offset == 5u);
  connectors::file_lines_instance src{dir.file("in.txt"), router()};
  src.seek(offset);
  auto rest = drain(src, 10);
  BOOST_TEST(rest == (std::vector<std::string>{"ccc", "dddd"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(lines_longer_than_the_read_buffer_arrive_whole) {
  temp_dir dir;
  auto long_line = std::string(200000, 'x');
  write_file(dir.file("in.txt"), "a\n" + long_line + "\r\nb");
  connectors::file_lines_instance src{dir.file("in.txt"), router()};
  BOOST_TEST((drain(src, 1) == std::vector<std::string>{"a", long_line, "b"}));
}

BOOST_AUTO_TEST_CASE(a_resumed_reader_checks_the_file_against_its_fingerprint) {
  temp_dir dir;
  auto path = dir.file("in.txt");
  write_file(path, "one\ntwo\n");
  connectors::file_fingerprint fp;
  {
    connectors::line_reader first{path};
    std::string line;
    while (first.next(line))
      ;
    fp = first.fingerprint();
  }
  // What a reader resumed at byte 8 with that fingerprint reads first from
  // the file as `text` has it; or why it refuses to.
  auto message = [&](const std::string& text) {
    write_file(path, text);
    try {
      connectors::line_reader reader{path};
      reader.seek(8, fp);
      std::string line;
      return reader.next(line)
               ? line + " (line " + std::to_string(reader.lines()) + ")"
               : std::string{"(end)"};
    } catch (const std::runtime_error& e) {
      return std::string{e.what()};
    }
  };
  // Grown by whole lines: reads on, line numbers going on too.
  BOOST_TEST(message("one\ntwo\nthree\n") == "three (line 3)");
  BOOST_TEST(message("one\ntwo\n") == "(end)");
  BOOST_TEST(message("one\n")
             == "'" + path
                  + "' has 4 bytes, but the checkpoint "
                    "read it up to byte 8 (line 2): the "
                    "file was cut back or replaced since; "
                    "start afresh (--fresh) to read it "
                    "from the beginning");
  BOOST_TEST(message("ONE\ntwo\nthree\n")
               .find("differs from the file the "
                     "checkpoint read up to byte 8")
             != std::string::npos);
  BOOST_TEST(message("one\nTWO\n").find("differs") != std::string::npos);
  // A checkpoint without a fingerprint (taken before there were any):
  // resumes unchecked, and counts the lines before the offset.
  write_file(path, "ONE\nTWO\nthree\n");
  connectors::line_reader reader{path};
  reader.seek(8, std::nullopt);
  std::string line;
  BOOST_TEST(reader.next(line));
  BOOST_TEST(line == "three");
  BOOST_TEST(reader.lines() == 3u);
}

BOOST_AUTO_TEST_CASE(a_missing_file_is_an_error_naming_it) {
  temp_dir dir;
  try {
    connectors::file_lines_instance src{dir.file("absent.txt"), router()};
    BOOST_FAIL("opened a file that does not exist");
  } catch (const std::runtime_error& e) {
    std::string what = e.what();
    BOOST_TEST(what.find("absent.txt") != std::string::npos, what);
    BOOST_TEST(what.find("No such file") != std::string::npos, what);
  }
}

BOOST_AUTO_TEST_CASE(writer_reports_a_file_it_cannot_create) {
  temp_dir dir;
  try {
    connectors::line_file_writer w{dir.file("no/such/dir/out.txt")};
    BOOST_FAIL("created a file in a missing directory");
  } catch (const std::runtime_error& e) {
    std::string what = e.what();
    BOOST_TEST(what.find("no/such/dir/out.txt") != std::string::npos, what);
  }
}

BOOST_AUTO_TEST_CASE(writer_reports_a_full_disk) {
  // /dev/full fails every write with ENOSPC, like a full disk.
  connectors::line_file_writer w{"/dev/full"};
  try {
    w.write(std::string(1 << 20, 'x')); // larger than the stream's buffer
    w.close();
    BOOST_FAIL("wrote to a full device without an error");
  } catch (const std::runtime_error& e) {
    std::string what = e.what();
    BOOST_TEST(what.find("/dev/full") != std::string::npos, what);
    BOOST_TEST(what.find("No space left") != std::string::npos, what);
  }
}

BOOST_AUTO_TEST_CASE(lines_of_records_and_instance_files) {
  std::string text;
  connectors::append_line(text, std::make_pair(std::string{"word"}, 3));
  BOOST_TEST(text == "word\t3");
  BOOST_TEST(connectors::instance_path("out.txt", 0, 1) == "out.txt");
  BOOST_TEST(connectors::instance_path("dir/out.txt", 1, 2) == "dir/out-1.txt");
  BOOST_TEST(connectors::instance_path("d.x/out", 1, 2) == "d.x/out-1");
  BOOST_TEST(connectors::instance_path(".hidden", 0, 2) == ".hidden-0");
}

BOOST_AUTO_TEST_CASE(written_lines_read_back) {
  temp_dir dir;
  {
    connectors::line_file_writer w{dir.file("out.txt")};
    w.write("a\nb\n");
    w.close();
  }
  BOOST_TEST(read_file(dir.file("out.txt")) == "a\nb\n");
}

BOOST_AUTO_TEST_SUITE_END()
