package invoicing

import (
	"encoding/json"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    Date
		wantErr bool
	}{
		{in: "2026-03-13", want: Date{2026, time.March, 13}},
		{in: "2024-02-29", want: Date{2024, time.February, 29}},
		{in: "0001-01-01", want: Date{1, time.January, 1}},
		{in: "9999-12-31", want: Date{9999, time.December, 31}},
		{in: "2023-02-29", wantErr: true},
		{in: "2026-13-01", wantErr: true},
		{in: "2026-3-13", wantErr: true},
		{in: "2026/03/13", wantErr: true},
		{in: "2026-03-13T00:00:00Z", wantErr: true},
		{in: "0000-01-01", wantErr: true},
		{in: "", wantErr: true},
		{in: " 2026-03-13", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseDate(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseDate(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestDateStringAndZero(t *testing.T) {
	if s := (Date{}).String(); s != "" {
		t.Errorf("zero Date String() = %q, want empty", s)
	}
	if !(Date{}).IsZero() {
		t.Error("zero Date IsZero() = false")
	}
	if s := NewDate(2026, time.March, 5).String(); s != "2026-03-05" {
		t.Errorf("String() = %q, want 2026-03-05", s)
	}
	if got := NewDate(2026, time.April, 31); got != (Date{2026, time.May, 1}) {
		t.Errorf("NewDate(2026, April, 31) = %v, want 2026-05-01", got)
	}
}

func TestDueDate(t *testing.T) {
	issued := NewDate(2026, time.March, 13)
	tests := []struct {
		days    int
		want    string
		wantErr bool
	}{
		{days: 7, want: "2026-03-20"},
		{days: 0, want: "2026-03-13"},
		{days: 19, want: "2026-04-01"},
		{days: 365, want: "2027-03-13"},
		{days: 366, wantErr: true},
		{days: -1, wantErr: true},
	}
	for _, tt := range tests {
		got, err := DueDate(issued, tt.days)
		if (err != nil) != tt.wantErr {
			t.Errorf("DueDate(+%d) error = %v, want error %v", tt.days, err, tt.wantErr)
			continue
		}
		if !tt.wantErr && got.String() != tt.want {
			t.Errorf("DueDate(+%d) = %v, want %s", tt.days, got, tt.want)
		}
	}
}

func TestAddDaysAcrossYearAndLeapDay(t *testing.T) {
	if got := NewDate(2024, time.February, 28).AddDays(1); got.String() != "2024-02-29" {
		t.Errorf("2024-02-28 + 1 = %v", got)
	}
	if got := NewDate(2026, time.December, 31).AddDays(1); got.String() != "2027-01-01" {
		t.Errorf("2026-12-31 + 1 = %v", got)
	}
	if got := NewDate(2026, time.January, 1).AddDays(-1); got.String() != "2025-12-31" {
		t.Errorf("2026-01-01 - 1 = %v", got)
	}
}

func TestDateCompare(t *testing.T) {
	a, b := NewDate(2026, time.March, 13), NewDate(2026, time.March, 14)
	if !a.Before(b) || a.After(b) || a.Compare(b) != -1 {
		t.Errorf("%v should be before %v", a, b)
	}
	if !b.After(a) || b.Compare(a) != 1 {
		t.Errorf("%v should be after %v", b, a)
	}
	if a.Compare(a) != 0 || a.Before(a) || a.After(a) {
		t.Errorf("%v should equal itself", a)
	}
	if !(Date{}).Before(a) {
		t.Error("the zero Date should sort before any real date")
	}
}

func TestDateOfUsesTheTimesZone(t *testing.T) {
	// 23:30 on 13 March in Los Angeles is already 14 March in UTC.
	la := time.FixedZone("PDT", -7*3600)
	instant := time.Date(2026, time.March, 13, 23, 30, 0, 0, la)
	if got := DateOf(instant); got.String() != "2026-03-13" {
		t.Errorf("DateOf(LA evening) = %v, want 2026-03-13", got)
	}
	if got := DateOf(instant.UTC()); got.String() != "2026-03-14" {
		t.Errorf("DateOf(UTC) = %v, want 2026-03-14", got)
	}
}

func TestTodayIsInTheGivenZone(t *testing.T) {
	for _, loc := range []*time.Location{time.UTC, time.FixedZone("far east", 14*3600), time.FixedZone("far west", -12*3600), nil} {
		before := time.Now()
		got := Today(loc)
		after := time.Now()
		zone := loc
		if zone == nil {
			zone = time.Local
		}
		if got != DateOf(before.In(zone)) && got != DateOf(after.In(zone)) {
			t.Errorf("Today(%v) = %v, want the date of now in that zone", loc, got)
		}
	}
}

func TestDateJSON(t *testing.T) {
	type doc struct {
		Due  Date `json:"due"`
		None Date `json:"none"`
	}
	b, err := json.Marshal(doc{Due: NewDate(2026, time.March, 20)})
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"due":"2026-03-20","none":""}` {
		t.Errorf("Marshal = %s", b)
	}
	var back doc
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Due.String() != "2026-03-20" || !back.None.IsZero() {
		t.Errorf("Unmarshal = %+v", back)
	}
	if err := json.Unmarshal([]byte(`{"due":"20 March"}`), &back); err == nil {
		t.Error("Unmarshal of a non-ISO date should fail")
	}
}

func FuzzParseDate(f *testing.F) {
	// Seeds: the TxnDate and DueDate values of the QuickBooks samples.
	for _, s := range []string{"2014-09-19", "2014-10-19", "2020-09-29", "2020-10-29", "2023-03-20", "2015-08-23", "2024-02-29", "", "2026-02-30", "99999-01-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			return
		}
		if d.String() != s {
			t.Errorf("ParseDate(%q).String() = %q; accepted input must round-trip", s, d.String())
		}
		if d.AddDays(1).AddDays(-1) != d {
			t.Errorf("AddDays(1).AddDays(-1) of %v changed the date", d)
		}
	})
}
