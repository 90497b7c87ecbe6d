package oauth

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

const tokenKey = "provider.token"

// connected runs the real sign-in against p and saves the token in a fresh store, the way the
// app does after Connect.
func connected(t *testing.T, p *fakeProvider) (*TokenSource, *memStore) {
	t.Helper()
	s := p.config().Begin()
	tok, err := s.Finish(context.Background(), finalAddress(t, s.AuthURL()))
	if err != nil {
		t.Fatalf("Finish: %v", err)
	}
	store := newMemStore()
	ts := NewTokenSource(context.Background(), p.config(), store, tokenKey)
	if err := ts.Save(context.Background(), tok); err != nil {
		t.Fatalf("Save: %v", err)
	}
	return ts, store
}

// expire makes the saved access token an expired one, as after a night's sleep.
func expire(t *testing.T, store *memStore) {
	t.Helper()
	s := store.saved(t, tokenKey)
	s.Expiry = time.Now().Add(-time.Hour)
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	store.values[tokenKey] = string(b)
}

func TestRotatedRefreshTokenSurvivesRestart(t *testing.T) {
	p := newFakeProvider(t, true, "https://example.com/cb")
	ts, store := connected(t, p)

	tok, err := ts.ForceRefresh(context.Background())
	if err != nil {
		t.Fatalf("ForceRefresh: %v", err)
	}
	if tok.RefreshToken != "refresh-2" || tok.Extra("realmId") != testRealmID {
		t.Fatalf("refreshed token = %q, realmId %v", tok.RefreshToken, tok.Extra("realmId"))
	}

	// The app restarts: a new token source reads the store.
	restarted := NewTokenSource(context.Background(), p.config(), store, tokenKey)
	tok, err = restarted.Token()
	if err != nil {
		t.Fatalf("Token after restart: %v", err)
	}
	if tok.AccessToken != "access-2" || tok.Extra("realmId") != testRealmID {
		t.Errorf("token after restart = %q, realmId %v", tok.AccessToken, tok.Extra("realmId"))
	}
	// Only the rotated refresh token works now; refreshing with it must succeed.
	tok, err = restarted.ForceRefresh(context.Background())
	if err != nil {
		t.Fatalf("ForceRefresh after restart: %v", err)
	}
	if got := store.saved(t, tokenKey).RefreshToken; got != "refresh-3" || tok.RefreshToken != "refresh-3" {
		t.Errorf("saved refresh token = %q, returned %q, want refresh-3", got, tok.RefreshToken)
	}
}

func TestExpiredTokenIsRefreshedOnceUnderLoad(t *testing.T) {
	p := newFakeProvider(t, true, "https://example.com/cb")
	_, store := connected(t, p)
	expire(t, store)
	ts := NewTokenSource(context.Background(), p.config(), store, tokenKey)

	var wg sync.WaitGroup
	got := make([]string, 8)
	for i := range got {
		wg.Go(func() {
			tok, err := ts.Token()
			if err != nil {
				t.Errorf("Token: %v", err)
				return
			}
			got[i] = tok.AccessToken
		})
	}
	wg.Wait()
	for i, access := range got {
		if access != "access-2" {
			t.Errorf("caller %d got %q, want access-2", i, access)
		}
	}
	if _, refreshes, _ := p.stats(); refreshes != 1 {
		t.Errorf("%d refreshes, want 1", refreshes)
	}
}

func TestForceRefreshNeverRunsTwoAtOnce(t *testing.T) {
	for _, quickbooks := range []bool{true, false} {
		p := newFakeProvider(t, quickbooks, "https://example.com/cb")
		ts, store := connected(t, p)

		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				// Each refresh uses the refresh token the previous one saved; an overlap
				// would spend a rotated token twice and get invalid_grant.
				if _, err := ts.ForceRefresh(context.Background()); err != nil {
					t.Errorf("ForceRefresh: %v", err)
				}
			})
		}
		wg.Wait()
		_, refreshes, maxInFlight := p.stats()
		if maxInFlight != 1 {
			t.Errorf("quickbooks=%v: %d token requests at once, want 1", quickbooks, maxInFlight)
		}
		if refreshes < 1 || refreshes > 8 {
			t.Errorf("quickbooks=%v: %d refreshes", quickbooks, refreshes)
		}
		if got, want := store.saved(t, tokenKey).AccessToken, "access-"+strconv.Itoa(refreshes+1); got != want {
			t.Errorf("quickbooks=%v: saved %q, want the last token %q", quickbooks, got, want)
		}
	}
}

