package httpx

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestRetryAfterReadsBothForms(t *testing.T) {
	now := time.Date(2026, 3, 13, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		header string
		want   time.Duration
		ok     bool
	}{
		{"", 0, false},
		{"7", 7 * time.Second, true},
		{" 0 ", 0, true},
		{"-3", 0, false},
		{"soon", 0, false},
		// RFC 9110's example format (IMF-fixdate), 90 s after now.
		{"Fri, 13 Mar 2026 10:01:30 GMT", 90 * time.Second, true},
		{"Fri, 13 Mar 2026 09:00:00 GMT", 0, true}, // in the past: go now
		{"2592000", 30 * 24 * time.Hour, true},     // a month
		{"99999999999999999", 100 * 365 * 24 * time.Hour, true},
	}
	for _, tt := range tests {
		h := http.Header{}
		if tt.header != "" {
			h.Set("Retry-After", tt.header)
		}
		got, ok := RetryAfter(h, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("RetryAfter(%q) = %v, %v; want %v, %v", tt.header, got, ok, tt.want, tt.ok)
		}
	}
}

func TestBackoffDoublesWithJitterUpToTheLimit(t *testing.T) {
	for range 100 {
		for attempt, full := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 8 * time.Second} {
			got := Backoff(attempt+1, time.Second, 8*time.Second)
			if got < full/2 || got >= full {
				t.Fatalf("Backoff(%d) = %v, want in [%v, %v)", attempt+1, got, full/2, full)
			}
		}
	}
}

func TestReadAllStopsPastTheLimit(t *testing.T) {
	if b, err := ReadAll(strings.NewReader("12345"), 5, "answer"); err != nil || string(b) != "12345" {
		t.Errorf("exactly the limit: %q, %v", b, err)
	}
	_, err := ReadAll(strings.NewReader("123456"), 5, "answer")
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("one byte over: %v, want ErrTooLarge", err)
	}
}

func TestLimitBodyFailsOnceThePDFPassesTheLimit(t *testing.T) {
	b, err := io.ReadAll(LimitBody(io.NopCloser(strings.NewReader("12345")), 5, "PDF"))
	if err != nil || string(b) != "12345" {
		t.Errorf("exactly the limit: %q, %v", b, err)
	}
	b, err = io.ReadAll(LimitBody(io.NopCloser(strings.NewReader(strings.Repeat("x", 100))), 5, "PDF"))
	if !errors.Is(err, ErrTooLarge) || len(b) > 5 {
		t.Errorf("over the limit: %d bytes, %v; want at most 5 and ErrTooLarge", len(b), err)
	}
	if err != nil && !strings.Contains(err.Error(), "PDF") {
		t.Errorf("error %q does not say what was too large", err)
	}
}

func TestPagerStopsRepeatsAndEndlessListings(t *testing.T) {
	var p Pager
	for _, pos := range []string{"", "a", "b"} {
		if err := p.Next(pos); err != nil {
			t.Fatalf("Next(%q) = %v", pos, err)
		}
	}
	err := p.Next("a")
	var ele *EndlessListingError
	if !errors.Is(err, ErrEndlessListing) || !errors.As(err, &ele) || ele.Repeated != "a" || ele.Pages != 3 {
		t.Errorf("repeated cursor: %v", err)
	}

	p = Pager{Limit: 2}
	_ = p.Next("1")
	_ = p.Next("2")
	if err := p.Next("3"); !errors.Is(err, ErrEndlessListing) {
		t.Errorf("third page of two allowed: %v", err)
	}
}
