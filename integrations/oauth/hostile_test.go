package oauth

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// stalledEndpoint is an OAuth server on 127.0.0.1 that accepts every request and never answers it, until the
// test ends. The Config it returns allows each call 100 ms.
func stalledEndpoint(t *testing.T) Config {
	t.Helper()
	stop := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-stop:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(stop) }) // runs first: the handlers return, so Close does not wait on them
	return Config{
		Endpoint:     QuickBooks(srv.URL),
		ClientID:     "client",
		ClientSecret: "secret",
		RedirectURL:  "https://example.com/cb",
		Timeout:      100 * time.Millisecond,
	}
}

func TestStalledTokenEndpointEndsTheRefreshAndFreesTheSource(t *testing.T) {
	cfg := stalledEndpoint(t)
	store := newMemStore()
	expired, err := encodeToken(&oauth2.Token{AccessToken: "old", RefreshToken: "refresh-1", Expiry: time.Now().Add(-time.Hour)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	store.values[tokenKey] = expired
	// The app's lifetime context never ends: only the call's own timeout can.
	ts := NewTokenSource(context.Background(), cfg, store, tokenKey)

	for _, call := range []string{"Token", "ForceRefresh", "Token again"} {
		var err error
		if call == "ForceRefresh" {
			_, err = ts.ForceRefresh(context.Background())
		} else {
			_, err = ts.Token()
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("%s on a stalled endpoint: %v, want a deadline error", call, err)
		}
		if !strings.Contains(err.Error(), "refreshing the QuickBooks sign-in") {
			t.Errorf("%s: error %q does not say what timed out", call, err)
		}
	}
	if got := store.saved(t, tokenKey).RefreshToken; got != "refresh-1" {
		t.Errorf("saved refresh token = %q, want the old one kept", got)
	}
}

func TestStalledTokenEndpointEndsSignInAndRevoke(t *testing.T) {
	cfg := stalledEndpoint(t)
	s := cfg.Begin()
	q := "?code=c&state=" + s.state
	if _, err := s.Finish(context.Background(), cfg.RedirectURL+q); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("code exchange on a stalled endpoint: %v, want a deadline error", err)
	}
	if err := Revoke(context.Background(), cfg, "refresh-1"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("revoke on a stalled endpoint: %v, want a deadline error", err)
	}
}

func TestWithoutAnHTTPClientTokenCallsStillTimeOut(t *testing.T) {
	if c := (Config{}).httpClient(); c == http.DefaultClient || c.Timeout <= 0 {
		t.Errorf("default token client = %+v, want one with a timeout", c)
	}
}
