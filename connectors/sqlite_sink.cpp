#include "connectors/sqlite_sink.hpp"

#include "connectors/fence_check.hpp"

#include <sqlite3.h>

#include <stdexcept>

namespace sluice::connectors {

namespace {

std::string quote(const std::string& name) {
  return "\"" + name + "\"";
}

const char* sql_type(sqlite_type x) {
  switch (x) {
  case sqlite_type::integer:
    return "INTEGER";
  case sqlite_type::real:
    return "REAL";
  case sqlite_type::text:
    return "TEXT";
  }
  return "";
}

/// A prepared statement, finalized on destruction.
class statement {
public:
  statement(sqlite3* db, const std::string& sql) {
    if (sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()),
                           &stmt_, nullptr)
        != SQLITE_OK)
      stmt_ = nullptr;
  }

  ~statement() { sqlite3_finalize(stmt_); }

  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;

  explicit operator bool() const noexcept { return stmt_ != nullptr; }

  sqlite3_stmt* get() const noexcept { return stmt_; }

  void bind(int index, const sqlite_value& x) {
    if (auto i = std::get_if<int64_t>(&x))
      sqlite3_bind_int64(stmt_, index, *i);
    else if (auto d = std::get_if<double>(&x))
      sqlite3_bind_double(stmt_, index, *d);
    else {
      auto& text = std::get<std::string>(x);
      sqlite3_bind_text(stmt_, index, text.data(),
                        static_cast<int>(text.size()), SQLITE_TRANSIENT);
    }
  }

  void bind(int index, const std::string& text) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()),
                      SQLITE_TRANSIENT);
  }

  void bind(int index, int64_t x) { sqlite3_bind_int64(stmt_, index, x); }

  /// SQLITE_ROW, SQLITE_DONE or an error code.
  int step() { return sqlite3_step(stmt_); }

  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

private:
  sqlite3_stmt* stmt_ = nullptr;
};

} // namespace

sqlite_table_writer::sqlite_table_writer(sqlite_table table, std::string sink,
                                         uint32_t instance)
    : table_(std::move(table)), sink_(std::move(sink)), instance_(instance) {
  try {
    open();
  } catch (...) {
    sqlite3_close_v2(db_); // the destructor does not run
    throw;
  }
}

void sqlite_table_writer::open() {
  if (sqlite3_open_v2(table_.path.c_str(), &db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr)
      != SQLITE_OK)
    fail("opening the database");
  // Several instances write one file: each waits for the others' locks.
  sqlite3_busy_timeout(db_, 60000);
  // Switching to WAL takes an exclusive lock, for which SQLite does not
  // call the busy handler: instances that open one new file at once retry.
  for (int attempt = 1;; ++attempt) {
    auto rc
      = sqlite3_exec(db_, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK)
      break;
    if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || attempt == 6000)
      fail("switching to WAL");
    sqlite3_sleep(10);
  }
  // A pre-commit must be durable when it returns (rule C4).
  exec("PRAGMA synchronous=FULL");
  staged_ = "sluice_staged_" + table_.name;
  std::string columns;
  std::string placeholders;
  for (auto& c : table_.columns) {
    columns
      += (columns.empty() ? "" : ", ") + quote(c.name) + " " + sql_type(c.type);
    column_list_ += (column_list_.empty() ? "" : ", ") + quote(c.name);
    placeholders += placeholders.empty() ? "?" : ", ?";
  }
  std::string key;
  for (auto& k : table_.key)
    key += (key.empty() ? "" : ", ") + quote(k);
  exec("CREATE TABLE IF NOT EXISTS " + quote(table_.name) + " (" + columns
       + (key.empty() ? "" : ", PRIMARY KEY (" + key + ")") + ")");
  exec("CREATE TABLE IF NOT EXISTS " + quote(staged_)
       + " (sluice_sink TEXT NOT NULL, sluice_instance INTEGER NOT NULL, "
         "sluice_checkpoint INTEGER, "
       + columns + ")");
  exec("CREATE INDEX IF NOT EXISTS " + quote(staged_ + "_epoch") + " ON "
       + quote(staged_) + " (sluice_sink, sluice_instance, sluice_checkpoint)");
  exec("CREATE TABLE IF NOT EXISTS sluice_sink_commits (sink TEXT NOT NULL, "
       "instance INTEGER NOT NULL, checkpoint INTEGER NOT NULL, "
       "committed_at TEXT NOT NULL, PRIMARY KEY (sink, instance))");
  auto verb = table_.key.empty() ? "INSERT INTO " : "INSERT OR REPLACE INTO ";
  insert_now_ = verb + quote(table_.name) + " (" + column_list_ + ") VALUES ("
                + placeholders + ")";
  insert_staged_ = "INSERT INTO " + quote(staged_)
                   + " (sluice_sink, sluice_instance, sluice_checkpoint, "
                   + column_list_ + ") VALUES (?, ?, NULL, " + placeholders
                   + ")";
}

