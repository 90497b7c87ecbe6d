package adapters

import (
	"net/http/httptest"
	"testing"
	"time"

	"dealbooks/internal/clock"

	"golang.org/x/oauth2"

	"dealbooks/integrations/pipedrive"
	"dealbooks/integrations/pipedrive/pipedrivefake"
	"dealbooks/integrations/quickbooks"
	"dealbooks/integrations/quickbooks/qbofake"
)

// pdEnv is a Pipedrive fake serving a seeded company and the adapter over it.
type pdEnv struct {
	fake *pipedrivefake.Server
	srv  *httptest.Server
	data pipedrivefake.Dataset
	crm  *Pipedrive
}

func newPipedriveEnv(t testing.TB, latency time.Duration) *pdEnv {
	t.Helper()
	return newPipedriveEnvWith(t, pipedrivefake.Generate(pipedrivefake.SeedOptions{Seed: 1}), latency)
}

func newPipedriveEnvWith(t testing.TB, data pipedrivefake.Dataset, latency time.Duration) *pdEnv {
	t.Helper()
	fake := pipedrivefake.New(pipedrivefake.Options{Dataset: &data, Latency: latency, BurstLimit: 1 << 20})
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return &pdEnv{fake: fake, srv: srv, data: data, crm: NewPipedrive(newPipedriveClient(t, srv.URL), Options{})}
}

func newPipedriveClient(t testing.TB, baseURL string) *pipedrive.Client {
	t.Helper()
	c, err := pipedriveClientWithToken(baseURL, pipedrivefake.DefaultAPIToken)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// requests counts the fake's API requests.
func (e *pdEnv) requests() int { return len(e.fake.Requests()) }

// qbEnv is a QuickBooks fake and the adapter over it.
type qbEnv struct {
	fake *qbofake.Server
	srv  *httptest.Server
	acct *QuickBooks
}

func newQuickBooksEnv(t testing.TB, opts qbofake.Options) *qbEnv {
	t.Helper()
	opts.Unlimited = true
	fake := qbofake.New(opts)
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	client, err := quickbooks.New(quickbooks.Config{
		BaseURL:           srv.URL,
		RealmID:           fake.RealmID(),
		TokenSource:       oauth2.StaticTokenSource(fake.IssueTokens()),
		Clock:             clock.Instant{},
		RequestsPerMinute: 1 << 30,
	})
	if err != nil {
		t.Fatal(err)
	}
	return &qbEnv{fake: fake, srv: srv, acct: NewQuickBooks(client, Options{})}
}

// requests counts the fake's API requests.
func (e *qbEnv) requests() int { return len(e.fake.Requests()) }

// writes counts the fake's API POST requests.
func (e *qbEnv) writes() int {
	n := 0
	for _, r := range e.fake.Requests() {
		if r.Method == "POST" {
			n++
		}
	}
	return n
}

func pipedriveClientWithToken(baseURL, token string) (*pipedrive.Client, error) {
	return pipedrive.New(pipedrive.Config{APIToken: token, BaseURL: baseURL, Clock: clock.Instant{}})
}
