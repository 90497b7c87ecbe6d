package quickbooks_test

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"dealbooks/internal/clock"

	"golang.org/x/oauth2"

	"dealbooks/integrations/quickbooks"
	"dealbooks/integrations/quickbooks/qbofake"
)

// tokens is a token source that refreshes only when told to, the way the
// app's persisting source behaves after a 401.
type tokens struct {
	mu       sync.Mutex
	cfg      *oauth2.Config
	tok      *oauth2.Token
	forced   int
	lastSeen string
}

func (s *tokens) Token() (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastSeen = s.tok.AccessToken
	return s.tok, nil
}

func (s *tokens) ForceRefresh(ctx context.Context) (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.forced++
	tok, err := s.cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: s.tok.RefreshToken}).Token()
	if err != nil {
		return nil, err
	}
	s.tok = tok
	return tok, nil
}

type env struct {
	fake   *qbofake.Server
	client *quickbooks.Client
	clock  *clock.Manual
	tokens *tokens
	url    string
}

// newEnv starts a fake and a client for it; tweak adjusts the client config.
func newEnv(t testing.TB, opts qbofake.Options, tweak ...func(*quickbooks.Config)) *env {
	t.Helper()
	clk := newFakeClock()
	opts.Now = clk.Now
	fake := qbofake.New(opts)
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	src := &tokens{
		cfg: &oauth2.Config{ClientID: fake.ClientID(), ClientSecret: fake.ClientSecret(), Endpoint: oauth2.Endpoint{
			TokenURL: srv.URL + "/oauth2/v1/tokens/bearer", AuthStyle: oauth2.AuthStyleInHeader}},
		tok: fake.IssueTokens(),
	}
	cfg := quickbooks.Config{BaseURL: srv.URL, RealmID: fake.RealmID(), TokenSource: src, Clock: clk}
	for _, f := range tweak {
		f(&cfg)
	}
	client, err := quickbooks.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &env{fake: fake, client: client, clock: clk, tokens: src, url: srv.URL}
}

// countRequests counts API requests in the fake's log (OAuth excluded).
func (e *env) countRequests() int {
	n := 0
	for _, r := range e.fake.Requests() {
		if r.Path != "/oauth2/v1/tokens/bearer" {
			n++
		}
	}
	return n
}

// newFakeClock is the time both the client and the fake read: it moves only when slept on or advanced.
func newFakeClock() *clock.Manual {
	return clock.NewManual(time.Date(2026, time.March, 13, 10, 0, 0, 0, time.FixedZone("PST", -8*3600)))
}
