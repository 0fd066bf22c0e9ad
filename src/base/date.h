// Calendar dates (YYYY-MM-DD) as used by reviews, due dates and threat
// history. No time zones: a date is a day.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tmc {

struct Date {
  int year = 1970;
  int month = 1;
  int day = 1;

  // Days since 1970-01-01 (proleptic Gregorian).
  long days_since_epoch() const;
  static Date from_days_since_epoch(long days);
  std::string to_string() const;  // YYYY-MM-DD
  Date plus_days(long days) const { return from_days_since_epoch(days_since_epoch() + days); }

  friend bool operator==(const Date&, const Date&) = default;
  friend auto operator<=>(const Date& a, const Date& b) {
    return a.days_since_epoch() <=> b.days_since_epoch();
  }
};

// Parses exactly YYYY-MM-DD with a real calendar day; nullopt otherwise.
std::optional<Date> parse_date(std::string_view text);

// Today in UTC from the system clock.
Date today_utc();

}  // namespace tmc
