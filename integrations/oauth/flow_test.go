package oauth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func loopbackRedirect(t *testing.T) (redirect string, port int) {
	port = freePort(t)
	return fmt.Sprintf("http://localhost:%d/callback", port), port
}

func TestConnectLoopback(t *testing.T) {
	tests := []struct {
		name       string
		quickbooks bool
		extra      string
		want       string
	}{
		{"QuickBooks", true, "realmId", testRealmID},
		{"Pipedrive", false, "api_domain", "https://user-company.pipedrive.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			redirect, port := loopbackRedirect(t)
			p := newFakeProvider(t, tt.quickbooks, redirect)
			b := newBrowser(t)
			f := &Flow{Config: p.config(), OpenURL: b.open}

			tok, err := f.Connect(context.Background())
			if err != nil {
				t.Fatalf("Connect: %v", err)
			}
			if tok.AccessToken != "access-1" || tok.RefreshToken != "refresh-1" {
				t.Errorf("token = %q/%q, want access-1/refresh-1", tok.AccessToken, tok.RefreshToken)
			}
			if got := tok.Extra(tt.extra); got != tt.want {
				t.Errorf("Extra(%q) = %v, want %q", tt.extra, got, tt.want)
			}
			if b.status != http.StatusOK || !strings.Contains(b.page, "You can close this tab") {
				t.Errorf("browser was shown %d %q", b.status, b.page)
			}
			if _, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/callback", port)); err == nil {
				t.Error("the listener still answers after the sign-in")
			}
		})
	}
}

func TestConnectRefusesWrongState(t *testing.T) {
	redirect, _ := loopbackRedirect(t)
	p := newFakeProvider(t, true, redirect)
	p.forgeState = "53682.FROMANOTHERTAB"
	b := newBrowser(t)
	f := &Flow{Config: p.config(), OpenURL: b.open}

	_, err := f.Connect(context.Background())
	if !errors.Is(err, ErrStateMismatch) {
		t.Fatalf("Connect error = %v, want ErrStateMismatch", err)
	}
	if b.status != http.StatusBadRequest || !strings.Contains(b.page, "does not belong to the sign-in") {
		t.Errorf("browser was shown %d %q", b.status, b.page)
	}
	if calls, _, _ := p.stats(); calls != 0 {
		t.Errorf("the code from a foreign answer was exchanged (%d token calls)", calls)
	}
}

func TestConnectDenied(t *testing.T) {
	for _, quickbooks := range []bool{true, false} {
		t.Run(fmt.Sprint("quickbooks=", quickbooks), func(t *testing.T) {
			redirect, _ := loopbackRedirect(t)
			p := newFakeProvider(t, quickbooks, redirect)
			p.deny = true
			b := newBrowser(t)
			f := &Flow{Config: p.config(), OpenURL: b.open}

			_, err := f.Connect(context.Background())
			if !errors.Is(err, ErrDenied) {
				t.Fatalf("Connect error = %v, want ErrDenied", err)
			}
			if !strings.Contains(b.page, "Access was declined") {
				t.Errorf("browser was shown %q", b.page)
			}
		})
	}
}

func TestConnectTimesOut(t *testing.T) {
	redirect, port := loopbackRedirect(t)
	p := newFakeProvider(t, true, redirect)
	f := &Flow{Config: p.config(), OpenURL: func(string) error { return nil }, Timeout: time.Millisecond}

	_, err := f.Connect(context.Background())
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("Connect error = %v, want ErrTimeout", err)
	}
	if _, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/callback", port)); err == nil {
		t.Error("the listener still answers after the timeout")
	}
}

func TestConnectCancelled(t *testing.T) {
	redirect, _ := loopbackRedirect(t)
	p := newFakeProvider(t, true, redirect)
	ctx, cancel := context.WithCancel(context.Background())
	// The user presses Cancel while the browser is open.
	f := &Flow{Config: p.config(), OpenURL: func(string) error { cancel(); return nil }}

	_, err := f.Connect(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Connect error = %v, want context.Canceled", err)
	}
}

