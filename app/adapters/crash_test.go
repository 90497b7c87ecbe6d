package adapters

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"dealbooks/internal/clock"

	"golang.org/x/oauth2"

	"dealbooks/app/invoicing"
	"dealbooks/integrations/pipedrive/pipedrivefake"
	"dealbooks/integrations/quickbooks"
	"dealbooks/integrations/quickbooks/qbofake"
)

// crashChildEnv carries a crashChild, as JSON, to the process that
// TestCrashedProcessResumesExactlyOnce starts and kills.
const crashChildEnv = "DEALBOOKS_CRASH_CHILD"

// crashChild is what the child process needs to run as Dealbooks would.
type crashChild struct {
	QuickBooksURL string
	RealmID       string
	AccessToken   string
	PipedriveURL  string
	DBPath        string
	DealID        int64
	Now           time.Time // the child's clock, stopped
}

// TestCrashChild is the child process of TestCrashedProcessResumesExactlyOnce:
// over the real store and both fakes it builds the deal's draft and creates
// the invoice, and is killed while it waits for an answer. Run without
// crashChildEnv (the ordinary test run) it does nothing.
func TestCrashChild(t *testing.T) {
	raw := os.Getenv(crashChildEnv)
	if raw == "" {
		return
	}
	var c crashChild
	if err := json.Unmarshal([]byte(raw), &c); err != nil {
		t.Fatal(err)
	}
	qb, err := quickbooks.New(quickbooks.Config{
		BaseURL:     c.QuickBooksURL,
		RealmID:     c.RealmID,
		TokenSource: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: c.AccessToken, TokenType: "bearer"}),
		Clock:       clock.Instant{},
	})
	if err != nil {
		t.Fatal(err)
	}
	pd, err := pipedriveClientWithToken(c.PipedriveURL, pipedrivefake.DefaultAPIToken)
	if err != nil {
		t.Fatal(err)
	}
	svc, _ := storeService(t, c.DBPath, c.RealmID, NewPipedrive(pd, Options{}), NewQuickBooks(qb, Options{}), func() time.Time { return c.Now })
	ctx := context.Background()
	built, err := svc.BuildDraft(ctx, c.DealID)
	if err != nil {
		t.Fatal(err)
	}
	res, err := svc.CreateInvoice(ctx, built.Draft)
	t.Fatalf("CreateInvoice returned (state %q, %v) before the process was killed", res.Entry.State, err)
}

// A Dealbooks process is killed (SIGKILL) while QuickBooks has committed a
// write whose answer has not reached it: after the customer create, and
// after the invoice create. The next process opens the same SQLite file and
// Resume finishes the outbox entry with the request ids it stored, so
// QuickBooks holds exactly one customer and one invoice.
func TestCrashedProcessResumesExactlyOnce(t *testing.T) {
	for _, tt := range []struct {
		name string
		path string // the write whose answer is held
		left invoicing.OutboxState
	}{
		{"after the customer create", "/customer", invoicing.OutboxQueued},
		{"after the invoice create", "/invoice", invoicing.OutboxCustomerDone},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w, _, path := storeWorld(t)
			deal := w.usDeal(t)
			hold := &holdAnswer{next: w.qb.fake, path: tt.path, committed: make(chan struct{}), released: make(chan struct{})}
			holdSrv := httptest.NewServer(hold)
			t.Cleanup(holdSrv.Close)
			t.Cleanup(func() { close(hold.released) })

			runUntilCommitted(t, hold, crashChild{
				QuickBooksURL: holdSrv.URL, RealmID: w.qb.fake.RealmID(), AccessToken: w.qb.fake.IssueTokens().AccessToken,
				PipedriveURL: w.pd.srv.URL, DBPath: path, DealID: deal.ID, Now: w.clock.Now(),
			})

			// The next start: a new Service over the same file, once the
			// lease the killed process held on the entry has run out.
			w.clock.Advance(2 * time.Minute)
			svc, repo := storeService(t, path, w.qb.fake.RealmID(), w.pd.crm, w.qb.acct, w.clock.Now)
			ctx := context.Background()
			pending, err := repo.PendingOutbox(ctx)
			if err != nil || len(pending) != 1 || pending[0].State != tt.left {
				t.Fatalf("outbox after the crash = %+v, %v; want one entry %q", pending, err, tt.left)
			}
			r, err := svc.Resume(ctx)
			if err != nil || r != (invoicing.ResumeResult{Created: 1}) {
				t.Fatalf("Resume = %+v, %v; want 1 created", r, err)
			}
			invoices, customers := w.qb.fake.Invoices(), w.qb.fake.Customers()
			if len(invoices) != 1 || len(customers) != 1 || invoices[0].CustomerRef.Value != customers[0].ID {
				t.Fatalf("QuickBooks holds %d invoices and %d customers, want one of each", len(invoices), len(customers))
			}
			if ids := postRequestIDs(w.qb.fake, tt.path); len(ids) != 1 || !replayed(w.qb.fake.Requests(), tt.path) {
				t.Errorf("POST %s used request ids %v and was replayed %v; want one id, replayed",
					tt.path, ids, replayed(w.qb.fake.Requests(), tt.path))
			}
			e, err := repo.OutboxEntry(ctx, pending[0].ID)
			if err != nil || e.State != invoicing.OutboxDone || e.InvoiceID != invoices[0].ID || e.CustomerID != customers[0].ID {
				t.Errorf("outbox entry = %+v, %v; want done with invoice %s", e, err, invoices[0].ID)
			}
			if ci, err := repo.Invoice(ctx, invoices[0].ID); err != nil || ci.DealID != deal.ID {
				t.Errorf("cached invoice = %+v, %v; want it cached for deal %d", ci, err, deal.ID)
			}
			if n := len(w.pd.fake.Notes()); n != 1 {
				t.Errorf("%d notes on the deal, want 1", n)
			}
		})
	}
}

// runUntilCommitted runs TestCrashChild in a new process of this test
// binary and kills it as soon as hold has a committed write in hand.
func runUntilCommitted(t *testing.T, hold *holdAnswer, c crashChild) {
	t.Helper()
	setup, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+string(setup))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case <-hold.committed:
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		<-exited
	case err := <-exited:
		t.Fatalf("the child ended (%v) before QuickBooks committed POST %s:\n%s", err, hold.path, out.String())
	}
}

// holdAnswer serves next, except the first POST whose path ends in path:
// next serves that one to a recorder, so QuickBooks commits the write and
// the client never hears back. committed is closed then, and the request
// waits until the client is gone or the test ends (released).
type holdAnswer struct {
	next      http.Handler
	path      string
	committed chan struct{}
	released  chan struct{}
	once      sync.Once
}

func (h *holdAnswer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	held := false
	if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, h.path) {
		h.once.Do(func() { held = true })
	}
	if !held {
		h.next.ServeHTTP(w, r)
		return
	}
	h.next.ServeHTTP(httptest.NewRecorder(), r)
	close(h.committed)
	select {
	case <-r.Context().Done():
	case <-h.released:
	}
}

// replayed reports whether a POST to path was answered from QuickBooks'
// requestid record.
func replayed(log []qbofake.Request, path string) bool {
	for _, r := range log {
		if r.Method == http.MethodPost && r.Path == path && r.Replayed {
			return true
		}
	}
	return false
}
