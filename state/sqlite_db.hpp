#pragma once

#include <caf/error.hpp>
#include <caf/expected.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace sluice::state {

class sqlite_db;

/// A prepared SQLite statement; move-only. Bind indexes start at 1.
class sqlite_statement {
public:
  sqlite_statement() = default;
  sqlite_statement(sqlite_statement&& other) noexcept;
  sqlite_statement& operator=(sqlite_statement&& other) noexcept;
  sqlite_statement(const sqlite_statement&) = delete;
  sqlite_statement& operator=(const sqlite_statement&) = delete;
  ~sqlite_statement();

  sqlite_statement& bind(int index, int64_t value);
  sqlite_statement& bind(int index, std::string_view text);
  /// Binds `bytes` without copying them: they must outlive this statement.
  sqlite_statement& bind_blob(int index, std::string_view bytes);
  sqlite_statement& bind_null(int index);

  /// Runs one step: true while a row is available.
  [[nodiscard]] caf::expected<bool> step();

  /// Runs to completion (for statements without rows).
  [[nodiscard]] caf::error run();

  int64_t column_int(int index) const;
  std::optional<int64_t> column_optional_int(int index) const;
  std::string column_text(int index) const;
  std::string column_blob(int index) const;

private:
  friend class sqlite_db;
  sqlite_statement(const sqlite_db* db, sqlite3_stmt* stmt, std::string sql)
      : db_(db), stmt_(stmt), sql_(std::move(sql)) {}

  const sqlite_db* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  std::string sql_;
};

/// An open SQLite database; move-only. Every failure becomes
/// `errc::storage_failed` with SQLite's message and the file's path.
class sqlite_db {
public:
  /// The page size of files this class creates: SQLite's largest.
  static constexpr int page_size = 65536;

  /// Opens (creating) `path` in WAL mode with synchronous=FULL: a commit is
  /// durable when it returns.
  [[nodiscard]] static caf::expected<sqlite_db> open(const std::string& path);

  sqlite_db(sqlite_db&& other) noexcept;
  sqlite_db& operator=(sqlite_db&& other) noexcept;
  sqlite_db(const sqlite_db&) = delete;
  sqlite_db& operator=(const sqlite_db&) = delete;
  ~sqlite_db();

  [[nodiscard]] caf::error exec(const std::string& sql);

  [[nodiscard]] caf::expected<sqlite_statement> prepare(const std::string& sql);

  /// Rows the last INSERT, UPDATE or DELETE changed.
  int changes() const noexcept;

  /// The error for SQLite's last failure while doing `what`.
  caf::error failure(const std::string& what) const;

  const std::string& path() const noexcept { return path_; }

private:
  sqlite_db(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

  sqlite3* db_ = nullptr;
  std::string path_;
};

/// Runs `body` in a transaction: committed when it returns no error, rolled
/// back otherwise.
template <class F>
caf::error in_transaction(sqlite_db& db, F&& body) {
  if (auto err = db.exec("BEGIN IMMEDIATE"))
    return err;
  if (auto err = body()) {
    static_cast<void>(
      db.exec("ROLLBACK")); // the first error is the one to report
    return err;
  }
  return db.exec("COMMIT");
}

} // namespace sluice::state