sqlite_table_writer::~sqlite_table_writer() {
  sqlite3_close_v2(db_);
}

std::string sqlite_table_writer::description() const {
  return "SQLite sink '" + sink_ + "' instance " + std::to_string(instance_)
         + " on table '" + table_.name + "' in '" + table_.path + "'";
}

void sqlite_table_writer::fail(const std::string& what) {
  std::string text
    = "SQLite sink '" + sink_ + "' on '" + table_.path + "': " + what;
  if (db_ != nullptr) {
    text += std::string{": "} + sqlite3_errmsg(db_);
    if (!sqlite3_get_autocommit(db_))
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  throw std::runtime_error(text);
}

void sqlite_table_writer::exec(const std::string& sql) {
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK)
    fail("running '" + sql + "'");
}

void sqlite_table_writer::insert(row_target to,
                                 const std::vector<sqlite_row>& rows) {
  if (rows.empty())
    return;
  auto staged = to == row_target::staging;
  auto& sql = staged ? insert_staged_ : insert_now_;
  statement stmt{db_, sql};
  if (!stmt)
    fail("preparing '" + sql + "'");
  for (auto& row : rows) {
    if (row.size() != table_.columns.size())
      fail("a row of " + std::to_string(row.size()) + " values for "
           + std::to_string(table_.columns.size()) + " columns");
    int i = 1;
    if (staged) {
      stmt.bind(i++, sink_);
      stmt.bind(i++, static_cast<int64_t>(instance_));
    }
    for (auto& value : row)
      stmt.bind(i++, value);
    if (stmt.step() != SQLITE_DONE)
      fail("inserting a row");
    stmt.reset();
  }
}

void sqlite_table_writer::write(const std::vector<sqlite_row>& rows) {
  if (rows.empty())
    return;
  exec("BEGIN IMMEDIATE");
  insert(row_target::table, rows);
  exec("COMMIT");
}

void sqlite_table_writer::stage(const std::vector<sqlite_row>& rows) {
  if (rows.empty())
    return;
  exec("BEGIN IMMEDIATE");
  insert(row_target::staging, rows);
  exec("COMMIT");
}

void sqlite_table_writer::pre_commit(protocol::checkpoint_id id,
                                     const std::vector<sqlite_row>& rows) {
  exec("BEGIN IMMEDIATE");
  insert(row_target::staging, rows);
  statement mark{db_, "UPDATE " + quote(staged_)
                        + " SET sluice_checkpoint = ? WHERE sluice_sink = ? "
                          "AND sluice_instance = ? AND sluice_checkpoint IS "
                          "NULL"};
  if (!mark)
    fail("preparing the pre-commit");
  mark.bind(1, static_cast<int64_t>(protocol::to_integer(id)));
  mark.bind(2, sink_);
  mark.bind(3, static_cast<int64_t>(instance_));
  if (mark.step() != SQLITE_DONE)
    fail("pre-committing " + protocol::to_string(id));
  exec("COMMIT");
}

