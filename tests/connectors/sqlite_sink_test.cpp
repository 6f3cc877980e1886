#include "connectors/sqlite_sink.hpp"

#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>
#include <sqlite3.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

using namespace sluice;
using namespace sluice::connectors;
using protocol::checkpoint_id;
using sluice::testing::temp_dir;

namespace {

struct fixture {
  temp_dir dir;

  sqlite_table table(std::vector<std::string> key = {}) {
    return sqlite_table{
      dir.file("out.db"),
      "sales",
      {{"region", sqlite_type::text}, {"amount", sqlite_type::real}},
      std::move(key)};
  }

  /// The table's rows as "region|amount", in insertion order.
  std::vector<std::string> rows(const std::string& sql
                                = "SELECT region, amount FROM sales ORDER BY "
                                  "rowid") {
    sqlite3* db = nullptr;
    BOOST_TEST_REQUIRE(sqlite3_open(dir.file("out.db").c_str(), &db)
                       == SQLITE_OK);
    std::vector<std::string> result;
    auto collect = [](void* into, int n, char** values, char**) {
      std::string row;
      for (int i = 0; i < n; ++i)
        row += (i > 0 ? "|" : "") + std::string{values[i] ? values[i] : "NULL"};
      static_cast<std::vector<std::string>*>(into)->push_back(row);
      return 0;
    };
    auto rc = sqlite3_exec(db, sql.c_str(), collect, &result, nullptr);
    sqlite3_close(db);
    BOOST_TEST_REQUIRE(rc == SQLITE_OK);
    return result;
  }
};

sqlite_row row(std::string region, double amount) {
  return {std::move(region), amount};
}

using strings = std::vector<std::string>;

} // namespace

BOOST_FIXTURE_TEST_SUITE(sqlite_sink_tests, fixture)

