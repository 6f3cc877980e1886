#include "jobs/transforms.hpp"

#include "jobs/tab_separated.hpp"
#include "tests/support/caf_printing.hpp"

#include <boost/test/unit_test.hpp>

#include <stdexcept>
#include <string>
#include <vector>

using namespace sluice;
using namespace sluice::jobs;
using config::field_type;

namespace {

/// What `fn` emits for a record of one text field.
template <class Fn>
std::vector<record> apply(const Fn& fn, const std::string& text) {
  std::vector<record> out;
  operators::emitter<record> emit{out};
  fn(record{{text}}, emit);
  return out;
}

record rec(std::vector<field_value> xs) {
  return record{std::move(xs)};
}

config::extract_options csv_options(std::vector<size_t> columns,
                                    config::on_error errors
                                    = config::on_error::fail) {
  config::extract_options opts;
  opts.columns = std::move(columns);
  opts.errors = errors;
  return opts;
}

} // namespace

BOOST_AUTO_TEST_SUITE(transforms_tests)

BOOST_AUTO_TEST_CASE(split_words_emits_each_run_of_non_space) {
  split_words split{config::split_words_options{0}};
  auto words = apply(split, "  the\tquick  brown\r\nfox ");
  BOOST_TEST((words
              == std::vector<record>{rec({"the"}), rec({"quick"}),
                                     rec({"brown"}), rec({"fox"})}));
  BOOST_TEST(apply(split, "   ").empty());
}

BOOST_AUTO_TEST_CASE(csv_fields_may_be_quoted) {
  BOOST_TEST(
    (split_csv("a, b ,\"c, with comma\",\"say \"\"hi\"\"\",", ',')
     == std::vector<std::string>{"a", "b", "c, with comma", "say \"hi\"", ""}));
  BOOST_TEST((split_csv("x;y", ';') == std::vector<std::string>{"x", "y"}));
  BOOST_CHECK_THROW(split_csv("\"open", ','), std::runtime_error);
}

BOOST_AUTO_TEST_CASE(extract_csv_types_the_chosen_columns) {
  extract_csv extract{
    csv_options({1, 3}),
    {{"region", field_type::text}, {"amount", field_type::real}}};
  BOOST_TEST((apply(extract, "2024-03-01,north,kettle, 59.80")
              == std::vector<record>{rec({"north", 59.8})}));
  // A number that is not one fails the record, naming the field.
  try {
    apply(extract, "2024-03-01,north,kettle,lots");
    BOOST_FAIL("no exception");
  } catch (const std::runtime_error& e) {
    BOOST_TEST(std::string{e.what()}
               == "field 'amount' is not a number: 'lots'");
  }
  // Too few columns.
  BOOST_CHECK_THROW(apply(extract, "2024-03-01,north"), std::runtime_error);
  // With on-error = skip, the same records vanish.
  extract_csv skipping{
    csv_options({1, 3}, config::on_error::skip),
    {{"region", field_type::text}, {"amount", field_type::real}}};
  BOOST_TEST(apply(skipping, "date,region,product,amount").empty());
  BOOST_TEST(apply(skipping, "2024-03-01,north").empty());
}

BOOST_AUTO_TEST_CASE(extract_json_reads_top_level_members) {
  config::extract_options opts;
  extract_json extract{opts,
                       {{"user", field_type::text},
                        {"clicks", field_type::integer},
                        {"score", field_type::real},
                        {"tags", field_type::text}}};
  auto out = apply(extract, R"({"user": "ann\u00e9\n", "nested": {"clicks": 9},
    "clicks": 3, "score": "2.5", "tags": ["a", {"b": null}]})");
  BOOST_TEST((out
              == std::vector<record>{rec(
                {"ann\xc3\xa9\n", int64_t{3}, 2.5, R"(["a", {"b": null}])"})}));
  // A missing member or a null fails the record.
  BOOST_CHECK_THROW(apply(extract, R"({"user": "bob", "clicks": null})"),
                    std::runtime_error);
  // Text that is no object fails it too.
  BOOST_CHECK_THROW(apply(extract, R"({"user": "bob")"), std::runtime_error);
  BOOST_CHECK_THROW(apply(extract, "[1, 2]"), std::runtime_error);
  opts.errors = config::on_error::skip;
  extract_json skipping{opts, {{"user", field_type::text}}};
  BOOST_TEST(apply(skipping, "not json").empty());
  BOOST_TEST(apply(skipping, R"({"user": "bob"})").size() == 1u);
}

