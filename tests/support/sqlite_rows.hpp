#pragma once

#include <sqlite3.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace sluice::testing {

/// The rows a query returns from the database at `path`, each as its
/// values joined by '|' (NULL as "NULL"). Throws with SQLite's message.
inline std::vector<std::string> sqlite_rows(const std::string& path,
                                            const std::string& sql) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr)
      != SQLITE_OK) {
    sqlite3_close(db);
    throw std::runtime_error("cannot open " + path);
  }
  std::vector<std::string> rows;
  auto collect = [](void* into, int n, char** values, char**) {
    std::string row;
    for (int i = 0; i < n; ++i)
      row += (i > 0 ? "|" : "") + std::string{values[i] ? values[i] : "NULL"};
    static_cast<std::vector<std::string>*>(into)->push_back(row);
    return 0;
  };
  char* err = nullptr;
  auto rc = sqlite3_exec(db, sql.c_str(), collect, &rows, &err);
  std::string text = err != nullptr ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  if (rc != SQLITE_OK)
    throw std::runtime_error("'" + sql + "' on " + path + ": " + text);
  return rows;
}

} // namespace sluice::testing