func TestConnectReportsBusyPort(t *testing.T) {
	p := newFakeProvider(t, true, "")
	busy := p.srv.Listener.Addr().String() // 127.0.0.1:port, already served
	p.redirectURI = "http://localhost:" + busy[strings.LastIndex(busy, ":")+1:] + "/callback"
	b := newBrowser(t)
	f := &Flow{Config: p.config(), OpenURL: b.open}

	_, err := f.Connect(context.Background())
	if err == nil || !strings.Contains(err.Error(), "another program") {
		t.Fatalf("Connect error = %v, want a busy-port message", err)
	}
	if b.opened != 0 {
		t.Error("the browser was opened although nothing could listen")
	}
}

func TestListenerIgnoresStrayRequests(t *testing.T) {
	redirect, port := loopbackRedirect(t)
	p := newFakeProvider(t, true, redirect)
	b := newBrowser(t)
	stray := func(path string) int {
		resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d%s", port, path))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	f := &Flow{Config: p.config(), OpenURL: func(u string) error {
		if got := stray("/favicon.ico"); got != http.StatusNotFound {
			t.Errorf("favicon: %d", got)
		}
		if got := stray("/callback"); got != http.StatusBadRequest {
			t.Errorf("callback without parameters: %d", got)
		}
		return b.open(u)
	}}
	if _, err := f.Connect(context.Background()); err != nil {
		t.Fatalf("Connect after stray requests: %v", err)
	}
}

// TestConnectThroughRelay plays a browser that lands on the hosted relay page and does what
// the page's script does, using the port convention read from the page itself.
func TestConnectThroughRelay(t *testing.T) {
	const relay = "https://relay.example.com/dealbooks/oauth"
	p := newFakeProvider(t, true, relay)
	portInState := relayPortPattern(t)
	b := newBrowser(t)
	b.client.CheckRedirect = func(req *http.Request, _ []*http.Request) error {
		if !strings.HasPrefix(req.URL.String(), relay+"?") {
			return nil
		}
		q := req.URL.Query()
		m := portInState.FindStringSubmatch(q.Get("state"))
		if m == nil {
			return fmt.Errorf("relay page: no port in state %q", q.Get("state"))
		}
		forward := url.Values{}
		for _, name := range []string{"code", "state", "realmId", "error"} {
			if q.Has(name) {
				forward.Set(name, q.Get(name))
			}
		}
		req.URL, _ = url.Parse("http://127.0.0.1:" + m[1] + "/callback?" + forward.Encode())
		req.Host = req.URL.Host
		return nil
	}
	f := &Flow{Config: p.config(), OpenURL: b.open} // Port 0: any free port, carried in the state

	tok, err := f.Connect(context.Background())
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	if tok.Extra("realmId") != testRealmID || tok.RefreshToken != "refresh-1" {
		t.Errorf("token = %q, realmId %v", tok.RefreshToken, tok.Extra("realmId"))
	}
}

func TestRelayPortMustBeUnprivileged(t *testing.T) {
	f := &Flow{Config: Config{RedirectURL: "https://relay.example.com/"}, Port: 80, OpenURL: func(string) error { return nil }}
	if _, err := f.Connect(context.Background()); err == nil || !strings.Contains(err.Error(), "1024") {
		t.Fatalf("Connect error = %v, want the port range", err)
	}
}

// finalAddress opens the authorize URL and returns where the provider sent the browser,
// without going there: what the user copies from the address bar in the paste mode.
func finalAddress(t *testing.T, authURL string) string {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("authorize answered %d", resp.StatusCode)
	}
	return resp.Header.Get("Location")
}

func TestFinishPastedAddress(t *testing.T) {
	const registered = "https://example.com/any-registered-page"
	p := newFakeProvider(t, true, registered)
	s := p.config().Begin()
	pasted := "  " + finalAddress(t, s.AuthURL()) + "\n"

	tok, err := s.Finish(context.Background(), pasted)
	if err != nil {
		t.Fatalf("Finish: %v", err)
	}
	if tok.AccessToken != "access-1" || tok.Extra("realmId") != testRealmID {
		t.Errorf("token = %q, realmId %v", tok.AccessToken, tok.Extra("realmId"))
	}
}

