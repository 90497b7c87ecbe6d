package httpx

import (
	"net/http"
	"testing"
	"time"
)

// FuzzRetryAfter feeds any Retry-After value to the parser, seeded with RFC 9110's examples and what the two
// services and their fakes send: a wait is never negative, and an unreadable value is no wait at all.
func FuzzRetryAfter(f *testing.F) {
	for _, seed := range []string{"120", "Fri, 31 Dec 1999 23:59:59 GMT", "60", "2", "0", "2592000", "-1", "1.5", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"} {
		f.Add(seed)
	}
	now := time.Date(2026, 3, 13, 10, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		h := http.Header{}
		h.Set("Retry-After", v)
		d, ok := RetryAfter(h, now)
		if d < 0 {
			t.Fatalf("RetryAfter(%q) = %v, a negative wait", v, d)
		}
		if !ok && d != 0 {
			t.Fatalf("RetryAfter(%q) = %v but not ok", v, d)
		}
	})
}