func TestNewTokenIsSavedBeforeItIsHandedOut(t *testing.T) {
	p := newFakeProvider(t, true, "https://example.com/cb")
	ts, store := connected(t, p)
	store.failSet = true

	if tok, err := ts.ForceRefresh(context.Background()); err == nil || tok != nil {
		t.Fatalf("ForceRefresh with a failing store = %v, %v; want no token and an error", tok, err)
	}
	if got := store.saved(t, tokenKey).RefreshToken; got != "refresh-1" {
		t.Fatalf("store holds %q", got)
	}

	store.failSet = false
	tok, err := ts.Token()
	if err != nil {
		t.Fatalf("Token once the store works: %v", err)
	}
	if got := store.saved(t, tokenKey).RefreshToken; got != "refresh-2" || tok.RefreshToken != "refresh-2" {
		t.Errorf("store holds %q, caller got %q; want the rotated refresh-2 in both", got, tok.RefreshToken)
	}
	if _, refreshes, _ := p.stats(); refreshes != 1 {
		t.Errorf("%d refreshes, want 1: the unsaved token must be kept, not fetched again", refreshes)
	}
}

func TestRevokedRefreshTokenSendsUserToConnect(t *testing.T) {
	for _, quickbooks := range []bool{true, false} {
		p := newFakeProvider(t, quickbooks, "https://example.com/cb")
		_, store := connected(t, p)
		expire(t, store)
		p.refreshToken = "revoked-elsewhere"
		ts := NewTokenSource(context.Background(), p.config(), store, tokenKey)

		_, err := ts.Token()
		var re *ReconnectError
		if !errors.As(err, &re) {
			t.Fatalf("quickbooks=%v: Token error = %v, want *ReconnectError", quickbooks, err)
		}
		if msg := err.Error(); !strings.Contains(msg, "expired or was revoked") || !strings.Contains(msg, "connect to "+p.endpoint().Name+" again") {
			t.Errorf("message %q does not tell the user to connect again", msg)
		}
		calls, _, _ := p.stats()
		if _, err := ts.ForceRefresh(context.Background()); !errors.As(err, &re) {
			t.Errorf("second call error = %v", err)
		}
		if again, _, _ := p.stats(); again != calls {
			t.Error("a refused refresh token was sent again")
		}
	}
}

func TestTokenWithoutSignIn(t *testing.T) {
	p := newFakeProvider(t, true, "https://example.com/cb")
	store := newMemStore()
	ts := NewTokenSource(context.Background(), p.config(), store, tokenKey)
	if _, err := ts.Token(); !errors.Is(err, ErrNotConnected) {
		t.Errorf("Token error = %v, want ErrNotConnected", err)
	}
	store.values[tokenKey] = `{"access_token":`
	if _, err := ts.Token(); !errors.Is(err, ErrNotConnected) || strings.Contains(err.Error(), "access_token") {
		t.Errorf("Token error for an unreadable token = %v", err)
	}
}

func TestDisconnectRevokesAndForgets(t *testing.T) {
	tests := []struct {
		quickbooks  bool
		contentType string
		body        string
	}{
		{true, "application/json", `{"token":"refresh-1"}`},
		{false, "application/x-www-form-urlencoded", url.Values{"token": {"refresh-1"}, "token_type_hint": {"refresh_token"}}.Encode()},
	}
	for _, tt := range tests {
		p := newFakeProvider(t, tt.quickbooks, "https://example.com/cb")
		ts, store := connected(t, p)

		if err := ts.Disconnect(context.Background()); err != nil {
			t.Fatalf("Disconnect: %v", err)
		}
		want := revokeCall{contentType: tt.contentType, user: testClientID, pass: testClientSecret, body: tt.body}
		if len(p.revokes) != 1 || p.revokes[0] != want {
			t.Errorf("revoke calls = %+v, want %+v", p.revokes, want)
		}
		if _, err := store.Get(context.Background(), tokenKey); err == nil {
			t.Error("the token is still saved")
		}
		if _, err := ts.Token(); !errors.Is(err, ErrNotConnected) {
			t.Errorf("Token after Disconnect = %v, want ErrNotConnected", err)
		}
	}
}

