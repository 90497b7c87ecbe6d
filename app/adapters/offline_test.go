package adapters

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dealbooks/app/invoicing"
	"dealbooks/app/store"
	"dealbooks/integrations/quickbooks"
	"dealbooks/integrations/quickbooks/qbofake"
)

// pipedriveCompany is the Pipedrive half of the workspace in the tests over
// the real store.
const pipedriveCompany = "pipedrive-company-1"

// storeService opens the SQLite database at path, as the app does at
// start, and returns a Service over it and the adapters. The database is
// closed when the test ends.
func storeService(t testing.TB, path, realmID string, crm invoicing.CRM, acct invoicing.Accounting, now func() time.Time) (*invoicing.Service, *store.Repository) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	repo, err := st.Repository(ctx, pipedriveCompany, realmID)
	if err != nil {
		t.Fatal(err)
	}
	return invoicing.NewService(invoicing.Config{CRM: crm, Accounting: acct, Repository: repo, Now: now}), repo
}

// storeWorld is the Service of newWorld over the real SQLite store instead
// of the in-memory repository, with the same preferences.
func storeWorld(t testing.TB) (*world, *store.Repository, string) {
	t.Helper()
	w := newWorld(t, 0)
	path := filepath.Join(t.TempDir(), "dealbooks.db")
	svc, repo := storeService(t, path, w.qb.fake.RealmID(), w.pd.crm, w.qb.acct, w.clock.Now)
	ctx := context.Background()
	prefs, err := w.repo.Preferences(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := repo.SavePreferences(ctx, prefs); err != nil {
		t.Fatal(err)
	}
	w.svc = svc
	return w, repo, path
}

// restart serves h again at the address srv listened on, after srv was closed.
func restart(t *testing.T, srv *httptest.Server, h http.Handler) {
	t.Helper()
	addr := strings.TrimPrefix(srv.URL, "http://")
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen again on %s: %v", addr, err)
	}
	again := httptest.NewUnstartedServer(h)
	again.Listener.Close()
	again.Listener = ln
	again.Start()
	t.Cleanup(again.Close)
}

// Without network the invoice waits in the outbox of the SQLite store and
// shows in the history as queued; when both services answer again at the
// same address, Resume creates it once and writes the deal note once.
func TestQueuedWhileOfflineIsCreatedOnceWhenBack(t *testing.T) {
	w, repo, _ := storeWorld(t)
	ctx := context.Background()
	deal := w.usDeal(t)
	built, err := w.svc.BuildDraft(ctx, deal.ID)
	if err != nil {
		t.Fatal(err)
	}
	w.qb.srv.Close()
	w.pd.srv.Close()

	res, err := w.svc.CreateInvoice(ctx, built.Draft)
	if err != nil || !res.Queued || res.Entry.State != invoicing.OutboxQueued {
		t.Fatalf("offline CreateInvoice = queued %v, state %q, %v; want queued", res.Queued, res.Entry.State, err)
	}
	if n, err := w.svc.QueuedCount(ctx); n != 1 || err != nil {
		t.Errorf("QueuedCount = %d, %v; want 1", n, err)
	}
	h, err := w.svc.History(ctx, invoicing.HistoryQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Items) != 1 || h.Items[0].Status.State != invoicing.Queued || h.Items[0].OutboxID != res.Entry.ID ||
		h.Items[0].DealID != deal.ID {
		t.Fatalf("offline history = %+v, want the one queued invoice of deal %d", h.Items, deal.ID)
	}
	if r, err := w.svc.Resume(ctx); err != nil || r != (invoicing.ResumeResult{Queued: 1}) {
		t.Errorf("Resume still offline = %+v, %v; want 1 queued", r, err)
	}
	if len(w.qb.fake.Customers()) != 0 || len(w.qb.fake.Invoices()) != 0 {
		t.Fatal("QuickBooks got writes while it could not be reached")
	}

	restart(t, w.qb.srv, w.qb.fake)
	restart(t, w.pd.srv, w.pd.fake)
	r, err := w.svc.Resume(ctx)
	if err != nil || r != (invoicing.ResumeResult{Created: 1}) {
		t.Fatalf("Resume = %+v, %v; want 1 created", r, err)
	}
	invoices, customers := w.qb.fake.Invoices(), w.qb.fake.Customers()
	if len(invoices) != 1 || len(customers) != 1 || invoices[0].CustomerRef.Value != customers[0].ID {
		t.Fatalf("QuickBooks holds %d invoices and %d customers, want one of each", len(invoices), len(customers))
	}
	if n := len(w.pd.fake.Notes()); n != 1 {
		t.Errorf("%d notes on the deal, want 1", n)
	}
	e, err := repo.OutboxEntry(ctx, res.Entry.ID)
	if err != nil || e.State != invoicing.OutboxDone || e.InvoiceID != invoices[0].ID {
		t.Errorf("outbox entry = state %q, invoice %q, %v; want done with %s", e.State, e.InvoiceID, err, invoices[0].ID)
	}
	if n, err := w.svc.QueuedCount(ctx); n != 0 || err != nil {
		t.Errorf("QueuedCount = %d, %v; want 0", n, err)
	}
	h, err = w.svc.History(ctx, invoicing.HistoryQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Items) != 1 || h.Items[0].Invoice.ID != invoices[0].ID || h.Items[0].Status.State != invoicing.Open {
		t.Errorf("history = %+v, want only the open invoice %s", h.Items, invoices[0].ID)
	}
}

