package invoicing

import (
	"fmt"
	"time"
)

// Date is a calendar date with no time of day and no time zone, such as an
// invoice's issue or due date. The zero Date means "no date".
//
// Build dates with NewDate, ParseDate, DateOf or Today; they are always valid.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// MaxDueDays is the largest due-date offset, in days after the issue date.
const MaxDueDays = 365

const isoDate = "2006-01-02"

// NewDate returns the date for year, month and day, normalising overflow the
// way time.Date does (31 April is 1 May).
func NewDate(year int, month time.Month, day int) Date {
	return DateOf(time.Date(year, month, day, 0, 0, 0, 0, time.UTC))
}

// DateOf returns the calendar date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// Today returns today's date in loc, for example the QuickBooks company's
// zone. A nil loc means the computer's local zone.
func Today(loc *time.Location) Date {
	if loc == nil {
		loc = time.Local
	}
	return DateOf(time.Now().In(loc))
}

// ParseDate parses an ISO 8601 calendar date, YYYY-MM-DD, as QuickBooks
// sends TxnDate and DueDate. Years 0001 to 9999 are accepted.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(isoDate, s)
	if err != nil || t.Year() < 1 {
		return Date{}, fmt.Errorf("invalid date %q: want YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// String returns the date as YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.time().Format(isoDate)
}

// IsZero reports whether d is the zero Date ("no date").
func (d Date) IsZero() bool { return d == Date{} }

// AddDays returns the date n days after d (before d when n is negative).
func (d Date) AddDays(n int) Date {
	return DateOf(d.time().AddDate(0, 0, n))
}

// Compare returns -1 if d is before e, 0 if they are the same day and +1 if d is after e.
func (d Date) Compare(e Date) int { return d.time().Compare(e.time()) }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// MarshalText encodes the date as YYYY-MM-DD (empty for the zero Date).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText decodes YYYY-MM-DD; empty text gives the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	parsed, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = parsed
	return nil
}

func (d Date) time() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// DueDate returns the issue date plus days, the preference "due N days after
// the issue date": issued 13 March with 7 days is due 20 March. days must be
// between 0 and MaxDueDays.
func DueDate(issue Date, days int) (Date, error) {
	if days < 0 || days > MaxDueDays {
		return Date{}, fmt.Errorf("due date offset %d days: want 0 to %d", days, MaxDueDays)
	}
	return issue.AddDays(days), nil
}