func TestDisconnectForgetsEvenWhenProviderIsUnreachable(t *testing.T) {
	p := newFakeProvider(t, true, "https://example.com/cb")
	ts, store := connected(t, p)
	p.srv.Close()

	err := ts.Disconnect(context.Background())
	if err == nil || !strings.Contains(err.Error(), "could not be told") {
		t.Fatalf("Disconnect error = %v, want a warning that QuickBooks was not told", err)
	}
	assertNoSecrets(t, "error", err.Error(), "refresh-1", "access-1")
	if _, err := store.Get(context.Background(), tokenKey); err == nil {
		t.Error("the token is still saved")
	}
}

func TestRevokeRefusal(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusBadRequest, `{"error":"invalid_request","error_description":"token missing"}`)
	}))
	defer srv.Close()
	err := Revoke(context.Background(), Config{Endpoint: Pipedrive(srv.URL), ClientID: testClientID, ClientSecret: testClientSecret}, "refresh-1")
	var pe *ProviderError
	if !errors.As(err, &pe) || pe.Status != http.StatusBadRequest || pe.Code != "invalid_request" {
		t.Fatalf("Revoke error = %v", err)
	}
	assertNoSecrets(t, "error", err.Error(), "refresh-1")
}

func TestLargeTokenIsSavedWithoutAccessToken(t *testing.T) {
	tok := (&oauth2.Token{
		AccessToken:  strings.Repeat("a", 3000),
		RefreshToken: "refresh-1",
		Expiry:       time.Now().Add(time.Hour),
	}).WithExtra(map[string]any{"realmId": testRealmID, "id_token": "dropped"})

	value, err := encodeToken(tok, QuickBooks("").Extras)
	if err != nil {
		t.Fatal(err)
	}
	if len(value) > maxSavedSize {
		t.Errorf("saved %d bytes, more than %d", len(value), maxSavedSize)
	}
	got, err := decodeToken(value)
	if err != nil {
		t.Fatal(err)
	}
	if got.AccessToken != "" || got.Valid() || got.RefreshToken != "refresh-1" || got.Extra("realmId") != testRealmID || got.Extra("id_token") != nil {
		t.Errorf("decoded %+v, realmId %v", got, got.Extra("realmId"))
	}
}

func FuzzDecodeToken(f *testing.F) {
	for _, sample := range []string{"testdata/quickbooks_token_refresh.json", "testdata/pipedrive_token.json"} {
		var body map[string]any
		if err := json.Unmarshal(readFile(f, sample), &body); err != nil {
			f.Fatal(err)
		}
		tok := (&oauth2.Token{
			AccessToken:  body["access_token"].(string),
			TokenType:    body["token_type"].(string),
			RefreshToken: body["refresh_token"].(string),
			Expiry:       time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC),
		}).WithExtra(body)
		value, err := encodeToken(tok, []string{"realmId", "api_domain"})
		if err != nil {
			f.Fatal(err)
		}
		f.Add(value)
	}
	f.Add(`{"refresh_token":"r","extra":{"realmId":7}}`)
	f.Fuzz(func(t *testing.T, value string) {
		tok, err := decodeToken(value)
		if err != nil {
			return
		}
		again, err := encodeToken(tok, []string{"realmId", "api_domain"})
		if err != nil {
			t.Fatalf("re-encoding %q: %v", value, err)
		}
		back, err := decodeToken(again)
		if err != nil || back.RefreshToken != tok.RefreshToken {
			t.Fatalf("round trip of %q lost the refresh token", value)
		}
	})
}

func TestDisconnectAfterRevokedElsewhere(t *testing.T) {
	p := newFakeProvider(t, true, "https://example.com/cb")
	ts, store := connected(t, p)
	p.refreshToken = "revoked-elsewhere"
	if _, err := ts.ForceRefresh(context.Background()); !errors.As(err, new(*ReconnectError)) {
		t.Fatalf("ForceRefresh = %v, want *ReconnectError", err)
	}
	if err := ts.Disconnect(context.Background()); err != nil {
		t.Fatalf("Disconnect: %v", err)
	}
	if len(p.revokes) != 0 {
		t.Error("a token the provider already refused was sent to revoke")
	}
	if _, err := store.Get(context.Background(), tokenKey); err == nil {
		t.Error("the token is still saved")
	}
}