func TestFinishRejects(t *testing.T) {
	const registered = "https://example.com/cb"
	tests := []struct {
		name   string
		pasted func(t *testing.T, p *fakeProvider, s *Session) string
		want   error
	}{
		{"not an address", func(*testing.T, *fakeProvider, *Session) string { return "my code is 1234" }, ErrBadPaste},
		{"unparsable", func(*testing.T, *fakeProvider, *Session) string { return "http://[::1%zz/cb?code=secret" }, ErrBadPaste},
		{"another attempt", func(t *testing.T, p *fakeProvider, _ *Session) string {
			other := p.config().Begin()
			return finalAddress(t, other.AuthURL())
		}, ErrStateMismatch},
		{"declined", func(t *testing.T, p *fakeProvider, s *Session) string {
			p.deny = true
			return finalAddress(t, s.AuthURL())
		}, ErrDenied},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newFakeProvider(t, true, registered)
			s := p.config().Begin()
			_, err := s.Finish(context.Background(), tt.pasted(t, p, s))
			if !errors.Is(err, tt.want) {
				t.Fatalf("Finish error = %v, want %v", err, tt.want)
			}
			assertNoSecrets(t, "error", err.Error(), "secret")
		})
	}
}

func TestFinishReportsBadClientWithoutSecrets(t *testing.T) {
	p := newFakeProvider(t, false, "https://example.com/cb")
	p.failClient = true
	s := p.config().Begin()
	address := finalAddress(t, s.AuthURL())
	code := mustQuery(t, address).Get("code")

	_, err := s.Finish(context.Background(), address)
	var pe *ProviderError
	if !errors.As(err, &pe) || pe.Code != "invalid_client" || pe.Status != http.StatusUnauthorized {
		t.Fatalf("Finish error = %v, want invalid_client", err)
	}
	if !strings.Contains(err.Error(), "check the client ID and secret in Settings") {
		t.Errorf("error %q does not say what to check", err)
	}
	assertNoSecrets(t, "error", err.Error(), code, s.verifier, s.state)
}

func mustQuery(t *testing.T, address string) url.Values {
	t.Helper()
	u, err := url.Parse(address)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}

func TestStringsHideSecrets(t *testing.T) {
	cfg := Config{Endpoint: QuickBooks(""), ClientID: testClientID, ClientSecret: testClientSecret, RedirectURL: "http://localhost:53682/callback"}
	s := cfg.Begin()
	ts := NewTokenSource(context.Background(), cfg, newMemStore(), "quickbooks.token")
	f := &Flow{Config: cfg}
	for _, v := range []any{cfg, &cfg, s, ts, f, *f} {
		for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
			assertNoSecrets(t, format, fmt.Sprintf(format, v), s.verifier, s.state)
		}
	}
}

func FuzzCallbackCheck(f *testing.F) {
	s := Config{Endpoint: QuickBooks("")}.Begin()
	f.Add("http://localhost:53682/callback?code=AB11&state=" + s.state + "&realmId=" + testRealmID)
	f.Add("http://localhost:53682/callback?error=access_denied&state=" + s.state)
	f.Add("https://relay.example.com/?code=x&state=53682.OTHER")
	f.Add("?state=&code=")
	f.Fuzz(func(t *testing.T, pasted string) {
		u, err := url.Parse(pasted)
		if err != nil {
			return
		}
		q := u.Query()
		code, err := s.check(q)
		if err == nil && (q.Get("state") != s.state || code == "") {
			t.Fatalf("accepted %q", pasted)
		}
	})
}

func TestListenerRefusesOtherHosts(t *testing.T) {
	redirect, port := loopbackRedirect(t)
	p := newFakeProvider(t, true, redirect)
	b := newBrowser(t)
	f := &Flow{Config: p.config(), OpenURL: func(u string) error {
		// A page on evil.example whose name now resolves to 127.0.0.1 (DNS rebinding).
		req, err := http.NewRequest(http.MethodGet, fmt.Sprintf("http://127.0.0.1:%d/callback?code=x&state=y", port), nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Host = fmt.Sprintf("evil.example:%d", port)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMisdirectedRequest {
			t.Errorf("rebinding request answered %d", resp.StatusCode)
		}
		return b.open(u)
	}}
	if _, err := f.Connect(context.Background()); err != nil {
		t.Fatalf("Connect after a rebinding request: %v", err)
	}
}
