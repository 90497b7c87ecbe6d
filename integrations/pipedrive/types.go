package pipedrive

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Page is one page of a cursor-paginated v2 list. NextCursor is empty on the last page.
type Page[T any] struct {
	Items      []T
	NextCursor string
}

// Time is an instant sent by Pipedrive. It accepts RFC 3339 (API v2), "YYYY-MM-DD HH:MM:SS" in UTC (API v1),
// null and "" (zero time).
type Time struct{ time.Time }

// UnmarshalJSON implements json.Unmarshaler.
func (t *Time) UnmarshalJSON(b []byte) error {
	var s *string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("pipedrive: time: %w", err)
	}
	t.Time = time.Time{}
	if s == nil || *s == "" || strings.HasPrefix(*s, "0000-00-00") {
		return nil
	}
	if v, err := time.Parse(time.RFC3339, *s); err == nil {
		t.Time = v
		return nil
	}
	v, err := time.Parse(time.DateTime, *s)
	if err != nil {
		return fmt.Errorf("pipedrive: time %q: not RFC 3339 nor YYYY-MM-DD HH:MM:SS", *s)
	}
	t.Time = v
	return nil
}

// Date is a calendar date (no time of day, no zone). The zero Date means "not set".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate parses "YYYY-MM-DD".
func ParseDate(s string) (Date, error) {
	v, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("pipedrive: date %q: want YYYY-MM-DD", s)
	}
	return Date{v.Year(), v.Month(), v.Day()}, nil
}

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d == Date{} }

// String formats the date as YYYY-MM-DD, or "" when unset.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// UnmarshalJSON implements json.Unmarshaler; null and "" give the zero Date.
func (d *Date) UnmarshalJSON(b []byte) error {
	var s *string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("pipedrive: date: %w", err)
	}
	*d = Date{}
	if s == nil || *s == "" {
		return nil
	}
	v, err := ParseDate(*s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalJSON implements json.Marshaler; the zero Date is null.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// Address is a v2 address object (organization address, person postal address, address custom field).
// Every part is optional: Pipedrive may hold only the one-line Value the user typed.
type Address struct {
	Value            string `json:"value"`
	FormattedAddress string `json:"formatted_address"`
	Subpremise       string `json:"subpremise"`
	StreetNumber     string `json:"street_number"`
	Route            string `json:"route"`
	Sublocality      string `json:"sublocality"`
	Locality         string `json:"locality"`
	AdminAreaLevel1  string `json:"admin_area_level_1"`
	AdminAreaLevel2  string `json:"admin_area_level_2"`
	Country          string `json:"country"`
	PostalCode       string `json:"postal_code"`
}

// UnmarshalJSON accepts an address object, a bare string (the one-line value) or null.
func (a *Address) UnmarshalJSON(b []byte) error {
	*a = Address{}
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &a.Value)
	}
	type plain Address
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return fmt.Errorf("pipedrive: address: %w", err)
	}
	*a = Address(p)
	return nil
}

// IsZero reports whether no part of the address is set.
func (a Address) IsZero() bool { return a == Address{} }

// HasComponents reports whether the address is broken into parts (street, city, …) rather than a single string.
func (a Address) HasComponents() bool {
	return a.Route != "" || a.StreetNumber != "" || a.Locality != "" || a.PostalCode != "" ||
		a.Country != "" || a.AdminAreaLevel1 != ""
}

// Street is the street line: house number, street and suite, or "" when Pipedrive has no parts.
func (a Address) Street() string {
	return joinNonEmpty(" ", a.StreetNumber, a.Route, a.Subpremise)
}

// String is the address on one line, as a person would read it.
func (a Address) String() string {
	switch {
	case a.FormattedAddress != "":
		return a.FormattedAddress
	case a.Value != "":
		return a.Value
	}
	return joinNonEmpty(", ", a.Street(), a.Sublocality, a.Locality,
		joinNonEmpty(" ", a.AdminAreaLevel1, a.PostalCode), a.Country)
}

func joinNonEmpty(sep string, parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, sep)
}

// ContactPoint is one e-mail address or phone number of a person.
type ContactPoint struct {
	Value   string `json:"value"`
	Label   string `json:"label"`
	Primary bool   `json:"primary"`
}

// primaryOf returns the value of the entry marked primary, else the first non-empty value, else "".
func primaryOf(points []ContactPoint) string {
	for _, p := range points {
		if p.Primary && p.Value != "" {
			return p.Value
		}
	}
	for _, p := range points {
		if p.Value != "" {
			return p.Value
		}
	}
	return ""
}

// CustomFields holds an entity's custom field values by field code, undecoded; resolve them with Fields.
type CustomFields map[string]json.RawMessage

// Ref is a small embedded reference in search results (owner, stage, person, organization).
type Ref struct {
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	Address string `json:"address"`
}