BOOST_AUTO_TEST_CASE(deeply_nested_json_is_a_bad_record_not_a_crash) {
  auto nested = [](size_t depth) {
    return R"({"user": "ann", "deep": )" + std::string(depth, '[')
           + std::string(depth, ']') + "}";
  };
  config::extract_options opts;
  extract_json failing{opts, {{"user", field_type::text}}};
  BOOST_TEST(::apply(failing, nested(max_json_depth)).size() == 1u);
  // Far beyond what the stack of a recursive walk would survive.
  try {
    ::apply(failing, nested(200'000));
    BOOST_FAIL("no exception");
  } catch (const std::runtime_error& e) {
    BOOST_TEST(std::string{e.what()}.find("nesting deeper than 512 levels")
               != std::string::npos);
  }
  opts.errors = config::on_error::skip;
  extract_json skipping{opts, {{"user", field_type::text}}};
  BOOST_TEST(::apply(skipping, nested(max_json_depth + 1)).empty());
  BOOST_TEST(::apply(skipping, nested(200'000)).empty());
}

BOOST_AUTO_TEST_CASE(filters_compare_with_the_field_type) {
  auto passes
    = [](config::compare_op op, field_value operand, field_value value) {
        return filter{config::filter_options{0, op, std::move(operand)}}.passes(
          record{{std::move(value)}});
      };
  using op = config::compare_op;
  BOOST_TEST(passes(op::gt, 10.5, 11.0));
  BOOST_TEST(!passes(op::gt, 10.5, 10.5));
  BOOST_TEST(passes(op::ge, 10.5, 10.5));
  BOOST_TEST(passes(op::lt, int64_t{3}, int64_t{-7}));
  BOOST_TEST(passes(op::eq, std::string{"north"}, std::string{"north"}));
  BOOST_TEST(passes(op::ne, std::string{"north"}, std::string{"south"}));
  BOOST_TEST(passes(op::le, std::string{"b"}, std::string{"a"}));
  BOOST_TEST(passes(op::contains, std::string{"ket"}, std::string{"kettle"}));
  BOOST_TEST(!passes(op::contains, std::string{"pot"}, std::string{"kettle"}));
}

BOOST_AUTO_TEST_CASE(records_print_as_tab_separated_fields) {
  BOOST_TEST(to_line(rec({"north", int64_t{-3}, 0.1, 1e21}))
             == "north\t-3\t0.1\t1e+21");
}

BOOST_AUTO_TEST_CASE(tabs_line_breaks_and_backslashes_in_text_are_escaped) {
  auto tricky = rec({"a\tb", "two\nlines\r\n", "C:\\dir\\", "\\t", int64_t{7}});
  auto line = to_line(tricky);
  BOOST_TEST(line == "a\\tb\ttwo\\nlines\\r\\n\tC:\\\\dir\\\\\t\\\\t\t7");
  BOOST_TEST(line.find('\n') == std::string::npos);
  // Reading the line back gives every field as it was.
  BOOST_TEST((split_tab_separated(line)
              == std::vector<std::string>{"a\tb", "two\nlines\r\n", "C:\\dir\\",
                                          "\\t", "7"}));
  config::extract_options opts = csv_options({0, 1, 2, 3, 4});
  opts.separator = '\t';
  extract_csv extract{opts,
                      {{"a", field_type::text},
                       {"b", field_type::text},
                       {"c", field_type::text},
                       {"d", field_type::text},
                       {"n", field_type::integer}}};
  BOOST_TEST((::apply(extract, line) == std::vector<record>{tricky}));
  // Quotes mean nothing in tab-separated lines.
  BOOST_TEST((split_tab_separated("\"x\tq\"")
              == std::vector<std::string>{"\"x", "q\""}));
}

BOOST_AUTO_TEST_SUITE_END()