// Every answer to the invoice create is lost, in the client's retries and
// in the Service's repeat: the invoice is committed in QuickBooks but the
// entry stays queued in the store. Resume repeats the request id and gets
// the same invoice back.
func TestDroppedAnswersResumeFromTheStore(t *testing.T) {
	w, repo, _ := storeWorld(t)
	ctx := context.Background()
	built, err := w.svc.BuildDraft(ctx, w.usDeal(t).ID)
	if err != nil {
		t.Fatal(err)
	}
	w.qb.fake.Inject(qbofake.Script{Failure: qbofake.DropResponse, Times: 2 * quickbooks.DefaultMaxAttempts, Match: "POST /invoice"})
	res, err := w.svc.CreateInvoice(ctx, built.Draft)
	if err != nil || !res.Queued || res.Entry.State != invoicing.OutboxCustomerDone {
		t.Fatalf("CreateInvoice = queued %v, state %q, %v; want queued after the customer", res.Queued, res.Entry.State, err)
	}
	if n := len(w.qb.fake.Invoices()); n != 1 {
		t.Fatalf("QuickBooks holds %d invoices, want the one committed", n)
	}

	r, err := w.svc.Resume(ctx)
	if err != nil || r != (invoicing.ResumeResult{Created: 1}) {
		t.Fatalf("Resume = %+v, %v; want 1 created", r, err)
	}
	invoices := w.qb.fake.Invoices()
	if len(invoices) != 1 || len(w.qb.fake.Customers()) != 1 {
		t.Fatalf("QuickBooks holds %d invoices and %d customers, want one of each", len(invoices), len(w.qb.fake.Customers()))
	}
	if ids := postRequestIDs(w.qb.fake, "/invoice"); len(ids) != 1 {
		t.Errorf("invoice creates used request ids %v, want one", ids)
	}
	e, err := repo.OutboxEntry(ctx, res.Entry.ID)
	if err != nil || e.State != invoicing.OutboxDone || e.InvoiceID != invoices[0].ID {
		t.Errorf("outbox entry = state %q, invoice %q, %v; want done with %s", e.State, e.InvoiceID, err, invoices[0].ID)
	}
	if _, err := repo.Invoice(ctx, invoices[0].ID); err != nil {
		t.Errorf("invoice not cached: %v", err)
	}
}

// postRequestIDs returns the distinct request ids of the POSTs to path.
func postRequestIDs(fake *qbofake.Server, path string) []string {
	seen := map[string]bool{}
	var ids []string
	for _, r := range fake.Requests() {
		if r.Method == http.MethodPost && r.Path == path && !seen[r.RequestID] {
			seen[r.RequestID] = true
			ids = append(ids, r.RequestID)
		}
	}
	return ids
}