BOOST_AUTO_TEST_CASE(without_checkpoints_rows_are_visible_at_once) {
  sqlite_table_writer w{table(), "job/sink", 0};
  w.write({row("north", 1.5), row("south", 2)});
  BOOST_TEST(rows() == (strings{"north|1.5", "south|2.0"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(staged_rows_show_only_when_their_checkpoint_commits) {
  sqlite_table_writer w{table(), "job/sink", 0};
  w.stage({row("a", 1)});                        // epoch 1, in progress
  w.pre_commit(checkpoint_id{1}, {row("b", 2)}); // epoch 1 ends
  w.pre_commit(checkpoint_id{2}, {row("c", 3)}); // epoch 2 ends
  BOOST_TEST(rows().empty());
  w.commit(checkpoint_id{1});
  BOOST_TEST(rows() == (strings{"a|1.0", "b|2.0"}),
             boost::test_tools::per_element());
  BOOST_TEST(w.fence() == 1u);
  w.commit(checkpoint_id{2});
  BOOST_TEST(rows() == (strings{"a|1.0", "b|2.0", "c|3.0"}),
             boost::test_tools::per_element());
  BOOST_TEST(rows("SELECT sink, instance, checkpoint FROM sluice_sink_commits")
               == (strings{"job/sink|0|2"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_repeated_commit_is_a_no_op) {
  sqlite_table_writer w{table(), "job/sink", 0};
  w.pre_commit(checkpoint_id{1}, {row("a", 1)});
  w.commit(checkpoint_id{1});
  w.commit(checkpoint_id{1});
  // Rows staged again under an id the fence covers stay invisible.
  w.pre_commit(checkpoint_id{1}, {row("again", 1)});
  w.commit(checkpoint_id{1});
  BOOST_TEST(rows() == (strings{"a|1.0"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_restore_drops_later_epochs_and_finishes_its_commit) {
  {
    sqlite_table_writer w{table(), "job/sink", 0};
    w.pre_commit(checkpoint_id{1}, {row("a", 1)});
    w.pre_commit(checkpoint_id{2}, {row("b", 2)}); // never completes
    w.stage({row("c", 3)});                        // in progress
    // The instance fails before checkpoint 1 committed.
  }
  sqlite_table_writer w{table(), "job/sink", 0};
  w.recover(checkpoint_id{1});
  BOOST_TEST(rows() == (strings{"a|1.0"}), boost::test_tools::per_element());
  BOOST_TEST(rows("SELECT COUNT(*) FROM sluice_staged_sales") == (strings{"0"}),
             boost::test_tools::per_element());
  // The replayed epoch commits once under its new checkpoint.
  w.pre_commit(checkpoint_id{3}, {row("b", 2), row("c", 3)});
  w.recover(checkpoint_id{1}); // a second failure changes nothing committed
  w.pre_commit(checkpoint_id{3}, {row("b", 2), row("c", 3)});
  w.commit(checkpoint_id{3});
  BOOST_TEST(rows() == (strings{"a|1.0", "b|2.0", "c|3.0"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(instances_and_sinks_keep_their_own_epochs) {
  sqlite_table_writer first{table(), "job/sink", 0};
  sqlite_table_writer second{table(), "job/sink", 1};
  sqlite_table_writer other{table(), "other/sink", 0};
  first.pre_commit(checkpoint_id{1}, {row("first", 1)});
  second.pre_commit(checkpoint_id{1}, {row("second", 1)});
  other.pre_commit(checkpoint_id{1}, {row("other", 1)});
  second.commit(checkpoint_id{1});
  BOOST_TEST(rows() == (strings{"second|1.0"}),
             boost::test_tools::per_element());
  other.start_fresh(false); // forgets only its own staged rows
  first.commit(checkpoint_id{1});
  other.commit(checkpoint_id{1});
  BOOST_TEST(rows() == (strings{"second|1.0", "first|1.0"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_fence_refuses_a_fresh_start_unless_starting_over) {
  {
    sqlite_table_writer w{table(), "job/sink", 0};
    w.pre_commit(checkpoint_id{5}, {row("a", 1)});
    w.commit(checkpoint_id{5});
  }
  // The job's store lost its history: starting from the beginning would
  // write checkpoint 5's rows again.
  sqlite_table_writer w{table(), "job/sink", 0};
  try {
    w.start_fresh(false);
    BOOST_FAIL("a fresh start behind the fence was accepted");
  } catch (const std::runtime_error& e) {
    std::string text = e.what();
    BOOST_TEST(text.find("SQLite sink 'job/sink' instance 0 on table 'sales' "
                         "in '"
                         + dir.file("out.db")
                         + "' committed checkpoint 5, but the job's "
                           "checkpoint store holds no checkpoint")
                 == 0u,
               text);
    BOOST_TEST(text.find("--fresh") != std::string::npos, text);
  }
  BOOST_TEST(w.fence() == 5u);
  // Asked to start over, it forgets the fence; the new store's ids start
  // at 1 again.
  w.start_fresh(true);
  BOOST_TEST(w.fence() == 0u);
  w.pre_commit(checkpoint_id{1}, {row("b", 2)});
  w.commit(checkpoint_id{1});
  BOOST_TEST(rows() == (strings{"a|1.0", "b|2.0"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_restore_behind_the_fence_is_refused) {
  {
    sqlite_table_writer w{table(), "job/sink", 0};
    w.pre_commit(checkpoint_id{3}, {row("a", 1)});
    w.commit(checkpoint_id{3});
    w.pre_commit(checkpoint_id{5}, {row("b", 2)});
    w.commit(checkpoint_id{5});
    w.pre_commit(checkpoint_id{6}, {row("c", 3)}); // never completes
  }
  // Checkpoint 5 is damaged: the job would fall back to 3 and write b again.
  sqlite_table_writer w{table(), "job/sink", 0};
  BOOST_CHECK_EXCEPTION(w.recover(checkpoint_id{3}), std::runtime_error,
                        [](const std::runtime_error& e) {
                          std::string text = e.what();
                          return text.find("committed checkpoint 5, but the "
                                           "job would resume from the older "
                                           "checkpoint 3")
                                 != std::string::npos;
                        });
  BOOST_TEST(rows() == (strings{"a|1.0", "b|2.0"}),
             boost::test_tools::per_element());
  // Resuming from the checkpoint it committed last is what it expects.
  w.recover(checkpoint_id{5});
  BOOST_TEST(w.fence() == 5u);
}

BOOST_AUTO_TEST_CASE(a_key_makes_rows_replace_their_predecessor) {
  sqlite_table_writer w{table({"region"}), "job/sink", 0};
  w.write({row("north", 1), row("south", 2), row("north", 3)});
  BOOST_TEST(rows("SELECT region, amount FROM sales ORDER BY region")
               == (strings{"north|3.0", "south|2.0"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(rows_become_visible_only_through_a_commit) {
  // Rule O1: `finish` runs at the final barrier, before the final epoch is
  // pre-committed; writing the open epoch there made it visible before its
  // checkpoint completed, and a restart wrote it again.
  operators::instance_context ctx;
  ctx.job = "job";
  ctx.stage = "sink";
  ctx.checkpointing = true;
  auto to_row = [](const std::pair<std::string, double>& x) {
    return sqlite_row{x.first, x.second};
  };
  write_sqlite<std::pair<std::string, double>, decltype(to_row)> spec{table(),
                                                                      to_row};
  auto sink = spec.make_instance(ctx);
  sink->open(std::nullopt);
  sink->process(
    0, protocol::record_payload::of(
         std::vector<std::pair<std::string, double>>{{"a", 1}, {"b", 2}}));
  sink->finish();
  BOOST_TEST(rows().empty());
  static_cast<void>(sink->pre_commit(checkpoint_id{1}));
  sink->close();
  BOOST_TEST(rows().empty());
  sink->commit(checkpoint_id{1});
  BOOST_TEST(rows() == (strings{"a|1.0", "b|2.0"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(failures_name_the_database) {
  auto bad = table();
  bad.path = dir.file("missing/out.db");
  try {
    sqlite_table_writer w{bad, "job/sink", 0};
    BOOST_FAIL("no exception");
  } catch (const std::runtime_error& e) {
    BOOST_TEST(std::string{e.what()}
               == "SQLite sink 'job/sink' on '" + bad.path
                    + "': opening the database: unable to open database file");
  }
}

BOOST_AUTO_TEST_SUITE_END()