uint64_t sqlite_table_writer::fence() {
  statement get{db_, "SELECT checkpoint FROM sluice_sink_commits WHERE "
                     "sink = ? AND instance = ?"};
  if (!get)
    fail("preparing to read the fence");
  get.bind(1, sink_);
  get.bind(2, static_cast<int64_t>(instance_));
  auto rc = get.step();
  if (rc == SQLITE_ROW)
    return static_cast<uint64_t>(sqlite3_column_int64(get.get(), 0));
  if (rc != SQLITE_DONE)
    fail("reading the fence");
  return 0;
}

void sqlite_table_writer::commit(protocol::checkpoint_id id) {
  auto n = static_cast<int64_t>(protocol::to_integer(id));
  exec("BEGIN IMMEDIATE");
  // The fence makes a repeated commit a no-op (rule C5): the check and the
  // move happen in one transaction.
  if (fence() >= static_cast<uint64_t>(n)) {
    exec("COMMIT");
    return;
  }
  auto verb = table_.key.empty() ? "INSERT INTO " : "INSERT OR REPLACE INTO ";
  statement move{db_, verb + quote(table_.name) + " (" + column_list_
                        + ") SELECT " + column_list_ + " FROM " + quote(staged_)
                        + " WHERE sluice_sink = ? AND sluice_instance = ? AND "
                          "sluice_checkpoint <= ? ORDER BY rowid"};
  statement drop{db_, "DELETE FROM " + quote(staged_)
                        + " WHERE sluice_sink = ? AND sluice_instance = ? AND "
                          "sluice_checkpoint <= ?"};
  statement fence_row{db_, "INSERT OR REPLACE INTO sluice_sink_commits (sink, "
                           "instance, checkpoint, committed_at) VALUES (?, ?, "
                           "?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"};
  if (!move || !drop || !fence_row)
    fail("preparing to commit " + protocol::to_string(id));
  for (auto* stmt : {&move, &drop, &fence_row}) {
    stmt->bind(1, sink_);
    stmt->bind(2, static_cast<int64_t>(instance_));
    stmt->bind(3, n);
    if (stmt->step() != SQLITE_DONE)
      fail("committing " + protocol::to_string(id));
  }
  exec("COMMIT");
}

void sqlite_table_writer::start_fresh(bool start_over) {
  check_fence(description(), fence(), std::nullopt, start_over);
  exec("BEGIN IMMEDIATE");
  statement drop{db_, "DELETE FROM " + quote(staged_)
                        + " WHERE sluice_sink = ? AND sluice_instance = ?"};
  statement unfence{db_, "DELETE FROM sluice_sink_commits WHERE sink = ? AND "
                         "instance = ?"};
  if (!drop || !unfence)
    fail("preparing a fresh start");
  for (auto* stmt : {&drop, &unfence}) {
    stmt->bind(1, sink_);
    stmt->bind(2, static_cast<int64_t>(instance_));
    if (stmt->step() != SQLITE_DONE)
      fail("starting fresh");
  }
  exec("COMMIT");
}

void sqlite_table_writer::recover(protocol::checkpoint_id id) {
  check_fence(description(), fence(), id, false);
  exec("BEGIN IMMEDIATE");
  statement drop{db_, "DELETE FROM " + quote(staged_)
                        + " WHERE sluice_sink = ? AND sluice_instance = ? AND "
                          "(sluice_checkpoint IS NULL OR sluice_checkpoint > "
                          "?)"};
  if (!drop)
    fail("preparing to recover");
  drop.bind(1, sink_);
  drop.bind(2, static_cast<int64_t>(instance_));
  drop.bind(3, static_cast<int64_t>(protocol::to_integer(id)));
  if (drop.step() != SQLITE_DONE)
    fail("dropping rows staged after " + protocol::to_string(id));
  exec("COMMIT");
  commit(id);
}

} // namespace sluice::connectors
