#include "state/sqlite_db.hpp"

#include "state/errc.hpp"

#include <sqlite3.h>

namespace sluice::state {

// -- sqlite_statement ---------------------------------------------------------

sqlite_statement::sqlite_statement(sqlite_statement&& other) noexcept
    : db_(other.db_), stmt_(other.stmt_), sql_(std::move(other.sql_)) {
  other.stmt_ = nullptr;
}

sqlite_statement&
sqlite_statement::operator=(sqlite_statement&& other) noexcept {
  std::swap(db_, other.db_);
  std::swap(stmt_, other.stmt_);
  std::swap(sql_, other.sql_);
  return *this;
}

sqlite_statement::~sqlite_statement() {
  if (stmt_ != nullptr)
    sqlite3_finalize(stmt_);
}

sqlite_statement& sqlite_statement::bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

sqlite_statement& sqlite_statement::bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()),
                    SQLITE_TRANSIENT);
  return *this;
}

sqlite_statement& sqlite_statement::bind_blob(int index,
                                              std::string_view bytes) {
  // Not copied: snapshots run to megabytes, and the caller keeps them.
  sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_STATIC);
  return *this;
}

sqlite_statement& sqlite_statement::bind_null(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

caf::expected<bool> sqlite_statement::step() {
  auto rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW)
    return true;
  if (rc == SQLITE_DONE)
    return false;
  return db_->failure("running '" + sql_ + "'");
}

caf::error sqlite_statement::run() {
  for (;;) {
    auto row = step();
    if (!row)
      return std::move(row.error());
    if (!*row)
      return caf::none;
  }
}

int64_t sqlite_statement::column_int(int index) const {
  return sqlite3_column_int64(stmt_, index);
}

std::optional<int64_t> sqlite_statement::column_optional_int(int index) const {
  if (sqlite3_column_type(stmt_, index) == SQLITE_NULL)
    return std::nullopt;
  return sqlite3_column_int64(stmt_, index);
}

std::string sqlite_statement::column_text(int index) const {
  auto p = sqlite3_column_text(stmt_, index);
  auto n = sqlite3_column_bytes(stmt_, index);
  return p == nullptr ? std::string{}
                      : std::string{reinterpret_cast<const char*>(p),
                                    static_cast<size_t>(n)};
}

std::string sqlite_statement::column_blob(int index) const {
  auto p = sqlite3_column_blob(stmt_, index);
  auto n = sqlite3_column_bytes(stmt_, index);
  return p == nullptr
           ? std::string{}
           : std::string{static_cast<const char*>(p), static_cast<size_t>(n)};
}

// -- sqlite_db ----------------------------------------------------------------

caf::expected<sqlite_db> sqlite_db::open(const std::string& path) {
  sqlite3* raw = nullptr;
  auto rc = sqlite3_open_v2(path.c_str(), &raw,
                            SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                              | SQLITE_OPEN_FULLMUTEX,
                            nullptr);
  sqlite_db db{raw, path};
  if (rc != SQLITE_OK)
    return db.failure("opening");
  sqlite3_busy_timeout(raw, 10000);
  // Large pages for a new file (an existing one keeps its own): a snapshot
  // of megabytes is a chain of overflow pages, and storing 7 MB took 60 ms
  // of CPU with SQLite's default of 4 KiB, 18 ms so.
  if (auto err = db.exec("PRAGMA page_size=" + std::to_string(page_size)))
    return err;
  if (auto err = db.exec("PRAGMA journal_mode=WAL"))
    return err;
  if (auto err = db.exec("PRAGMA synchronous=FULL"))
    return err;
  return db;
}

sqlite_db::sqlite_db(sqlite_db&& other) noexcept
    : db_(other.db_), path_(std::move(other.path_)) {
  other.db_ = nullptr;
}

sqlite_db& sqlite_db::operator=(sqlite_db&& other) noexcept {
  std::swap(db_, other.db_);
  std::swap(path_, other.path_);
  return *this;
}

sqlite_db::~sqlite_db() {
  if (db_ != nullptr)
    sqlite3_close_v2(db_);
}

caf::error sqlite_db::exec(const std::string& sql) {
  char* message = nullptr;
  auto rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
  if (rc == SQLITE_OK)
    return caf::none;
  std::string text = message != nullptr ? message : sqlite3_errstr(rc);
  sqlite3_free(message);
  return caf::make_error(errc::storage_failed, "checkpoint store '" + path_
                                                 + "': " + text + " (running '"
                                                 + sql + "')");
}

caf::expected<sqlite_statement> sqlite_db::prepare(const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK)
    return failure("preparing '" + sql + "'");
  return sqlite_statement{this, stmt, sql};
}

int sqlite_db::changes() const noexcept {
  return sqlite3_changes(db_);
}

caf::error sqlite_db::failure(const std::string& what) const {
  std::string text = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
  return caf::make_error(errc::storage_failed, "checkpoint store '" + path_
                                                 + "': " + text + " (" + what
                                                 + ")");
}

} // namespace sluice::state
