// Package testkit holds the helpers tests across the module share: money written as text, and samples in testdata.
package testkit

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/shopspring/decimal"
)

// Dec is the amount s, written as in the samples ("1250.00"); it panics on anything else, as a test's
// literal should never be wrong.
func Dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// ReadFile returns testdata/name of the package under test, failing the test if it cannot be read.
func ReadFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// DecodeJSON decodes testdata/name into v, failing the test if it is not what v can hold.
func DecodeJSON(t testing.TB, name string, v any) {
	t.Helper()
	if err := json.Unmarshal(ReadFile(t, name), v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// Decode decodes testdata/name into a T, failing the test if it is not what a T can hold.
func Decode[T any](t testing.TB, name string) T {
	t.Helper()
	var v T
	DecodeJSON(t, name, &v)
	return v
}

// DecodeWrapped decodes testdata/name into a T, with or without the one-key envelope QuickBooks puts around
// an entity ({"Invoice": {…}} for key "Invoice"; the key matches as encoding/json matches field names).
func DecodeWrapped[T any](t testing.TB, name, key string) T {
	t.Helper()
	b := ReadFile(t, name)
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(b, &fields); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	for k, raw := range fields {
		if strings.EqualFold(k, key) && string(raw) != "null" {
			b = raw
			break
		}
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}

// Eq reports what differs when got is not want; what names the value in the message.
func Eq[T comparable](t testing.TB, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

// CountingServer is an httptest server on 127.0.0.1 that answers with handler and counts the requests that
// reach it; it closes when the test ends.
func CountingServer(t testing.TB, handler http.HandlerFunc) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		handler(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &requests
}
